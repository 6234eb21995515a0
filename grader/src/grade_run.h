/*
 * grade_run.h: run one graded test in the jail and judge it.
 *
 * A unit test runs as `BIN --filter=suite/name -j1` with a report channel
 * (graded_main.c); a command-line case as `sh tests/cli/NAME.run` with $PROG
 * set, compared with NAME.rc, .out, .err, .out.re, .err.re (mk/clitest).
 * The verdict is the grader's: a pass needs Criterion's "passed", the body's
 * end reached, exit code 0 and no timeout. The message says what to do.
 */
#ifndef GRADER_GRADE_RUN_H
#define GRADER_GRADE_RUN_H

#include "grade_rubric.h"

struct grade_ctx {
	const char *labdir;     /* absolute path of the lab being graded */
	const char *labrel;     /* the same as the student knows it: labs/01-x */
	const char *prog;       /* the lab's program, lab-relative (build/x) */
	const char *tmp;        /* parent of each test's private directory */
	int kvm;                /* the tests open /dev/kvm */
	int labvm;              /* GRADE_NEEDS labvm: the tests start labvm
				   themselves; run one at a time, as nobody,
				   they share one private overlay of the lab
				   (labvm's results, kept between tests) */
	double slack;           /* seconds the grader waits past a timeout */
	const char *ref;        /* the instructor's tree when labdir is in a
				   copy of it: hidden from the tests, as are
				   the hidden tests (grade_secret.h) */
};

/* Run t, fill its outcome (ran, passed, message, output, rerun, elapsed).
 * 0, or -errno when the grader itself failed (t is then failed too). */
int grade_run_test(const struct grade_ctx *c, struct grade_test *t);
/* Run the n unit tests t (all of one binary, adjacent) in one run of the
 * binary: inside labvm, where the machine itself is the sandbox and every
 * process start costs emulated time. 0 or -errno; each test judged. */
int grade_run_binary(const struct grade_ctx *c, struct grade_test *t, size_t n);
/*
 * How much slower than idle this machine runs now: the 1-minute load
 * average per CPU, or GRADE_TIME_SCALE when larger (inside labvm, the
 * host's: a guest cannot see the load that slows its emulated CPUs),
 * between 1 and 8. Every test's time limit, the grader's and Criterion's,
 * is multiplied by it, so a busy machine costs no points (issue 21); only
 * a test that hangs waits the longer limit. (grader/README.md, "Time limits")
 */
double grade_time_scale(void);
/* Judge a command-line case from what it did: NULL when it passed, else a
 * malloc'd reason. dir/name locate the expectation files. Exposed for tests. */
char *grade_run_cli_verdict(const char *dir, const char *name, int code,
			    const char *out, const char *err);

#endif /* GRADER_GRADE_RUN_H */
