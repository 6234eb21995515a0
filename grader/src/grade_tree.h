/*
 * grade_tree.h: copying trees, and putting the instructor's files back.
 *
 * A submission is graded in a scratch copy: its labs/ (without build/
 * folders), then the instructor's copies on top of it: each lab's Makefile
 * and tests/ (the rubric lives in the tests), mk/ and grader/include/. A
 * submission cannot edit its own tests or build. Its symlinks are left out
 * (one could name the reference solution on the grading machine).
 */
#ifndef GRADER_GRADE_TREE_H
#define GRADER_GRADE_TREE_H

/* Called for every entry under the source; rel is the path below the copy's
 * root. Return 1 to leave the entry (and a folder's contents) out. */
typedef int grade_tree_skip(const char *rel, int is_dir, void *arg);

/* Copy the tree src to dst (created), regular files keep their mode,
 * symlinks stay symlinks. 0 or -errno; *bad names the failing path. */
int grade_tree_copy(const char *src, const char *dst, grade_tree_skip *skip,
		    void *arg, char **bad);
/* Copy the one file src/name to dst/name; dst is created, mode 0755.
 * 0 or -errno; *bad names the failing path. */
int grade_tree_copy_one(const char *src, const char *name, const char *dst,
			char **bad);
/* Build the scratch tree work from submission sub and instructor tree ref.
 * 0 or -errno; *bad names the failing path. */
int grade_tree_prepare(const char *ref, const char *sub, const char *work,
		       char **bad);
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
