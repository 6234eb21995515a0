/*
 * grade_secret.c: the folders a jail hides, and the modes of a copy
 * (grade_secret.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_secret.h"
#include "grade_text.h"

/* Under the instructor's tree, what labvm needs (grader/labvm and
 * grader/vm build and find build/labvm; grader/vm/Makefile includes mk/):
 * nothing secret. */
static const char *const shown[] = { "grader/labvm", "grader/vm", "build/labvm",
				     "mk" };

int grade_secret_for(struct grade_secret *s, const char *labdir,
		     const char *ref, enum grade_secret_use use)
{
	size_t n = 0;
	int bad = 0;
	*s = (struct grade_secret){ 0 };
	if (ref) {
		s->hide[n++] = strdup(ref);
		for (size_t i = 0; i < 4; i++)
			bad |= !(s->reveal[i] = grade_text_fmt("%s/%s", ref, shown[i]));
	}
	if (use != GRADE_SECRET_BUILD_HIDDEN)
		s->hide[n++] = grade_text_fmt("%s/tests/hidden", labdir);
	if (use == GRADE_SECRET_TEST)
		s->hide[n++] = grade_text_fmt("%s/build/tests/hidden", labdir);
	for (size_t i = 0; i < n; i++)
		bad |= !s->hide[i];
	if (bad) {
		grade_secret_free(s);
		return -ENOMEM;
	}
	return 0;
}

void grade_secret_free(struct grade_secret *s)
{
	for (size_t i = 0; i < 4; i++)
		free(s->hide[i]);
	for (size_t i = 0; i < 5; i++)
		free(s->reveal[i]);
	*s = (struct grade_secret){ 0 };
}

static int set_mode(const char *labdir, const char *rel, mode_t mode)
{
	char *path = grade_text_fmt("%s/%s", labdir, rel);
	struct stat st;
	int rc = !path ? -ENOMEM : lstat(path, &st) != 0 ? (errno == ENOENT ? 0 : -errno)
		 : S_ISLNK(st.st_mode) ? -ELOOP
		 : chown(path, 0, 0) || chmod(path, mode) ? -errno : 0;
	free(path);
	return rc;
}

int grade_secret_modes(const char *labdir, char *const *student,
		       enum grade_secret_use next)
{
	int hidden = next == GRADE_SECRET_BUILD_HIDDEN;
	if (geteuid() != 0)
		return 0;
	int rc = set_mode(labdir, "tests/hidden", hidden ? 0755 : 0700);
	for (size_t i = 0; !rc && next != GRADE_SECRET_BUILD && student &&
	     student[i]; i++)
		rc = set_mode(labdir, student[i], hidden ? 0600 : 0644);
	return rc;
}
