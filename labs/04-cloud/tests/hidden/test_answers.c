/*
 * test_answers.c: lab 04's "predict, then check" questions, read from
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

GRADED_HIDDEN(answers, latency_floor, 1, "04.1 latency", 5)
{
	expect("Q1", "100");
}

GRADED_HIDDEN(answers, billed_seconds_of_a_short_run, 1, "04.4 billing", 5)
{
	expect("Q2", "60");
}

GRADED_HIDDEN(answers, why_zones, 1, "04.6 failures", 5)
{
	expect("Q3", "b");
}

GRADED_HIDDEN(answers, spread_or_pack_for_failures, 1, "04.2 placement", 5)
{
	expect("Q4", "b");
}
