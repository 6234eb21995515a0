/*
 * timeit: how long a command takes, to its first output byte or to its end.
 *
 *   timeit RUNS first|all -- COMMAND [ARG...]
 *
 * Starts COMMAND RUNS times, stdout on a pipe, and measures from just
 * before fork() either to the first byte on the pipe (first) or to the
 * command's exit (all). Prints "median min" in milliseconds.
 * The benchmark's guest writes "!" with its very first instruction, so
 * `first` is process start to first guest instruction (plus one exit and
 * one pipe write). With COMMAND = true it is the cost of starting any
 * process at all: the baseline measured in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One run; returns ms, or -1 when the command failed. */
static double once(char **argv, int first)
{
	int p[2], st, got;
	char c;
	double t0, t;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	got = read(p[0], &c, 1) == 1;
	t = now_ms() - t0;
	while (read(p[0], &c, 1) == 1) /* drain, so the child never blocks */
		;
	waitpid(pid, &st, 0);
	if (!first || !got)
		t = now_ms() - t0;
	close(p[0]);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 4 ? atoi(argv[1]) : 0;
	double t[1000];

	if (runs < 1 || runs > 1000 || strcmp(argv[3], "--") ||
	    (strcmp(argv[2], "first") && strcmp(argv[2], "all"))) {
		fprintf(stderr, "usage: timeit RUNS first|all -- COMMAND [ARG...]\n");
		return 2;
	}
	for (int i = 0; i < runs; i++) {
		t[i] = once(argv + 4, !strcmp(argv[2], "first"));
		if (t[i] < 0) {
			fprintf(stderr, "timeit: %s failed\n", argv[4]);
			return 1;
		}
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp);
	printf("%.3f %.3f\n", t[runs / 2], t[0]);
	return 0;
}
