/*
 * grade_tree.c: tree copies and the instructor's restore (grade_tree.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_jail.h"
#include "grade_text.h"
#include "grade_tree.h"

int grade_tree_isdir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int grade_tree_remove(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -errno;
	return grade_jail_rmdir(path);
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	char buf[65536];
	ssize_t n;
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		rc = -errno;
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -EIO;
			goto out;
		}
	if (n < 0)
		rc = -errno;
out:
	if (out >= 0 && close(out) && !rc)
		rc = -errno;
	close(in);
	return rc;
}

static int copy_entry(const char *src, const char *dst, const char *rel,
		      grade_tree_skip *skip, void *arg, char **bad);

static int copy_dir(const char *src, const char *dst, const char *rel,
		    grade_tree_skip *skip, void *arg, char **bad)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int rc = 0;
	if (!d)
		return -errno;
	if (mkdir(dst, 0755) && errno != EEXIST) {
		rc = -errno;
		goto out;
	}
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char s[PATH_MAX], t[PATH_MAX], r[PATH_MAX];
		snprintf(s, sizeof(s), "%s/%s", src, e->d_name);
		snprintf(t, sizeof(t), "%s/%s", dst, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		rc = copy_entry(s, t, r, skip, arg, bad);
	}
out:
	closedir(d);
	return rc;
}

static int copy_entry(const char *src, const char *dst, const char *rel,
		      grade_tree_skip *skip, void *arg, char **bad)
{
	struct stat st;
	char link[PATH_MAX];
	int rc = 0;
	if (lstat(src, &st) != 0)
		rc = -errno;
	else if (skip && skip(rel, S_ISDIR(st.st_mode), arg))
		return 0;
	else if (S_ISDIR(st.st_mode))
		return copy_dir(src, dst, rel, skip, arg, bad);
	else if (S_ISREG(st.st_mode))
		rc = copy_file(src, dst, st.st_mode);
	else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(src, link, sizeof(link) - 1);
		if (n < 0)
			rc = -errno;
		else {
			link[n] = '\0';
			rc = symlink(link, dst) ? -errno : 0;
		}
	}
	if (rc && bad && !*bad)
		*bad = strdup(src);
	return rc;
}

int grade_tree_copy(const char *src, const char *dst, grade_tree_skip *skip,
		    void *arg, char **bad)
{
	return copy_entry(src, dst, "", skip, arg, bad);
}

static int skip_builds(const char *rel, int is_dir, void *arg)
{
	(void)arg;
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	return is_dir && (!strcmp(base, "build") || !strncmp(base, "build-", 6) ||
			  !strcmp(base, ".git"));
}

/* Replace work/rel by ref/rel (or just remove it when ref has none). */
static int restore(const char *ref, const char *work, const char *rel,
		   char **bad)
{
	char s[PATH_MAX], t[PATH_MAX];
	snprintf(s, sizeof(s), "%s/%s", ref, rel);
	snprintf(t, sizeof(t), "%s/%s", work, rel);
	int rc = grade_tree_remove(t);
	if (rc || access(s, F_OK) != 0)
		return rc;
	return grade_tree_copy(s, t, skip_builds, NULL, bad);
}

/*
 * The submission's part of the copy: no build outputs, and no symlinks. A
 * link is followed by the build and the tests, so one naming a file outside
 * the submission (the reference solution where the grader keeps it) would
 * be graded as the student's work; a link is left out, as if never sent.
 */
static int skip_submitted(const char *rel, int is_dir, void *arg)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%s%s%s", (const char *)arg, *rel ? "/" : "", rel);
	return skip_builds(rel, is_dir, NULL) ||
	       (lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
}

static int all_but(const char *rel, int is_dir, void *name)
{
	(void)is_dir;
	return *rel && strcmp(rel, name) != 0;       /* "": the folder */
}

int grade_tree_copy_one(const char *src, const char *name, const char *dst,
			char **bad)
{
	int rc = grade_tree_copy(src, dst, all_but, (void *)name, bad);
	return !rc && chmod(dst, 0755) != 0 ? -errno : rc;
}

int grade_tree_prepare(const char *ref, const char *sub, const char *work,
		       char **bad)
{
	char s[PATH_MAX], t[PATH_MAX], pat[PATH_MAX];
	glob_t g;
	int rc;
	snprintf(s, sizeof(s), "%s/labs", sub);
	snprintf(t, sizeof(t), "%s/labs", work);
	if (mkdir(work, 0755) && errno != EEXIST)
		return -errno;
	rc = grade_tree_isdir(s) ? grade_tree_copy(s, t, skip_submitted, s, bad)
				 : (mkdir(t, 0755) ? -errno : 0);
	if (!rc)
		rc = restore(ref, work, "mk", bad);
	if (!rc && !(mkdir(strcat(strcpy(s, work), "/grader"), 0755) == 0 ||
		     errno == EEXIST))
		rc = -errno;
	if (!rc)
		rc = restore(ref, work, "grader/include", bad);
	snprintf(pat, sizeof(pat), "%s/labs/*/Makefile", ref);
	if (rc || glob(pat, 0, NULL, &g) != 0)
		return rc;
	for (size_t i = 0; !rc && i < g.gl_pathc; i++) {
		char *lab = g.gl_pathv[i] + strlen(ref) + 1;   /* labs/NN-x/Makefile */
		*strrchr(lab, '/') = '\0';
		snprintf(t, sizeof(t), "%s/%s", work, lab);
		if (!grade_tree_isdir(t))
			continue;          /* missing from the submission: scores 0 */
		snprintf(s, sizeof(s), "%s/Makefile", lab);
		rc = restore(ref, work, s, bad);
		snprintf(s, sizeof(s), "%s/tests", lab);
		if (!rc)
			rc = restore(ref, work, s, bad);
	}
	globfree(&g);
	return rc;
}

int grade_tree_same(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

char *grade_tree_root(const char *base)
{
	char *p = grade_text_fmt("%s/labs", base), *only = NULL;
	int dirs = 0;
	if (p && grade_tree_isdir(p)) {
		free(p);
		return strdup(base);
	}
	free(p);
	DIR *d = opendir(base);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char *q = grade_text_fmt("%s/%s", base, e->d_name);
		if (e->d_name[0] != '.' && q && grade_tree_isdir(q)) {
			dirs++;
			free(only);
			only = grade_text_fmt("%s/labs", q);
		}
		free(q);
	}
	if (d)
		closedir(d);
	if (dirs == 1 && only && grade_tree_isdir(only)) {
		*strrchr(only, '/') = '\0';
		return only;
	}
	free(only);
	return NULL;
}
