/*
 * grade_handout.h: the student tree, made from the reference tree.
 *
 * Copies the tree without .git, build/ folders and the instructor-only paths
 * listed in grader/handout-exclude (shell patterns, one a line, matched
 * against paths from the top: hidden tests, the grader's own fixtures), and
 * strips the solution regions of every C and assembly file under labs/.
 * A malformed region stops the handout and names file and line.
 */
#ifndef GRADER_GRADE_HANDOUT_H
#define GRADER_GRADE_HANDOUT_H

struct grade_handout_stats {
	int files, stripped, regions;
};

/* Make dst (which must not exist) from the tree ref. 0 or -errno; on
 * -EINVAL, *where is "file:line: reason" (malloc'd); on other errors it
 * names the path. */
int grade_handout_make(const char *ref, const char *dst,
		       struct grade_handout_stats *st, char **where);

#endif /* GRADER_GRADE_HANDOUT_H */
