/*
 * grade_book.h: the gradebook of a batch: each student's results.json and
 * the CSV built from them.
 *
 *   grade_book_open     the columns (labs, stages, points) from the rubric,
 *                       a results.json written by `grade --list`
 *   grade_book_commit   a student's final results.json: the grader's, or
 *                       the rubric at zero when it could not grade; with
 *                       extra_data.vmlab_batch = {student, status, why,
 *                       seconds}. Written whole (temporary file, rename):
 *                       a results.json that exists is complete.
 *   grade_book_done     is a student's results.json complete?
 *   grade_book_csv      one row per student, rebuilt from the results.json
 * Statuses: ok, build-failed (graded; some lab did not build), and the ones
 * the batch sets (timed-out, not-an-archive, ...: score 0).
 */
#ifndef GRADER_GRADE_BOOK_H
#define GRADER_GRADE_BOOK_H

#include <stddef.h>

struct grade_book;
struct json_object;

struct grade_book_meta {
	const char *student;
	const char *status;     /* NULL: ok or build-failed, from the results */
	const char *why;        /* what went wrong, for the student (or NULL) */
	double seconds;
};

/* 0, -EINVAL when rubric is not a results.json with tests, -errno. */
int grade_book_open(struct grade_book **b, const char *rubric);
void grade_book_close(struct grade_book *b);
/* Total points of the rubric. */
int grade_book_max(const struct grade_book *b);
/* Write dst from graded (the grader's results.json; NULL or unreadable:
 * the rubric at zero). *status (static string or m->status) says what was
 * written; *score the points. 0 or -errno. */
int grade_book_commit(const struct grade_book *b, const char *graded,
		      const char *dst, const struct grade_book_meta *m,
		      const char **status, int *score);
/* 1 when path is a complete results.json of a batch (status copied into
 * status, size bytes), else 0. */
int grade_book_done(const char *path, char *status, size_t size);
/* The CSV at path: a header, then a row per student, read from
 * outdir/STUDENT/results.json. 0 or -errno. */
int grade_book_csv(const struct grade_book *b, const char *path,
		   const char *outdir, char *const *students, size_t n);
/* Column i (labs "01" then their stages "01.2", in key order): its key,
 * title and points. 0, or -ENOENT past the last column. */
int grade_book_column(const struct grade_book *b, size_t i, const char **key,
		      const char **title, int *max);
/* A student's results.json (root) summed per column into got[i]. */
void grade_book_scores(const struct grade_book *b, struct json_object *root,
		       int *got);
/* A cell of the CSV: quoted when it holds a comma, quote or line break;
 * a leading = + - @ gets a ' (spreadsheets run those as formulas).
 * malloc'd. */
char *grade_book_cell(const char *s);

#endif /* GRADER_GRADE_BOOK_H */
