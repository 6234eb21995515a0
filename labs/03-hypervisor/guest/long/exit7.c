/* exit7.c: guest_exit(7) ends the VM, and vmm exits with 7. */
#include "guest.h"

int main(void)
{
	guest_printf("leaving with 7\n");
	guest_exit(7);
}
