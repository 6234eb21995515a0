/*
 * grade_proc.c: a grader child contained in a pid namespace or a process
 * group (grade_proc.h).
 *
 *   batch ──clone(NEWPID)──> grade (pid 1) ──> make, jails (nested pid
 *                                              namespaces), QEMU...
 * SIGKILL to that pid 1 ends the namespace: the kernel kills every process
 * in it and in the namespaces below it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade_proc.h"

double grade_proc_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A raw clone with a NULL stack behaves like fork (copy on write). */
static pid_t clone_ns(int flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/*
 * Die with the parent; if it is already gone, do not start at all. The
 * parent may die between clone and prctl, so after prctl the child asks
 * whether it still lives: not with getppid() (inside a new pid namespace
 * that is always 0, the parent being outside) but with a pidfd of the
 * parent, which polls readable once the parent has exited.
 */
static void die_with_parent(int parent_fd)
{
	struct pollfd p = { .fd = parent_fd, .events = POLLIN };
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || parent_fd < 0 ||
	    poll(&p, 1, 0) != 0)
		_exit(125);
	close(parent_fd);
}

static void child(char *const argv[], char *const envp[], int out_fd,
		  grade_proc_pre *pre, void *arg, int parent_fd, int ns)
{
	die_with_parent(parent_fd);
	if (!ns)
		setpgid(0, 0);
	int null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0)
		_exit(125);
	if (out_fd >= 0 && (dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0))
		_exit(125);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (pre) {
		int rc = pre(arg);
		if (rc)
			_exit(rc);
	}
	execve(argv[0], argv, envp);
	_exit(127);
}

int grade_proc_start(struct grade_proc *p, char *const argv[],
		     char *const envp[], int out_fd, grade_proc_pre *pre,
		     void *arg)
{
	/* close-on-exec: no grandchild inherits it */
	int parent_fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (parent_fd < 0)
		return -errno;
	p->ns = geteuid() == 0 && !getenv("GRADE_NO_NAMESPACES");
	p->started = grade_proc_now();
	p->pid = clone_ns(p->ns ? CLONE_NEWPID : 0);
	if (p->pid < 0 && p->ns) {
		p->ns = 0;                  /* no pid namespaces here: a group */
		p->pid = clone_ns(0);
	}
	int e = errno;
	if (p->pid == 0)
		child(argv, envp, out_fd, pre, arg, parent_fd, p->ns);
	close(parent_fd);
	if (p->pid < 0)
		return -e;
	if (!p->ns)
		setpgid(p->pid, p->pid);    /* no race with the first kill */
	return 0;
}

void grade_proc_kill(const struct grade_proc *p)
{
	if (p->pid <= 0)
		return;
	kill(p->ns ? p->pid : -p->pid, SIGKILL);
	if (!p->ns)
		kill(p->pid, SIGKILL);
}

int grade_proc_wait(const struct grade_proc *p, double deadline, int *st)
{
	for (;;) {
		pid_t r = waitpid(p->pid, st, WNOHANG);
		if (r == p->pid || (r < 0 && errno != EINTR))
			return 0;
		if (grade_proc_now() >= deadline) {
			grade_proc_kill(p);
			waitpid(p->pid, st, 0);
			return 1;
		}
		usleep(20000);
	}
}
