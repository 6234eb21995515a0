/*
 * hog: the misbehaving guest of the enforcement tests, built static so that
 * it runs in labvm's busybox userland.
 *
 *   hog mem MIB     touch MIB MiB, one MiB at a time, then exit 0
 *   hog spin SEC    burn CPU for SEC seconds of wall time (cpu.max's check:
 *                   spin 100000, killed once the kernel counted enough)
 *   hog where SEC   two processes (hog and a child) each do 200 units of
 *                   work and burn SEC seconds of CPU time, noting the CPU
 *                   they are on (sched_getcpu) after each unit; each then
 *                   prints "allowed LIST ran LIST" (its affinity, the CPUs it
 *                   was seen on), the child's line first
 *   hog sleep SEC   sit still for SEC seconds
 *   hog fork N      try to start N children; print how many started
 *
 * With HOG_READY=FILE in the environment, hog creates FILE once it runs
 * (inside its cgroup, since partition exec moves itself before exec'ing):
 * the checks wait for that instead of guessing how long a start takes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Kept reachable, so that no compiler may drop the allocations. */
static volatile char *chunks[1 << 16];

static int mem(long mib)
{
	for (long i = 0; i < mib && i < (1 << 16); i++) {
		volatile char *p = malloc(1 << 20);

		if (!p)
			return 1;
		/* Touch every page through a volatile pointer: really resident. */
		for (long j = 0; j < (1 << 20); j += 4096)
			p[j] = (char)i;
		chunks[i] = p;
	}
	return 0;
}

static double cputime(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int spin(double sec)
{
	volatile unsigned long x = 0;
	double end = now() + sec;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x++;
	return 0;
}

/* Appends the CPUs of set to buf as "0,2,3". */
static void cpus_text(char *buf, size_t n, const cpu_set_t *set)
{
	const char *sep = "";

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set)) {
			size_t len = strlen(buf);

			snprintf(buf + len, n - len, "%s%d", sep, c);
			sep = ",";
		}
}

#define WHERE_UNITS 200

/*
 * Burns sec of CPU time, and at least WHERE_UNITS units of work, noting
 * where it ran, into line. 0 or 1. The units, not the time alone: in an
 * emulated machine that its host starves, CPU time runs ahead of the work
 * (a hog once reported having been seen on no CPU at all).
 */
static int where_one(double sec, char *line, size_t n)
{
	volatile unsigned long x = 0;
	cpu_set_t allowed, ran;
	int c;

	CPU_ZERO(&ran);
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return 1;
	for (int units = 0; units < WHERE_UNITS || cputime() < sec; units++) {
		for (int i = 0; i < 100000; i++)
			x++;
		if ((c = sched_getcpu()) < 0 || c >= CPU_SETSIZE)
			return 1;
		CPU_SET(c, &ran);
	}
	snprintf(line, n, "allowed ");
	cpus_text(line, n, &allowed);
	snprintf(line + strlen(line), n - strlen(line), " ran ");
	cpus_text(line, n, &ran);
	return 0;
}

/*
 * Two busy processes, so that a group without its cpuset spreads them over
 * the CPUs (one alone might stay on its first CPU anyway). The child's line
 * comes first: the parent prints its own once the child has exited.
 */
static int where(double sec)
{
	char line[1024] = "";
	int st, rc;
	pid_t p;

	fflush(stdout);
	if ((p = fork()) < 0)
		return 1;
	if (p == 0) {
		rc = where_one(sec, line, sizeof(line));
		_exit(rc || printf("%s\n", line) < 0 || fflush(stdout) != 0);
	}
	rc = where_one(sec, line, sizeof(line));
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = 1;
	return rc || printf("%s\n", line) < 0 || fflush(stdout) != 0;
}

/* The children live until every fork was tried (they wait for EOF), however slow. */
static int forks(long n)
{
	long started = 0;
	int hold[2];
	char c;

	if (pipe(hold) < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			close(hold[1]);
			_exit(read(hold[0], &c, 1) < 0);
		}
		if (p > 0)
			started++;
	}
	close(hold[1]);
	printf("%ld\n", started);
	fflush(stdout);
	while (wait(NULL) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	const char *ready = getenv("HOG_READY");

	if (ready)
		close(open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	if (argc != 3) {
		fprintf(stderr, "usage: hog mem MIB | spin SEC | where SEC | sleep SEC | fork N\n");
		return 2;
	}
	if (!strcmp(argv[1], "mem"))
		return mem(atol(argv[2]));
	if (!strcmp(argv[1], "spin"))
		return spin(atof(argv[2]));
	if (!strcmp(argv[1], "where"))
		return where(atof(argv[2]));
	if (!strcmp(argv[1], "sleep"))
		return sleep((unsigned)atoi(argv[2])), 0;
	if (!strcmp(argv[1], "fork"))
		return forks(atol(argv[2]));
	return 2;
}
