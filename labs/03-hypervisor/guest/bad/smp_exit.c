/*
 * smp_exit.c: the last vCPU calls guest_exit(5) while all the others spin
 * forever: the VM must end, every vCPU with it, and vmm exit with 5.
 */
#include "guest.h"

int main(void)
{
	if (guest_cpu_id() == guest_vcpu_count() - 1)
		guest_exit(5);
	for (;;)
		__asm__ volatile("pause");
}
