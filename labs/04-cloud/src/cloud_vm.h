/*
 * cloud_vm: instances as real virtual machines, on lab 03's vmm (/dev/kvm)
 * or on QEMU (KVM where /dev/kvm works, else TCG, its CPU emulator); the
 * command lines are cloud_vm_cmd()'s.
 *
 * cloud_vm_boot starts the VM as a daemon: a double fork with setsid, so it
 * outlives the `cloud` command and belongs to no terminal. Its console goes
 * to DB.vms/ID.console. The child waits on a pipe until its pid and start
 * time are committed to the table vm, so a VM never runs unrecorded; the
 * start time (/proc/PID/stat) tells a VM from a later process with its pid.
 * Each VM gets a sparse disk, DB.vms/ID.disk, kept across stop and start:
 * sector 0 holds the user data (as EC2 hands an instance its user data),
 * the guest writes its reply to sector 1. An instance type's GiB become
 * CLOUD_VM_MIB_PER_GIB MiB of guest RAM (vmm takes at most 3 GiB).
 */
#ifndef CLOUD_VM_H
#define CLOUD_VM_H

#include <stdint.h>
#include <sys/types.h>

#include "cloud_db.h"

#define CLOUD_VM_MIB_PER_GIB 8
#define CLOUD_VM_MIB_MIN 4
#define CLOUD_VM_MIB_MAX 3072
#define CLOUD_VM_DISK_MIB 8

/* Which hypervisor runs the VM, and so which command line it takes. */
enum cloud_vm_hv {
	CLOUD_VM_VMM,  /* lab 03's vmm; IMAGE a vmlab guest ELF */
	CLOUD_VM_QEMU, /* QEMU, KVM or else TCG; IMAGE a multiboot ELF */
};

struct cloud_vm_spec {
	const char *vmm;   /* the hypervisor's program: lab 03's vmm, or QEMU's */
	const char *image; /* the guest ELF */
	unsigned cpus;
	unsigned mem_mib;
	unsigned timeout_s; /* vmm --timeout; QEMU: CPU seconds (RLIMIT_CPU); 0: none */
	const char *user_data; /* sector 0 of its disk (at most 511 bytes) */
	enum cloud_vm_hv hv;   /* 0 (left out): lab 03's vmm */
};

/* A VM's command line: argv (NULL-terminated) points into the buffers. */
struct cloud_vm_cmd {
	char *argv[32];
	char cpus[16], mem[32], tmo[16], drive[640];
};

/*
 * Fills c with the command line that boots s with disk (its path):
 *   vmm   VMM run --cpus N --mem MM [--timeout T] --disk DISK IMAGE
 *   qemu  QEMU -nodefaults -display none -no-reboot -serial stdio -smp N
 *         -m MM -kernel IMAGE -drive file=DISK,format=raw,if=ide
 *         -device isa-debug-exit,iobase=0xf4,iosize=0x04 (the guest's
 *         power-off port) -accel kvm -accel tcg,tb-size=64 (KVM, else TCG)
 * Returns 0, or -EINVAL (a disk path with ',' for QEMU, an unknown hv) or
 * -ENAMETOOLONG.
 */
int cloud_vm_cmd(const struct cloud_vm_spec *s, const char *disk, struct cloud_vm_cmd *c);

struct cloud_vm {
	char id[32];
	pid_t pid;
	uint64_t start;    /* clock ticks after boot, /proc/PID/stat field 22 */
	int64_t booted;    /* the cloud's clock */
	char console[512];   /* its disk: the same path, .disk for .console */
	int alive;         /* by cloud_vm_get: the process is still there */
};

/* The toy's memory for a type of mem bytes: MiB per GiB, clamped. */
unsigned cloud_vm_mem_mib(uint64_t mem);

/* 1 if `vmm probe` creates a VM on this machine's /dev/kvm, 0 if not. */
int cloud_vm_kvm_usable(const char *vmm);

/*
 * Boots instance id with spec s and records it. Returns 0, or -errno:
 * -ENOEXEC vmm could not be run, -EEXIST it already has a live VM.
 */
int cloud_vm_boot(struct cloud_db *db, const char *id, const struct cloud_vm_spec *s);

/* The VM recorded for id in *vm (alive filled in). -ENOENT: none. */
int cloud_vm_get(struct cloud_db *db, const char *id, struct cloud_vm *vm);

/* 1 if pid is still the process that started at start (not a zombie). */
int cloud_vm_alive(pid_t pid, uint64_t start);

/*
 * Ends id's VM: SIGTERM, up to a second, then SIGKILL; reaps it if it is
 * ours; forgets the pid. 0 if it had none or it is gone; -errno.
 */
int cloud_vm_end(struct cloud_db *db, const char *id);

/* Forgets the pid of a VM found dead (describe). *died = 1 if it was. */
int cloud_vm_check(struct cloud_db *db, const char *id, int *died);

#endif /* CLOUD_VM_H */
