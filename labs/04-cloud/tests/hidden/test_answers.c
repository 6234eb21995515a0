/*
 * test_answers.c: lab 04's "predict, then check" questions, read from
 * answers.txt (README). Hidden: the expected answers stay with the
 * instructor; the stage totals still count their points.
 */
#include "graded.h"
#include "graded_answers.h"

GRADED_HIDDEN(answers, latency_floor, 1, "04.1 latency", 5)
{
	graded_expect_answer("Q1", "100");
}

GRADED_HIDDEN(answers, billed_seconds_of_a_short_run, 1, "04.4 billing", 5)
{
	graded_expect_answer("Q2", "60");
}

GRADED_HIDDEN(answers, why_zones, 1, "04.6 failures", 5)
{
	graded_expect_answer("Q3", "b");
}

GRADED_HIDDEN(answers, spread_or_pack_for_failures, 1, "04.2 placement", 5)
{
	graded_expect_answer("Q4", "b");
}
