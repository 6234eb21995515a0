/*
 * grade_lab.h: one lab, from its folder to its graded rubric.
 *
 *   grade_lab_list     the labs of a tree (labs/NN-name/Makefile), by number
 *   grade_lab_build    make all tests; a failure keeps the compiler's output
 *   grade_lab_rubric   the rubric from the instructor's test sources
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
	char *ref_dir;          /* the instructor's lab, when dir is a copy:
				   the rubric is read from here */
	char *copy;             /* the fresh tree dir is in (removed after) */
	char *ref;              /* the instructor's tree (real path), when
				   dir is a copy: hidden from every step
				   that runs student code (grade_secret.h) */
	char **student;         /* in a copy: its student files,
				   lab-relative, NULL-terminated */
	char *note;             /* for the board: files refused, not used */
	char *rel;              /* "labs/01-server", as the student sees it */
	char *prog;             /* "build/hostinfo" */
	int needs_kvm;          /* GRADE_NEEDS has kvm */
	int needs_labvm;        /* GRADE_NEEDS has labvm: tests boot it */
	char *labvm_in;         /* GRADE_LABVM_IN: what else its tests need
				   inside labvm (paths, space-separated) */
	char *kvm_bins;         /* GRADE_KVM_TESTS: the test binaries that
				   need /dev/kvm (names, space-separated);
				   without one here only they go to labvm */
	char *hw_bins;          /* GRADE_HW_TESTS: those of them that need
				   hardware virtualization (a Linux boot);
				   on a /dev/kvm without it (kvm_pvm) only
				   they go to labvm (grade_kvm_hardware) */
	const char *vm_bins;    /* which of the two went to labvm (NULL:
				   every test did), set by the grade */
	int built;              /* the build succeeded and gave a rubric */
	int build_failed;       /* make failed: show its output */
	int timed_out;          /* the build's last step timed out */
	char *problem;          /* why nothing ran (build failed, missing) */
	char *build_log;
	char *where;            /* where the tests ran: "host", "labvm" */
	int batch;              /* one run per test binary (inside labvm) */
	const char *stage;      /* --stage: only tests of stages up to it */
	const char *only_stages; /* --only-stages: of these stages only */
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
 * build_log. The build's TMPDIR is a fresh folder in tmp (a scratch
 * folder), removed after it. 0 (also when the build failed), -errno when
 * make cannot run. */
int grade_lab_build(struct grade_lab *l, const char *grader_dir,
		    const char *graded_lib, const char *tmp);
/* Fill l->r from the instructor's test sources (l->ref_dir, else l->dir):
 * the GRADED lines of tests/ and tests/hidden, the first lines of
 * tests/cli/ *.run; never from a binary linked with a student's code. In
 * the instructor's own tree (no ref_dir) once built, the binaries' --rubric
 * must agree, on the host (not again inside labvm, l->batch): -EPROTO when
 * not (the parser or a GRADED line to fix). tmp is a scratch folder. 0, or
 * -errno with l->problem set. */
int grade_lab_rubric(struct grade_lab *l, const char *tmp);
/* Called before each test runs (i of n). */
typedef void grade_progress(const struct grade_lab *l, size_t i, size_t n,
			    void *arg);
/* l's rubric in stage order (as the board and the reports list it). */
void grade_lab_sort(struct grade_lab *l);
/* Run every test of the lab on this machine. 0 or -errno. */
int grade_lab_run(struct grade_lab *l, const char *tmp, grade_progress *cb,
		  void *arg);
void grade_lab_free(struct grade_lab *labs, size_t n);

#endif /* GRADER_GRADE_LAB_H */
