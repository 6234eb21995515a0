/*
 * grade_jail.c: the sandbox every test and every command-line case runs in
 * (grade_jail.h).
 *
 *   grader ──clone(NEWPID|NEWNET[|NEWUSER])──> init (pid 1) ──fork──> command
 *
 * init sets up its namespaces, sets the limits and drops to nobody when
 * root (grade_ns.c), forks the command, reaps until the command ends,
 * writes its wait status on a pipe and exits; the kernel then kills the
 * rest of the namespace. The grader only reads pipes
 * and waits: nothing the command does can write the grader's results.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade_cg.h"
#include "grade_jail.h"
#include "grade_ns.h"
#include "grade_secret.h"

static int mode = -1;  /* enum grade_ns_mode, once probed */
static int apart;      /* jails count their processes apart (grade_ns.h) */

static pid_t raw_clone(int flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static int ns_flags(int m)
{
	if (m == GRADE_NS_ROOT)
		return CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS;
	if (m == GRADE_NS_USER)
		return CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS;
	return 0;
}

static int try_mode(int m)
{
	pid_t pid = raw_clone(ns_flags(m));
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return 0;
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

const char *grade_jail_mode(void)
{
	static char text[256];
	static const char *names[] = {
		"own process group (no namespaces available)",
		"pid+net namespaces, as nobody",
		"user+pid+net namespaces",
		"own process group, as nobody (no namespaces available)",
	};
	if (mode < 0) {
		mode = GRADE_NS_GROUP;
		if (getenv("GRADE_NO_NAMESPACES"))
			;
		else if (geteuid() == 0 && try_mode(GRADE_NS_ROOT))
			mode = GRADE_NS_ROOT;
		else if (geteuid() != 0 && try_mode(GRADE_NS_USER))
			mode = GRADE_NS_USER;
		apart = mode == GRADE_NS_USER ||
			(mode == GRADE_NS_ROOT && grade_ns_try_apart());
		const char *cg = grade_cg_mode();
		snprintf(text, sizeof(text), "%s; memory and tasks per %s",
			 names[mode == GRADE_NS_GROUP && geteuid() == 0 ? 3 : mode],
			 cg ? "test: " : "process: rlimits, no writable cgroup");
		if (cg)
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s", cg);
	}
	return text;
}

/* Whether tests give up root for nobody here (grade_ns.h). */
static int drops(void)
{
	grade_jail_mode();
	return geteuid() == 0 && mode != GRADE_NS_USER;
}

int grade_jail_kvm_reachable(void)
{
	gid_t gid;
	return !drops() || mode != GRADE_NS_GROUP || grade_ns_kvm_group(&gid);
}

int grade_jail_by_modes(void)
{
	return drops() && mode == GRADE_NS_GROUP;
}

int grade_jail_apart(void)
{
	grade_jail_mode();
	return apart;
}

static int give_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return lchown(path, GRADE_NOBODY, GRADE_NOBODY);
}

int grade_jail_give(const char *dir)
{
	if (!drops())
		return 0;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	return nftw(dir, give_one, 32, FTW_PHYS) ? -errno : 0;
}

int grade_jail_init(void)
{
	grade_jail_mode();
	return prctl(PR_SET_CHILD_SUBREAPER, 1) ? -errno : 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run_command(const struct grade_jail *j, int out, int err)
{
	int null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(j->merge ? out : err, 2) < 0)
		_exit(127);
	syscall(SYS_close_range, 3, ~0U, 0);
	signal(SIGPIPE, SIG_DFL);
	if (j->cwd && chdir(j->cwd) != 0) {
		dprintf(2, "grader: cannot enter %s: %s\n", j->cwd, strerror(errno));
		_exit(127);
	}
	execve(j->argv[0], j->argv, j->envp);
	dprintf(2, "grader: cannot run %s: %s\n", j->argv[0], strerror(errno));
	_exit(127);
}

/*
 * init dies with the grader: a pid namespace's init ignores every signal
 * from outside but SIGKILL, so a grader stopped by SIGTERM or Ctrl-C would
 * otherwise leave init and all below it (labvm, QEMU) running. Without
 * namespaces, init's death ends nothing else: it takes its process group
 * with it (a command that left the group is swept only by a grader that
 * lives on). Set after enter(): a change of user clears it. The grader
 * holds the status pipe's read end, so a grader that died before this
 * shows as a pipe with no reader.
 */
static void end_group(int sig)
{
	(void)sig;
	kill(0, SIGKILL);       /* init's process group: the command's, and init */
	_exit(125);
}

static void die_with_grader(int status)
{
	struct pollfd p = { .fd = status, .events = POLLOUT };
	int sig = SIGKILL;
	if (mode == GRADE_NS_GROUP) {   /* no pid namespace ends with init */
		signal(SIGTERM, end_group);
		sig = SIGTERM;
	}
	if (prctl(PR_SET_PDEATHSIG, sig) != 0 ||
	    (poll(&p, 1, 0) == 1 && (p.revents & POLLERR)))
		_exit(125);
}

/* init: start the command, reap everything until it ends, report. */
static void init_main(const struct grade_jail *j, const struct grade_cg *cg,
		      uid_t uid, gid_t gid, int out, int err, int status)
{
	if (grade_cg_join(cg) != 0)
		_exit(126);    /* never run a jail unbounded where it was meant to be */
	grade_ns_enter(j, mode, apart, uid, gid);
	die_with_grader(status);
	pid_t cmd = fork();
	if (cmd < 0)
		_exit(125);
	if (cmd == 0)
		run_command(j, out, err);
	close(out);
	close(err);
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, 0);
		if (p == cmd) {
			(void)!write(status, &st, sizeof(st));
			_exit(0);
		}
		if (p < 0 && errno != EINTR)
			_exit(124);
	}
}

/* Kill and reap every child of ours: orphans of a test without namespaces
 * come back here because we are a subreaper. */
static void sweep(void)
{
	for (int round = 0; round < 200; round++) {
		int found = 0;
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char path[64], buf[512];
			int ppid = 0, pid = atoi(e->d_name);
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			FILE *f = pid > 0 ? fopen(path, "r") : NULL;
			if (!f)
				continue;
			char *rp = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
			fclose(f);
			if (rp && sscanf(rp + 2, "%*c %d", &ppid) == 1 &&
			    ppid == getpid()) {
				kill(pid, SIGKILL);
				found = 1;
			}
		}
		if (d)
			closedir(d);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			found = 1;
		if (!found)
			return;
		usleep(1000);
	}
}

static void kill_all(pid_t init)
{
	kill(mode == GRADE_NS_GROUP ? -init : init, SIGKILL);
}

/* One round of reading: what each ready pipe has goes to its capped
 * buffer; a pipe at its end (or broken) is closed and marked -1. */
static void read_ready(struct pollfd p[2], struct grade_exit *x)
{
	char buf[65536];

	for (int i = 0; i < 2; i++) {
		if (p[i].fd < 0 || !p[i].revents)
			continue;
		ssize_t n = read(p[i].fd, buf, sizeof(buf));
		if (n > 0)
			grade_cap_add(i ? &x->err : &x->out, buf, (size_t)n);
		else if (n == 0 || errno != EINTR) {
			close(p[i].fd);
			p[i].fd = -1;
		}
	}
}

/* The pipes closed before init ended: wait for it until the deadline,
 * then kill whatever is left and reap init. */
static void end_unreaped(struct grade_exit *x, pid_t init, double deadline)
{
	if (now() >= deadline)
		x->timed_out = 1;
	if (!x->timed_out) {
		while (now() < deadline && waitpid(init, NULL, WNOHANG) != init)
			usleep(2000);
		if (now() >= deadline)
			x->timed_out = 1;
	}
	kill_all(init);
	waitpid(init, NULL, 0);
}

/* Read both pipes until they close, the deadline passes or init ends.
 * A jail whose group reached its memory bound ends whole, at once, as
 * memory.oom.group does on cgroup v2 (on v1 only the largest task dies). */
static void pump(const struct grade_jail *j, const struct grade_cg *cg,
		 struct grade_exit *x, pid_t init, int out, int err, int status)
{
	struct pollfd p[2] = { { out, POLLIN, 0 }, { err, POLLIN, 0 } };
	double start = now(), deadline = start + j->timeout_s, drain = 0, look = 0;
	int st = 0, have = 0, reaped = 0;

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		double t = now();
		if (!reaped && t >= deadline) {
			x->timed_out = 1;
			kill_all(init);
		}
		if (!reaped && cg->on && t >= look) {  /* 20 looks a second */
			look = t + 0.05;
			if (!x->oom && (x->oom = grade_cg_oom(cg)))
				kill_all(init);
		}
		if (!reaped && waitpid(init, NULL, WNOHANG) == init) {
			reaped = 1;
			x->elapsed = now() - start;
			have = read(status, &st, sizeof(st)) == sizeof(st);
			if (mode == GRADE_NS_GROUP) {
				kill(-init, SIGKILL);
				sweep();
			}
			drain = now() + 2;
		}
		if (reaped && now() > drain)
			break;
		if (poll(p, 2, 50) > 0)
			read_ready(p, x);
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	if (!reaped) {
		end_unreaped(x, init, deadline);
		x->elapsed = now() - start;
		have = read(status, &st, sizeof(st)) == sizeof(st);
	}
	if (mode == GRADE_NS_GROUP)
		sweep();
	if (have && !x->timed_out) {
		x->exited = WIFEXITED(st);
		x->code = x->exited ? WEXITSTATUS(st) : 0;
		x->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	}
}

/* grade_jail_run once what j hides is shut. */
static int run_shut(const struct grade_jail *j, struct grade_exit *x)
{
	int out[2], err[2], status[2];
	memset(x, 0, sizeof(*x));
	if (grade_cap_init(&x->out, j->cap_head, j->cap_tail) ||
	    grade_cap_init(&x->err, j->cap_head, j->cap_tail))
		return -ENOMEM;
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) ||
	    pipe2(status, O_CLOEXEC))
		return -errno;
	grade_jail_mode();
	uid_t uid = getuid();
	gid_t gid = getgid();
	struct grade_cg cg;
	int e = grade_cg_make(&cg, j->group_mem, j->group_pids);
	fflush(NULL);
	pid_t init = e ? -1 : raw_clone(ns_flags(mode));
	if (init < 0) {
		e = e ? e : -errno;
		close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		close(status[0]), close(status[1]);
		grade_cg_end(&cg);
		return e;
	}
	if (init == 0) {
		close(out[0]), close(err[0]), close(status[0]);
		init_main(j, &cg, uid, gid, out[1], err[1], status[1]);
	}
	close(out[1]), close(err[1]), close(status[1]);
	pump(j, &cg, x, init, out[0], err[0], status[0]);
	close(status[0]);
	x->oom = x->oom || grade_cg_oom(&cg);
	grade_cg_end(&cg);
	return 0;
}

/* Without namespaces, as root, what j hides is shut by its mode while
 * the command runs (grade_secret_shut); jails run one at a time then. */
int grade_jail_run(const struct grade_jail *j, struct grade_exit *x)
{
	struct grade_secret_shut s[8];
	size_t n = 0;
	memset(x, 0, sizeof(*x));
	int rc = grade_jail_by_modes() && !j->as_self
		 ? grade_secret_shut(j->hide, j->reveal, s, 8, &n) : 0;
	if (rc)
		return rc;
	rc = run_shut(j, x);
	grade_secret_reopen(j->hide, s, n);
	return rc;
}

void grade_exit_free(struct grade_exit *x)
{
	grade_cap_free(&x->out);
	grade_cap_free(&x->err);
}

char *grade_jail_mkdir(const char *parent)
{
	char *dir = NULL;
	if (asprintf(&dir, "%s/t.XXXXXX", parent) < 0)
		return NULL;
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	if (drops() && chown(dir, GRADE_NOBODY, GRADE_NOBODY) != 0) {
		rmdir(dir);
		free(dir);
		return NULL;
	}
	return dir;
}

static int rm_tree(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				rm_tree(fd, e->d_name);
		if (d)
			closedir(d);
		else
			close(fd);
		return unlinkat(dirfd, name, AT_REMOVEDIR) ? -errno : 0;
	}
	return unlinkat(dirfd, name, 0) ? -errno : 0;
}

int grade_jail_rmdir(const char *dir)
{
	return rm_tree(AT_FDCWD, dir);
}
