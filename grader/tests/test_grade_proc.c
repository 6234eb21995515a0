/*
 * test_grade_proc.c: a contained grader dies with its parent, even when
 * the parent dies the instant after starting it (grade_proc.h).
 *
 * Each round forks a "batch" that starts a grader (sleep 60, stdout on
 * a pipe) and exits at once: the race a batch killed mid-spawn runs.
 * Every grader holds the pipe's write end, so the pipe reads end of file
 * exactly when the last of them is gone. A grader that outlived its
 * batch keeps the pipe open for a minute: the poll below times out.
 */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade_proc.h"

extern char **environ;
enum { ROUNDS = 50 };

static void orphaned_graders_die(void)
{
	int fd[2];
	cr_assert_eq(pipe(fd), 0);
	char *argv[] = { "/bin/sleep", "60", NULL };
	for (int i = 0; i < ROUNDS; i++) {
		pid_t batch = fork();
		cr_assert_geq(batch, 0);
		if (batch == 0) {
			struct grade_proc p;
			_exit(grade_proc_start(&p, argv, environ, fd[1], NULL,
					       NULL) ? 1 : 0);
		}
		int st;
		cr_assert_eq(waitpid(batch, &st, 0), batch);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			  "round %d: the grader did not start", i);
	}
	close(fd[1]);
	/* Killed graders are gone in milliseconds; 20 s is for a busy host. */
	struct pollfd p = { .fd = fd[0], .events = POLLIN };
	char c;
	cr_assert_eq(poll(&p, 1, 20000), 1,
		     "a grader outlived the batch that started it");
	cr_assert_eq(read(fd[0], &c, 1), 0, "end of file: every grader died");
	close(fd[0]);
}

Test(grade_proc, a_grader_dies_with_a_batch_killed_as_it_starts, .timeout = 60)
{
	orphaned_graders_die();
}

Test(grade_proc, the_same_without_pid_namespaces, .timeout = 60)
{
	setenv("GRADE_NO_NAMESPACES", "1", 1);
	orphaned_graders_die();
}
