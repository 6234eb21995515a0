/*
 * test_answers.c: lab 01's "predict, then check" questions, read from
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

GRADED_HIDDEN(answers, idle_share_of_the_lessons_server, 1, "01.7 utilization", 5)
{
	expect("Q1", "96");
}

GRADED_HIDDEN(answers, meminfo_kib_in_bytes, 1, "01.2 memory", 5)
{
	expect("Q2", "16777216000");
}

GRADED_HIDDEN(answers, what_cpuid_bit_31_proves, 1, "01.6 virtualization", 5)
{
	expect("Q3", "b");
}

GRADED_HIDDEN(answers, busy_share_from_two_readings, 1, "01.7 utilization", 5)
{
	expect("Q4", "25");
}
