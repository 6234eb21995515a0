/*
 * grade_lab.h: one lab, from its folder to its graded rubric.
 *
 *   grade_lab_list     the labs of a tree (labs/NN-name/Makefile), by number
 *   grade_lab_build    make all tests; a failure keeps the compiler's output
 *   grade_lab_rubric   the rubric from the test binaries (or the sources)
 *   grade_lab_run      every test in the jail, `jobs` at once where the
 *                      jails keep them apart (grade_pool.h)
 * A lab says what its tests need in its Makefile: GRADE_NEEDS := kvm (they
 * open /dev/kvm: on the host when usable, else all inside one labvm boot),
 * GRADE_NEEDS := labvm (they start grader/labvm themselves and keep its
 * results under build/: as nobody, one at a time, in one overlay per lab).
 */
#ifndef GRADER_GRADE_LAB_H
#define GRADER_GRADE_LAB_H

#include "grade_rubric.h"

struct grade_lab {
	char id[8];             /* "01" */
	char *name;             /* "01-server" */
	char *dir;              /* absolute path of the folder graded */
	char *ref_dir;          /* the instructor's copy, when dir is a copy:
				   a lab missing from a submission still has
				   its rubric (all at 0), read from here */
	char *rel;              /* "labs/01-server", as the student sees it */
	char *prog;             /* "build/hostinfo" */
	int needs_kvm;          /* GRADE_NEEDS has kvm */
	int needs_labvm;        /* GRADE_NEEDS has labvm: tests boot it */
	char *labvm_in;         /* GRADE_LABVM_IN: what else its tests need
				   inside labvm (paths, space-separated) */
	int built;              /* the build succeeded and gave a rubric */
	int build_failed;       /* make failed: show its output */
	char *problem;          /* why nothing ran (build failed, missing) */
	char *build_log;
	char *where;            /* where the tests ran: "host", "labvm" */
	int batch;              /* one run per test binary (inside labvm) */
	int jobs;               /* tests at once (grade_pool.h); 0 or 1: one */
	struct grade_rubric r;
	double build_s, test_s;
};

/* The labs under top (only the one numbered `only` when not NULL), sorted.
 * 0, -ENOENT when `only` matches none, -ENOMEM. */
int grade_lab_list(const char *top, const char *only, struct grade_lab **labs,
		   size_t *n);
/* Build the lab's program and tests with the harness of the grader in
 * grader_dir (its build/libgraded.a); sets prog, needs_kvm, built, problem,
 * build_log. 0 (also when the build failed), -errno when make cannot run. */
int grade_lab_build(struct grade_lab *l, const char *grader_dir,
		    const char *graded_lib);
/* Fill l->r: from the test binaries when built, else from the sources.
 * tmp is a scratch folder. 0, or -errno with l->problem set. */
int grade_lab_rubric(struct grade_lab *l, const char *tmp);
/* Called before each test runs (i of n). */
typedef void grade_progress(const struct grade_lab *l, size_t i, size_t n,
			    void *arg);
/* Run every test of the lab on this machine. 0 or -errno. */
int grade_lab_run(struct grade_lab *l, const char *tmp, grade_progress *cb,
		  void *arg);
void grade_lab_free(struct grade_lab *labs, size_t n);

#endif /* GRADER_GRADE_LAB_H */
