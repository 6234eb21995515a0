/*
 * runtime.h: what the runtime's files share (not for guests).
 */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include "vmlab_abi.h"

/* One hypercall: the VMM reads (and may write) *uc before we go on. */
static inline void ucall(struct ucall *uc)
{
	uint32_t gpa = (uint32_t)(uintptr_t)uc; /* identity map: virt = phys */

	__asm__ volatile("outl %0, %1"
			 : : "a"(gpa), "Nd"((uint16_t)ABI_UCALL_PORT)
			 : "memory");
}

void idt_init(void);

#endif /* GUEST_RUNTIME_H */
