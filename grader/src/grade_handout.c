/*
 * grade_handout.c: the handout generator (grade_handout.h).
 *
 * Two passes: copy with exclusions (grade_tree_copy), then rewrite each
 * marked file of the copy in place. A failure removes the half-made tree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade_handout.h"
#include "grade_marker.h"
#include "grade_report.h"
#include "grade_text.h"
#include "grade_tree.h"

struct walk {
	char **pats;
	size_t npats;
	const char *dst, *upto;
	struct grade_handout_stats *st;
	struct vmlab_err *err;        /* the caller's, or NULL */
	char **marked;                /* files to strip, relative */
	size_t nmarked;
};

static int load_patterns(const char *ref, struct walk *w)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	snprintf(path, sizeof(path), "%s/grader/handout-exclude", ref);
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		char **p = realloc(w->pats, (w->npats + 1) * sizeof(*p));
		if (!p || !(p[w->npats] = strdup(line))) {
			free(p ? NULL : line);
			fclose(f);
			return -ENOMEM;
		}
		w->pats = p;
		w->npats++;
	}
	free(line);
	fclose(f);
	return 0;
}

/* C and assembly sources, and a lab's answers.txt (README, "Predict,
 * then check"): the files whose solution regions are stripped. */
static int is_c(const char *rel)
{
	const char *dot = strrchr(rel, '.'), *base = strrchr(rel, '/');
	return (dot &&
		(!strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".S") ||
		 !strcmp(dot, ".s"))) ||
	       !strcmp(base ? base + 1 : rel, "answers.txt");
}

static int is_source(const char *rel)
{
	return strncmp(rel, "labs/", 5) == 0 && is_c(rel);
}

static int skip(const char *rel, int is_dir, void *arg)
{
	struct walk *w = arg;
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	/* build/ and build-san/ (make check-asan) are outputs, never handed out */
	if (is_dir && (!strcmp(base, ".git") || !strcmp(base, "build") ||
		       !strncmp(base, "build-", 6)))
		return 1;
	/* Hidden tests are the instructor's, whatever handout-exclude says. */
	if (is_dir && fnmatch("labs/*/tests/hidden", rel, FNM_PATHNAME) == 0)
		return 1;
	for (size_t i = 0; i < w->npats; i++) {
		const char *p = w->pats[i];
		size_t n = strlen(p);
		char pat[PATH_MAX];
		snprintf(pat, sizeof(pat), "%.*s", (int)(n && p[n - 1] == '/' ? n - 1 : n), p);
		if (fnmatch(pat, rel, FNM_PATHNAME) == 0)
			return 1;
	}
	if (!is_dir) {
		w->st->files++;
		if (is_source(rel)) {
			char **m = realloc(w->marked, (w->nmarked + 1) * sizeof(*m));
			if (m) {
				w->marked = m;
				m[w->nmarked++] = strdup(rel);
			}
		}
	}
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t n = 0;
	if (!f)
		return NULL;
	if (getdelim(&text, &n, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	return text;
}

static int strip_one(const char *ref, struct walk *w, const char *rel)
{
	char path[PATH_MAX], *out = NULL;
	int regions, line;
	struct vmlab_err e;
	snprintf(path, sizeof(path), "%s/%s", w->dst, rel);
	char *text = slurp(path);
	if (!text)
		return -errno;
	int rc = grade_marker_strip(text, w->upto, &out, &regions, &line, &e);
	free(text);
	if (rc == -EINVAL)
		vmlab_fail(w->err, rc, "%s/%s:%d: %s", ref, rel, line, e.msg);
	if (rc || regions == 0) {
		free(out);
		return rc;
	}
	rc = grade_report_write(path, out);
	free(out);
	w->st->stripped++;
	w->st->regions += regions;
	return rc;
}

int grade_handout_make(const char *ref, const char *dst, const char *upto,
		       struct grade_handout_stats *st, struct vmlab_err *err)
{
	struct walk w = { .dst = dst, .upto = upto, .st = st, .err = err };
	int rc = 0;
	vmlab_err_clear(err);
	*st = (struct grade_handout_stats){ 0 };
	if (grade_tree_isdir(dst) || (rc = load_patterns(ref, &w)) != 0)
		return vmlab_fail(err, grade_tree_isdir(dst) ? -EEXIST : rc, "%s", dst);
	rc = grade_tree_copy(ref, dst, skip, &w, err);
	for (size_t i = 0; !rc && i < w.nmarked; i++)
		rc = strip_one(ref, &w, w.marked[i]);
	if (rc)
		grade_tree_remove(dst);
	for (size_t i = 0; i < w.nmarked; i++)
		free(w.marked[i]);
	for (size_t i = 0; i < w.npats; i++)
		free(w.pats[i]);
	free(w.marked);
	free(w.pats);
	return rc;
}

/* The files to strip under a lab's folder (no build/ outputs), for nftw,
 * which passes no argument: one walk at a time. */
static struct walk *listing;
static size_t top_len;

static int add_file(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	(void)sb;
	const char *base = path + ftw->base;
	if (type == FTW_D && ftw->level > 0 &&
	    (!strcmp(base, "build") || !strncmp(base, "build-", 6)))
		return FTW_SKIP_SUBTREE;
	if (type != FTW_F || !is_c(base))
		return FTW_CONTINUE;
	char **m = realloc(listing->marked, (listing->nmarked + 1) * sizeof(*m));
	if (!m)
		return FTW_STOP;
	listing->marked = m;
	m[listing->nmarked++] = strdup(path + top_len + 1);
	return FTW_CONTINUE;
}

int grade_handout_strip(const char *dir, const char *name, const char *upto,
			struct grade_handout_stats *st, struct vmlab_err *err)
{
	struct walk w = { .dst = dir, .upto = upto, .st = st, .err = err };
	vmlab_err_clear(err);
	*st = (struct grade_handout_stats){ 0 };
	listing = &w;
	top_len = strlen(dir);
	int rc = nftw(dir, add_file, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	rc = rc == 0 ? 0 : rc == FTW_STOP ? -ENOMEM : -errno;
	for (size_t i = 0; !rc && i < w.nmarked; i++)
		rc = w.marked[i] ? strip_one(name, &w, w.marked[i]) : -ENOMEM;
	if (rc && err && !err->code)   /* not a region's fault: name the folder */
		vmlab_fail(err, rc, "%s", dir);
	for (size_t i = 0; i < w.nmarked; i++)
		free(w.marked[i]);
	free(w.marked);
	return rc;
}
