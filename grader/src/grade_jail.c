/*
 * grade_jail.c: the sandbox every test and every command-line case runs in
 * (grade_jail.h).
 *
 *   grader ──clone(NEWPID|NEWNET[|NEWUSER])──> init (pid 1) ──fork──> command
 *
 * init sets the limits, drops to nobody when root, forks the command, reaps
 * until the command ends, writes its wait status on a pipe and exits; the
 * kernel then kills the rest of the namespace. The grader only reads pipes
 * and waits: nothing the command does can write the grader's results.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade_jail.h"

enum { MODE_GROUP, MODE_ROOT_NS, MODE_USER_NS };
#define NOBODY 65534

static int mode = -1;
static int apart;     /* jails count their processes apart (own_count) */

static pid_t raw_clone(int flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static int ns_flags(int m)
{
	if (m == MODE_ROOT_NS)
		return CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS;
	if (m == MODE_USER_NS)
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

/* 0, or -1 when text could not be written whole. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), rc = -1;
	if (fd >= 0) {
		rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
		close(fd);
	}
	return rc;
}

/*
 * As nobody, a user namespace of this jail's own, mapping nobody to
 * itself. RLIMIT_NPROC counts a user's processes per user namespace, so
 * a fork bomb in one jail cannot use up the processes of another jail
 * running at the same time as the same nobody (grade_pool.h). Created with
 * RLIMIT_NPROC unlimited, which is then the limit one level up. Writing
 * the maps needs /proc/self to be ours: dumpable for that moment only, so
 * that nothing of the test's may ptrace init. 0, or -1 when the kernel
 * refused: grade_jail_mode() tries it once, and where it fails the jails
 * share one count and grade_pool runs them one at a time.
 */
static int own_count(void)
{
	prctl(PR_SET_DUMPABLE, 1);
	int rc = unshare(CLONE_NEWUSER);
	if (rc == 0)
		rc = write_file("/proc/self/setgroups", "deny") ||
		     write_file("/proc/self/uid_map", "65534 65534 1") ||
		     write_file("/proc/self/gid_map", "65534 65534 1") ? -1 : 0;
	prctl(PR_SET_DUMPABLE, 0);
	return rc;
}

/* Whether own_count() works here: tried once, as nobody, in a child. */
static int try_own_count(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
		      own_count() ? 1 : 0);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

const char *grade_jail_mode(void)
{
	static const char *names[] = {
		"own process group (no namespaces available)",
		"pid+net namespaces, as nobody",
		"user+pid+net namespaces",
	};
	if (mode < 0) {
		mode = MODE_GROUP;
		if (getenv("GRADE_NO_NAMESPACES"))
			;
		else if (geteuid() == 0 && try_mode(MODE_ROOT_NS))
			mode = MODE_ROOT_NS;
		else if (geteuid() != 0 && try_mode(MODE_USER_NS))
			mode = MODE_USER_NS;
		apart = mode == MODE_USER_NS ||
			(mode == MODE_ROOT_NS && try_own_count());
	}
	return names[mode];
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
	return lchown(path, NOBODY, NOBODY);
}

int grade_jail_give(const char *dir)
{
	grade_jail_mode();
	if (mode != MODE_ROOT_NS)
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

/* Processes whose real uid is uid (RLIMIT_NPROC counts them all). */
static int count_procs(uid_t uid)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, 0) == 0 && st.st_uid == uid)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void limit(int res, unsigned long long v)
{
	struct rlimit r = { v, v };
	if (res == RLIMIT_CPU)
		r.rlim_max = v + 1;  /* SIGXCPU first, then SIGKILL */
	setrlimit(res, &r);
}

/* As root in a private mount namespace: a /dev/kvm that nobody may open,
 * bind-mounted over the real one (which is 0600 root on many hosts). */
static void kvm_for_nobody(const char *priv)
{
	struct stat st;
	char node[4096];
	if (!priv || stat("/dev/kvm", &st) != 0)
		return;
	snprintf(node, sizeof(node), "%s/.kvm", priv);
	if (mknod(node, S_IFCHR | 0600, st.st_rdev) == 0 &&
	    chown(node, NOBODY, NOBODY) == 0)
		mount(node, "/dev/kvm", NULL, MS_BIND, NULL);
}

/* A /dev/shm of its own: Criterion's runner names its shared memory after
 * its pid, which is the same small number in every fresh pid namespace. */
static void private_shm(void)
{
	mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
	      "mode=1777,size=64m");
}

/* Every fresh pid namespace would number its processes 1, 2, 3...; but
 * Criterion names its socket /tmp/criterion_<pid>.sock, so two runners
 * numbered 2 collide. Start this namespace's numbers past our host pid,
 * which no other jail shares. */
static void unique_pids(void)
{
	char self[32] = "", next[32];
	if (readlink("/proc/self", self, sizeof(self) - 1) <= 0)
		return;
	snprintf(next, sizeof(next), "%d", atoi(self));
	write_file("/proc/sys/kernel/ns_last_pid", next);
}

/*
 * init calls setsid(), so each jail is a session of its own,
 * and with the scheduler's autogroup (kernel.sched_autogroup_enabled, on
 * by default) a session is one group when CPU time is shared out. Tests
 * running at once (grade_pool.h) then share the CPUs jail by jail, not
 * process by process: a test that starts 100 spinning processes slows a
 * test next to it about 1.3 times, not 13 (grader/README.md, "Several
 * tests at once"). The session's process group is also what the grader
 * kills without namespaces.
 */
static void fair_share(void)
{
	setsid();
}

/*
 * A /proc of the new pid namespace: what the test's processes are called
 * among themselves is what /proc shows them as. The host's /proc would
 * show other processes under those numbers (a test reading its child's
 * /proc/PID/stat got another's, or none), and every process of the host.
 * After unique_pids() and count_procs(), which read the host's.
 */
static void own_proc(void)
{
	mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* The new network namespace's loopback starts down: bring it up, so that
 * tests may talk to themselves (127.0.0.1) and to nothing else. */
static void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/* upper/REL as a folder that nobody owns (the overlay shows its owner). */
static void nobody_dir(const char *upper, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s%s", upper, *rel ? "/" : "", rel);
	mkdir(path, 0755);
	if (chown(path, NOBODY, NOBODY) != 0)
		return;
}

/* lab seen through an overlay: the lab's top folder, build/ and build/'s
 * folders (but build/tests, the binaries) writable by nobody. */
static void lab_overlay(const char *lab, const char *priv)
{
	char upper[4096], work[4096], opts[12800];
	snprintf(upper, sizeof(upper), "%s/.overlay", priv);
	snprintf(work, sizeof(work), "%s/.overlay-work", priv);
	if (mkdir(work, 0700) != 0)
		return;
	nobody_dir(upper, "");
	nobody_dir(upper, "build");
	snprintf(opts, sizeof(opts), "%s/build", lab);
	DIR *d = opendir(opts);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char rel[300];
		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    !strcmp(e->d_name, "tests"))
			continue;
		snprintf(rel, sizeof(rel), "build/%s", e->d_name);
		nobody_dir(upper, rel);
	}
	if (d)
		closedir(d);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lab,
		 upper, work);
	mount("overlay", lab, "overlay", 0, opts);
}

static void enter(const struct grade_jail *j, uid_t uid, gid_t gid)
{
	char map[64];
	if (mode == MODE_USER_NS) {    /* keep our own identity inside */
		write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
		write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
		write_file("/proc/self/gid_map", map);
	}
	if (mode != MODE_GROUP)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (mode != MODE_GROUP && !j->as_self)
		private_shm();
	if (mode != MODE_GROUP) {
		unique_pids();
		loopback_up();
	}
	if (mode == MODE_ROOT_NS && j->kvm && !j->as_self)
		kvm_for_nobody(j->private_dir);
	if (mode == MODE_ROOT_NS && j->overlay && j->private_dir && !j->as_self)
		lab_overlay(j->overlay, j->private_dir);
	int drop = mode == MODE_ROOT_NS && !j->as_self;
	int others = count_procs(drop ? NOBODY : uid);
	if (mode != MODE_GROUP)
		own_proc();
	fair_share();
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_NOFILE, 1024);
	if (j->cpu_s)
		limit(RLIMIT_CPU, (unsigned long long)j->cpu_s);
	if (j->mem)
		limit(RLIMIT_AS, j->mem);
	if (j->fsize)
		limit(RLIMIT_FSIZE, j->fsize);
	if (drop)
		limit(RLIMIT_NPROC, RLIM_INFINITY);
	if (drop &&
	    (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
		_exit(126);    /* never run a student's code as root */
	if (drop && apart) {
		if (own_count() != 0)
			_exit(126);
		others = 1;    /* init alone counts in its own namespace */
	}
	if (j->nproc)
		limit(RLIMIT_NPROC, (unsigned long long)(others + j->nproc));
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
 * otherwise leave init and all below it (labvm, QEMU) running. Set after
 * enter(): a change of user clears it. The grader holds the status pipe's
 * read end, so a grader that died before this shows as a pipe with no reader.
 */
static void die_with_grader(int status)
{
	struct pollfd p = { .fd = status, .events = POLLOUT };
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    (poll(&p, 1, 0) == 1 && (p.revents & POLLERR)))
		_exit(125);
}

/* init: start the command, reap everything until it ends, report. */
static void init_main(const struct grade_jail *j, uid_t uid, gid_t gid,
		      int out, int err, int status)
{
	enter(j, uid, gid);
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
	kill(mode == MODE_GROUP ? -init : init, SIGKILL);
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

/* Read both pipes until they close, the deadline passes or init ends. */
static void pump(const struct grade_jail *j, struct grade_exit *x, pid_t init,
		 int out, int err, int status)
{
	struct pollfd p[2] = { { out, POLLIN, 0 }, { err, POLLIN, 0 } };
	double start = now(), deadline = start + j->timeout_s, drain = 0;
	int st = 0, have = 0, reaped = 0;

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		double t = now();
		if (!reaped && t >= deadline) {
			x->timed_out = 1;
			kill_all(init);
		}
		if (!reaped && waitpid(init, NULL, WNOHANG) == init) {
			reaped = 1;
			x->elapsed = now() - start;
			have = read(status, &st, sizeof(st)) == sizeof(st);
			if (mode == MODE_GROUP) {
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
	if (mode == MODE_GROUP)
		sweep();
	if (have && !x->timed_out) {
		x->exited = WIFEXITED(st);
		x->code = x->exited ? WEXITSTATUS(st) : 0;
		x->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	}
}

int grade_jail_run(const struct grade_jail *j, struct grade_exit *x)
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
	fflush(NULL);
	pid_t init = raw_clone(ns_flags(mode));
	if (init < 0) {
		int e = -errno;
		close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		close(status[0]), close(status[1]);
		return e;
	}
	if (init == 0) {
		close(out[0]), close(err[0]), close(status[0]);
		init_main(j, uid, gid, out[1], err[1], status[1]);
	}
	close(out[1]), close(err[1]), close(status[1]);
	pump(j, x, init, out[0], err[0], status[0]);
	close(status[0]);
	return 0;
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
	grade_jail_mode();
	if (mode == MODE_ROOT_NS && chown(dir, NOBODY, NOBODY) != 0) {
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
