/*
 * cloud_vm: instances as real virtual machines (lab 03's vmm on KVM).
 *
 * cloud_vm_boot starts `vmm run --cpus N --mem SIZE IMAGE` as a daemon: a
 * double fork with setsid, so the VM outlives the `cloud` command that
 * started it and belongs to no terminal. Its console (stdout and stderr)
 * goes to a log file next to the database (DB.vms/ID.console). The child
 * waits on a pipe until its pid and start time are committed to the table
 * vm, so a VM never runs unrecorded. A pid alone names no process for
 * long (pids are reused): the start time from /proc/PID/stat does.
 *
 * Each VM also gets a disk, DB.vms/ID.disk (CLOUD_VM_DISK_MIB, sparse, kept
 * across stop and start), its
 * sector 0 holding the user data the guest OS reads at boot, as EC2 hands
 * an instance its user data; the guest writes its reply to sector 1.
 *
 * Sizes: an instance type's memory is GiB, vmm's is at most 3 GiB and a
 * toy needs little, so CLOUD_VM_MIB_PER_GIB MiB stand for each GiB.
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

struct cloud_vm_spec {
	const char *vmm;   /* lab 03's vmm */
	const char *image; /* the guest ELF */
	unsigned cpus;
	unsigned mem_mib;
	unsigned timeout_s; /* vmm --timeout; 0: none */
	const char *user_data; /* sector 0 of its disk (at most 511 bytes) */
};

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
