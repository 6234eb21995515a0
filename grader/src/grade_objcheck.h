/*
 * grade_objcheck.h: the student's objects, inspected before anything runs.
 *
 * A test binary links the student's code into the process that reports
 * the verdicts, so code that runs before the tests (a constructor) or
 * instead of a function the harness calls (an interposed write, fopen,
 * cr_* or graded_*) could forge them. After the build and before any test
 * binary runs, each student object (build/src/X.o of each student file
 * src/X.c) is read with libelf and refused when it has:
 *   - a .init_array, .fini_array, .preinit_array, .ctors, .dtors, .init or
 *     .fini section (code that runs before or after main), or an IFUNC
 *     symbol (its resolver runs while the program is loaded);
 *   - a definition of main;
 *   - a global definition of a symbol that the shared libraries the lab's
 *     binaries load (libc, Criterion and theirs), libgraded or the lab's
 *     other objects (tests, plumbing) define or call, unless the
 *     instructor's version of the same file defines it too (the lab's API).
 * A student's own extra global helpers pass (a name nothing else uses).
 */
#ifndef GRADER_GRADE_OBJCHECK_H
#define GRADER_GRADE_OBJCHECK_H

#include <stddef.h>

#include "vmlab_err.h"

struct grade_lab;

/* The student's files of the instructor's lab folder ref_lab: its src/ C files
 * that hold solution regions, lab-relative ("src/hi_mem.c"), sorted.
 * 0 with *files (malloc'd, free with grade_objcheck_free) and *n, -errno. */
int grade_objcheck_files(const char *ref_lab, char ***files, size_t *n);
void grade_objcheck_free(char **files, size_t n);
/* Check the built lab labdir (its objects under build/) whose student
 * files are files[] (lab-relative), the instructor's sources in ref_lab
 * (NULL: labdir). 0 when clean; -EPERM with *found, the violations (a
 * result, one a line, malloc'd: NULL only when memory ran out), each
 * naming the file, the symbol or section and what to do; other -errno
 * when the check itself failed, err (NULL: only the code) saying what. */
int grade_objcheck_lab(const char *labdir, const char *ref_lab,
		       char *const files[], size_t nfiles, char **found,
		       struct vmlab_err *err);
/* The whole check for a built lab: files from l->ref_dir (or l->dir); a
 * violation sets l->built = 0 and l->problem. 0 or -errno. */
int grade_objcheck(struct grade_lab *l);

#endif /* GRADER_GRADE_OBJCHECK_H */
