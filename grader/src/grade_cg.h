/*
 * grade_cg.h: memory and processes bounded per jail, not per process: a
 * control group of its own for each test and each build step.
 *
 *   cgroup v2   a writable cgroup2 hierarchy whose memory and pids
 *               controllers we may enable: memory.max, memory.swap.max 0,
 *               memory.oom.group 1 (the whole jail dies), pids.max
 *   cgroup v1   else writable memory and pids hierarchies (a host that
 *               keeps them on v1): memory.limit_in_bytes (and memsw),
 *               pids.max
 *   none        not root, no writable hierarchy, or GRADE_NO_CGROUPS=1:
 *               the jail's rlimits alone bound it (per process)
 * The grader makes the group (grade_cg_make), the jail's init joins it as
 * root before it starts the command (grade_cg_join), and the grader
 * removes it once everything in it has ended (grade_cg_end). Jails that
 * run at once (-j N) each have their own.
 */
#ifndef GRADER_GRADE_CG_H
#define GRADER_GRADE_CG_H

#include <limits.h>

struct grade_cg {
	char mem[PATH_MAX];     /* the group's folder (v2: the only one) */
	char pids[PATH_MAX];    /* v1: the pids hierarchy's folder, else "" */
	int on;                 /* made: init must join it */
};

/* How jails are bounded here, e.g. "cgroup v2"; NULL when by rlimits
 * alone. Probes once. */
const char *grade_cg_mode(void);
/* A fresh group bounded to mem bytes (0: no memory bound) and pids tasks.
 * 0 with g->on, 0 with !g->on when there is no usable hierarchy, or -errno. */
int grade_cg_make(struct grade_cg *g, unsigned long long mem, int pids);
/* In the jail's init, as root: move the caller into g. 0 or -1. */
int grade_cg_join(const struct grade_cg *g);
/* After the jail: 1 when its memory bound killed something, else 0. */
int grade_cg_oom(const struct grade_cg *g);
/* Remove g once every task in it has gone. */
void grade_cg_end(struct grade_cg *g);

#endif /* GRADER_GRADE_CG_H */
