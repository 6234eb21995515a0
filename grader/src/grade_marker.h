/*
 * grade_marker.h: turn a reference source file into the student's.
 *
 *   /_* >>> SOLUTION 03.2: hint *_/  ->  /_* TODO(student) 03.2: hint *_/
 *   reference lines                  ->  (dropped)
 *   /_* === STUB                     ->  (dropped)
 *   stub lines                       ->  kept
 *   *_/                              ->  (dropped)
 *   /_* <<< SOLUTION *_/             ->  (dropped)
 * (written /_* here only so that this comment stays one comment). Each
 * marker is alone on its line; regions do not nest; every region names its
 * stage (NN.S, the stage of the tests it makes pass). A region of a stage
 * up to `upto` keeps its reference lines instead (a tree solved up to a
 * stage). grader/README.md has the convention.
 */
#ifndef GRADER_GRADE_MARKER_H
#define GRADER_GRADE_MARKER_H

#include <stddef.h>

#include "vmlab_err.h"

/* A stage id "NN.S" at the start of s: 0 with *lab, *stage and *len (the
 * characters read), else -EINVAL. */
int grade_marker_stage(const char *s, int *lab, int *stage, size_t *len);

/* Strip the regions of text; those of a stage <= upto ("03.2": lab 03,
 * stages 1 and 2) keep their reference lines; upto NULL keeps none. 0 with
 * *out malloc'd (and *regions, the regions stubbed, counted); -EINVAL with
 * *line (1-based) and err (NULL: only the code) saying what is wrong;
 * -ENOMEM. */
int grade_marker_strip(const char *text, const char *upto, char **out,
		       int *regions, int *line, struct vmlab_err *err);

#endif /* GRADER_GRADE_MARKER_H */
