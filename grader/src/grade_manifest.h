/*
 * grade_manifest.h: the files a student owns, and nothing else, cross over.
 *
 * A lab's student files are the files under labs/NN-x/ of the instructor's
 * tree that hold solution regions (grade_marker.h): the manifest, printed by
 * `grade --list-files`. A submission is graded in a fresh copy of the
 * instructor's tree (grade_tree_fresh) into which only the manifest's files
 * are taken from the submission: each one a regular file reached without a
 * link on the way. A file missing, or a link, device, FIFO, folder or a file
 * over 4 MiB in its place, is replaced by the handout's stub of that file
 * (the instructor's file with its regions stripped). Every other file of the
 * submission is ignored: only counted, for the board.
 */
#ifndef GRADER_GRADE_MANIFEST_H
#define GRADER_GRADE_MANIFEST_H

#include <stddef.h>

struct grade_manifest {
	char **files;           /* tree-relative, sorted: labs/01-x/src/a.c */
	size_t n;
};

/* The student files of lab `labrel` ("labs/01-server") in the instructor's
 * tree ref. 0, or -errno (-EINVAL: a malformed region). */
int grade_manifest_read(const char *ref, const char *labrel,
			struct grade_manifest *m);
void grade_manifest_free(struct grade_manifest *m);
/* Is rel (tree-relative) one of m's files? */
int grade_manifest_has(const struct grade_manifest *m, const char *rel);

/* Put m's files into work (a fresh copy of ref): from sub where it holds a
 * regular file reached without links, else the stub. *notes collects one
 * line per refused file (malloc'd, NULL when none); *taken counts the files
 * taken from sub. 0 or -errno (the copy is then unusable). */
int grade_manifest_apply(const struct grade_manifest *m, const char *ref,
			 const char *sub, const char *work, char **notes,
			 int *taken);
/* Files under sub/labrel (build/ folders and .git left aside) that are not
 * in m: what the submission sent and the grade does not use. */
int grade_manifest_unused(const struct grade_manifest *m, const char *sub,
			  const char *labrel);

struct grade_lab;
/* Lab l of the instructor's tree ref, ready to grade submission sub: a
 * fresh copy at tmp/lab-NN with sub's student files in it; l->dir becomes
 * the copy's lab (l->ref_dir the instructor's), l->copy the copy and
 * l->note what the board says about the files. A lab missing from sub, or
 * of which sub holds no student file, is left unbuilt (l->problem).
 * 0 or -errno (l->problem set). */
int grade_manifest_stage(struct grade_lab *l, const char *ref, const char *sub,
			 const char *tmp);

#endif /* GRADER_GRADE_MANIFEST_H */
