/*
 * grade_class.h: the instructor's view of a batch, one offline HTML page
 * (OUTDIR/class.html) beside the gradebook.
 *
 *   grade_class_page   a score histogram per lab, the pass rate of every
 *                      stage and test across the class (hardest first), and
 *                      the submissions that could not be graded; drawn as
 *                      inline SVG, no script, no network
 *
 * Read from the same results.json files as the CSV, so the two agree: each
 * student's row carries data-student and data-score for a checker to
 * compare (tests/classview.sh does, in headless Chromium).
 */
#ifndef GRADER_GRADE_CLASS_H
#define GRADER_GRADE_CLASS_H

#include <stddef.h>

struct grade_book;

/* Writes path (through a temporary file and rename) from
 * outdir/STUDENT/results.json of each of the n students. 0 or -errno. */
int grade_class_page(const struct grade_book *b, const char *path,
		     const char *outdir, char *const *students, size_t n);

#endif /* GRADER_GRADE_CLASS_H */
