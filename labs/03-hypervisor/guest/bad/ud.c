/* ud.c: an invalid opcode (#UD, vector 6), reported by the runtime's IDT. */
#include "guest.h"

int main(void)
{
	__asm__ volatile("ud2");
	return 0;
}
