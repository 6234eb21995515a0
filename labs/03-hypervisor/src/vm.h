/*
 * vm: one virtual machine on the Linux KVM API.
 *
 *   vm_create()    /dev/kvm -> a VM with RAM, a CPUID table and its vCPU
 *   vm_load_elf()  put a checked ELF64 image into guest RAM
 *   vm_load_flat() put a flat binary at a guest-physical address
 *   vm_run()       set up the vCPU for the mode and run it to its end
 *   vm_stop()      ask the running VM to stop (async-signal-safe)
 *   vm_destroy()
 *
 * What the guest did is reported in a struct vm_result, never printed:
 * main (and the tests) decide what to say and which exit code it means.
 * Every call that fails returns -errno and fills the caller's struct
 * vmlab_err: name, the ioctl or system call; msg, "KVM_RUN: Bad address".
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include "blk.h"
#include "image.h"
#include "serial.h"
#include "stats.h"
#include "virtio.h"
#include "vmlab_err.h"

#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#define VM_MAX_VCPUS 64
/* Exits kept without --trace, for vmm's report when it is killed. */
#define VM_TRACE_ALWAYS 16
/* vm_stop() sends this to each vCPU thread to kick it out of KVM_RUN. */
#define VM_KICK_SIGNAL SIGUSR1

/* LINUX: a bzImage on the boot protocol (linux.c, the challenge). */
enum vm_mode { VM_MODE_LONG, VM_MODE_REAL, VM_MODE_LINUX };

struct vm_config {
	uint64_t mem_size;     /* bytes of guest RAM */
	enum vm_mode mode;
	int console_fd;        /* the guest's console goes here */
	unsigned trace;        /* keep the last N exits (0: off) */
	int stats;             /* time each exit */
	double timeout;        /* the watchdog's seconds, for the diagnosis */
	const struct blk_spec *disk; /* the disk image, or NULL */
	unsigned cpus;         /* vCPUs, one thread each (0 means 1) */
	const char *name;      /* run-many: the VM's name, prefixes its console */
};

/* How a run ended. diag.c names each and maps it to an exit code. */
enum vm_end {
	VM_END_HALT,          /* HLT, in a guest without the runtime */
	VM_END_EXIT,          /* guest_exit(code) */
	VM_END_EXCEPTION,     /* a CPU exception, reported by the runtime */
	VM_END_ASSERT,        /* GUEST_ASSERT failed */
	VM_END_SHUTDOWN,      /* triple fault */
	VM_END_MMIO,          /* access to guest-physical memory with no RAM */
	VM_END_HALT_FOREVER,  /* a runtime guest halted: nothing can wake it */
	VM_END_BAD_IO,        /* a port no device answers */
	VM_END_BAD_UCALL,     /* a malformed hypercall */
	VM_END_FAIL_ENTRY,    /* the CPU refused to enter the guest */
	VM_END_INTERNAL,      /* KVM could not go on (e.g. emulation failed) */
	VM_END_UNEXPECTED,    /* an exit reason this VMM does not handle */
	VM_END_CHECK,         /* a pre-entry check failed: no entry tried */
	VM_END_TIMEOUT,       /* vm_stop() from the watchdog */
	VM_END_PARKED,        /* one vCPU finished; the VM goes on */
	VM_END_COUNT
};

struct vm_result {
	enum vm_end end;
	uint32_t reason;   /* the last KVM exit reason */
	unsigned cpu;      /* the vCPU it happened on */
	int code;          /* VM_END_EXIT: the guest's exit code */
	union {
		struct { uint64_t vector, rip, cr2, error; } exc;
		struct { uint64_t addr; uint32_t len; int write; } mmio;
		struct { uint16_t port; uint8_t size; uint32_t count; int out; } io;
		struct { uint64_t hw_reason; uint32_t cpu; } entry;
		struct { uint32_t suberror, ndata; uint64_t data[4]; } internal;
		struct { uint64_t line; } assert;
		struct { uint32_t cmd; uint64_t gpa; } ucall;
	} u;
	char text[2 * 256 + 64]; /* ASSERT: file, expr; CHECK: why */
	int have_regs;     /* regs and sregs below are the vCPU's at the end */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
};

struct vcpu;

struct vm {
	int kvm_fd;                 /* /dev/kvm: the system */
	int vm_fd;                  /* KVM_CREATE_VM: this machine */
	uint8_t *ram;               /* guest RAM, mapped in the VMM */
	uint64_t ram_size;
	/*
	 * Where vmm's own area starts (ABI_GDT, ABI_PML4, ABI_STACK_TOP ...
	 * are offsets from it in long mode): 0, or the top 1 MiB of RAM when
	 * a flat image lies below 1 MiB (image_place_flat).
	 */
	uint64_t area;
	struct vm_config cfg;
	struct kvm_cpuid2 *cpuid;   /* what the guest's CPUID says */
	int cpuid_cap;              /* entries the table has room for */
	struct serial console;
	struct blk disk;            /* disk.fd < 0: no disk */
	unsigned nvcpu;
	struct vcpu *vcpu[VM_MAX_VCPUS];
	int runtime_up;             /* the guest runtime said UCALL_HELLO */
	int uart_thre;              /* LINUX: COM1's THR-empty IRQ pending */
	struct virtio_blk vblk;     /* LINUX: the disk, when disk.fd >= 0 */
	pthread_mutex_t vblk_lock;  /* vCPUs exit on it in parallel */
	volatile sig_atomic_t stop; /* 0, or the enum vm_end to stop with + 1 */
	struct stats stats;         /* all vCPUs', summed after the run */
	struct trace trace;
	pthread_mutex_t lock;       /* console, trace, result: shared by vCPUs */
	int have_result;            /* result holds the first vCPU's ending */
	struct vm_result result;
	struct vmlab_err err;       /* a vCPU thread's failure (code 0: none) */
};

/*
 * Fills err (NULL: nothing) for a failed call: name call, msg "call:
 * strerror", as main prints it. Returns code, a -errno.
 */
static inline int vm_fail(struct vmlab_err *err, int code, const char *call)
{
	return vmlab_fail_named(err, code, call, "%s: %s", call,
				strerror(-code));
}

/*
 * Creates a VM per cfg with one vCPU. Returns 0 and *out, or -errno with
 * err naming the failing call ("open /dev/kvm", "KVM_CREATE_VM", ...).
 * A bad configuration is -EINVAL with err->name VM_ERR_CPUS or VM_ERR_MEM
 * (msg: the allowed range); a disk that blk_open() refused has err->name
 * BLK_ERR_OPEN.
 */
int vm_create(const struct vm_config *cfg, struct vm **out,
	      struct vmlab_err *err);

/* err->name of vm_create()'s -EINVAL for cfg.cpus, and for cfg.mem_size. */
#define VM_ERR_CPUS "vm_create: cpus"
#define VM_ERR_MEM "vm_create: mem_size"

/*
 * Checks img as an ELF64 guest for this VM and loads it. Returns 0 and the
 * entry point, or -ENOEXEC with err saying why.
 */
int vm_load_elf(struct vm *vm, const void *img, size_t len, uint64_t *entry,
		struct image_error *err);

/* Loads a flat binary at guest-physical addr. 0, or -ENOEXEC with err. */
int vm_load_flat(struct vm *vm, const void *img, size_t len, uint64_t addr,
		 struct image_error *err);

/*
 * Sets the vCPU up for cfg.mode at entry and runs it until the guest ends.
 * Returns 0 with *res saying how it ended, or -errno with err naming the
 * failing call (the VMM's failure, not the guest's).
 */
int vm_run(struct vm *vm, uint64_t entry, struct vm_result *res,
	   struct vmlab_err *err);

/*
 * Stops the VM with reason why: sets immediate_exit on every vCPU (one about
 * to enter returns at once) and sends VM_KICK_SIGNAL to each vCPU thread
 * (one inside the guest leaves it). Async-signal-safe; callable from any
 * thread. vm_create() installs a do-nothing handler for the signal.
 */
void vm_stop(struct vm *vm, enum vm_end why);

/* Releases everything vm_create() made. vm may be NULL. */
void vm_destroy(struct vm *vm);

/* The host pointer for guest-physical [gpa, gpa + len), or NULL. */
void *vm_gpa(struct vm *vm, uint64_t gpa, uint64_t len);

#endif /* VMM_VM_H */
