/*
 * jump_mmio.c: execute code at 3 GiB, where there is no RAM. An instruction
 * fetch cannot be handed to user space like a load or a store: KVM tries
 * to emulate, has no bytes to decode, and gives up with
 * KVM_EXIT_INTERNAL_ERROR (suberror 1, emulation failure).
 */
#include "guest.h"

int main(void)
{
	void (*nowhere)(void) = (void (*)(void))0xc0000000UL;

	nowhere();
	return 0;
}
