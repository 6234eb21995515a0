/*
 * crash.c: a guest that dies. An invalid opcode with no interrupt table
 * is a triple fault; the runner's QEMU (-no-reboot) then ends instead of
 * resetting the machine, as a VMM ends on a guest it cannot run.
 */
#include "rt.h"

void guest_main(void)
{
	rt_puts("lab 04 crashing guest: an invalid opcode, no IDT\n");
	__asm__ volatile("ud2");
}
