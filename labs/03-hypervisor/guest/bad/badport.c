/* badport.c: an `out` to port 0x80, where no device of this VM answers. */
#include "guest.h"

int main(void)
{
	guest_outb(0x80, 0x42);
	return 0;
}
