/*
 * grade_handout.h: the student tree, made from the reference tree.
 *
 * Copies the tree without .git, build/ folders and the instructor-only paths
 * listed in grader/handout-exclude (shell patterns, one a line, matched
 * against paths from the top: hidden tests, the grader's own fixtures), and
 * strips the solution regions of every C and assembly file under labs/.
 * A malformed region stops the handout and names file and line. A handout
 * may be solved up to a stage (grade --handout DIR --stage NN.S), and one
 * lab's folder stripped alone (grade --check-stages makes its variants so).
 */
#ifndef GRADER_GRADE_HANDOUT_H
#define GRADER_GRADE_HANDOUT_H

#include "vmlab_err.h"

struct grade_handout_stats {
	int files, stripped, regions;
};

/* Make dst (which must not exist) from the tree ref; upto ("03.2", or
 * NULL) names the last stage whose regions keep their reference (lab 03's
 * stages 1 and 2 here; every other region is stubbed). 0 or -errno; on
 * -EINVAL, err's msg is "file:line: reason"; on other errors it names the
 * path, or is empty when there is none to name (err NULL: only the code). */
int grade_handout_make(const char *ref, const char *dst, const char *upto,
		       struct grade_handout_stats *st, struct vmlab_err *err);
/* Strip in place the C and assembly files under dir (a lab's folder of a
 * copy), keeping the regions of stages <= upto; name is how errors call
 * dir. 0 or -errno, err as above (naming dir when no file is to blame). */
int grade_handout_strip(const char *dir, const char *name, const char *upto,
			struct grade_handout_stats *st, struct vmlab_err *err);

#endif /* GRADER_GRADE_HANDOUT_H */
