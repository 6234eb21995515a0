/*
 * grade_rubric.h: what a lab's tests are worth, read from the tests.
 *
 * Unit tests: each test binary prints its GRADED entries (`test_x --rubric`,
 * graded_main.c); when the lab does not build, the same entries are read
 * from the GRADED(...) lines of the test sources (tests/, tests/hidden/), so a broken
 * build still shows what it cost. Command-line cases: the first line of
 * tests/cli/NAME.run, "# points=N stage=NN.S title [timeout=S]".
 * A bonus test (GRADED_BONUS) is optional: its points count outside the
 * lab's total (grade_rubric_points) and are added as a bonus
 * (grade_rubric_bonus).
 * A grade_test also carries its outcome once run (grade_run.h).
 */
#ifndef GRADER_GRADE_RUBRIC_H
#define GRADER_GRADE_RUBRIC_H

#include <stddef.h>

enum grade_kind { GRADE_UNIT, GRADE_CLI };

struct grade_test {
	enum grade_kind kind;
	char *suite, *name;         /* a CLI case: suite "cli", name = case */
	char *path;                 /* test binary or .run file, lab-relative */
	char *stage;                /* "01.2 memory" */
	int points, hidden;
	int bonus;                  /* GRADED_BONUS: outside the lab's total */
	double timeout;
	/* the outcome, filled by grade_run */
	int ran, passed;
	char *message;              /* why it failed, for the student */
	char *output;               /* what it printed, capped and clean */
	char *rerun;                /* the command that reruns just this test */
	double elapsed;
	double scale;               /* its time limit stretched by (grade_time_scale) */
	int in_labvm;               /* it ran inside labvm (its rerun does too) */
};

struct grade_rubric {
	struct grade_test *t;
	size_t n, cap;
};

/* Add the entries of one binary's --rubric output (JSON lines); the binary
 * is bin (lab-relative). 0, -EINVAL on a malformed line, -ENOMEM. */
int grade_rubric_parse(struct grade_rubric *r, const char *bin,
		       const char *text);
/* Add the GRADED(...) declarations found in the C source text of the test
 * whose binary is bin. 0, -EINVAL on a malformed declaration, -ENOMEM. */
int grade_rubric_scan(struct grade_rubric *r, const char *bin,
		      const char *src);
/* Add the command-line case whose .run file (lab-relative path run) begins
 * with first_line. 0, -EINVAL when the header is missing or bad. */
int grade_rubric_cli(struct grade_rubric *r, const char *run,
		     const char *first_line);
/* Removes the hidden tests (a student's view of the rubric). */
void grade_rubric_drop_hidden(struct grade_rubric *r);
/* Sum of points of the ordinary tests (bonus tests left out), all or only
 * those passed; grade_rubric_bonus: the same of the bonus tests. */
int grade_rubric_points(const struct grade_rubric *r, int passed_only);
int grade_rubric_bonus(const struct grade_rubric *r, int passed_only);
/* Move the unit tests whose binary's name (the path's last part) is a
 * word of bins (space-separated) from r into out, a new rubric; both keep
 * their order. 0, or -ENOMEM with every test still in r or out, once. */
int grade_rubric_split(struct grade_rubric *r, const char *bins,
		       struct grade_rubric *out);
/* Move more's tests to the end of r; more is left empty. 0, -ENOMEM. */
int grade_rubric_join(struct grade_rubric *r, struct grade_rubric *more);
void grade_rubric_free(struct grade_rubric *r);
/* Stage id of a stage ("01.2 memory" -> "01.2"), into buf. */
const char *grade_stage_id(const char *stage, char *buf, size_t size);

#endif /* GRADER_GRADE_RUBRIC_H */
