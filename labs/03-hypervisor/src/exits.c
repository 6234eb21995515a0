/*
 * exits: one handler per exit reason.
 *
 * The reasons a guest of this VMM can produce:
 *   KVM_EXIT_IO             in/out on a port: the console or a ucall
 *   KVM_EXIT_MMIO           a load or store to guest-physical memory that is
 *                           not RAM (no memory slot covers it)
 *   KVM_EXIT_HLT            HLT, with no interrupt controller to wake it
 *   KVM_EXIT_SHUTDOWN       a triple fault: the CPU gave up
 *   KVM_EXIT_FAIL_ENTRY     the hardware refused the guest state
 *   KVM_EXIT_INTERNAL_ERROR KVM could not continue (e.g. it could not
 *                           emulate an instruction)
 */
#include "exits.h"
#include "ucall.h"
#include "vmlab_abi.h"

#include <stdio.h>
#include <string.h>

/* >>> SOLUTION 03.2: the exit handlers: I/O to devices, MMIO, HLT, and the fatal ones */
static int disk_request_outside_ram(struct vm_result *res, uint32_t gpa)
{
	res->end = VM_END_BAD_UCALL;
	res->u.ucall.cmd = 0;
	res->u.ucall.gpa = gpa;
	snprintf(res->text, sizeof(res->text), "the disk request struct is"
		 " not inside guest RAM");
	return EXITS_END;
}

static int on_io(struct vcpu *v, struct vm_result *res, const char **what)
{
	struct kvm_run *run = v->run;
	/* The bytes of an in/out live inside the kvm_run page itself. */
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	int out = run->io.direction == KVM_EXIT_IO_OUT;
	int r;

	if (run->io.port == ABI_UCALL_PORT && out && run->io.size == 4 &&
	    run->io.count == 1) {
		uint32_t gpa;

		memcpy(&gpa, data, sizeof(gpa));
		r = ucall_handle(v->vm, v->id, gpa, res);
	} else if (run->io.port == ABI_BLK_PORT && out && run->io.size == 4 &&
		   run->io.count == 1) {
		uint32_t gpa;

		memcpy(&gpa, data, sizeof(gpa));
		if (blk_serve(&v->vm->disk, v->vm->ram, v->vm->ram_size, gpa))
			return disk_request_outside_ram(res, gpa);
		r = 0;
	} else if (serial_owns(run->io.port)) {
		pthread_mutex_lock(&v->vm->lock); /* one console, all vCPUs */
		r = serial_io(&v->vm->console, run->io.port, out, data,
			      run->io.size, run->io.count);
		pthread_mutex_unlock(&v->vm->lock);
	} else {
		res->end = VM_END_BAD_IO;
		res->u.io.port = run->io.port;
		res->u.io.size = run->io.size;
		res->u.io.count = run->io.count;
		res->u.io.out = out;
		return EXITS_END;
	}
	if (r < 0)
		*what = "write (the guest's console)";
	return r;
}

/* No RAM there: this VM has no MMIO device, so any access ends it. */
static int on_mmio(struct vcpu *v, struct vm_result *res)
{
	res->end = VM_END_MMIO;
	res->u.mmio.addr = v->run->mmio.phys_addr;
	res->u.mmio.len = v->run->mmio.len;
	res->u.mmio.write = v->run->mmio.is_write;
	return EXITS_END;
}

/*
 * Without an interrupt controller nothing can wake a halted vCPU. A bare
 * guest halts to say "done"; a guest with the runtime ends with guest_exit,
 * so HLT there means it is stuck for good.
 */
static int on_hlt(struct vcpu *v, struct vm_result *res)
{
	res->end = __atomic_load_n(&v->vm->runtime_up, __ATOMIC_RELAXED) ?
			   VM_END_HALT_FOREVER : VM_END_HALT;
	return EXITS_END;
}

static int on_fail_entry(struct vcpu *v, struct vm_result *res)
{
	res->end = VM_END_FAIL_ENTRY;
	res->u.entry.hw_reason = v->run->fail_entry.hardware_entry_failure_reason;
	res->u.entry.cpu = v->run->fail_entry.cpu;
	return EXITS_END;
}

static int on_internal(struct vcpu *v, struct vm_result *res)
{
	uint32_t n = v->run->internal.ndata;

	res->end = VM_END_INTERNAL;
	res->u.internal.suberror = v->run->internal.suberror;
	res->u.internal.ndata = n;
	for (uint32_t i = 0; i < n && i < 4; i++)
		res->u.internal.data[i] = v->run->internal.data[i];
	return EXITS_END;
}
/* === STUB
*/
/* <<< SOLUTION */

int exits_handle(struct vcpu *v, struct vm_result *res, const char **what)
{
	/* >>> SOLUTION 03.2: dispatch on the exit reason, one handler per case */
	switch (v->run->exit_reason) {
	case KVM_EXIT_IO:
		return on_io(v, res, what);
	case KVM_EXIT_MMIO:
		return on_mmio(v, res);
	case KVM_EXIT_HLT:
		return on_hlt(v, res);
	case KVM_EXIT_SHUTDOWN:
		res->end = VM_END_SHUTDOWN;
		return EXITS_END;
	case KVM_EXIT_FAIL_ENTRY:
		return on_fail_entry(v, res);
	case KVM_EXIT_INTERNAL_ERROR:
		return on_internal(v, res);
	default:
		res->end = VM_END_UNEXPECTED;
		return EXITS_END;
	}
	/* === STUB
	(void)v;
	(void)what;
	res->end = VM_END_UNEXPECTED;
	return EXITS_END;
	*/
	/* <<< SOLUTION */
}
