/*
 * grade_jail.h: run one untrusted command, bounded, and clean up after it.
 *
 * The command runs under a small init process of the grader's own, which is
 * pid 1 of a new pid namespace when the kernel allows it (root, or an
 * unprivileged user namespace): when init exits, the kernel kills every
 * process the test left behind, however it forked or setsid()'d. A new
 * network namespace holds only a loopback that is down. As root the command
 * runs as `nobody`, in a user namespace of its own so that its process
 * count is its own. Resource limits: CPU time, address space, file size,
 * process count, 1024 open files, no core files; and where the host has a
 * writable cgroup hierarchy, memory and tasks for the jail as a whole
 * (grade_cg.h). stdout and stderr are
 * captured capped (grade_cap.h). Wall-clock timeout: SIGKILL to init.
 * As nobody, the lab folder is seen through an overlay whose upper layer is
 * private to the command: tests may write under build/ as at home, and
 * nothing they write or delete reaches the real folder or the next test.
 * Each jail is a session of its own: the scheduler's autogroup shares the
 * CPUs between jails, not between their processes. Without namespaces
 * (fallback), the session's process group is what the grader kills, and
 * the grader, a child subreaper, kills whatever is left.
 */
#ifndef GRADER_GRADE_JAIL_H
#define GRADER_GRADE_JAIL_H

#include "grade_cap.h"

struct grade_jail {
	char *const *argv;          /* argv[0] is a path (no PATH search) */
	char *const *envp;
	const char *cwd;
	double timeout_s;           /* wall clock; the command is killed after */
	unsigned long long mem;     /* RLIMIT_AS in bytes, 0 = none */
	unsigned long long fsize;   /* RLIMIT_FSIZE in bytes */
	int cpu_s;                  /* RLIMIT_CPU */
	int nproc;                  /* processes beyond those the user has */
	unsigned long long group_mem; /* the whole jail's memory (a cgroup of
				       its own, grade_cg.h), 0 = none */
	int group_pids;             /* the whole jail's tasks, likewise */
	int merge;                  /* stderr into the stdout capture */
	int kvm;                    /* keep /dev/kvm usable after dropping root */
	int as_self;                /* trusted (the build): keep our own uid */
	const char *overlay;        /* as nobody: this folder (the lab) made
				       writable through a private overlay */
	const char *private_dir;    /* the command's own folder (HOME) */
	const char *overlay_dir;    /* where the overlay's upper layer lives
				       (default private_dir): a folder that
				       outlives the command, so that tests
				       run one after the other see what the
				       earlier ones wrote (GRADE_NEEDS labvm) */
	const char *const *hide;    /* NULL-terminated: folders that this
				       jail's processes must not read (hidden
				       tests, the instructor's tree), each
				       covered by an empty read-only tmpfs in
				       the jail's mount namespace */
	const char *const *reveal;  /* NULL-terminated: paths under a hidden
				       folder bound back (labvm's, in the
				       instructor's tree); the jail's own
				       folders are bound back anyway */
	size_t cap_head, cap_tail;
};

/* A build step's bounds (make and the compiler it runs), to put in a
 * struct grade_jail's initialiser: 2 GiB of address space per process and
 * 2 GiB for the step as a whole where a cgroup can hold it, CPU time as
 * long as its timeout, files up to 1 GiB. */
#define GRADE_JAIL_BUILD_LIMITS(timeout) \
	.mem = 2ULL << 30, .group_mem = 2ULL << 30, .group_pids = 512, \
	.cpu_s = (int)(timeout), .fsize = 1ULL << 30

struct grade_exit {
	int exited, code;           /* normal exit and its code */
	int signal;                 /* killed by this signal (not a timeout) */
	int timed_out;              /* the grader killed it at timeout_s */
	double elapsed;             /* seconds */
	int oom;                    /* group_mem was reached: something killed */
	struct grade_cap out, err;
};

/* How commands are isolated on this machine, e.g. "pid+net namespaces, as
 * nobody; memory and tasks per jail: cgroup v1" (or "...per process:
 * rlimits, no writable cgroup"); a static string. Probes once. */
const char *grade_jail_mode(void);
/* Whether two jails may run at once: each counts its processes apart
 * (a user namespace of its own), so that one's fork bomb leaves the other
 * its RLIMIT_NPROC. 0 without namespaces. Probes once. */
int grade_jail_apart(void);
/* Whether commands run as nobody without namespaces (root, where none
 * can be made): then only file modes keep them out of what a jail hides,
 * and jails run one at a time. */
int grade_jail_by_modes(void);
/* Whether a jail's command may open /dev/kvm where the grader can. Not as
 * nobody without namespaces, unless /dev/kvm's group may use it (Debian:
 * kvm, 0660): a lab that needs KVM is then graded inside labvm. */
int grade_jail_kvm_reachable(void);
/* When commands run as nobody: dir (created if missing) and all in it
 * become nobody's, so a command can write there and nowhere else. 0 or
 * -errno; nothing to do (0) in the other modes. */
int grade_jail_give(const char *dir);
/* Make the calling process a child subreaper (orphans come back to it). */
int grade_jail_init(void);
/* Run j; 0 with *x filled (free with grade_exit_free), or -errno when the
 * command could not be started at all. */
int grade_jail_run(const struct grade_jail *j, struct grade_exit *x);
void grade_exit_free(struct grade_exit *x);
/* A fresh private directory for one command (HOME, TMPDIR), writable by the
 * user it runs as; malloc'd path or NULL. grade_jail_rmdir removes it. */
char *grade_jail_mkdir(const char *parent);
int grade_jail_rmdir(const char *dir);

#endif /* GRADER_GRADE_JAIL_H */
