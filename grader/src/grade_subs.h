/*
 * grade_subs.h: the submissions in a batch's folder, one per student.
 *
 * Each entry of the folder (not hidden, not the batch's own output folder)
 * is one student's submission: a folder or an archive. The student id is
 * the entry's name without its archive suffix, made safe to use as a
 * folder name and a CSV cell.
 */
#ifndef GRADER_GRADE_SUBS_H
#define GRADER_GRADE_SUBS_H

#include <stddef.h>

struct grade_sub {
	char id[256];
	char *path;             /* the entry in the folder (malloc'd) */
	int is_dir;
	int is_link;            /* a symlink: refused, never followed */
	int dup;                /* the same id as the one before it */
};

/* The submissions in dir, leaving out out (the batch's output folder if it
 * is inside dir), sorted by id; a repeated id (alice/ and alice.zip) marks
 * every one after the first dup. 0, -ENOENT when there is none, or -errno;
 * free with grade_subs_free. */
int grade_subs_list(const char *dir, const char *out, struct grade_sub **subs,
		    size_t *n);
void grade_subs_free(struct grade_sub *subs, size_t n);
/* The student id of a folder entry: the name without .tar.gz, .tgz, .zip,
 * ...; characters other than [A-Za-z0-9._+@-] become '_', a leading '-',
 * '+', '@' or '.' too. Into id (size bytes). */
void grade_subs_id(const char *name, char *id, size_t size);

/* In a new mount namespace of the calling process (a worker, root): each
 * folder dirs[i] shows only its entry keep[i] (NULL: nothing), so that a
 * submission's processes cannot reach the other submissions, their
 * scratch folders or their results. A folder holding another of dirs is
 * left as it is. 0 or -errno (-EPERM: not root; nothing hidden). */
int grade_subs_seal(const char *const *dirs, const char *const *keep, size_t n);

#endif /* GRADER_GRADE_SUBS_H */
