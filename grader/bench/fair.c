/*
 * bench/fair.c: how much a test slows down when the test running next to
 * it (grade -j N) is a CPU hog (grader/README.md, "Several tests at once").
 * A counting loop in a jail, timed alone (the baseline) and then with a
 * second jail running 100 spinning processes; the ratio is the slowdown.
 *   make -C grader bench-fair
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade_jail.h"

static double run(const char *script, double timeout)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = timeout, .cpu_s = 30,
		.mem = 1ULL << 30, .fsize = 1 << 20, .nproc = 256,
		.cap_head = 256, .cap_tail = 256,
	};
	struct grade_exit x;
	if (grade_jail_run(&j, &x) != 0) {
		fprintf(stderr, "fair: the jail did not start\n");
		exit(1);
	}
	double t = x.elapsed;
	grade_exit_free(&x);
	return t;
}

#define COUNT "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"
#define HOG "for i in $(seq 100); do (while :; do :; done) & done; sleep 30"

int main(void)
{
	grade_jail_init();
	printf("jails: %s\n", grade_jail_mode());
	double alone = run(COUNT, 60);
	pid_t hog = fork();
	if (hog == 0) {
		run(HOG, 60);
		_exit(0);
	}
	sleep(1);                               /* the hog is running */
	double next = run(COUNT, 60);
	kill(hog, SIGKILL);                     /* its jail dies with it */
	waitpid(hog, NULL, 0);
	printf("a counting loop alone:                 %6.2f s\n", alone);
	printf("next to a jail of 100 spinning procs:  %6.2f s  (%.1fx)\n", next,
	       next / alone);
	return 0;
}
