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
#include "grade_lab.h"
#include "grade_manifest.h"
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
		      grade_tree_skip *skip, void *arg, struct vmlab_err *err);

static int copy_dir(const char *src, const char *dst, const char *rel,
		    grade_tree_skip *skip, void *arg, struct vmlab_err *err)
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
		rc = copy_entry(s, t, r, skip, arg, err);
	}
out:
	closedir(d);
	return rc;
}

static int copy_entry(const char *src, const char *dst, const char *rel,
		      grade_tree_skip *skip, void *arg, struct vmlab_err *err)
{
	struct stat st;
	char link[PATH_MAX];
	int rc = 0;
	if (lstat(src, &st) != 0)
		rc = -errno;
	else if (skip && skip(rel, S_ISDIR(st.st_mode), arg))
		return 0;
	else if (S_ISDIR(st.st_mode))
		return copy_dir(src, dst, rel, skip, arg, err);
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
	if (rc)         /* a file's or a link's: a folder's returns above */
		vmlab_fail(err, rc, "%s", src);
	return rc;
}

int grade_tree_copy(const char *src, const char *dst, grade_tree_skip *skip,
		    void *arg, struct vmlab_err *err)
{
	vmlab_err_clear(err);
	return copy_entry(src, dst, "", skip, arg, err);
}

static int skip_builds(const char *rel, int is_dir, void *arg)
{
	(void)arg;
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	return is_dir && (!strcmp(base, "build") || !strncmp(base, "build-", 6) ||
			  !strcmp(base, ".git"));
}

static int all_but(const char *rel, int is_dir, void *name)
{
	(void)is_dir;
	return *rel && strcmp(rel, name) != 0;       /* "": the folder */
}

int grade_tree_copy_one(const char *src, const char *name, const char *dst,
			struct vmlab_err *err)
{
	int rc = grade_tree_copy(src, dst, all_but, (void *)name, err);
	return !rc && chmod(dst, 0755) != 0 ? -errno : rc;
}

/* What grading one lab copies of labs/: skip_fresh's argument. */
struct fresh {
	const char *lab;                /* "01-server" */
	struct grade_manifest *other;   /* the other labs' student files */
	size_t n;
};

/* labs/ of the instructor's tree, for grading the lab named f->lab: no
 * build outputs, and of the other labs no tests/ and none of their
 * student files (the reference's solutions and answers.txt), which a
 * student's process has no business reading and no lab builds from. */
static int skip_fresh(const char *rel, int is_dir, void *arg)
{
	const struct fresh *f = arg;
	size_t n = strcspn(rel, "/");
	char path[PATH_MAX];
	if (skip_builds(rel, is_dir, NULL))
		return 1;
	if (strlen(f->lab) == n && !strncmp(rel, f->lab, n))
		return 0;
	snprintf(path, sizeof(path), "labs/%s", rel);
	for (size_t i = 0; !is_dir && i < f->n; i++)
		if (grade_manifest_has(&f->other[i], path))
			return 1;
	return is_dir && rel[n] == '/' && !strcmp(rel + n + 1, "tests");
}

/* f->other: the student files of every lab of ref but f->lab. */
static int read_others(const char *ref, struct fresh *f)
{
	struct grade_lab *labs;
	size_t n;
	int rc = grade_lab_list(ref, NULL, &labs, &n);
	f->other = rc ? NULL : calloc(n ? n : 1, sizeof(*f->other));
	if (!rc && !f->other)
		rc = -ENOMEM;
	for (size_t i = 0; !rc && i < n; i++)
		if (strcmp(labs[i].name, f->lab))   /* freed also when it failed */
			rc = grade_manifest_read(ref, labs[i].rel, &f->other[f->n++]);
	grade_lab_free(labs, n);
	return rc;
}

static void free_others(struct fresh *f)
{
	for (size_t i = 0; i < f->n; i++)
		grade_manifest_free(&f->other[i]);
	free(f->other);
}

/* dst/name -> ref/name, ref made absolute: labvm finds its assets (and
 * builds its supervisor) where it really lives, in the instructor's tree. */
static int link_back(const char *ref, const char *dst, const char *name)
{
	char *real = realpath(ref, NULL);
	char *from = real ? grade_text_fmt("%s/%s", real, name) : NULL;
	char *to = grade_text_fmt("%s/%s", dst, name);
	int rc = !from || !to ? -ENOMEM : access(from, F_OK) != 0 ? 0
		 : symlink(from, to) ? -errno : 0;
	free(real);
	free(from);
	free(to);
	return rc;
}

int grade_tree_fresh(const char *ref, const char *lab, const char *dst,
		     struct vmlab_err *err)
{
	char s[PATH_MAX], t[PATH_MAX];
	int rc = mkdir(dst, 0755) ? -errno : 0;
	vmlab_err_clear(err);
	snprintf(s, sizeof(s), "%s/labs", ref);
	snprintf(t, sizeof(t), "%s/labs", dst);
	struct fresh f = { .lab = lab };
	if (!rc)
		rc = read_others(ref, &f);
	if (!rc)
		rc = grade_tree_copy(s, t, skip_fresh, &f, err);
	free_others(&f);
	snprintf(s, sizeof(s), "%s/mk", ref);
	snprintf(t, sizeof(t), "%s/mk", dst);
	if (!rc)
		rc = grade_tree_copy(s, t, skip_builds, NULL, err);
	snprintf(t, sizeof(t), "%s/grader", dst);
	if (!rc && mkdir(t, 0755))
		rc = -errno;
	snprintf(s, sizeof(s), "%s/grader/include", ref);
	snprintf(t, sizeof(t), "%s/grader/include", dst);
	if (!rc)
		rc = grade_tree_copy(s, t, NULL, NULL, err);
	if (!rc)
		rc = link_back(ref, dst, "grader/labvm");
	if (!rc)
		rc = link_back(ref, dst, "grader/vm");
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
