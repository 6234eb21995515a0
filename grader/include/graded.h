/*
 * graded.h: a Criterion test that carries its own rubric entry.
 *
 *   GRADED(suite, name, points, "NN.S stage title", timeout_s [, .init = f ...])
 *   GRADED_HIDDEN(...)   the same, shown to students only after the due date
 *
 * The grader reads points, stage and visibility back from the test binary
 * (`test_x --rubric`, see grader/README.md), so the rubric cannot drift from
 * the tests. Every graded test has a timeout: Criterion 2.4.1 never times out
 * a test that declares none, and the grader kills whatever outlives it.
 *
 * The body runs inside a wrapper that tells the grader it reached its end:
 * Criterion counts a test that calls exit(0) half-way as passed, the grader
 * does not. Test binaries link grader/build/libgraded.a (mk/lab.mk).
 */
#ifndef GRADER_GRADED_H
#define GRADER_GRADED_H

#include <criterion/criterion.h>

/* Called by the wrapper when a graded test body returns normally. */
void graded_done(const char *suite, const char *name);

#define GRADED_DESC_(points, stage, vis) \
	"vmlab points=" #points " visibility=" vis " stage=" stage

#define GRADED_TEST_(suite, name, points, stage, timeout_s, vis, ...)      \
	static void graded_body_##suite##_##name(void);                     \
	Test(suite, name, .timeout = (timeout_s),                           \
	     .description = GRADED_DESC_(points, stage, vis), ##__VA_ARGS__)  \
	{                                                                   \
		graded_body_##suite##_##name();                             \
		graded_done(#suite, #name);                                 \
	}                                                                   \
	static void graded_body_##suite##_##name(void)

#define GRADED(suite, name, points, stage, timeout_s, ...)                 \
	GRADED_TEST_(suite, name, points, stage, timeout_s, "visible",      \
		     ##__VA_ARGS__)

#define GRADED_HIDDEN(suite, name, points, stage, timeout_s, ...)          \
	GRADED_TEST_(suite, name, points, stage, timeout_s,                 \
		     "after_due_date", ##__VA_ARGS__)

#endif /* GRADER_GRADED_H */
