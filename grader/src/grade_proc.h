/*
 * grade_proc.h: one whole grading run as a contained child process.
 *
 * Batch grading and watch mode start `grade` itself as a child, one per
 * submission or per run. Killing a grader must take everything it started
 * with it: the tests' jails, make, QEMU. So as root the child is pid 1 of a
 * pid namespace of its own (when it dies, the kernel kills the whole
 * namespace, nested jails included); otherwise it leads a process group.
 * Either way it gets SIGKILL if its parent dies (PR_SET_PDEATHSIG): a batch
 * killed with SIGKILL leaves no grader running behind it.
 */
#ifndef GRADER_GRADE_PROC_H
#define GRADER_GRADE_PROC_H

#include <sys/types.h>

struct grade_proc {
	pid_t pid;
	int ns;                 /* pid 1 of its own namespace (else a group) */
	double started;         /* CLOCK_MONOTONIC seconds */
};

/* Start argv[0] (a path) with envp, stdout and stderr to out_fd (or
 * inherited when -1), stdin /dev/null. Before exec, pre(arg) runs in the
 * child when not NULL; a non-zero return is the child's exit code (no
 * exec). 0 or -errno. */
typedef int grade_proc_pre(void *arg);
int grade_proc_start(struct grade_proc *p, char *const argv[],
		     char *const envp[], int out_fd, grade_proc_pre *pre,
		     void *arg);
/* Kill p and everything it started (SIGKILL). */
void grade_proc_kill(const struct grade_proc *p);
/* Wait for p until deadline (grade_proc_now seconds), then kill it.
 * 1 when it had to be killed, else 0; *st its wait status. */
int grade_proc_wait(const struct grade_proc *p, double deadline, int *st);
/* Seconds since CLOCK_MONOTONIC's origin. */
double grade_proc_now(void);

#endif /* GRADER_GRADE_PROC_H */
