/*
 * test_answers.c: lab 03's "predict, then check" questions, read from
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

GRADED_HIDDEN(answers, real_mode_address, 1, "03.2 real mode", 5)
{
	expect("Q1", "0x7c00");
}

GRADED_HIDDEN(answers, exits_of_rep_outsb, 1, "03.2 real mode", 5)
{
	expect("Q2", "1");
}

GRADED_HIDDEN(answers, cost_of_an_exit, 1, "03.4 runtime", 5)
{
	expect("Q3", "b");
}

GRADED_HIDDEN(answers, page_table_levels, 1, "03.3 long mode", 5)
{
	expect("Q4", "4");
}

GRADED_HIDDEN(answers, type_of_virtualbox, 1, "03.1 probe", 5)
{
	expect("Q5", "2");
}
