/*
 * escape.c: read the first byte past this VM's own RAM. In run-many, the
 * next VM's RAM is somewhere in the same vmm process: the guest must not
 * reach it. It gets an MMIO exit, and vmm stops this VM alone.
 */
#include "guest.h"

int main(void)
{
	volatile uint64_t *past = (volatile uint64_t *)guest_ram_size();

	guest_printf("reading past my RAM, at %p\n", (void *)past);
	return (int)*past;
}
