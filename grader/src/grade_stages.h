/*
 * grade_stages.h: prove that each stage of a lab stands on the earlier ones
 * (grade --check-stages [--lab NN]).
 *
 * For each lab and each stage S of its rubric:
 *   (a) with the regions of stages <= S solved and the later ones stubbed,
 *       every test of stages <= S passes;
 *   (b) with stage S's own regions stubbed too (earlier ones solved), stage
 *       S scores at most 10% of its points.
 * The tree "solved up to S" of (a) is the tree of (b) for the next stage,
 * so a lab of n stages needs at most n + 1 variant trees (fewer when a
 * stage has no region). Each is a copy of the instructor's labs/ where
 * only the lab's own files differ (grade_handout_strip), graded with the
 * usual machinery, in a child: grade --tree T --ref REF --lab NN --stage F
 * --results R, F being the last stage the variant is asked about.
 */
#ifndef GRADER_GRADE_STAGES_H
#define GRADER_GRADE_STAGES_H

#include <stdio.h>

#include "grade_rubric.h"

struct grade_stages_opts {
	const char *ref;        /* the instructor's tree */
	const char *self;       /* this grader's program (grader/build/grade) */
	const char *lab;        /* "03", or NULL for every lab */
	int jobs;               /* variants graded at once */
	FILE *out;              /* one line per stage */
};

/* Check every stage of the lab(s); 0 when all hold, 1 when some stage
 * failed (its line says how), -errno when the check could not run. */
int grade_stages_check(const struct grade_stages_opts *o);

/* grade --check-stages: check, print, and the exit code (0 every stage
 * holds, 1 some failed, 3 the check could not run). */
int grade_stages_main(const char *ref, const char *grader_dir, const char *lab,
		      int jobs);
/* Is s a stage id ("03.2")? */
int grade_stages_valid(const char *s);

/* Keep only the tests of stages up to upto ("03.4"): a grade of a variant
 * runs no test the check does not read. */
void grade_stages_keep(struct grade_rubric *r, const char *upto);
/* Keep only the tests of the stages list names ("03.2,03.4"): watch mode
 * runs first those of the stages a changed file names. */
void grade_stages_only(struct grade_rubric *r, const char *list);
/* Both, each when not NULL: the filters of grade --stage, --only-stages. */
void grade_stages_filter(struct grade_rubric *r, const char *upto,
			 const char *only);
/* Is list one stage id or more, comma-separated ("03.2,03.4")? */
int grade_stages_list_valid(const char *list);

#endif /* GRADER_GRADE_STAGES_H */
