/* smp_fault.c: vCPU 1 hits ud2 while the others spin: that vCPU is named. */
#include "guest.h"

int main(void)
{
	if (guest_cpu_id() == 1)
		__asm__ volatile("ud2");
	for (;;)
		__asm__ volatile("pause");
}
