/*
 * init.c: process 1 of the labvm guest, a small static program.
 *
 * labvm packs it as /init into the initramfs, next to three files it reads:
 *   /labvm/argv   COMMAND and its arguments, each ended by a NUL byte
 *   /labvm/cwd    the folder COMMAND starts in (the host's, mirrored)
 *   /labvm/mode   "run", "run-out" (also send /out back) or "shell"
 *   /labvm/stdio  two letters, for stdout then stderr: 't' when the host's
 *                 is a terminal (COMMAND gets the serial tty itself), 'p'
 *                 when it is not (COMMAND gets a pipe that /init relays), so
 *                 isatty() answers inside as it would on the host
 *   /labvm/term   the TERM to give COMMAND
 *   /labvm/time   (restored machines) the host's clock: "SECONDS NANOSECONDS"
 * With /labvm/mode "wait" (the machine labvm saves: see wait_for_run), those
 * files come later, from the host, after the machine is restored.
 * It prepares the machine (file systems, cgroup v2, the KVM modules), runs
 * COMMAND with stdout on ttyS1 and stderr on ttyS2, sends /out as a cpio
 * archive over ttyS3, and ends with one line on the console (ttyS0):
 *   labvm-status: exit N      or      labvm-status: signal N
 * That line is the only way COMMAND's status leaves the machine; the host
 * reads it, then QEMU exits because this program powers the machine off.
 * Being process 1, it must never exit: the kernel would panic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fw_cfg.h"

#define MAX_ARGS 1024

static char term[64] = "TERM=dumb";

static char *guest_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	term,
	"LABVM=1",
	"LABVM_OUT=/out",
	"PS1=labvm:\\w# ",
	NULL,
};

/* Messages go to the console, where the host keeps them for its reports. */
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("labvm-init: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* QEMU runs with -no-reboot, so a reboot ends it too. */
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}

static void mount_or_say(const char *src, const char *dir, const char *type,
			 const char *data)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, data) != 0)
		say("mount %s on %s: %s", type, dir, strerror(errno));
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		say("write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* cgroup v2, with the four controllers lab 02 uses handed to child groups. */
static void setup_filesystems(void)
{
	mount_or_say("proc", "/proc", "proc", NULL);
	mount_or_say("sysfs", "/sys", "sysfs", NULL);
	mount_or_say("devtmpfs", "/dev", "devtmpfs", NULL);
	mount_or_say("devpts", "/dev/pts", "devpts", "ptmxmode=0666");
	mount_or_say("tmpfs", "/dev/shm", "tmpfs", "mode=1777");
	/* /tmp stays on the initramfs (a tmpfs already): a mount would hide --in files there. */
	chmod("/tmp", 01777);
	mount_or_say("cgroup2", "/sys/fs/cgroup", "cgroup2", NULL);
	write_file("/sys/fs/cgroup/cgroup.subtree_control",
		   "+cpu +cpuset +memory +pids");
}

/* finit_module(2) with the .ko files the host unpacked from Debian's kernel package. */
static int load_module(const char *name)
{
	char path[128];
	int fd, rc, err;

	snprintf(path, sizeof(path), "/lib/modules/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = (int)syscall(SYS_finit_module, fd, "", 0);
	err = errno;
	close(fd);
	return rc == 0 || err == EEXIST ? 0 : -err;
}

/*
 * /dev/kvm: irqbypass, then kvm, then the vendor part matching the CPU.
 * On failure, why goes into msg, which COMMAND's stderr shows first: a
 * student whose vmm cannot open /dev/kvm must see the reason.
 */
static void setup_kvm(char *msg, size_t len)
{
	int rc, amd, intel;

	if ((rc = load_module("irqbypass")) < 0 || (rc = load_module("kvm")) < 0) {
		snprintf(msg, len, "labvm: no /dev/kvm: loading kvm.ko: %s\n", strerror(-rc));
		return;
	}
	amd = load_module("kvm-amd");
	if (amd == 0)
		return;
	intel = load_module("kvm-intel");
	if (intel < 0)
		snprintf(msg, len, "labvm: no /dev/kvm: kvm-amd.ko: %s; kvm-intel.ko: %s\n",
			 strerror(-amd), strerror(-intel));
}

/* Reads a whole small file; returns its length or -1. */
static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)len < cap && (n = read(fd, buf + len, cap - (size_t)len)) > 0)
		len += n;
	close(fd);
	return len;
}

/* Opens a serial port in raw mode: bytes pass unchanged (no \n -> \r\n). */
static int open_raw(const char *tty)
{
	struct termios t;
	int fd = open(tty, O_RDWR | O_NOCTTY);

	if (fd < 0) {
		say("open %s: %s", tty, strerror(errno));
		return open("/dev/null", O_RDWR);
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* Child side: runs argv with the given stdio; never returns. */
static void exec_child(char **argv, const char *cwd, int in, int out, int err)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (cwd && chdir(cwd) != 0)
		dprintf(2, "labvm: chdir %s: %s\n", cwd, strerror(errno));
	execvpe(argv[0], argv, guest_env);
	dprintf(2, "labvm: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Waits for pid, reaping any orphan that process 1 inherits meanwhile. */
static int wait_for(pid_t pid)
{
	int status;
	pid_t got;

	for (;;) {
		got = wait(&status);
		if (got == pid)
			return status;
		if (got < 0 && errno != EINTR)
			return -1;
	}
}

static int run(char **argv, const char *cwd, int in, int out, int err)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		exec_child(argv, cwd, in, out, err);
	return wait_for(pid);
}

static void write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= w;
	}
}

/* Moves what a pipe holds to its tty; returns 0 at its end (or when empty, if drain). */
static int relay_once(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR;
	write_all(to, buf, n);
	return n > 0;
}

/* Reaps children; returns 1 once pid has ended (its status in *status). */
static int reap(pid_t pid, int *status)
{
	int st, done = 0;
	pid_t got;

	while ((got = waitpid(-1, &st, WNOHANG)) > 0)
		if (got == pid) {
			*status = st;
			done = 1;
		}
	return done;
}

/* Copies the pipes to the ttys until COMMAND (pid) ends; returns its status. */
static int relay_until_exit(pid_t pid, int sfd, int po, int pe, int out, int err)
{
	struct pollfd fds[3] = { { sfd, POLLIN, 0 }, { po, POLLIN, 0 }, { pe, POLLIN, 0 } };
	int status = -1, to[3] = { -1, out, err };

	for (int done = 0; !done;) {
		if (poll(fds, 3, -1) < 0 && errno != EINTR)
			break;
		for (int i = 1; i < 3; i++)
			if (fds[i].fd >= 0 && fds[i].revents && !relay_once(fds[i].fd, to[i]))
				fds[i].fd = -1;
		if (fds[0].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) > 0)
				;
			done = reap(pid, &status);
		}
	}
	/* COMMAND has ended: take what it left in the pipes, without waiting. */
	for (int i = 1; i < 3; i++) {
		if (fds[i].fd < 0)
			continue;
		fcntl(fds[i].fd, F_SETFL, O_NONBLOCK);
		while (relay_once(fds[i].fd, to[i]))
			;
	}
	return status;
}

/*
 * Runs argv with stdout/stderr on pipes where pipe_out/pipe_err say so,
 * copying the pipes to the ttys. A background process may keep a pipe open
 * after COMMAND exits: then what is already in the pipe is copied, no more.
 */
static int run_relayed(char **argv, const char *cwd, int in, int out, int err,
		       int pipe_out, int pipe_err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, sfd;
	sigset_t chld;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if ((pipe_out && pipe2(po, O_CLOEXEC)) || (pipe_err && pipe2(pe, O_CLOEXEC)))
		return -1;
	pid = fork();
	if (pid == 0)
		exec_child(argv, cwd, in, pipe_out ? po[1] : out, pipe_err ? pe[1] : err);
	close(po[1]);
	close(pe[1]);
	if (pid < 0)
		return -1;
	return relay_until_exit(pid, sfd, po[0], pe[0], out, err);
}

/* /out as a newc cpio archive on ttyS3 (busybox's find and cpio). */
static void send_out(void)
{
	char *argv[] = { "/bin/sh", "-c",
			 "cd /out && find . ! -name . | cpio -o -H newc 2>/dev/null",
			 NULL };
	int fd = open_raw("/dev/ttyS3");
	int null = open("/dev/null", O_RDWR);

	run(argv, "/", null, fd, null);
	tcdrain(fd);
	close(fd);
	close(null);
}

static void report(int status)
{
	if (status == -1)
		printf("labvm-status: error %d\n", errno);
	else if (WIFSIGNALED(status))
		printf("labvm-status: signal %d\n", WTERMSIG(status));
	else
		printf("labvm-status: exit %d\n", WEXITSTATUS(status));
	fflush(stdout);
	tcdrain(1);
}

/* Splits the NUL-separated /labvm/argv into argv[]. */
static int read_argv(char *buf, size_t cap, char **argv)
{
	ssize_t len = slurp("/labvm/argv", buf, cap - 1);
	int argc = 0;

	if (len <= 0)
		return 0;
	buf[len] = '\0';
	for (char *p = buf; p < buf + len && argc < MAX_ARGS - 1; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	return argc;
}

/*
 * `labvm shell`: an interactive shell with ttyS0 as its controlling
 * terminal, in the host's folder when --in brought it (else in /root).
 */
static int shell(const char *cwd)
{
	char *argv[] = { "/bin/sh", "-l", NULL };
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		setsid();
		fd = open("/dev/ttyS0", O_RDWR);
		if (fd >= 0)
			ioctl(fd, TIOCSCTTY, 0);
		exec_child(argv, cwd && access(cwd, X_OK) == 0 ? cwd : "/root", fd, fd, fd);
	}
	return pid < 0 ? -1 : wait_for(pid);
}

/* busybox cpio unpacks the run's archive (from fd) over /. */
static int unpack(uint16_t select, uint32_t size)
{
	char *argv[] = { "/bin/cpio", "-idmu", "--quiet", NULL };
	int p[2], rc, status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -errno;
	pid = fork();
	if (pid == 0)
		exec_child(argv, "/", p[0], 1, 2);
	close(p[0]);
	rc = pid < 0 ? -errno : fw_cfg_copy(select, size, p[1]);
	close(p[1]);
	status = pid < 0 ? -1 : wait_for(pid);
	if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = -EIO;
	return rc;
}

/* The host's clock, not the one saved with the machine. */
static void set_clock(void)
{
	char buf[64];
	ssize_t n = slurp("/labvm/time", buf, sizeof(buf) - 1);
	struct timespec ts;
	long long s, ns;

	buf[n > 0 ? n : 0] = '\0';
	if (sscanf(buf, "%lld %lld", &s, &ns) != 2)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)ns;
	if (clock_settime(CLOCK_REALTIME, &ts) != 0)
		say("clock_settime: %s", strerror(errno));
}

/*
 * Mode "wait": the machine is ready, but its run does not exist yet. /init
 * says "labvm-ready" (the host saves the machine then) and watches the
 * fw_cfg device's file count: a restored machine has one more file,
 * opt/labvm/run, the run's archive (/labvm/... and the --in files), which
 * it unpacks before going on as a cold boot would. The count is read once a
 * millisecond: a restored machine sees the file at its first look, and the
 * machine being saved is stopped by the host meanwhile.
 */
static int wait_for_run(void)
{
	const struct timespec ms = { 0, 1000000 };
	uint16_t select;
	uint32_t size, n;
	int rc = fw_cfg_open();

	if (rc) {
		say("fw_cfg: %s", strerror(-rc));
		return rc;
	}
	n = fw_cfg_count();
	printf("labvm-ready\n");
	fflush(stdout);
	tcdrain(1);
	while (fw_cfg_count() == n)
		nanosleep(&ms, NULL);
	rc = fw_cfg_find("opt/labvm/run", &select, &size);
	if (rc == 0) {
		printf("labvm-restored\n");
		fflush(stdout);
		rc = unpack(select, size);
	}
	if (rc) {
		say("the run's archive (fw_cfg opt/labvm/run): %s", strerror(-rc));
		return rc;
	}
	chmod("/tmp", 01777);
	set_clock();
	return 0;
}

int main(void)
{
	static char args[64 * 1024];
	char *argv[MAX_ARGS], cwd[4096], mode[16] = "", stdio[3] = "tt", kvm_msg[256] = "";
	ssize_t n;
	int out, err, null, status;

	setup_filesystems();
	setup_kvm(kvm_msg, sizeof(kvm_msg));
	load_module("overlay");  /* the grader's jails; without it they share the lab */
	sethostname("labvm", 5);
	n = slurp("/labvm/mode", mode, sizeof(mode) - 1);
	mode[n > 0 ? n : 0] = '\0';
	if (strcmp(mode, "wait") == 0 && wait_for_run() != 0)
		power_off();
	n = slurp("/labvm/cwd", cwd, sizeof(cwd) - 1);
	cwd[n > 0 ? n : 0] = '\0';
	n = slurp("/labvm/mode", mode, sizeof(mode) - 1);
	mode[n > 0 ? n : 0] = '\0';
	slurp("/labvm/stdio", stdio, 2);
	n = slurp("/labvm/term", term + 5, sizeof(term) - 6);
	term[n > 0 ? n + 5 : 9] = '\0';
	if (strcmp(mode, "shell") == 0) {
		report(shell(cwd));
		power_off();
	}
	if (read_argv(args, sizeof(args), argv) == 0) {
		say("no command in /labvm/argv");
		power_off();
	}
	out = open_raw("/dev/ttyS1");
	err = open_raw("/dev/ttyS2");
	null = open("/dev/null", O_RDONLY);
	if (kvm_msg[0])
		write_all(err, kvm_msg, (ssize_t)strlen(kvm_msg));
	status = run_relayed(argv, cwd[0] ? cwd : "/", null, out, err, stdio[0] == 'p',
			     stdio[1] == 'p');
	/* Every byte COMMAND wrote must leave before the status line does. */
	tcdrain(out);
	tcdrain(err);
	if (strcmp(mode, "run-out") == 0)
		send_out();
	report(status);
	power_off();
}
