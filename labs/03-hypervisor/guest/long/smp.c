/*
 * smp.c: every vCPU adds 1 to a shared counter 100000 times, atomically;
 * vCPU 0 waits for all of them and checks the exact total. Without the
 * atomic add (a plain counter++), increments get lost: try it.
 */
#include "guest.h"

#define ADDS 100000

static volatile uint64_t counter;
static volatile uint32_t done;

int main(void)
{
	unsigned n = (unsigned)guest_vcpu_count(), me = guest_cpu_id();

	for (int i = 0; i < ADDS; i++)
		__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
	if (me != 0)
		return 0;
	while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < n)
		__asm__ volatile("pause");
	guest_printf("%u vCPUs counted to %lu (expected %lu)\n", n,
		     (unsigned long)counter, (unsigned long)n * ADDS);
	GUEST_ASSERT(counter == (uint64_t)n * ADDS);
	return 0;
}
