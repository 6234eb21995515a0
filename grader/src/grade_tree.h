/*
 * grade_tree.h: copying trees, and putting the instructor's files back.
 *
 * Each lab of a submission is graded in a fresh copy of the instructor's
 * tree (grade_tree_fresh): labs/ without build folders, mk/, grader/include
 * and links to the instructor's grader/labvm and grader/vm; then only the
 * student's files are taken from the submission (grade_manifest.h). A
 * submission cannot edit its own tests, the build, or another lab.
 */
#ifndef GRADER_GRADE_TREE_H
#define GRADER_GRADE_TREE_H

#include "vmlab_err.h"

/* Called for every entry under the source; rel is the path below the copy's
 * root. Return 1 to leave the entry (and a folder's contents) out. */
typedef int grade_tree_skip(const char *rel, int is_dir, void *arg);

/* Copy the tree src to dst (created), regular files keep their mode,
 * symlinks stay symlinks. 0 or -errno; err (NULL: only the code) has the
 * code, and its msg names the failing path when it is a file or a link
 * (empty when a folder failed). */
int grade_tree_copy(const char *src, const char *dst, grade_tree_skip *skip,
		    void *arg, struct vmlab_err *err);
/* Copy the one file src/name to dst/name; dst is created, mode 0755.
 * 0 or -errno; err as for grade_tree_copy. */
int grade_tree_copy_one(const char *src, const char *name, const char *dst,
			struct vmlab_err *err);
/* Make dst (which must not exist) a fresh tree for grading lab `lab`
 * ("01-server") of the instructor's tree ref: its labs/ without build
 * folders (the other labs without their tests/), mk/, grader/include, and
 * grader/labvm and grader/vm as links to ref's. 0 or -errno; err as for
 * grade_tree_copy (its msg empty when the failure was not a copy's). */
int grade_tree_fresh(const char *ref, const char *lab, const char *dst,
		     struct vmlab_err *err);
/* Remove a tree; 0 or -errno. */
int grade_tree_remove(const char *path);
/* Is path an existing folder? */
int grade_tree_isdir(const char *path);
/* Are a and b the same file or folder (device and inode)? */
int grade_tree_same(const char *a, const char *b);
/* The folder in base that holds labs/: base, or its only sub-folder
 * (a submission unpacked with a top folder of its own). malloc'd, or NULL
 * when neither holds labs/. */
char *grade_tree_root(const char *base);

#endif /* GRADER_GRADE_TREE_H */
