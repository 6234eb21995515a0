/*
 * grade_marker.h: turn a reference source file into the student's.
 *
 *   /_* >>> SOLUTION: hint *_/     ->  /_* TODO(student): hint *_/
 *   reference lines                ->  (dropped)
 *   /_* === STUB                   ->  (dropped)
 *   stub lines                     ->  kept
 *   *_/                            ->  (dropped)
 *   /_* <<< SOLUTION *_/           ->  (dropped)
 * (written /_* here only so that this comment stays one comment). Each
 * marker is alone on its line; regions do not nest. grader/README.md has
 * the convention.
 */
#ifndef GRADER_GRADE_MARKER_H
#define GRADER_GRADE_MARKER_H

#include <stddef.h>

/* Strip the regions of text. 0 with *out malloc'd (and *regions counted),
 * -EINVAL with *line (1-based) and *why saying what is wrong, -ENOMEM. */
int grade_marker_strip(const char *text, char **out, int *regions, int *line,
		       const char **why);

#endif /* GRADER_GRADE_MARKER_H */
