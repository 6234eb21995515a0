/*
 * exits: what the VMM does for each kind of VM exit.
 *
 *   exits_handle()  dispatch on kvm_run->exit_reason to one named handler
 *
 * Each handler either plays its part and lets the guest go on
 * (EXITS_CONTINUE), or decides the VM is over and says how in the
 * struct vm_result (EXITS_END). kvmtool's kvm-cpu.c has the same shape.
 */
#ifndef VMM_EXITS_H
#define VMM_EXITS_H

#include "vcpu.h"

enum { EXITS_CONTINUE = 0, EXITS_END = 1 };

/*
 * Handles the exit in v->run. Returns EXITS_CONTINUE, EXITS_END (res
 * filled), or -errno with err when the VMM itself failed.
 */
int exits_handle(struct vcpu *v, struct vm_result *res, struct vmlab_err *err);

#endif /* VMM_EXITS_H */
