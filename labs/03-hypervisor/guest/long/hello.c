/*
 * hello.c: a 64-bit C guest on the vmlab runtime.
 *
 * It asks the VMM what machine it is on and says so. Everything it prints
 * crosses from guest to host as a ucall: one `out`, one VM exit.
 */
#include "guest.h"

int main(void)
{
	uint64_t ram = guest_ram_size();

	guest_printf("Hello from a 64-bit C guest in long mode.\n");
	guest_printf("This virtual machine has %lu vCPU and %lu MiB of RAM.\n",
		     (unsigned long)guest_vcpu_count(),
		     (unsigned long)(ram >> 20));
	GUEST_ASSERT(ram >= (1u << 20));
	return 0;
}
