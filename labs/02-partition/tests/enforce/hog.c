/*
 * hog: the misbehaving guest of the enforcement tests, built static so that
 * it runs in labvm's busybox userland.
 *
 *   hog mem MIB     touch MIB MiB, one MiB at a time, then exit 0
 *   hog spin SEC    burn CPU for SEC seconds of wall time
 *   hog sleep SEC   sit still for SEC seconds
 *   hog fork N      try to start N children; print how many started
 */
#define _GNU_SOURCE
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

static int spin(double sec)
{
	volatile unsigned long x = 0;
	double end = now() + sec;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x++;
	return 0;
}

static int forks(long n)
{
	long started = 0;

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			sleep(2);
			_exit(0);
		}
		if (p > 0)
			started++;
	}
	printf("%ld\n", started);
	fflush(stdout);
	while (wait(NULL) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hog mem MIB | spin SEC | sleep SEC | fork N\n");
		return 2;
	}
	if (!strcmp(argv[1], "mem"))
		return mem(atol(argv[2]));
	if (!strcmp(argv[1], "spin"))
		return spin(atof(argv[2]));
	if (!strcmp(argv[1], "sleep"))
		return sleep((unsigned)atoi(argv[2])), 0;
	if (!strcmp(argv[1], "fork"))
		return forks(atol(argv[2]));
	return 2;
}
