/*
 * graded.h: a Criterion test that carries its own rubric entry.
 *
 *   GRADED(suite, name, points, "NN.S stage title", timeout_s [, .init = f ...])
 *   GRADED_HIDDEN(...)   the same, shown to students only after the due date
 *
 * The grader reads points, stage and visibility back from the test binary
 * (grader/README.md), so the rubric cannot drift from the tests. Every graded
 * test has a timeout: Criterion 2.4.1 never times out a test that declares
 * none, and the grader kills whatever outlives it.
 */
#ifndef GRADER_GRADED_H
#define GRADER_GRADED_H

#include <criterion/criterion.h>

#define GRADED_DESC_(points, stage, vis) \
	"vmlab points=" #points " visibility=" vis " stage=" stage

#define GRADED(suite, name, points, stage, timeout_s, ...)                 \
	Test(suite, name, .timeout = (timeout_s),                          \
	     .description = GRADED_DESC_(points, stage, "visible"), ##__VA_ARGS__)

#define GRADED_HIDDEN(suite, name, points, stage, timeout_s, ...)          \
	Test(suite, name, .timeout = (timeout_s),                          \
	     .description = GRADED_DESC_(points, stage, "after_due_date"),   \
	     ##__VA_ARGS__)

#endif /* GRADER_GRADED_H */
