/*
 * grade_report.h: the machine-readable results of a grading run.
 *
 *   grade_report_gradescope   results.json as Gradescope reads it
 *   grade_report_junit        JUnit XML: one testsuite per lab
 *   grade_report_outcomes /   the outcome of every test, to carry results
 *   grade_report_load           out of labvm and back into the rubric
 *   grade_report_outcome_text / one test's outcome, from the worker that
 *   grade_report_outcome_take   ran it to the grader (grade_pool.h)
 * Every string in them passed grade_text_clean: the files stay valid JSON
 * and XML whatever a student's program printed. Files are written to a
 * temporary name, synced to the disk and renamed into place once complete:
 * a failure (no memory, a full disk, a failed fsync) leaves the old file
 * or none, never part of one, and returns -errno.
 */
#ifndef GRADER_GRADE_REPORT_H
#define GRADER_GRADE_REPORT_H

#include <stddef.h>

#include "grade_lab.h"

/* 0 or -errno. output is the human summary (the scoreboard). */
int grade_report_gradescope(const char *path, const struct grade_lab *labs,
			    size_t n, double seconds, const char *output);
int grade_report_junit(const char *path, const struct grade_lab *labs,
		       size_t n);
/* The outcomes of one lab's tests, and reading them back into l->r by
 * test identity. 0, -errno, -EINVAL when the file is not an outcome file. */
int grade_report_outcomes(const char *path, const struct grade_lab *l);
int grade_report_load(const char *path, struct grade_lab *l);
/* One test's outcome as one line of JSON (malloc'd; NULL when memory ran
 * out), and t's outcome from such a line: 0, or -EINVAL when the line is
 * not the outcome of t (the same path, suite and name). */
char *grade_report_outcome_text(const struct grade_test *t);
int grade_report_outcome_take(struct grade_test *t, const char *text);
/* Write text to path through a temporary file, fsync and rename. 0 or
 * -errno; on error path is untouched and the temporary file is gone. */
int grade_report_write(const char *path, const char *text);

#endif /* GRADER_GRADE_REPORT_H */
