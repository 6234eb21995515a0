/*
 * spin.c: says it is spinning, then spins with no exits at all. A test
 * waits for the line (progress, not a sleep), then kills vmm with SIGTERM
 * and reads what vmm says it was doing: its last exits.
 */
#include "guest.h"

int main(void)
{
	guest_printf("spinning\n");
	for (volatile int i = 0;; i++)
		;
}
