/*
 * vcpu: a virtual CPU, its registers, and the KVM_RUN exit loop.
 *
 * struct kvm_run is a page shared between KVM and the VMM, mmap'ed from
 * the vCPU fd: after each KVM_RUN it says why the guest stopped
 * (exit_reason) and carries the details (the port and the bytes of an
 * `out`, the address of an MMIO access). An I/O or MMIO read completes on
 * the *next* KVM_RUN, with the data the VMM left in that page.
 */
#include "vcpu.h"
#include "check.h"
#include "gdt.h"
#include "exits.h"
#include "linux.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define CR0_MP (1ULL << 1)
#define CR0_ET (1ULL << 4)
#define CR0_NE (1ULL << 5)
#define CR4_OSFXSR (1ULL << 9)      /* the guest may use SSE */
#define CR4_OSXMMEXCPT (1ULL << 10)


/* call failed with errno: err names it (vm_fail). Returns -errno. */
static int failed(struct vmlab_err *err, const char *call)
{
	return vm_fail(err, -errno, call);
}

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 2): vCPU v->id of the VM
 * v->vm. In order, each failure returning -errno with err naming the
 * call (failed(err, "CALL") does both, from errno):
 *   KVM_CREATE_VCPU on v->vm->vm_fd, argument v->id, into v->fd
 *   KVM_SET_CPUID2 on v->fd with the table v->vm->cpuid (vm.c made it)
 *   KVM_GET_VCPU_MMAP_SIZE on v->vm->kvm_fd: the size of the kvm_run
 *     area; smaller than a struct kvm_run is a failure too
 *   mmap that size, shared, of v->fd at offset 0 into v->run (and the size
 *     into v->run_size); on MAP_FAILED leave v->run NULL  "mmap kvm_run"
 * Returns 0. vcpu_destroy() undoes what was done.
 */
static int create(struct vcpu *v, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.2: KVM_CREATE_VCPU, KVM_SET_CPUID2, KVM_GET_VCPU_MMAP_SIZE, mmap the kvm_run page */
	int size;

	v->fd = ioctl(v->vm->vm_fd, KVM_CREATE_VCPU, v->id);
	if (v->fd < 0)
		return failed(err, "KVM_CREATE_VCPU");
	if (ioctl(v->fd, KVM_SET_CPUID2, v->vm->cpuid) < 0)
		return failed(err, "KVM_SET_CPUID2");
	size = ioctl(v->vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return failed(err, "KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = (size_t)size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return failed(err, "mmap kvm_run");
	}
	return 0;
	/* === STUB
	(void)v;
	return vm_fail(err, -ENOSYS, "vcpu create (not written yet)");
	*/
	/* <<< SOLUTION */
}

int vcpu_create(struct vm *vm, unsigned id, struct vcpu **out,
		struct vmlab_err *err)
{
	struct vcpu *v = calloc(1, sizeof(*v));
	int r;

	if (!v)
		return vm_fail(err, -ENOMEM, "calloc");
	v->vm = vm;
	v->id = id;
	v->fd = -1;
	r = create(v, err);
	if (r) {
		vcpu_destroy(v);
		return r;
	}
	*out = v;
	return 0;
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	free(v);
}

static int get_state(struct vcpu *v, struct kvm_regs *r, struct kvm_sregs *s,
		     struct vmlab_err *err)
{
	if (ioctl(v->fd, KVM_GET_SREGS, s) < 0)
		return failed(err, "KVM_GET_SREGS");
	if (ioctl(v->fd, KVM_GET_REGS, r) < 0)
		return failed(err, "KVM_GET_REGS");
	return 0;
}

static int set_state(struct vcpu *v, struct kvm_regs *r, struct kvm_sregs *s,
		     struct vmlab_err *err)
{
	if (ioctl(v->fd, KVM_SET_SREGS, s) < 0)
		return failed(err, "KVM_SET_SREGS");
	if (ioctl(v->fd, KVM_SET_REGS, r) < 0)
		return failed(err, "KVM_SET_REGS");
	return 0;
}

/* A real-mode segment: base = selector * 16, 64 KiB limit. */
static void real_seg(struct kvm_segment *seg, uint16_t selector)
{
	seg->selector = selector;
	seg->base = (uint64_t)selector << 4;
	seg->limit = 0xffff;
}

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 3; vcpu.h has the
 * contract): real mode at the physical address entry, as CS:IP. CS =
 * (entry >> 4) & 0xf000 (real_seg() sets base = selector * 16 and the
 * 64 KiB limit), IP = entry - CS base; DS, ES, SS flat at 0; every other
 * register 0 but RSP = 0x7c00 and RFLAGS = RFLAGS_FIXED (2: bit 1 is
 * reserved and must be 1).
 */
int vcpu_setup_real(struct vcpu *v, uint64_t entry, struct vmlab_err *err)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	int r = get_state(v, &regs, &sregs, err);

	if (r)
		return r;
	/* >>> SOLUTION 03.2: CS:IP from entry, DS, ES, SS at 0, registers zeroed, RSP 0x7c00, RFLAGS 2 */
	real_seg(&sregs.cs, (uint16_t)((entry >> 4) & 0xf000));
	real_seg(&sregs.ds, 0);
	real_seg(&sregs.es, 0);
	real_seg(&sregs.ss, 0);
	memset(&regs, 0, sizeof(regs));
	regs.rip = entry - sregs.cs.base;
	regs.rsp = 0x7c00;   /* below the classic boot-sector address */
	regs.rflags = RFLAGS_FIXED; /* bit 1 is reserved and must be 1 */
	/* === STUB
	(void)entry;
	(void)real_seg;
	*/
	/* <<< SOLUTION */
	return set_state(v, &regs, &sregs, err);
}

/*
 * Stage 03.3 (README "Stage 3 · long mode", step 5; vcpu.h has the
 * contract): 64-bit mode on the page tables and GDT vmm wrote at vm->area
 * (include/vmlab_abi.h; 0 unless a flat image sits below 1 MiB).
 *   CR3 = area + ABI_PML4; CR4 = PAE | OSFXSR | OSXMMEXCPT;
 *   CR0 = PE | MP | ET | NE | PG; EFER = LME | LMA (KVM needs LMA too:
 *   we skip the switch in which the CPU sets it)
 *   CS = gdt_code64(ABI_SEL_CODE); DS, ES, FS, GS, SS = gdt_data(ABI_SEL_DATA)
 *   GDTR: base area + ABI_GDT, limit GDT_LIMIT
 *   registers zeroed, then RIP = entry, RFLAGS = RFLAGS_FIXED, and a stack
 *   each: RSP = area + ABI_STACK_TOP - v->id * ABI_STACK_SIZE
 * vm_run()'s pre-entry check (check.c) explains a mistake here.
 */
int vcpu_setup_long(struct vcpu *v, uint64_t entry, struct vmlab_err *err)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	int r = get_state(v, &regs, &sregs, err);

	if (r)
		return r;
	/* >>> SOLUTION 03.3: CR3, CR4, CR0, EFER, the segments, the GDT register, RIP, RSP, RFLAGS */
	sregs.cr3 = v->vm->area + ABI_PML4;  /* the root of the page tables */
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_PG;
	/* KVM needs LMA too: we skip the switch in which the CPU sets it. */
	sregs.efer = EFER_LME | EFER_LMA;
	sregs.cs = gdt_code64(ABI_SEL_CODE);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
		gdt_data(ABI_SEL_DATA);
	sregs.gdt.base = v->vm->area + ABI_GDT;
	sregs.gdt.limit = GDT_LIMIT;
	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	/* A stack each, at the top of vmm's area. */
	regs.rsp = v->vm->area + ABI_STACK_TOP - v->id * ABI_STACK_SIZE;
	regs.rflags = RFLAGS_FIXED;
	/* === STUB
	(void)entry;
	*/
	/* <<< SOLUTION */
	return set_state(v, &regs, &sregs, err);
}

void vcpu_snapshot(struct vcpu *v, struct vm_result *res)
{
	res->have_regs = get_state(v, &res->regs, &res->sregs, NULL) == 0;
}

/* Checks the state KVM is about to enter; VM_END_CHECK explains a mistake. */
static int pre_entry_check(struct vcpu *v, struct vm_result *res,
			   struct vmlab_err *err)
{
	struct vmlab_err why;
	int r;

	if (v->vm->cfg.mode == VM_MODE_LINUX)
		return EXITS_CONTINUE; /* the kernel's state, not vmm's ABI */
	r = get_state(v, &res->regs, &res->sregs, err);
	if (r)
		return r;
	if (check_entry(&res->regs, &res->sregs, v->vm->ram_size,
			v->vm->cfg.mode == VM_MODE_LONG, &why) == 0)
		return EXITS_CONTINUE;
	/* Not vmm's failure: the guest's state, explained in the report. */
	snprintf(res->text, sizeof(res->text), "%s", why.msg);
	res->end = VM_END_CHECK;
	res->have_regs = 1;
	return EXITS_END;
}

/*
 * Records one exit for --stats and the trace: the last --trace=N exits
 * with their rip (a KVM_GET_REGS each), else the last VM_TRACE_ALWAYS
 * without, for the report of a vmm killed before its guest ended.
 */
static void account(struct vcpu *v, uint64_t t0, uint64_t t1, uint64_t t2)
{
	struct kvm_run *run = v->run;
	struct trace_ent e = {.reason = run->exit_reason};
	struct kvm_regs regs;

	if (v->vm->cfg.stats)
		stats_add(&v->stats, run->exit_reason, t1 - t0, t2 - t1);
	if (v->vm->trace.cap == 0)
		return;
	if (v->vm->trace.with_rip && ioctl(v->fd, KVM_GET_REGS, &regs) == 0)
		e.rip = regs.rip;
	if (run->exit_reason == KVM_EXIT_IO) {
		e.detail = run->io.port;
		e.info = (uint32_t)run->io.direction << 31 |
			 (uint32_t)run->io.size << 16 | run->io.count;
	} else if (run->exit_reason == KVM_EXIT_MMIO) {
		e.detail = run->mmio.phys_addr;
		e.info = (uint32_t)run->mmio.is_write << 31 | run->mmio.len;
	}
	pthread_mutex_lock(&v->vm->lock);
	trace_add(&v->vm->trace, &e);
	pthread_mutex_unlock(&v->vm->lock);
}

enum { INTERRUPTED = 2 };

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 4): one KVM_RUN on
 * v->fd. Returns EXITS_CONTINUE when the guest exited (v->run says why).
 * KVM_RUN failing with EINTR (a signal came: vm_stop()'s kick) or EAGAIN
 * is not an error: clear v->run->immediate_exit (with __atomic_store_n,
 * before the caller looks at vm->stop, so that no stop is lost) and
 * return INTERRUPTED. Any other failure: failed(err, "KVM_RUN").
 */
static int enter(struct vcpu *v, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.2: one KVM_RUN; EINTR or EAGAIN: clear immediate_exit, INTERRUPTED */
	if (ioctl(v->fd, KVM_RUN, 0) == 0)
		return EXITS_CONTINUE;
	if (errno != EINTR && errno != EAGAIN)
		return failed(err, "KVM_RUN");
	/* Clear before the caller checks vm->stop, so no stop is lost. */
	__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	return INTERRUPTED;
	/* === STUB
	(void)v;
	return vm_fail(err, -ENOSYS, "KVM_RUN (not written yet)");
	*/
	/* <<< SOLUTION */
}

/* The VM ended: what to keep for the diagnosis. */
static void finish(struct vcpu *v, struct vm_result *res)
{
	res->reason = v->run->exit_reason;
	if (res->end != VM_END_EXIT && res->end != VM_END_HALT)
		vcpu_snapshot(v, res);
}

/* KVM_RUN, handle the exit, again: until a handler or vm_stop() ends it. */
static int loop(struct vcpu *v, struct vm_result *res, struct vmlab_err *err)
{
	int stats = v->vm->cfg.stats || v->vm->trace.cap;
	uint64_t t0 = 0, t1 = 0;
	int r;

	for (;;) {
		if (stats)
			t0 = stats_now_ns();
		r = enter(v, err);
		if (stats)
			t1 = stats_now_ns();
		if (r < 0)
			return r;
		int stop = __atomic_load_n(&v->vm->stop, __ATOMIC_SEQ_CST);

		if (stop) {
			res->end = (enum vm_end)(stop - 1);
			finish(v, res);
			return 0;
		}
		if (r == INTERRUPTED)
			continue;
		r = v->vm->cfg.mode == VM_MODE_LINUX ? linux_exit(v, res, err)
						     : exits_handle(v, res, err);
		if (stats)
			account(v, t0, t1, stats_now_ns());
		if (r < 0)
			return r;
		if (r == EXITS_END) {
			finish(v, res);
			return 0;
		}
	}
}

int vcpu_run(struct vcpu *v, struct vm_result *res, struct vmlab_err *err)
{
	int r;

	res->cpu = v->id;
	r = pre_entry_check(v, res, err);
	if (r)
		return r < 0 ? r : 0;
	v->thread = pthread_self();
	/* Flags shared with vm_stop() on other threads: atomics, not races. */
	__atomic_store_n(&v->running, 1, __ATOMIC_RELEASE);
	r = loop(v, res, err);
	__atomic_store_n(&v->running, 0, __ATOMIC_RELEASE);
	return r;
}
