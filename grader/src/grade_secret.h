/*
 * grade_secret.h: what a student's code may not read while it is built or
 * tested (SECURITY.md, "Hidden tests, the reference, the answers").
 *
 *   the instructor's tree  (--ref, Gradescope's source/): the reference
 *                          solution, its answers.txt, the hidden tests;
 *                          hidden from every build step and test when the
 *                          lab graded is a copy of it, except labvm's own
 *                          folders (lab 02's tests start labvm) and mk/
 *   tests/hidden           the hidden tests' sources: hidden from every
 *                          test and from the build of the student's code;
 *                          only the second build step, which compiles the
 *                          hidden tests once the student's objects exist,
 *                          sees them (make never recompiles a student's
 *                          file there, and in a copy cannot: it is root's
 *                          0600 by then)
 *   build/tests/hidden     the hidden tests' binaries: hidden from the
 *                          visible tests (a hidden test runs its own)
 * The jail hides a folder with an empty read-only tmpfs in its own mount
 * namespace (grade_ns.c). Without namespaces, as root (grade_jail_by_modes)
 * only file modes are left:
 *   tests/hidden           in a copy, root's 0700 except during the second
 *                          build step
 *   build/tests/hidden     root's once built: the folder 0711, binaries
 *                          0755 (Criterion reads its own executable),
 *                          objects 0600; shut (0700) while a visible test
 *                          runs (grade_jail.c)
 *   the instructor's tree  taken away from nobody while the grader grades
 *                          copies of it (grade_secret_lock): every file
 *                          and folder but the folders on the way to what
 *                          labvm needs (passable, not listable) and that
 *                          itself, as long as the grader lives
 */
#ifndef GRADER_GRADE_SECRET_H
#define GRADER_GRADE_SECRET_H

#include <sys/types.h>

enum grade_secret_use {
	GRADE_SECRET_BUILD,        /* make all tests, without tests/hidden */
	GRADE_SECRET_BUILD_HIDDEN, /* make tests: the hidden tests compiled */
	GRADE_SECRET_TEST,         /* a visible test, a rubric */
	GRADE_SECRET_TEST_HIDDEN,  /* a hidden test */
};

struct grade_secret {
	char *hide[4];          /* NULL-terminated: for struct grade_jail */
	char *reveal[5];
};

/* The folders a jail of lab labdir hides for use; ref is the instructor's
 * tree when labdir is in a copy of it, else NULL. 0 or -ENOMEM. */
int grade_secret_for(struct grade_secret *s, const char *labdir,
		     const char *ref, enum grade_secret_use use);
void grade_secret_free(struct grade_secret *s);
/* The modes of a copy (labdir, its student files: NULL-terminated,
 * lab-relative) for the next step: tests/hidden root's 0700, but 0755 for
 * the hidden tests' build, where every student file is root's 0600 (0644
 * again for the tests, which read answers.txt). Nothing to do unless the
 * grader is root. 0 or -errno. */
int grade_secret_modes(const char *labdir, char *const *student,
		       enum grade_secret_use next);

/* Without namespaces, as root (grade_jail_by_modes): the instructor's
 * tree ref made unreadable by nobody (others' bits, and the group's where
 * nobody holds the group) but for what labvm needs and the folders on the
 * way to it (ref, grader, build: x kept), until grade_secret_unlock (also
 * at exit) gives back exactly the bits taken, to files that are still the
 * same. Once per process (a batch locks before its workers start, which
 * then find nothing to take); nothing to do in the other modes. A grader
 * killed by a signal leaves the tree closed. 0 or -errno (nothing left
 * taken). */
int grade_secret_lock(const char *ref);
void grade_secret_unlock(void);

/*
 * Without namespaces, as root (grade_jail_by_modes), what a jail hides is
 * shut by its mode while the command runs: each folder of hide (at most
 * max; -E2BIG for more) that nobody does not own (nobody could open it
 * again) and under which nothing of reveal is (the instructor's tree:
 * grade_secret_lock closes it for the whole run) becomes 0700; *n is what
 * grade_secret_reopen then gives back, to folders still the same, reached
 * without a link. Jails run one at a time in this mode
 * (grade_jail_apart), so no other command sees a folder shut. 0 or -errno
 * (nothing left shut).
 */
struct grade_secret_shut {
	dev_t dev;
	ino_t ino;
	mode_t mode;            /* 0: left as it was */
};
int grade_secret_shut(const char *const *hide, const char *const *reveal,
		      struct grade_secret_shut *s, size_t max, size_t *n);
void grade_secret_reopen(const char *const *hide,
			 const struct grade_secret_shut *s, size_t n);

#endif /* GRADER_GRADE_SECRET_H */
