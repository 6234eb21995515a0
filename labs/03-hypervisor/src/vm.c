/*
 * vm: a virtual machine is a file descriptor, some memory, and vCPUs.
 *
 * The ioctl sequence every KVM user follows (Documentation/virt/kvm/api.rst):
 *   open("/dev/kvm")            the system: version, capabilities
 *   KVM_CREATE_VM               a new, empty machine: a VM fd
 *   mmap + KVM_SET_USER_MEMORY_REGION
 *                               the VMM's own memory becomes guest RAM
 *   KVM_CREATE_VCPU             a CPU: a vCPU fd (vcpu.c)
 * Guest RAM is ordinary anonymous memory of this process: the guest sees
 * it at guest-physical 0, and sees nothing else of the host at all.
 */
#include "vm.h"
#include "bootinfo.h"
#include "cpuid.h"
#include "gdt.h"
#include "linux.h"
#include "paging.h"
#include "vcpu.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Where Intel's real-mode support wants 3 pages for its TSS: above RAM. */
#define TSS_ADDR 0xfffbd000ULL

/* call failed with errno: err names it (vm_fail). Returns -errno. */
static int failed(struct vmlab_err *err, const char *call)
{
	return vm_fail(err, -errno, call);
}

/* The CPUID table: what KVM supports, signed as vmlab's hypervisor. */
static int make_cpuid(struct vm *vm, struct vmlab_err *err)
{
	vm->cpuid = cpuid_supported(vm->kvm_fd, 2);
	if (!vm->cpuid)
		return failed(err, "KVM_GET_SUPPORTED_CPUID");
	vm->cpuid_cap = (int)vm->cpuid->nent + 2;
	if (vm->cfg.mode == VM_MODE_LINUX)
		return 0; /* Linux: KVM's own leaves as they are (nopv or not) */
	/* Their own error, not a made-up one: a stub's -ENOSYS reads
	 * "not written yet", never "No space left on device". */
	int rc = cpuid_set_signature(vm->cpuid, (unsigned)vm->cpuid_cap,
				     ABI_CPUID_SIGNATURE);
	if (rc)
		return vm_fail(err, rc, rc == -ENOSYS
				   ? "cpuid_set_signature (not written yet)"
				   : "cpuid_set_signature");
	rc = cpuid_set_vcpus(vm->cpuid, (unsigned)vm->cpuid_cap, vm->cfg.cpus);
	if (rc)
		return vm_fail(err, rc, rc == -ENOSYS
				   ? "cpuid_set_vcpus (not written yet)"
				   : "cpuid_set_vcpus");
	return 0;
}

static void on_kick(int sig)
{
	(void)sig; /* its only job: make KVM_RUN return EINTR */
}

/* The kick signal's handler: no SA_RESTART, so KVM_RUN sees EINTR. */
static int install_kick(struct vmlab_err *err)
{
	struct sigaction sa = {.sa_handler = on_kick};

	sigemptyset(&sa.sa_mask);
	if (sigaction(VM_KICK_SIGNAL, &sa, NULL) < 0)
		return failed(err, "sigaction");
	return 0;
}

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 1): the VM itself, for
 * vm->ram_size bytes of RAM. In order, each failure returning -errno with
 * err naming the call (failed(err, "CALL") does both, from errno;
 * vm_fail(err, -ECODE, "CALL") for a code errno does not hold):
 *   open("/dev/kvm", O_RDWR | O_CLOEXEC) into vm->kvm_fd  "open /dev/kvm"
 *   KVM_GET_API_VERSION must be 12, else -EPROTO     "KVM_GET_API_VERSION"
 *   KVM_CREATE_VM into vm->vm_fd                     "KVM_CREATE_VM"
 *   KVM_SET_TSS_ADDR at TSS_ADDR (Intel needs it for real mode)
 *                                                    "KVM_SET_TSS_ADDR"
 *   mmap anonymous, private, MAP_NORESERVE RAM into vm->ram; mmap's error
 *   is MAP_FAILED, not NULL: leave vm->ram NULL then  "mmap guest RAM"
 *   KVM_SET_USER_MEMORY_REGION: slot 0, guest-physical 0, all of RAM
 *                                              "KVM_SET_USER_MEMORY_REGION"
 * Returns 0. What is open stays in vm: vm_destroy() closes it.
 */
static int create_machine(struct vm *vm, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.2: open /dev/kvm, check version 12, KVM_CREATE_VM, TSS, mmap RAM, register slot 0 */
	struct kvm_userspace_memory_region region;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return failed(err, "open /dev/kvm");
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return vm_fail(err, -EPROTO, "KVM_GET_API_VERSION");
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return failed(err, "KVM_CREATE_VM");
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR) < 0)
		return failed(err, "KVM_SET_TSS_ADDR");
	/* MAP_FAILED, not NULL, is mmap's error value. */
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		return failed(err, "mmap guest RAM");
	}
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->ram_size,
		.userspace_addr = (uintptr_t)vm->ram,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return failed(err, "KVM_SET_USER_MEMORY_REGION");
	return 0;
	/* === STUB
	(void)vm;
	return vm_fail(err, -ENOSYS, "create_machine (not written yet)");
	*/
	/* <<< SOLUTION */
}

int vm_create(const struct vm_config *cfg, struct vm **out,
	      struct vmlab_err *err)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	int r;

	if (!vm)
		return vm_fail(err, -ENOMEM, "calloc");
	vm->cfg = *cfg;
	vm->cfg.cpus = cfg->cpus ? cfg->cpus : 1;
	vm->kvm_fd = vm->vm_fd = vm->disk.fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->vblk_lock, NULL);
	vm->ram_size = cfg->mem_size;
	serial_init(&vm->console, cfg->console_fd);
	if (cfg->name) {
		char prefix[40];

		snprintf(prefix, sizeof(prefix), "%s: ", cfg->name);
		serial_set_prefix(&vm->console, prefix);
	}
	r = -EINVAL;
	if (vm->cfg.cpus > VM_MAX_VCPUS ||
	    (vm->cfg.cpus > 1 && cfg->mode == VM_MODE_REAL)) {
		vmlab_fail_named(err, r, VM_ERR_CPUS, "1 to 64; several vCPUs"
				 " need long mode");
		goto fail;
	}
	if (vm->ram_size < ABI_RESERVED_END || vm->ram_size > (3ULL << 30) ||
	    vm->ram_size % 4096) {
		vmlab_fail_named(err, r, VM_ERR_MEM, "1 MiB to 3 GiB, whole"
				 " pages");
		goto fail;
	}
	if (cfg->disk && (r = blk_open(&vm->disk, cfg->disk, err)))
		goto fail;
	if ((r = trace_init(&vm->trace, cfg->trace ? cfg->trace
						   : VM_TRACE_ALWAYS))) {
		vm_fail(err, r, "trace buffer");
		goto fail;
	}
	vm->trace.with_rip = cfg->trace != 0;
	if ((r = install_kick(err)) || (r = create_machine(vm, err)) ||
	    (r = make_cpuid(vm, err)))
		goto fail;
	/* The interrupt controllers exist before any vCPU, or it has no APIC. */
	if (cfg->mode == VM_MODE_LINUX && (r = linux_machine(vm, err)))
		goto fail;
	if ((r = vcpu_create(vm, 0, &vm->vcpu[0], err)))
		goto fail;
	vm->nvcpu = 1;
	*out = vm;
	return 0;
fail:
	vm_destroy(vm);
	return r;
}

void *vm_gpa(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa > vm->ram_size || len > vm->ram_size - gpa)
		return NULL;
	return vm->ram + gpa;
}

int vm_load_elf(struct vm *vm, const void *img, size_t len, uint64_t *entry,
		struct image_error *err)
{
	struct image_plan plan;
	uint64_t reserved = vm->cfg.mode == VM_MODE_LONG ? ABI_RESERVED_END : 0;
	int r = image_parse(img, len, vm->ram_size, reserved, &plan, err);

	if (r)
		return r;
	image_load(&plan, img, vm->ram);
	*entry = plan.entry;
	return 0;
}

int vm_load_flat(struct vm *vm, const void *img, size_t len, uint64_t addr,
		 struct image_error *err)
{
	uint64_t reserved = vm->cfg.mode == VM_MODE_LONG ? ABI_RESERVED_END : 0;
	int r = image_place_flat(addr, len, vm->ram_size, reserved, &vm->area,
				 err);

	if (r)
		return r;
	memcpy(vm->ram + addr, img, len);
	return 0;
}

/* The structures a long-mode guest needs before its first instruction. */
static int setup_long_memory(struct vm *vm, struct vmlab_err *err)
{
	int r;

	gdt_build(vm->ram, vm->area + ABI_GDT);
	r = paging_build(vm->ram, vm->ram_size, vm->area + ABI_PML4,
			 ABI_MAP_SIZE);
	if (r)
		return vm_fail(err, r, "paging_build");
	if (vm->area)
		return 0; /* the memory map is at 0x2000 only for runtime guests */
	r = bootinfo_build(vm->ram, vm->ram_size, ABI_BOOTINFO);
	if (r)
		return vm_fail(err, r, "bootinfo_build");
	return 0;
}

/* Keeps the first vCPU's ending as the VM's, and stops the others. */
static void ended(struct vm *vm, const struct vm_result *res)
{
	if (res->end == VM_END_PARKED)
		return; /* this vCPU is done; the VM is not */
	pthread_mutex_lock(&vm->lock);
	if (!vm->have_result) {
		vm->result = *res;
		vm->have_result = 1;
	}
	pthread_mutex_unlock(&vm->lock);
	vm_stop(vm, res->end);
}

/* A vCPU thread's ioctl failed (e): keep the first failure, stop the VM. */
static void thread_failed(struct vm *vm, const struct vmlab_err *e)
{
	pthread_mutex_lock(&vm->lock);
	if (!vm->err.code)
		vm->err = *e;
	pthread_mutex_unlock(&vm->lock);
	vm_stop(vm, VM_END_UNEXPECTED);
}

/* thread_failed() for a call that failed with code: vm_fail's message. */
static void call_failed(struct vm *vm, int code, const char *call)
{
	struct vmlab_err e;

	vm_fail(&e, code, call);
	thread_failed(vm, &e);
}

/* Sets vCPU v up for the VM's mode and runs it to its end. */
static void run_one(struct vm *vm, struct vcpu *v, uint64_t entry)
{
	struct vm_result res;
	struct vmlab_err e;
	int r;

	memset(&res, 0, sizeof(res));
	vmlab_err_clear(&e);
	if (vm->cfg.mode == VM_MODE_LINUX)
		r = linux_setup_vcpu(v, entry, &e);
	else if (vm->cfg.mode == VM_MODE_LONG)
		r = vcpu_setup_long(v, entry, &e);
	else
		r = vcpu_setup_real(v, entry, &e);
	if (!r)
		r = vcpu_run(v, &res, &e);
	if (r && e.code != r) /* a failure that left err empty: the code alone */
		vm_fail(&e, r, "vcpu_run");
	if (r)
		thread_failed(vm, &e);
	else
		ended(vm, &res);
}

struct cpu_thread {
	struct vm *vm;
	unsigned id;
	uint64_t entry;
	pthread_t thread;
};

/* Adds every vCPU's exit counts into vm->stats. */
static void sum_stats(struct vm *vm)
{
	for (unsigned i = 0; i < VM_MAX_VCPUS; i++) {
		const struct stats *s = vm->vcpu[i] ? &vm->vcpu[i]->stats : NULL;

		for (unsigned r = 0; s && r < STATS_REASONS; r++) {
			vm->stats.count[r] += s->count[r];
			vm->stats.ns_run[r] += s->ns_run[r];
			vm->stats.ns_vmm[r] += s->ns_vmm[r];
		}
		vm->stats.exits += s ? s->exits : 0;
	}
}

/*
 * Stage 03.6 (README "Stage 6 · several vCPUs", step 1): the body of the
 * thread of vCPU c->id > 0. KVM wants a vCPU's ioctls from one thread, so
 * the vCPU is created here: vcpu_create(c->vm, c->id, &v, &err), with a
 * struct vmlab_err err of its own; on failure thread_failed(c->vm, &err)
 * and return NULL. Else publish it
 * in c->vm->vcpu[c->id] with __atomic_store_n(..., __ATOMIC_RELEASE)
 * before looking at c->vm->stop (__atomic_load_n): vm_stop() must see
 * every vCPU that could still enter the guest. Unless the VM is already
 * stopping, run it: run_one(c->vm, v, c->entry). Returns NULL.
 */
__attribute__((unused)) /* started by start_others() */
static void *cpu_main(void *arg)
{
	/* >>> SOLUTION 03.6: create the vCPU on this thread, publish it, then run_one() unless stopped */
	struct cpu_thread *c = arg;
	struct vcpu *v;
	struct vmlab_err err;
	int r = vcpu_create(c->vm, c->id, &v, &err);

	if (r) {
		thread_failed(c->vm, &err);
		return NULL;
	}
	/* Published before the stop check: vm_stop() will see it. */
	__atomic_store_n(&c->vm->vcpu[c->id], v, __ATOMIC_RELEASE);
	if (!__atomic_load_n(&c->vm->stop, __ATOMIC_SEQ_CST))
		run_one(c->vm, v, c->entry);
	return NULL;
	/* === STUB
	(void)arg;
	return NULL;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.6: starts vCPUs 1 .. vm->cfg.cpus - 1, each on a thread of its
 * own running cpu_main(&th[n]), th[n] = {vm, n, entry}. Returns how many
 * vCPUs run, counting vCPU 0 (the caller's thread): n when every
 * pthread_create worked. When one fails, call_failed(vm, -EAGAIN,
 * "pthread_create") and return at once: vm_run() joins th[1 .. n-1].
 * (Until this is written, a VM of several vCPUs fails at once: "not
 * written yet".)
 * Stage 03.6, README "Stage 6 · several vCPUs".
 */
static unsigned start_others(struct vm *vm, struct cpu_thread *th,
			     uint64_t entry)
{
	/* >>> SOLUTION 03.6: one pthread_create(cpu_main) per vCPU after the first; count what started */
	unsigned n = 1;

	for (; n < vm->cfg.cpus; n++) {
		th[n] = (struct cpu_thread){.vm = vm, .id = n, .entry = entry};
		if (pthread_create(&th[n].thread, NULL, cpu_main, &th[n])) {
			call_failed(vm, -EAGAIN, "pthread_create");
			break;
		}
	}
	return n;
	/* === STUB
	(void)th;
	(void)entry;
	if (vm->cfg.cpus > 1)
		call_failed(vm, -ENOSYS, "start_others (not written yet)");
	return 1;
	*/
	/* <<< SOLUTION */
}

int vm_run(struct vm *vm, uint64_t entry, struct vm_result *res,
	   struct vmlab_err *err)
{
	struct cpu_thread th[VM_MAX_VCPUS];
	unsigned n;
	uint64_t t0;
	int r = 0;

	memset(res, 0, sizeof(res[0]));
	if (vm->cfg.mode == VM_MODE_LONG && (r = setup_long_memory(vm, err)))
		return r;
	t0 = stats_now_ns();
	n = start_others(vm, th, entry);
	run_one(vm, vm->vcpu[0], entry); /* vCPU 0: on the calling thread */
	for (unsigned i = 1; i < n; i++)
		pthread_join(th[i].thread, NULL);
	vm->stats.ns_total = stats_now_ns() - t0;
	sum_stats(vm);
	if (vm->err.code) {
		if (err)
			*err = vm->err;
		return vm->err.code;
	}
	if (vm->have_result)
		*res = vm->result;
	else
		res->end = VM_END_EXIT; /* every vCPU parked: done, code 0 */
	r = serial_flush(&vm->console);
	if (r)
		return vm_fail(err, r, "write (the guest's console)");
	return 0;
}

void vm_stop(struct vm *vm, enum vm_end why)
{
	/* Atomics: lock-free, so safe in a signal handler and across threads. */
	__atomic_store_n(&vm->stop, (sig_atomic_t)why + 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < VM_MAX_VCPUS; i++) {
		struct vcpu *v = __atomic_load_n(&vm->vcpu[i], __ATOMIC_ACQUIRE);

		if (!v || !v->run)
			continue;
		/* A vCPU about to enter the guest returns at once instead... */
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		/* ...and one inside the guest is kicked out by a signal. */
		if (__atomic_load_n(&v->running, __ATOMIC_ACQUIRE))
			pthread_kill(v->thread, VM_KICK_SIGNAL);
	}
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	for (unsigned i = 0; i < VM_MAX_VCPUS; i++)
		if (vm->vcpu[i])
			vcpu_destroy(vm->vcpu[i]);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm->cpuid);
	blk_close(&vm->disk);
	trace_free(&vm->trace);
	pthread_mutex_destroy(&vm->lock);
	pthread_mutex_destroy(&vm->vblk_lock);
	free(vm);
}
