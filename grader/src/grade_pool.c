/*
 * grade_pool.c: a lab's tests, several at once (grade_pool.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade_jail.h"
#include "grade_pool.h"
#include "grade_report.h"
#include "grade_text.h"

#define MAX_JOBS 8

/* One worker and what it has said so far. */
struct slot {
	pid_t pid;              /* 0: the slot is free */
	int fd;                 /* read end of the worker's pipe */
	size_t test;            /* index of its test in the rubric */
	char *said;             /* its outcome line, as read so far */
	size_t len;
};

int grade_pool_default_jobs(void)
{
	cpu_set_t set;
	int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
	n = 2 * (n < 1 ? 1 : n);      /* tests wait much: exec, fsync, VMs */
	return n > MAX_JOBS ? MAX_JOBS : n;
}

static int write_all(int fd, const char *text, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, text, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		text += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The worker: run test t, write its outcome, exit with 0 or the errno of
 * the grader's own failure. It dies with the grader (its jail's init dies
 * with it in turn), and adopts the orphans of its test as grade_jail.h
 * asks of whoever runs a jail.
 */
static void worker(const struct grade_ctx *c, struct grade_test *t, int fd,
		   pid_t grader)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != grader)
		_exit(ECHILD);
	grade_jail_init();
	int err = -grade_run_test(c, t);
	char *line = grade_report_outcome_text(t);
	if (!line || write_all(fd, line, strlen(line)) != 0)
		_exit(err ? err : ENOMEM);
	_exit(err);
}

static int start(struct slot *s, struct grade_lab *l, const struct grade_ctx *c,
		 size_t i)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return -errno;
	pid_t grader = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		worker(c, &l->r.t[i], p[1], grader);
	}
	int e = errno;
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -e;
	}
	*s = (struct slot){ .pid = pid, .fd = p[0], .test = i };
	return 0;
}

/* Read what the worker wrote; 1 at its end (EOF or error), else 0. */
static int drain(struct slot *s)
{
	char buf[65536];
	ssize_t n = read(s->fd, buf, sizeof(buf));
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return 1;
	char *more = realloc(s->said, s->len + (size_t)n + 1);
	if (!more)
		return 1;
	memcpy(more + s->len, buf, (size_t)n);
	s->len += (size_t)n;
	more[s->len] = '\0';
	s->said = more;
	return 0;
}

/*
 * The worker has ended: its outcome into the rubric. A worker that brought
 * back no outcome this test can take (killed, or a line that does not name
 * it: a name that does not survive the trip) fails that test alone, with
 * the reason; only the grader's own failure (the worker's exit code, an
 * errno) stops the others. 0 or -errno.
 */
static int finish(struct slot *s, struct grade_lab *l)
{
	struct grade_test *t = &l->r.t[s->test];
	int st = 0, rc = 0;
	close(s->fd);
	while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!s->said || grade_report_outcome_take(t, s->said) != 0) {
		t->ran = 1;
		t->passed = 0;
		free(t->message);
		t->message = WIFSIGNALED(st)
			? grade_text_fmt("the grader's worker for this test was "
					 "killed by signal %d", WTERMSIG(st))
			: strdup("the grader's worker for this test gave no outcome "
				 "that names it");
	} else if (WIFEXITED(st) && WEXITSTATUS(st)) {
		rc = -WEXITSTATUS(st);
	}
	free(s->said);
	*s = (struct slot){ 0 };
	return rc;
}

/* Fill free slots with the next tests. */
static int fill(struct slot *s, int jobs, struct grade_lab *l,
		const struct grade_ctx *c, size_t *next, grade_progress *cb,
		void *arg)
{
	for (int k = 0; k < jobs && *next < l->r.n; k++) {
		if (s[k].pid)
			continue;
		if (cb)
			cb(l, *next, l->r.n, arg);
		int rc = start(&s[k], l, c, *next);
		if (rc)
			return rc;
		(*next)++;
	}
	return 0;
}

int grade_pool_run(struct grade_lab *l, const struct grade_ctx *c, int jobs,
		   grade_progress *cb, void *arg)
{
	struct slot s[MAX_JOBS] = { 0 };
	struct pollfd p[MAX_JOBS];
	size_t next = 0;
	int rc = 0;
	jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
	for (;;) {
		int e = rc ? 0 : fill(s, jobs, l, c, &next, cb, arg);
		if (e)
			rc = e;
		int busy = 0;
		for (int k = 0; k < jobs; k++)
			p[k] = (struct pollfd){ .fd = s[k].pid ? s[k].fd : -1,
						.events = POLLIN };
		for (int k = 0; k < jobs; k++)
			busy += s[k].pid != 0;
		if (!busy)
			break;
		if (poll(p, (nfds_t)jobs, -1) < 0 && errno != EINTR) {
			rc = rc ? rc : -errno;      /* cannot wait: stop them all */
			for (int k = 0; k < jobs; k++)
				if (s[k].pid) {
					kill(s[k].pid, SIGKILL);
					finish(&s[k], l);
				}
			continue;
		}
		for (int k = 0; k < jobs; k++)
			if (p[k].revents && drain(&s[k]) && (e = finish(&s[k], l)) && !rc)
				rc = e;
	}
	for (size_t i = next; i < l->r.n; i++) {  /* not started: say why */
		l->r.t[i].ran = 1;
		l->r.t[i].message = grade_text_fmt("not run: the grader failed (%s)",
						   strerror(-rc));
	}
	return rc;
}
