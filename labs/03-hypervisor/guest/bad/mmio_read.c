/*
 * mmio_read.c: a read of guest-physical memory where there is no RAM
 * (3 GiB: mapped by the page tables, backed by no memory slot): the access
 * leaves the guest as KVM_EXIT_MMIO and vmm, which has no device there,
 * stops the VM.
 */
#include "guest.h"

int main(void)
{
	volatile uint32_t *p = (volatile uint32_t *)0xc0000000UL;

	return (int)*p;
}
