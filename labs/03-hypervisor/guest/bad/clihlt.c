/*
 * clihlt.c: `cli; hlt` forever. With interrupts off and no interrupt
 * controller, nothing can ever wake the vCPU: vmm says so instead of
 * waiting.
 */
#include "guest.h"

int main(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
