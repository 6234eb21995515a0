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

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A disk request struct outside guest RAM has nowhere to put a status. */
static int disk_request_outside_ram(struct vm_result *res, uint32_t gpa)
{
	res->end = VM_END_BAD_UCALL;
	res->u.ucall.cmd = 0;
	res->u.ucall.gpa = gpa;
	snprintf(res->text, sizeof(res->text), "the disk request struct is"
		 " not inside guest RAM");
	return EXITS_END;
}

/* A bad disk ring (blk_ring_serve() says why) is refused as a whole. */
static int disk_ring_refused(struct vm_result *res, uint32_t gpa,
			     const struct vmlab_err *why)
{
	res->end = VM_END_BAD_UCALL;
	res->u.ucall.cmd = 0;
	res->u.ucall.gpa = gpa;
	snprintf(res->text, sizeof(res->text), "%s", why->msg);
	return EXITS_END;
}

/* Port 0xCB4: a disk ring's notification, every request in it served. */
static int on_ring(struct vcpu *v, struct vm_result *res, uint32_t gpa,
		   struct vmlab_err *err)
{
	struct vmlab_err why;
	int r;

	vmlab_err_clear(&why);
	r = blk_ring_serve(&v->vm->disk, v->vm->ram, v->vm->ram_size, gpa,
			   &why);
	if (r == -EFAULT || r == -EINVAL)
		return disk_ring_refused(res, gpa, &why);
	if (r < 0)
		return vm_fail(err, r, r == -ENOSYS
			       ? "blk_ring_serve (not written yet)"
			       : "blk_ring_serve");
	return EXITS_CONTINUE;
}

/*
 * The three doorbells, one outl of a guest-physical address each: a
 * ucall (port 0xCA0, ucall_handle(), stage 03.4), a disk request (port
 * 0xCB0, blk_serve(), stage 03.5) and a disk ring (port 0xCB4,
 * blk_ring_serve(), optional stage 03.11). Given: the stages' work is in
 * ucall.c and blk.c.
 */
static int on_doorbell(struct vcpu *v, struct vm_result *res, uint16_t port,
		       const uint8_t *data, struct vmlab_err *err)
{
	uint32_t gpa;
	int r;

	memcpy(&gpa, data, sizeof(gpa));
	if (port == ABI_UCALL_PORT) {
		r = ucall_handle(v->vm, v->id, gpa, res);
		if (r < 0) /* a print whose console write failed, or a stub */
			return vm_fail(err, r, r == -ENOSYS
				       ? "ucall_handle (not written yet)"
				       : "write (the guest's console)");
		return r;
	}
	if (port == ABI_BLK_RING_PORT)
		return on_ring(v, res, gpa, err);
	r = blk_serve(&v->vm->disk, v->vm->ram, v->vm->ram_size, gpa);
	if (r == -EFAULT)
		return disk_request_outside_ram(res, gpa);
	if (r < 0)
		return vm_fail(err, r, r == -ENOSYS ? "blk_serve (not written yet)"
						    : "blk_serve");
	return r;
}

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 5): KVM_EXIT_IO on any
 * port but the doorbells. The bytes of an in/out live inside the kvm_run
 * page itself, at run->io.data_offset: data below.
 *  - A console port (serial_owns(): COM1 0x3f8..0x3ff and 0xE9) goes to
 *    serial_io(&v->vm->console, port, out, data, size, count), holding
 *    v->vm->lock around the call: all vCPUs share one console. Returns
 *    what serial_io() returns (0, EXITS_CONTINUE); when it is negative
 *    (-errno, writing to the console failed) return vm_fail(err, r,
 *    "write (the guest's console)"): err names the call, r the same.
 *  - Any other port ends the VM: res->end = VM_END_BAD_IO, with port,
 *    size, count and out in res->u.io, and return EXITS_END ("no device
 *    answers that port", exit 76, in 03.9's table).
 */
static int on_io(struct vcpu *v, struct vm_result *res, struct vmlab_err *err)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	int out = run->io.direction == KVM_EXIT_IO_OUT;

	if (out && run->io.size == 4 && run->io.count == 1 &&
	    (run->io.port == ABI_UCALL_PORT || run->io.port == ABI_BLK_PORT ||
	     run->io.port == ABI_BLK_RING_PORT))
		return on_doorbell(v, res, run->io.port, data, err);
	/* >>> SOLUTION 03.2: console ports to serial_io() under vm->lock; any other port: VM_END_BAD_IO */
	int r;

	if (!serial_owns(run->io.port)) {
		res->end = VM_END_BAD_IO;
		res->u.io.port = run->io.port;
		res->u.io.size = run->io.size;
		res->u.io.count = run->io.count;
		res->u.io.out = out;
		return EXITS_END;
	}
	pthread_mutex_lock(&v->vm->lock); /* one console, all vCPUs */
	r = serial_io(&v->vm->console, run->io.port, out, data, run->io.size,
		      run->io.count);
	pthread_mutex_unlock(&v->vm->lock);
	if (r < 0)
		return vm_fail(err, r, "write (the guest's console)");
	return r;
	/* === STUB
	(void)res;
	(void)data;
	(void)out;
	return vm_fail(err, -ENOSYS, "on_io (not written yet)");
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.7 (README "Stage 7 · several VMs"): KVM_EXIT_MMIO, a load or
 * store at a guest-physical address no memory slot covers. This VM has no
 * MMIO device, so any access ends it: res->end = VM_END_MMIO, and
 * res->u.mmio takes the address (run->mmio.phys_addr), the length and
 * whether it is a write; return EXITS_END. report.c turns that into
 * "guest read 8 bytes at unmapped guest-physical address 0x4000000
 * (KVM_EXIT_MMIO)", exit code 74.
 */
static int on_mmio(struct vcpu *v, struct vm_result *res)
{
	/* >>> SOLUTION 03.7: end the VM: VM_END_MMIO with the address, the length, read or write */
	res->end = VM_END_MMIO;
	res->u.mmio.addr = v->run->mmio.phys_addr;
	res->u.mmio.len = v->run->mmio.len;
	res->u.mmio.write = v->run->mmio.is_write;
	return EXITS_END;
	/* === STUB
	(void)v;
	res->end = VM_END_UNEXPECTED;
	return EXITS_END;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 5): KVM_EXIT_HLT. Without
 * an interrupt controller nothing can wake a halted vCPU, so HLT ends the
 * VM (return EXITS_END). A bare guest halts to say "done": res->end =
 * VM_END_HALT (exit 0). A guest whose runtime said hello
 * (v->vm->runtime_up, read with __atomic_load_n) ends with guest_exit, so
 * HLT there means it is stuck for good: VM_END_HALT_FOREVER (exit 75).
 */
static int on_hlt(struct vcpu *v, struct vm_result *res)
{
	/* >>> SOLUTION 03.2: end the VM: VM_END_HALT, or VM_END_HALT_FOREVER once the runtime is up */
	res->end = __atomic_load_n(&v->vm->runtime_up, __ATOMIC_RELAXED) ?
			   VM_END_HALT_FOREVER : VM_END_HALT;
	return EXITS_END;
	/* === STUB
	(void)v;
	res->end = VM_END_UNEXPECTED;
	return EXITS_END;
	*/
	/* <<< SOLUTION */
}

/* The hardware refused the guest state: what it said goes to the report. */
static int on_fail_entry(struct vcpu *v, struct vm_result *res)
{
	res->end = VM_END_FAIL_ENTRY;
	res->u.entry.hw_reason = v->run->fail_entry.hardware_entry_failure_reason;
	res->u.entry.cpu = v->run->fail_entry.cpu;
	return EXITS_END;
}

/* KVM could not go on (e.g. it could not emulate an instruction). */
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

int exits_handle(struct vcpu *v, struct vm_result *res, struct vmlab_err *err)
{
	switch (v->run->exit_reason) {
	case KVM_EXIT_IO:
		return on_io(v, res, err);
	case KVM_EXIT_MMIO:
		return on_mmio(v, res);
	case KVM_EXIT_HLT:
		return on_hlt(v, res);
	case KVM_EXIT_SHUTDOWN: /* a triple fault: the CPU gave up */
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
}
