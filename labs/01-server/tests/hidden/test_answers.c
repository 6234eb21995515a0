/*
 * test_answers.c: lab 01's "predict, then check" questions, read from
 * answers.txt (README). Hidden: the expected answers stay with the
 * instructor; the stage totals still count their points.
 */
#include "graded.h"
#include "graded_answers.h"

GRADED_HIDDEN(answers, idle_share_of_the_lessons_server, 1, "01.7 utilization", 5)
{
	graded_expect_answer("Q1", "96");
}

GRADED_HIDDEN(answers, meminfo_kib_in_bytes, 1, "01.2 memory", 5)
{
	graded_expect_answer("Q2", "16777216000");
}

GRADED_HIDDEN(answers, what_cpuid_bit_31_proves, 1, "01.6 virtualization", 5)
{
	graded_expect_answer("Q3", "b");
}

GRADED_HIDDEN(answers, busy_share_from_two_readings, 1, "01.7 utilization", 5)
{
	graded_expect_answer("Q4", "25");
}
