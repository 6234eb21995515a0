/*
 * triple.c: a triple fault. With an empty IDT, ud2's #UD cannot be
 * delivered (a #GP, then a double fault, which cannot be delivered either):
 * the CPU shuts down and KVM reports KVM_EXIT_SHUTDOWN.
 */
#include "guest.h"

int main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) none = {0, 0};

	__asm__ volatile("lidt %0; ud2" : : "m"(none));
	return 0;
}
