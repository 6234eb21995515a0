/*
 * ucall: the host side of the guest's hypercalls (see vmlab_abi.h).
 *
 *   ucall_handle()  one `out` to ABI_UCALL_PORT: read, check, act
 *
 * The guest hands the VMM a guest-physical address; everything at that
 * address is untrusted. Each pointer is checked against guest RAM before it
 * is followed, and a bad one ends the VM (VM_END_BAD_UCALL), never the VMM.
 */
#ifndef VMM_UCALL_H
#define VMM_UCALL_H

#include "vm.h"

/*
 * Handles the ucall at gpa made by vCPU cpu. Returns 0 to resume the guest, 1 when the VM
 * ends (res filled), or -errno when the console write failed.
 */
int ucall_handle(struct vm *vm, unsigned cpu, uint64_t gpa,
		 struct vm_result *res);

#endif /* VMM_UCALL_H */
