/*
 * loop.c: a guest that never ends by itself (lab 04's tests stop it, as
 * `cloud stop` does a running instance). It says so once, then spins.
 */
#include "rt.h"

void guest_main(void)
{
	rt_puts("lab 04 endless guest: running until stopped\n");
	for (;;)
		__asm__ volatile("pause");
}
