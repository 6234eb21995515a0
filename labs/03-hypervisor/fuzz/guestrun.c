/*
 * guestrun: start vmm, watch it, judge what it did.
 *
 * vmm runs in a process group of its own so that a hang is killed whole;
 * its stdout and stderr come through pipes that are always drained (a
 * guest can print without end: only the first bytes are kept). What a run
 * must show is README.md's promise: every ending of a guest is a
 * documented exit code, a failure says why on stderr's first line, and
 * vmm's messages are its own (no control characters, no line a guest
 * could have written).
 */
#define _GNU_SOURCE
#include "guestrun.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double run_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Keeps up to cap bytes read from fd; the rest is read and dropped. */
static int drain(int fd, char *keep, size_t *n, size_t cap)
{
	char buf[16384];
	ssize_t r = read(fd, buf, sizeof(buf));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (r <= 0)
		return 0;
	if (*n < cap) {
		size_t k = (size_t)r < cap - *n ? (size_t)r : cap - *n;

		memcpy(keep + *n, buf, k);
		*n += k;
	}
	return 1;
}

/* Starts argv with its stdout and stderr on pipes: its pid, or -errno. */
static pid_t spawn(char **argv, int out[2], int err[2])
{
	pid_t pid;

	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		int en = errno;

		close(out[0]);
		close(out[1]);
		return -en;
	}
	pid = fork();
	if (pid < 0) {
		int en = errno;

		close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		return -en;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0); /* its own group: a hang is killed whole */
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	return pid;
}

/*
 * Kills the group of pid and reaps it: 1, or 2 when it is still there 10 s
 * after SIGKILL (stuck inside the kernel: a KVM_RUN that never returns).
 */
static int kill_hung(pid_t pid, int *status)
{
	kill(-pid, SIGKILL);
	for (int i = 0; i < 1000; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		usleep(10000);
	}
	return 2;
}

int run_vmm(char **argv, double limit, struct run *r)
{
	int out[2], err[2], open_fds = 2;
	double t0 = run_now();
	pid_t pid = spawn(argv, out, err);

	if (pid < 0)
		return (int)pid;
	r->nout = r->nerr = 0;
	r->hung = 0;
	for (;;) {
		struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
		pid_t w = open_fds ? 0 : waitpid(pid, &r->status, WNOHANG);

		if (w == pid)
			break;
		if (run_now() - t0 > limit) {
			r->hung = kill_hung(pid, &r->status);
			break;
		}
		if (poll(p, 2, open_fds ? 20 : 1) <= 0) /* 1 ms: reaping soon */
			continue;
		for (int i = 0; i < 2; i++)
			if (p[i].fd >= 0 && p[i].revents &&
			    !drain(p[i].fd, i ? r->err : r->out, i ? &r->nerr : &r->nout,
				   i ? KEEP_ERR : KEEP_OUT)) {
				close(p[i].fd);
				*(i ? &err[0] : &out[0]) = -1;
				open_fds--;
			}
	}
	if (out[0] >= 0)
		close(out[0]);
	if (err[0] >= 0)
		close(err[0]);
	r->out[r->nout] = r->err[r->nerr] = '\0';
	r->secs = run_now() - t0;
	return 0;
}

/* Does any line of text start with prefix? */
static int has_line(const char *text, const char *prefix)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, prefix, strlen(prefix)))
			return 1;
	return 0;
}

/*
 * vmm's stderr, line by line: no control characters, and (without --trace
 * and --stats, whose tables add lines) each line is a "vmm: " sentence or
 * the register dump's indented lines. Returns NULL, or what is wrong.
 */
static const char *bad_lines(const struct gen_input *in, const char *err)
{
	for (const unsigned char *c = (const unsigned char *)err; *c; c++)
		if ((*c < 0x20 && *c != '\n') || *c == 0x7f)
			return "a control character in vmm's messages (from the"
			       " guest? it could rewrite the user's terminal)";
	if (in->trace || in->stats)
		return NULL;
	for (const char *l = err; *l; l = strchr(l, '\n') + 1) {
		if (strncmp(l, "vmm: ", 5) && strncmp(l, "  ", 2))
			return "a line of stderr that is neither a diagnosis nor"
			       " the dump (a line the guest wrote?)";
		if (!strchr(l, '\n'))
			break;
	}
	return NULL;
}

enum verdict run_classify(const struct gen_input *in, const struct run *r,
			     char *why, size_t n)
{
	int code = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	const char *bad;

	if (r->hung == 2)
		return snprintf(why, n, "hang: still running %.1f s after start,"
				" past its --timeout, and SIGKILL did not end it"
				" (stuck in the kernel's KVM_RUN?)", r->secs), V_FINDING;
	if (r->hung)
		return snprintf(why, n, "hang: still running %.1f s after start,"
				" past its --timeout: killed", r->secs), V_FINDING;
	if (WIFSIGNALED(r->status))
		return snprintf(why, n, "killed by signal %d (%s)",
				WTERMSIG(r->status), strsignal(WTERMSIG(r->status))),
		       V_FINDING;
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error:"))
		return snprintf(why, n, "sanitizer report (exit %d)", code), V_FINDING;
	if (code == 64 || code == 65 || code == 66 || code == 69 || code == 127)
		return snprintf(why, n, "vmm refused to run (exit %d): %.200s",
				code, r->err), V_SETUP;
	if (code <= 63 && has_line(r->err, "vmm: "))
		return snprintf(why, n, "exit %d (success) with a diagnosis", code),
		       V_FINDING;
	if (code == 70)
		return snprintf(why, n, "exit 70: vmm blames its own system call"
				" for what a guest did"), V_FINDING;
	if (code > 63 && !((code >= 71 && code <= 81) || code == 124))
		return snprintf(why, n, "exit %d: not a documented exit code", code),
		       V_FINDING;
	if (code > 63 && (strncmp(r->err, "vmm: ", 5) || r->err[5] == '\n' ||
			  !r->err[5]))
		return snprintf(why, n, "exit %d without a diagnosis on stderr's"
				" first line", code), V_FINDING;
	if ((bad = bad_lines(in, r->err)))
		return snprintf(why, n, "exit %d: %s", code, bad), V_FINDING;
	return V_OK;
}
