/*
 * vcpu: one virtual CPU and its exit loop.
 *
 *   vcpu_create()      KVM_CREATE_VCPU and the shared kvm_run page
 *   vcpu_setup_real()  registers for 16-bit real mode at an entry address
 *   vcpu_setup_long()  registers for 64-bit long mode on the VMM's tables
 *   vcpu_run()         KVM_RUN, handle the exit, again, until the guest ends
 *   vcpu_destroy()
 *
 * The exit loop is the heart of a VMM: KVM_RUN returns each time the guest
 * does something the hardware will not let it do alone (port I/O, touching
 * memory that is not RAM, HLT), the VMM plays the device, and calls KVM_RUN
 * again. A vCPU's ioctls belong to the thread that created it.
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include "vm.h"

#include <pthread.h>

struct vcpu {
	struct vm *vm;
	unsigned id;
	int fd;                 /* KVM_CREATE_VCPU */
	struct kvm_run *run;    /* shared with KVM: the exit's details */
	size_t run_size;        /* KVM_GET_VCPU_MMAP_SIZE */
	pthread_t thread;       /* the thread in vcpu_run(), for vm_stop() */
	volatile sig_atomic_t running; /* 1 while a thread is in vcpu_run() */
	struct stats stats;     /* this vCPU's exits (no lock needed) */
};

/* Creates vCPU id of vm. Returns 0 and *out, or -errno with err. */
int vcpu_create(struct vm *vm, unsigned id, struct vcpu **out,
		struct vmlab_err *err);

/* Real mode: CS:IP from entry (< 1 MiB). Returns 0 or -errno with err. */
int vcpu_setup_real(struct vcpu *v, uint64_t entry, struct vmlab_err *err);

/*
 * Long mode: GDT at ABI_GDT, CR3 = ABI_PML4 (vm.c has built both), RSP at
 * ABI_STACK_TOP, RIP = entry. Returns 0 or -errno with err.
 */
int vcpu_setup_long(struct vcpu *v, uint64_t entry, struct vmlab_err *err);

/*
 * Runs the vCPU until the guest ends or vm_stop(). Returns 0 with *res, or
 * -errno with err naming the ioctl that failed.
 */
int vcpu_run(struct vcpu *v, struct vm_result *res, struct vmlab_err *err);

/* Fills res->regs and res->sregs (best effort) for the diagnosis. */
void vcpu_snapshot(struct vcpu *v, struct vm_result *res);

void vcpu_destroy(struct vcpu *v);

#endif /* VMM_VCPU_H */
