/*
 * pagefault.c: an address the page tables do not map (above 4 GiB): a #PF
 * (vector 14) with CR2 = the address, reported by the runtime's IDT.
 */
#include "guest.h"

int main(void)
{
	volatile uint8_t *p = (volatile uint8_t *)0x500000000UL;

	return *p;
}
