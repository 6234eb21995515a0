/*
 * part_cg: enforcing a plan with cgroup v2, the fence a KVM host puts
 * around each VM's QEMU process.
 *
 * Layout: ROOT/vmlab/NAME for each virtual server NAME, with
 *   cpuset.cpus      its CPU ids (the vCPUs may run there and nowhere else)
 *   memory.max       its memory; past it the kernel reclaims, then OOM-kills
 *                    inside the group only (memory.events counts oom_kill)
 *   memory.swap.max  0: no escaping the limit into swap
 *   cpu.max          its fair share when cores are shared (ratio > 1)
 *   pids.max         how many processes it may have
 * ROOT is /sys/fs/cgroup unless given. Every operation converges: apply
 * writes the same values again, destroy removes what exists; both can be
 * re-run after a crash half way. Functions return 0 or -errno; err->msg
 * names the failing call and file (and never a command-line flag: main
 * adds the fix, e.g. to plan again for this machine on -ERANGE).
 */
#ifndef PART_CG_H
#define PART_CG_H

#include <sys/types.h>

#include "part_plan.h"

#define PART_CG_ROOT "/sys/fs/cgroup"
#define PART_CG_PARENT "vmlab"

/*
 * Checks that root is a cgroup v2 hierarchy with the cpu, cpuset, memory
 * and pids controllers, writable by euid, and that the machine has the CPUs
 * and the memory the plan names (pl may be NULL). Touches nothing. Returns
 * 0, -EPERM (not root), -ENOTSUP (not cgroup v2, or a controller missing),
 * or -ERANGE (the plan names CPUs this machine lacks, or needs more memory
 * than it has).
 */
int part_cg_check(const char *root, uid_t euid, const struct part_plan *pl,
		  struct vmlab_err *err);

/* Creates or updates every server's group. On failure, removes the groups
 * this call created (the ones that existed stay, as they were or updated). */
int part_cg_apply(const char *root, const struct part_plan *pl,
		  struct vmlab_err *err);

/* Kills what runs in the plan's groups and removes them (and vmlab/ when
 * empty). Groups that do not exist are fine. */
int part_cg_destroy(const char *root, const struct part_plan *pl,
		    struct vmlab_err *err);

/* Moves the calling process into server name's group (which must exist). */
int part_cg_enter(const char *root, const char *name, struct vmlab_err *err);

/* Creates the backing image, sparse, of the plan's image_size. A file that
 * exists already is never written: it is used when it is a regular file at
 * least that large, else refused with -EEXIST (never grown, never shrunk,
 * never a symbolic link followed). */
int part_image_create(const struct part_plan *pl, struct vmlab_err *err);

#endif /* PART_CG_H */
