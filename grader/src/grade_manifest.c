/*
 * grade_manifest.c: the student files of a lab, and taking only them from a
 * submission (grade_manifest.h).
 *
 * A submission's path is walked one component at a time from an open
 * folder with O_NOFOLLOW, so no symlink anywhere on the way (a folder of
 * the submission linked to the reference) can bring a file in; the last
 * component is checked with fstatat before it is opened (a FIFO would
 * block, a device could do anything when opened).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_lab.h"
#include "grade_manifest.h"
#include "grade_marker.h"
#include "grade_text.h"
#include "grade_tree.h"

enum { MAX_FILE = 4 << 20 };    /* a student's source file, at most */

/* What may hold solution regions: C and assembly, and answers.txt. */
static int is_source(const char *name)
{
	const char *dot = strrchr(name, '.');
	return (dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") ||
			!strcmp(dot, ".S") || !strcmp(dot, ".s"))) ||
	       !strcmp(name, "answers.txt");
}

static int is_output(const char *name)
{
	return !strcmp(name, "build") || !strncmp(name, "build-", 6) ||
	       !strcmp(name, ".git");
}

static char *slurp_fd(int fd)
{
	FILE *f = fdopen(fd, "r");
	char *text = NULL;
	size_t n = 0;
	if (!f) {
		close(fd);
		return NULL;
	}
	if (getdelim(&text, &n, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	return text;
}

static int add(struct grade_manifest *m, const char *rel)
{
	char **p = realloc(m->files, (m->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	m->files = p;
	if (!(p[m->n] = strdup(rel)))
		return -ENOMEM;
	m->n++;
	return 0;
}

/* Does the instructor's file hold a solution region? 1, 0 or -errno. */
static int marked(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), regions = 0, line;
	char *text = fd < 0 ? NULL : slurp_fd(fd), *out = NULL;
	if (!text)
		return -errno;
	int rc = grade_marker_strip(text, NULL, &out, &regions, &line, NULL);
	free(text);
	free(out);
	return rc ? rc : regions > 0;
}

static int walk_ref(const char *top, const char *rel, struct grade_manifest *m)
{
	char *dir = grade_text_fmt("%s/%s", top, rel);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	int rc = d ? 0 : dir ? -errno : -ENOMEM;
	while (!rc && d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || is_output(e->d_name))
			continue;
		char *sub = grade_text_fmt("%s/%s", rel, e->d_name);
		char *path = grade_text_fmt("%s/%s", dir, e->d_name);
		struct stat st;
		if (!sub || !path)
			rc = -ENOMEM;
		else if (lstat(path, &st) != 0)
			rc = -errno;
		else if (S_ISDIR(st.st_mode))
			rc = walk_ref(top, sub, m);
		else if (S_ISREG(st.st_mode) && is_source(e->d_name) &&
			 (rc = marked(path)) > 0)
			rc = add(m, sub);
		free(sub);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int grade_manifest_read(const char *ref, const char *labrel,
			struct grade_manifest *m)
{
	*m = (struct grade_manifest){ 0 };
	int rc = walk_ref(ref, labrel, m);
	if (rc)
		grade_manifest_free(m);
	else if (m->n)
		qsort(m->files, m->n, sizeof(*m->files), by_name);
	return rc;
}

void grade_manifest_free(struct grade_manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->files[i]);
	free(m->files);
	*m = (struct grade_manifest){ 0 };
}

int grade_manifest_has(const struct grade_manifest *m, const char *rel)
{
	char *key = (char *)rel;
	return m->n && bsearch(&key, m->files, m->n, sizeof(*m->files), by_name);
}

/*
 * Open sub/rel for reading with no link on the way and only if it is a
 * regular file of at most MAX_FILE bytes: an fd; -ENOENT when it is not
 * there; -EPERM when it is refused, err saying why.
 */
static int open_student(const char *sub, const char *rel, struct vmlab_err *err)
{
	int fd = open(sub, O_PATH | O_DIRECTORY | O_CLOEXEC), next;
	char *path = strdup(rel), *save = NULL;
	char *part = path ? strtok_r(path, "/", &save) : NULL;
	const char *why = NULL;         /* NULL: missing */
	struct stat st;
	while (fd >= 0 && part) {
		char *more = strtok_r(NULL, "/", &save);
		if (!more)
			break;
		next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && (errno == ELOOP || errno == ENOTDIR))
			why = "reached through a symlink or a non-folder";
		close(fd);
		fd = next;
		part = more;
	}
	if (fd >= 0 && part && fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		why = S_ISLNK(st.st_mode) ? "a symlink" : !S_ISREG(st.st_mode)
		      ? "not a regular file (a device, FIFO, socket or folder)"
		      : st.st_size > MAX_FILE ? "over 4 MiB" : NULL;
		next = why ? -1 : openat(fd, part, O_RDONLY | O_NOFOLLOW |
					 O_NONBLOCK | O_CLOEXEC);
		close(fd);
		fd = next;
	} else if (fd >= 0) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		why = "not a regular file";
		close(fd);
		fd = -1;
	}
	free(path);
	return fd >= 0 ? fd : why ? vmlab_fail(err, -EPERM, "%s", why) : -ENOENT;
}

/* Write text over work/rel (a file of the fresh copy, never a link). */
static int put(const char *work, const char *rel, const char *text)
{
	char *path = grade_text_fmt("%s/%s", work, rel);
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
			     O_CLOEXEC, 0644) : -1, rc = 0;
	size_t n = strlen(text);
	if (fd < 0)
		rc = path ? -errno : -ENOMEM;
	else if (write(fd, text, n) != (ssize_t)n)
		rc = -EIO;
	if (fd >= 0 && close(fd) && !rc)
		rc = -errno;
	free(path);
	return rc;
}

/* The handout's version of the instructor's file rel. */
static int put_stub(const char *ref, const char *work, const char *rel)
{
	char *path = grade_text_fmt("%s/%s", ref, rel), *out = NULL;
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1, regions, line;
	char *text = fd < 0 ? NULL : slurp_fd(fd);
	int rc = !text ? -EIO
		 : grade_marker_strip(text, NULL, &out, &regions, &line, NULL);
	if (!rc)
		rc = put(work, rel, out);
	free(text);
	free(out);
	free(path);
	return rc;
}

int grade_manifest_apply(const struct grade_manifest *m, const char *ref,
			 const char *sub, const char *work, char **notes,
			 int *taken)
{
	int rc = 0;
	*notes = NULL;
	*taken = 0;
	for (size_t i = 0; !rc && i < m->n; i++) {
		struct vmlab_err err;
		int fd = open_student(sub, m->files[i], &err);
		char *text = fd >= 0 ? slurp_fd(fd) : NULL;
		if (text) {
			rc = put(work, m->files[i], text);
			(*taken)++;
		} else {
			rc = put_stub(ref, work, m->files[i]);
		}
		if (!rc && fd == -EPERM)
			rc = grade_text_cat(notes, "%s: %s: refused (graded as the "
					    "handout's stub)\n", m->files[i], err.msg);
		free(text);
	}
	return rc;
}

/* Count what dir (tree-relative rel) holds that m does not name. */
static int count_unused(const struct grade_manifest *m, const char *sub,
			const char *rel)
{
	char *dir = grade_text_fmt("%s/%s", sub, rel);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *r = grade_text_fmt("%s/%s", rel, e->d_name);
		char *p = grade_text_fmt("%s/%s", dir, e->d_name);
		struct stat st;
		if (r && p && lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode) && !is_output(e->d_name))
				n += count_unused(m, sub, r);
			else if (!S_ISDIR(st.st_mode) && !grade_manifest_has(m, r))
				n++;
		}
		free(r);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	return n;
}

int grade_manifest_unused(const struct grade_manifest *m, const char *sub,
			  const char *labrel)
{
	return count_unused(m, sub, labrel);
}

/* l->ref and l->student: what the copy's steps hide (grade_secret.h). */
static int note_secrets(struct grade_lab *l, const char *ref,
			const struct grade_manifest *m)
{
	size_t skip = strlen(l->rel) + 1;
	l->ref = realpath(ref, NULL);
	l->student = calloc(m->n + 1, sizeof(*l->student));
	if (!l->ref || !l->student)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		if (!(l->student[i] = strdup(m->files[i] + skip)))
			return -ENOMEM;
	return 0;
}

/* The board's words on what crossed: refused files, and how many were not
 * used. NULL when there is nothing to say. */
static char *note_of(const struct grade_lab *l, const char *refused, int unused)
{
	char *note = refused ? strdup(refused) : NULL;
	if (unused > 0)
		grade_text_cat(&note, "%d file%s of your submission in %s %s not "
			       "used (only the student files are graded: grade "
			       "--list-files --lab %s)\n", unused,
			       unused == 1 ? "" : "s", l->rel,
			       unused == 1 ? "was" : "were", l->id);
	return note;
}

int grade_manifest_stage(struct grade_lab *l, const char *ref, const char *sub,
			 const char *tmp)
{
	struct grade_manifest m;
	struct stat st;
	char *refused = NULL, *lab = grade_text_fmt("%s/%s", sub, l->rel);
	struct vmlab_err err;  /* the path grade_tree_fresh failed on, if any */
	int taken = 0, rc = lab ? 0 : -ENOMEM;
	vmlab_err_clear(&err);
	l->ref_dir = l->dir;
	l->copy = grade_text_fmt("%s/lab-%s", tmp, l->id);
	l->dir = l->copy ? grade_text_fmt("%s/%s", l->copy, l->rel) : NULL;
	if (rc || !l->dir)
		goto out;
	if (lstat(lab, &st) != 0 || !S_ISDIR(st.st_mode)) {
		int link = lstat(lab, &st) == 0 && S_ISLNK(st.st_mode);
		l->problem = grade_text_fmt("%s is missing from the submission%s",
					    l->rel, link ? " (a symlink: refused)" : "");
		goto out;              /* not built: every test at 0 */
	}
	rc = grade_manifest_read(ref, l->rel, &m);
	if (!rc) {
		rc = grade_tree_fresh(ref, l->name, l->copy, &err);
		if (!rc)
			rc = grade_manifest_apply(&m, ref, sub, l->copy, &refused, &taken);
		if (!rc)
			rc = note_secrets(l, ref, &m);
		if (!rc)
			l->note = note_of(l, refused, grade_manifest_unused(&m, sub, l->rel));
		if (!rc && !taken && m.n) {   /* none of its files: not sent */
			l->problem = grade_text_fmt("no student file of %s in the "
						    "submission (grade --list-files "
						    "--lab %s)", l->rel, l->id);
			rc = grade_tree_remove(l->copy);
		}
		grade_manifest_free(&m);
	}
	if (rc)
		l->problem = grade_text_fmt("cannot prepare %s for grading: %s%s%s",
					    l->rel, err.msg, err.msg[0] ? ": " : "",
					    strerror(-rc));
out:
	free(lab);
	free(refused);
	return rc;
}
