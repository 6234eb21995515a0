/*
 * lv_super.c: supervising QEMU (see lv_super.h).
 *
 * One loop, one ppoll(): SIGINT, SIGTERM and SIGHUP stay blocked except
 * inside ppoll(), so a signal can only arrive there, where it interrupts
 * the wait and the loop sees the flag its handler set. No race, no thread.
 */
#define _GNU_SOURCE
#include "lv_super.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* SIGCHLD only has to interrupt ppoll() so that `labvm shell` sees QEMU end. */
static void on_child(int sig)
{
	(void)sig;
}

int lv_pipes_open(struct lv_pipes *p, const char *mon_cmds)
{
	int *ends[] = { p->console, p->out, p->err, p->mon };

	p->mon_cmds = mon_cmds;
	for (int i = 0; i < 4; i++)
		ends[i][0] = ends[i][1] = -1;
	for (int i = 0; i < 3; i++) {
		if (pipe(ends[i]) != 0)
			return -errno;
		fcntl(ends[i][0], F_SETFD, FD_CLOEXEC);
	}
	if (mon_cmds && pipe2(p->mon, O_CLOEXEC) != 0)
		return -errno;
	return 0;
}

void lv_pipes_close(struct lv_pipes *p)
{
	int *ends[] = { p->console, p->out, p->err, p->mon };

	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 2; j++)
			if (ends[i][j] >= 0) {
				close(ends[i][j]);
				ends[i][j] = -1;
			}
}

int lv_super_console_line(const char *line, struct lv_result *r)
{
	const char *p = strstr(line, "labvm-status: ");
	int code;

	if (p && sscanf(p, "labvm-status: exit %d", &code) == 1) {
		r->end = LV_END_EXIT;
		r->code = code;
		return 1;
	}
	if (p && sscanf(p, "labvm-status: signal %d", &code) == 1) {
		r->end = LV_END_SIGNAL;
		r->code = code;
		return 1;
	}
	if (strstr(line, "labvm-ready"))
		r->ready = 1;
	if (strstr(line, "labvm-restored"))
		r->restored = 1;
	p = strstr(line, "Kernel panic - not syncing");
	if (p && !r->panic[0])
		snprintf(r->panic, sizeof(r->panic), "%s", p);
	return 0;
}

/* The console as it streams in: the last bytes, and whole lines parsed. */
struct console {
	char line[1024];
	size_t len;
	int seen_status;
};

static void keep_tail(struct lv_result *r, const char *buf, size_t n)
{
	size_t have = strlen(r->console), room = sizeof(r->console) - 1;

	if (n >= room) {
		memcpy(r->console, buf + n - room, room);
		r->console[room] = '\0';
		return;
	}
	if (have + n > room) {
		memmove(r->console, r->console + (have + n - room), room - n);
		have = room - n;
	}
	memcpy(r->console + have, buf, n);
	r->console[have + n] = '\0';
}

static void console_feed(struct console *c, const char *buf, size_t n,
			 struct lv_result *r)
{
	keep_tail(r, buf, n);
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\r')
			continue;
		if (buf[i] != '\n' && c->len < sizeof(c->line) - 1) {
			c->line[c->len++] = buf[i];
			continue;
		}
		if (buf[i] != '\n')
			continue;
		c->line[c->len] = '\0';
		c->seen_status |= lv_super_console_line(c->line, r);
		c->len = 0;
	}
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a closed stdout must not stop the machine */
		buf += w;
		n -= (size_t)w;
	}
}

/* The child: dies with labvm, talks through the pipes, becomes QEMU. */
static void exec_qemu(char *const *argv, struct lv_pipes *p, pid_t parent)
{
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127); /* labvm died before prctl(): do not start orphaned */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (p) {
		int null = open("/dev/null", O_RDONLY);
		dup2(p->mon[0] >= 0 ? p->mon[0] : null, 0);
		dup2(p->console[1], 1);
		dup2(p->console[1], 2);
	}
	execvp(argv[0], argv);
	dprintf(2, "labvm: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what one pipe has; returns 0 at its end. */
static int pump(int fd, int i, struct console *con, int verbose, struct lv_result *r)
{
	char buf[16 * 1024];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (i == 0) {
		console_feed(con, buf, (size_t)n, r);
		if (verbose)
			write_all(2, buf, (size_t)n);
	} else {
		write_all(i, buf, (size_t)n); /* ttyS1 -> 1, ttyS2 -> 2 */
	}
	return n > 0;
}

/* How many pump() reads take what pipe fd holds now (at least one). */
static int reads_queued(int fd)
{
	int n = 0;

	if (ioctl(fd, FIONREAD, &n) != 0 || n <= 0)
		return 1;
	return (n + 16 * 1024 - 1) / (16 * 1024);
}

/*
 * Waits for QEMU's pipes to close; returns LV_END_TIMEOUT/STOPPED or -1.
 * Once the status line is in, the machine has nothing more to say: /init
 * drained every serial port before sending it (tcdrain), so the bytes are
 * already in the pipes. QEMU is killed then, which saves the guest's
 * shutdown (~0.2 s under TCG); the pipes are still read to their end.
 */
static int watch(pid_t pid, struct lv_pipes *p, double deadline, int verbose,
		 struct lv_result *r, const sigset_t *open_mask)
{
	struct pollfd fds[3] = { { p ? p->console[0] : -1, POLLIN, 0 },
				 { p ? p->out[0] : -1, POLLIN, 0 },
				 { p ? p->err[0] : -1, POLLIN, 0 } };
	struct console con = { .len = 0 };
	int open_fds = p ? 3 : 0, killed = 0;

	for (;;) {
		double left = deadline > 0 ? deadline - now() : 3600;
		struct timespec ts = { (time_t)left, (long)((left - (time_t)left) * 1e9) };

		if (stop_signal)
			return LV_END_STOPPED;
		if (left <= 0)
			return LV_END_TIMEOUT;
		if (p && open_fds == 0)
			return -1;
		if (ppoll(fds, 3, &ts, open_mask) < 0 && errno != EINTR)
			return -1;
		/* The command's output first, and when the console has
		 * something, all that its pipes hold: those bytes came in
		 * before the console's, and LABVM_VERBOSE=1 prints the
		 * status line after them. (Console first, warm_unsafe saw
		 * "again" split around it in 4 runs of 4 at a load of 7.) */
		for (int k = 0; k < 3; k++) {
			int i = (k + 1) % 3;    /* 1, 2, then 0 */
			int reads = i && fds[0].revents ? reads_queued(fds[i].fd) : 1;

			while (fds[i].fd >= 0 && fds[i].revents && reads-- > 0)
				if (!pump(fds[i].fd, i, &con, verbose, r)) {
					fds[i].fd = -1;
					open_fds--;
				}
		}
		if (con.seen_status && !killed)
			killed = kill(pid, SIGKILL) == 0;
		if (p && r->ready && p->mon[1] >= 0) {
			write_all(p->mon[1], p->mon_cmds, strlen(p->mon_cmds));
			close(p->mon[1]);
			p->mon[1] = -1;
		}
		if (!p && waitpid(pid, &r->qemu_status, WNOHANG) > 0)
			return -2;
	}
}

static void kill_and_reap(pid_t pid, struct lv_result *r)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, &r->qemu_status, 0) < 0 && errno == EINTR)
		;
}

/*
 * SIGINT, SIGTERM, SIGHUP set stop_signal; SIGCHLD only wakes ppoll(). All
 * four stay blocked outside ppoll(); *old receives the mask to restore.
 */
static void catch_signals(sigset_t *old)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction sc = { .sa_handler = on_child };
	sigset_t block;

	stop_signal = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sc, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int lv_super_run(char *const *argv, struct lv_pipes *p, unsigned timeout_s,
		 int verbose, struct lv_result *r)
{
	sigset_t old;
	double deadline = timeout_s ? now() + timeout_s : 0;
	pid_t pid, parent = getpid();
	int how;

	memset(r, 0, sizeof(*r));
	r->end = LV_END_NOSTATUS;
	catch_signals(&old);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		exec_qemu(argv, p, parent);
	if (p) {
		close(p->console[1]);
		close(p->out[1]);
		close(p->err[1]);
		p->console[1] = p->out[1] = p->err[1] = -1;
		if (p->mon[0] >= 0)
			close(p->mon[0]);
		p->mon[0] = -1;
	}
	how = watch(pid, p, deadline, verbose, r, &old);
	if (how == LV_END_TIMEOUT || how == LV_END_STOPPED) {
		r->end = (enum lv_end)how;
		r->code = how == LV_END_STOPPED ? stop_signal : 0;
		kill_and_reap(pid, r);
	} else if (how == -1) {
		while (waitpid(pid, &r->qemu_status, 0) < 0 && errno == EINTR)
			;
	}
	if (r->end == LV_END_NOSTATUS && r->panic[0])
		r->end = LV_END_PANIC;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}
