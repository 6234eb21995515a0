/*
 * many: several VMs in one vmm process (`vmm run-many FILE`).
 *
 *   many_parse()  the config: one VM a line
 *   many_check_disks()  no two VMs writing the same bytes of a file
 *   many_run()    run created VMs side by side, one thread each
 *
 * Config lines:  NAME IMAGE [mem=SIZE] [cpus=N] [disk=FILE[:OFFSET:SIZE][,ro]]
 * ('#' starts a comment). Each VM has its own RAM, vCPUs, disk and console
 * (its lines prefixed "NAME: "). Isolation is the point: a VM that touches
 * memory outside its RAM stops, alone, and the others finish.
 */
#ifndef VMM_MANY_H
#define VMM_MANY_H

#include "blk.h"
#include "vm.h"

#include <stddef.h>

#define MANY_MAX 16

struct many_vm {
	char name[32];
	char image[1024];
	uint64_t mem;        /* default 64 MiB */
	unsigned cpus;       /* default 1 */
	int has_disk;
	struct blk_spec disk;
};

/*
 * Parses text into vms (room for max). Returns the number of VMs, or
 * -EINVAL with "line N: why" in err->msg (-ENOMEM: no memory).
 */
int many_parse(const char *text, struct many_vm *vms, unsigned max,
	       struct vmlab_err *err);

/*
 * Refuses two VMs that would write the same bytes of one file: writable
 * disks (not ,ro) on the same file (by device and inode, whatever the
 * path) whose slices overlap. A read-only view may overlap a writable
 * slice. Returns 0, or -EBUSY with both names and the bytes in err->msg.
 */
int many_check_disks(const struct many_vm *vms, unsigned n,
		     struct vmlab_err *err);

/*
 * Runs vm[0..n-1] (created and loaded, entry points in entry[]) side by
 * side, one thread each, and waits for all. res[i] says how VM i ended;
 * err[i] is VM i's vm_run() failure: err[i].code 0, or its -errno with
 * err[i].name and .msg. Returns 0, or -errno when a thread could not be
 * started.
 */
int many_run(struct vm **vm, const uint64_t *entry, unsigned n,
	     struct vm_result *res, struct vmlab_err *err);

#endif /* VMM_MANY_H */
