/*
 * grade_ns.c: inside a jail, what its init does before it starts the
 * command (grade_ns.h): the namespaces set up, the limits set, root given
 * up for nobody.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade_ns.h"

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

int grade_ns_try_apart(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(setgroups(0, NULL) || setgid(GRADE_NOBODY) || setuid(GRADE_NOBODY) ||
		      own_count() ? 1 : 0);
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
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
	struct rlimit r = { .rlim_cur = v, .rlim_max = v };
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
	    chown(node, GRADE_NOBODY, GRADE_NOBODY) == 0)
		mount(node, "/dev/kvm", NULL, MS_BIND, NULL);
}

/* The world-writable scratch folders, each a tmpfs of its own capped at
 * 64 MiB, gone with the jail: nothing a test leaves there reaches a later
 * test or submission. /dev/shm also because Criterion's runner names its
 * shared memory after its pid, the same small number in every fresh pid
 * namespace. A folder this host lacks is left alone. */
static void private_scratch(void)
{
	static const char *const dirs[] = { "/dev/shm", "/var/tmp", "/run/lock" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mount("tmpfs", dirs[i], "tmpfs", MS_NOSUID | MS_NODEV,
		      "mode=1777,size=64m");
}

/* No CA certificates in a jail. Criterion's runner, and each test it
 * starts, sets up libgit2 (for its string diffs), which reads and decodes
 * every certificate of /etc/ssl/certs/ca-certificates.crt: about a third
 * of the CPU time of a test's start (grader/README.md, "Speed"). A jail
 * has no network to use them on; an empty folder stands there instead. */
static void no_ca_certificates(void)
{
	mount("tmpfs", "/etc/ssl/certs", "tmpfs", MS_RDONLY | MS_NOSUID |
	      MS_NODEV | MS_NOEXEC, "mode=0755,size=4k");
}

/*
 * A /tmp of its own (a tmpfs) for a test. Criterion's runner
 * names its socket /tmp/criterion_<pid>.sock with its pid in the jail,
 * which is also some host process's number (unique_pids): in the host's
 * /tmp a runner could meet a live socket of a host runner, or a stale one
 * it may not remove, and fail ("Address already in use"). What the jail
 * must still reach under /tmp (its folder, its working folder, the lab's
 * overlay) is bound back in: the whole top folder of each, as the grader's
 * scratch folder (/tmp/vmlab-grade.XXXXXX) holds them all.
 */
static void private_tmp(const struct grade_jail *j)
{
	const char *keep[] = { j->private_dir, j->cwd, j->overlay };
	char top[3][4096];
	int fd[3];
	for (int i = 0; i < 3; i++) {
		const char *p = keep[i];
		size_t n = p && !strncmp(p, "/tmp/", 5) ? strcspn(p + 5, "/") : 0;
		snprintf(top[i], sizeof(top[i]), "/tmp/%.*s", (int)n, p ? p + 5 : "");
		fd[i] = n ? open(top[i], O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	}
	int fresh = mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
			  "mode=1777,size=256m") == 0;
	for (int i = 0; i < 3; i++) {
		char from[64];
		if (fd[i] < 0)
			continue;
		snprintf(from, sizeof(from), "/proc/self/fd/%d", fd[i]);
		if (fresh && mkdir(top[i], 0755) == 0)
			mount(from, top[i], NULL, MS_BIND | MS_REC, NULL);
		close(fd[i]);
	}
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
	if (lchown(path, GRADE_NOBODY, GRADE_NOBODY) != 0)
		return;
}

/*
 * lab seen through an overlay: the lab's top folder, build/ and build/'s
 * folders (but build/tests, the binaries) writable by nobody. An upper
 * layer that earlier tests used (a GRADE_NEEDS labvm lab's, grade_run.h)
 * is mounted as it is: what they left in it is nobody's doing, and
 * preparing it again as root would follow the links they may have made
 * there (build -> /etc).
 */
static void lab_overlay(const char *lab, const char *priv)
{
	char upper[4096], work[4096], opts[12800];
	snprintf(upper, sizeof(upper), "%s/.overlay", priv);
	snprintf(work, sizeof(work), "%s/.overlay-work", priv);
	int fresh = mkdir(work, 0700) == 0;
	if (!fresh && errno != EEXIST)
		return;
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lab,
		 upper, work);
	if (!fresh) {
		mount("overlay", lab, "overlay", 0, opts);
		return;
	}
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

/* Is p dir itself or a path under it? */
static int under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return p && !strncmp(p, dir, n) && (p[n] == '/' || p[n] == '\0');
}

/* In a fresh tmpfs: the folders down to path, and path itself (a folder,
 * or an empty file to bind a file over). */
static void make_path(const char *path, int is_dir)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(buf, 0755);
		*s = '/';
	}
	if (is_dir)
		mkdir(buf, 0755);
	else
		close(open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
}

/*
 * dir covered by an empty tmpfs, read-only once the paths the jail needs
 * under it (its own folders, j->reveal) are bound back: what was there is
 * out of reach of everything the jail runs. The mounts are the jail's
 * alone; nobody cannot unmount them, and a user namespace it makes copies
 * them locked (the kernel never uncovers a mount of a more privileged
 * namespace). A dir that the jail itself lives in, or that does not exist,
 * is left alone.
 */
static void hide_dir(const struct grade_jail *j, const char *dir)
{
	const char *own[] = { j->cwd, j->private_dir, j->overlay, j->overlay_dir };
	const char *keep[16];
	int fd[16], isdir[16];
	size_t n = 0;
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	for (size_t i = 0; i < 4; i++)
		if (own[i] && !strcmp(own[i], dir))
			return;                 /* the jail works in there */
	for (size_t i = 0; i < 4 + 12; i++) {
		const char *k = i < 4 ? own[i] : j->reveal ? j->reveal[i - 4] : NULL;
		if (i >= 4 && !k)
			break;
		if (n == 16 || !k || !under(k, dir) || stat(k, &st) != 0)
			continue;
		isdir[n] = S_ISDIR(st.st_mode);
		keep[n] = k;
		fd[n++] = open(k, O_PATH | O_CLOEXEC);
	}
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755,size=1m") == 0) {
		for (size_t i = 0; i < n; i++) {
			char from[64];
			if (fd[i] < 0)
				continue;
			snprintf(from, sizeof(from), "/proc/self/fd/%d", fd[i]);
			make_path(keep[i], isdir[i]);
			mount(from, keep[i], NULL, MS_BIND | MS_REC, NULL);
		}
		mount("tmpfs", dir, "tmpfs", MS_REMOUNT | MS_RDONLY | MS_NOSUID |
		      MS_NODEV, "mode=0755,size=1m");
	}
	for (size_t i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

static void hide_all(const struct grade_jail *j)
{
	for (size_t i = 0; j->hide && j->hide[i]; i++)
		hide_dir(j, j->hide[i]);
}

/* The namespaces' own things: identity, /dev/shm, pid numbers, loopback,
 * /dev/kvm for nobody, the lab's overlay, the folders hidden. */
static void set_up(const struct grade_jail *j, enum grade_ns_mode mode,
		   uid_t uid, gid_t gid)
{
	char map[64];
	if (mode == GRADE_NS_USER) {    /* keep our own identity inside */
		write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
		write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
		write_file("/proc/self/gid_map", map);
	}
	if (mode == GRADE_NS_GROUP)
		return;
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (!j->as_self) {
		private_scratch();
		no_ca_certificates();
	}
	unique_pids();
	loopback_up();
	if (mode == GRADE_NS_ROOT && j->kvm && !j->as_self)
		kvm_for_nobody(j->private_dir);
	if (mode == GRADE_NS_ROOT && j->overlay && j->private_dir && !j->as_self)
		lab_overlay(j->overlay, j->overlay_dir ? j->overlay_dir : j->private_dir);
	if (!j->as_self)          /* after the overlay: it covers what shows */
		hide_all(j);
	if (j->private_dir)       /* a test, not the build or a rubric */
		private_tmp(j);
}

int grade_ns_kvm_group(gid_t *gid)
{
	struct stat st;
	if (stat("/dev/kvm", &st) != 0 || st.st_gid == 0 || (st.st_mode & 060) != 060)
		return 0;
	*gid = st.st_gid;
	return 1;
}

/*
 * Root given up for nobody, for good. Without a mount namespace there is
 * no /dev/kvm of nobody's own (kvm_for_nobody): a test that needs it keeps
 * the device's group instead, when that group may use it (Debian: kvm).
 */
static int become_nobody(const struct grade_jail *j, enum grade_ns_mode mode)
{
	gid_t kvm[1];
	size_t n = mode == GRADE_NS_GROUP && j->kvm && grade_ns_kvm_group(kvm);
	return setgroups(n, kvm) || setgid(GRADE_NOBODY) || setuid(GRADE_NOBODY);
}

/* The limits; as root, the drop to nobody, in a user namespace of its own
 * when apart. RLIMIT_NPROC last: it must be unlimited when that namespace
 * is made (own_count). */
static void bound(const struct grade_jail *j, enum grade_ns_mode mode, int drop,
		  int apart, int others)
{
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
	if (drop && become_nobody(j, mode))
		_exit(126);    /* never run a student's code as root */
	if (drop && apart) {
		if (own_count() != 0)
			_exit(126);
		others = 1;    /* init alone counts in its own namespace */
	}
	if (j->nproc)
		limit(RLIMIT_NPROC, (unsigned long long)(others + j->nproc));
}

void grade_ns_enter(const struct grade_jail *j, enum grade_ns_mode mode,
		    int apart, uid_t uid, gid_t gid)
{
	set_up(j, mode, uid, gid);
	/* As root, with or without namespaces (GRADE_NS_GROUP: a container
	 * that may not make them), the command runs as nobody. */
	int drop = mode != GRADE_NS_USER && geteuid() == 0 && !j->as_self;
	int others = count_procs(drop ? GRADE_NOBODY : uid);
	if (mode != GRADE_NS_GROUP)
		own_proc();
	fair_share();
	bound(j, mode, drop, apart, others);
}
