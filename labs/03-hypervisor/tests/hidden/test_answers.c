/*
 * test_answers.c: lab 03's "predict, then check" questions, read from
 * answers.txt (README). Hidden: the expected answers stay with the
 * instructor; the stage totals still count their points.
 */
#include "graded.h"
#include "graded_answers.h"

GRADED_HIDDEN(answers, real_mode_address, 1, "03.2 real mode", 5)
{
	graded_expect_answer("Q1", "0x7c00");
}

GRADED_HIDDEN(answers, exits_of_rep_outsb, 1, "03.2 real mode", 5)
{
	graded_expect_answer("Q2", "1");
}

GRADED_HIDDEN(answers, cost_of_an_exit, 1, "03.4 runtime", 5)
{
	graded_expect_answer("Q3", "b");
}

GRADED_HIDDEN(answers, page_table_levels, 1, "03.3 long mode", 5)
{
	graded_expect_answer("Q4", "4");
}

GRADED_HIDDEN(answers, type_of_virtualbox, 1, "03.1 probe", 5)
{
	graded_expect_answer("Q5", "2");
}
