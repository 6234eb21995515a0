/*
 * test_answers.c: lab 02's "predict, then check" questions, read from
 * answers.txt (README). Hidden: the expected answers stay with the
 * instructor; the stage totals still count their points.
 */
#include "graded.h"
#include "graded_answers.h"

GRADED_HIDDEN(answers, vcpus_of_a_shared_host, 1, "02.1 sizes", 5)
{
	graded_expect_answer("Q1", "64");
}

GRADED_HIDDEN(answers, policy_that_keeps_room, 1, "02.2 plan", 5)
{
	graded_expect_answer("Q2", "a");
}

GRADED_HIDDEN(answers, what_memory_max_does, 1, "02.2 plan", 5)
{
	graded_expect_answer("Q3", "b");
}

GRADED_HIDDEN(answers, does_a_cgroup_give_a_kernel, 1, "02.2 plan", 5)
{
	graded_expect_answer("Q4", "no");
}
