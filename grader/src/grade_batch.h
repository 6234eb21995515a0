/*
 * grade_batch.h: grade a folder of submissions, N at a time, resumably.
 *
 * Each entry of the folder is one student: a folder (a tree with labs/, or
 * one folder holding it) or an archive (.tar.gz, .zip, ...: unpacked with
 * grade_archive). The student id is the name without its archive suffix.
 * Each submission is graded by a child `grade --tree COPY` contained by
 * grade_proc, under a wall-clock bound for the whole submission; nothing
 * one submission does stops the others. Results go to OUT/STUDENT/
 * results.json (complete or absent: a rerun skips the complete ones), the
 * grader's board to OUT/STUDENT/board.txt, a line per graded student to
 * OUT/batch.log, and at the end OUT/gradebook.csv, rebuilt from them all.
 */
#ifndef GRADER_GRADE_BATCH_H
#define GRADER_GRADE_BATCH_H

#include <signal.h>
#include <stddef.h>

enum grade_batch_event { GRADE_BATCH_SKIP, GRADE_BATCH_START, GRADE_BATCH_DONE };

struct grade_batch_opts {
	const char *dir, *out, *ref, *lab;  /* lab: NULL for every lab */
	const char *self;                   /* the grade program, a path */
	int jobs;
	double timeout;                     /* seconds per submission */
	volatile sig_atomic_t *stop;        /* set by a signal: stop early */
	/* Progress: what happened to whom (status and score when DONE). */
	void (*event)(enum grade_batch_event e, const char *student,
		      const char *status, int score, int max, double secs);
};

struct grade_batch_stats {
	size_t total, skipped, graded, ungraded; /* ungraded: score 0 by status */
	char *problem;                      /* what failed (malloc'd) */
};

/* Grade them all. 0 when every submission has its results and the CSV is
 * written; -EINTR when *stop was set (done work kept); -ENOENT when dir
 * holds no submission; other -errno with st->problem saying what failed. */
int grade_batch_run(const struct grade_batch_opts *o, struct grade_batch_stats *st);

#endif /* GRADER_GRADE_BATCH_H */
