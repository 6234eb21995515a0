/*
 * test_answers.c: lab 02's "predict, then check" questions, read from
 * answers.txt (README). Hidden: the expected answers stay with the
 * instructor; the stage totals still count their points.
 */
#include "graded.h"
#include "graded_answers.h"

#include <errno.h>

/* Question q's answer is want, or the test fails saying what was read. */
static void expect(const char *q, const char *want)
{
	char got[128];
	int rc = graded_answer("answers.txt", q, got, sizeof(got));

	cr_assert_neq(rc, -ENOENT, "%s: no answer in answers.txt (a line '%s: ...')", q, q);
	cr_assert_eq(rc, 0, "%s: reading answers.txt: error %d", q, rc);
	cr_expect_str_eq(got, want, "%s: not the expected answer (README, \"Predict, then check\")", q);
}

GRADED_HIDDEN(answers, vcpus_of_a_shared_host, 1, "02.1 sizes", 5)
{
	expect("Q1", "64");
}

GRADED_HIDDEN(answers, policy_that_keeps_room, 1, "02.2 plan", 5)
{
	expect("Q2", "a");
}

GRADED_HIDDEN(answers, what_memory_max_does, 1, "02.2 plan", 5)
{
	expect("Q3", "b");
}

GRADED_HIDDEN(answers, does_a_cgroup_give_a_kernel, 1, "02.2 plan", 5)
{
	expect("Q4", "no");
}
