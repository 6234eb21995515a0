/*
 * grade_lab.c: a tree's labs, their rubric and their tests (grade_lab.h;
 * the build is grade_build.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grade_jail.h"
#include "grade_lab.h"
#include "grade_marker.h"
#include "grade_pool.h"
#include "grade_run.h"
#include "grade_secret.h"
#include "grade_text.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int grade_lab_list(const char *top, const char *only, struct grade_lab **labs,
		   size_t *n)
{
	char pat[PATH_MAX];
	glob_t g;
	snprintf(pat, sizeof(pat), "%s/labs/*/Makefile", top);
	*labs = NULL;
	*n = 0;
	if (glob(pat, 0, NULL, &g) != 0)
		return only ? -ENOENT : 0;
	struct grade_lab *l = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof(*l));
	if (!l) {
		globfree(&g);
		return -ENOMEM;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {   /* glob sorts: 01, 02, ... */
		char *dir = g.gl_pathv[i];
		*strrchr(dir, '/') = '\0';
		const char *name = strrchr(dir, '/') + 1;
		if (only && strncmp(name, only, strlen(only)))
			continue;
		struct grade_lab *x = &l[(*n)++];
		snprintf(x->id, sizeof(x->id), "%.*s", (int)strcspn(name, "-"), name);
		x->name = strdup(name);
		x->dir = strdup(dir);
		x->rel = grade_text_fmt("labs/%s", name);
	}
	globfree(&g);
	*labs = l;
	return only && *n == 0 ? -ENOENT : 0;
}

/* Test binaries under build/tests (and build/tests/hidden), lab-relative. */
static int list_bins(const struct grade_lab *l, glob_t *g)
{
	char pat[PATH_MAX];
	int flags = 0;
	memset(g, 0, sizeof(*g));
	for (int i = 0; i < 2; i++) {
		snprintf(pat, sizeof(pat), "%s/build/tests/%stest_*", l->dir,
			 i ? "hidden/" : "");
		int rc = glob(pat, flags, NULL, g);
		if (rc && rc != GLOB_NOMATCH)
			return -ENOMEM;
		flags = GLOB_APPEND;
	}
	return 0;
}

static int is_bin(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & S_IXUSR) && strcmp(path + n - 2, ".o") &&
	       strcmp(path + n - 2, ".d");
}

static int rubric_of_bin(struct grade_lab *l, const char *bin, const char *tmp)
{
	char *dir = grade_jail_mkdir(tmp), *env[] = { "PATH=/usr/bin:/bin", NULL };
	char *argv[] = { (char *)bin, "--rubric", NULL };
	struct grade_secret s = { 0 };
	int rc = dir ? grade_secret_for(&s, l->dir, l->ref, strstr(bin, "/hidden/") ?
					GRADE_SECRET_TEST_HIDDEN : GRADE_SECRET_TEST)
		 : -ENOMEM;
	struct grade_jail j = {
		.argv = argv, .envp = env, .cwd = l->dir, .timeout_s = 20,
		.cpu_s = 20, .mem = 4ULL << 30, .nproc = 64,
		.hide = (const char *const *)s.hide,
		.reveal = (const char *const *)s.reveal,
		.cap_head = 1 << 20, .cap_tail = 0,
	};
	struct grade_exit x;
	if (!rc)
		rc = grade_jail_run(&j, &x);
	grade_secret_free(&s);
	if (dir) {
		grade_jail_rmdir(dir);
		free(dir);
	}
	if (rc)
		return rc;
	char *out = grade_cap_text(&x.out);
	rc = !out ? -ENOMEM : (!x.exited || x.code) ? -EINVAL
	     : grade_rubric_parse(&l->r, bin + strlen(l->dir) + 1, out);
	if (rc)
		l->problem = grade_text_fmt("%s --rubric gave no rubric: is it "
					    "linked with libgraded.a?",
					    bin + strlen(l->dir) + 1);
	free(out);
	grade_exit_free(&x);
	return rc;
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
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Where the rubric is read: the instructor's lab. */
static const char *sources_dir(const struct grade_lab *l)
{
	return l->ref_dir ? l->ref_dir : l->dir;
}

static int rubric_of_sources(struct grade_lab *l)
{
	char pat[PATH_MAX], bin[PATH_MAX];
	const char *dir = sources_dir(l);
	int rc = 0;
	for (int i = 0; i < 2 && !rc; i++) {
		glob_t g;
		snprintf(pat, sizeof(pat), "%s/tests/%stest_*.c", dir,
			 i ? "hidden/" : "");
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc && !rc; k++) {
			char *src = slurp(g.gl_pathv[k]);
			const char *base = strrchr(g.gl_pathv[k], '/') + 1;
			snprintf(bin, sizeof(bin), "build/tests/%s%.*s", i ? "hidden/" : "",
				 (int)strlen(base) - 2, base);
			rc = src ? grade_rubric_scan(&l->r, bin, src) : -errno;
			free(src);
		}
		globfree(&g);
	}
	return rc;
}

static int rubric_of_cli(struct grade_lab *l)
{
	char pat[PATH_MAX];
	const char *dir = sources_dir(l);
	glob_t g;
	int rc = 0;
	snprintf(pat, sizeof(pat), "%s/tests/cli/*.run", dir);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	for (size_t k = 0; k < g.gl_pathc && !rc; k++) {
		char line[512] = "";
		FILE *f = fopen(g.gl_pathv[k], "r");
		if (f && !fgets(line, sizeof(line), f))
			line[0] = '\0';
		if (f)
			fclose(f);
		const char *rel = g.gl_pathv[k] + strlen(dir) + 1;
		rc = grade_rubric_cli(&l->r, rel, line);
		if (rc)
			l->problem = grade_text_fmt("%s/%s: the first line must be "
						    "\"# points=N stage=NN.S title\"",
						    l->rel, rel);
	}
	globfree(&g);
	return rc;
}

/* Stages in their number's order: 03.9 before 03.10 (strcmp puts 03.10
 * after 03.1); names that are not "NN.S ..." after, by strcmp. */
static int stage_cmp(const char *a, const char *b)
{
	int la, sa, lb, sb;
	size_t n;
	int oka = grade_marker_stage(a, &la, &sa, &n) == 0;
	int okb = grade_marker_stage(b, &lb, &sb, &n) == 0;
	if (oka && okb && (la != lb || sa != sb))
		return la != lb ? (la < lb ? -1 : 1) : (sa < sb ? -1 : 1);
	if (oka != okb)
		return oka ? -1 : 1;
	return strcmp(a, b);
}

static int by_stage(const void *a, const void *b)
{
	const struct grade_test *x = a, *y = b;
	int c = stage_cmp(x->stage, y->stage);
	if (!c)
		c = (int)x->kind - (int)y->kind;
	if (!c)
		c = strcmp(x->path, y->path);
	if (!c)
		c = strcmp(x->suite, y->suite);
	return c ? c : strcmp(x->name, y->name);
}

void grade_lab_sort(struct grade_lab *l)
{
	if (l->r.n)      /* qsort of NULL, even of 0 items, is undefined */
		qsort(l->r.t, l->r.n, sizeof(*l->r.t), by_stage);
}

/* Does the rubric of the binaries (a) say what the sources say (b)? */
static int same_rubric(const struct grade_rubric *a, const struct grade_rubric *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct grade_test *x = &a->t[i], *y = &b->t[i];
		if (strcmp(x->suite, y->suite) || strcmp(x->name, y->name) ||
		    strcmp(x->path, y->path) || strcmp(x->stage, y->stage) ||
		    x->points != y->points || x->hidden != y->hidden ||
		    x->bonus != y->bonus || x->timeout != y->timeout)
			return 0;
	}
	return 1;
}

/* In the instructor's own tree: the built binaries' --rubric must be the
 * rubric read from the sources, or the grade would drift from the tests. */
static int check_binaries(struct grade_lab *l, const char *tmp)
{
	struct grade_rubric src = l->r;
	glob_t g;
	int rc = list_bins(l, &g);
	l->r = (struct grade_rubric){ 0 };
	for (size_t i = 0; !rc && i < g.gl_pathc; i++)
		if (is_bin(g.gl_pathv[i]))
			rc = rubric_of_bin(l, g.gl_pathv[i], tmp);
	if (!rc)
		grade_lab_sort(l);
	if (!rc && !same_rubric(&l->r, &src)) {
		rc = -EPROTO;
		l->problem = grade_text_fmt("the GRADED lines of %s/tests say %zu "
					    "tests, its binaries' --rubric %zu (or "
					    "other points, or bonus): fix the parser "
					    "or the line",
					    l->rel, src.n, l->r.n);
	}
	globfree(&g);
	grade_rubric_free(&l->r);
	l->r = src;
	return rc;
}

int grade_lab_rubric(struct grade_lab *l, const char *tmp)
{
	int rc = rubric_of_sources(l);
	if (!rc)
		grade_lab_sort(l);
	/* Inside labvm (l->batch) the host's grade has already asked these
	 * binaries, or had no business asking them (a student's build): each
	 * start there costs about 0.1 s of emulation, twenty a grade. */
	if (!rc && l->built && !l->ref_dir && !l->batch)
		rc = check_binaries(l, tmp);
	if (!rc)
		rc = rubric_of_cli(l);
	if (rc && !l->problem)
		l->problem = grade_text_fmt("cannot read the rubric of %s: %s",
					    l->rel, strerror(-rc));
	grade_lab_sort(l);
	return rc;
}

static int by_binary(const void *a, const void *b)
{
	const struct grade_test *x = a, *y = b;
	int c = (int)x->kind - (int)y->kind;
	return c ? c : strcmp(x->path, y->path);
}

/* One run per binary; the command-line cases one by one. */
static int run_batches(struct grade_lab *l, const struct grade_ctx *c,
		       grade_progress *cb, void *arg)
{
	int rc = 0;
	if (l->r.n)
		qsort(l->r.t, l->r.n, sizeof(*l->r.t), by_binary);
	for (size_t i = 0, k; i < l->r.n; i = k) {
		struct grade_test *t = &l->r.t[i];
		for (k = i + 1; k < l->r.n && t->kind == GRADE_UNIT &&
		     l->r.t[k].kind == GRADE_UNIT && !strcmp(l->r.t[k].path, t->path);)
			k++;
		if (cb)
			cb(l, k - 1, l->r.n, arg);
		int e = t->kind == GRADE_UNIT ? grade_run_binary(c, t, k - i)
					      : grade_run_test(c, t);
		if (e && !rc)
			rc = e;
	}
	grade_lab_sort(l);
	return rc;
}

int grade_lab_run(struct grade_lab *l, const char *tmp, grade_progress *cb,
		  void *arg)
{
	struct grade_ctx c = {
		.labdir = l->dir, .labrel = l->rel, .prog = l->prog, .tmp = tmp,
		.kvm = l->needs_kvm, .labvm = l->needs_labvm, .slack = 3,
		.ref = l->ref,
	};
	double t0 = now();
	int rc = 0;
	if (!l->where)
		l->where = strdup("host");
	if (l->built && l->batch) {
		rc = run_batches(l, &c, cb, arg);
		l->test_s = now() - t0;
		return rc;
	}
	if (l->built && l->jobs > 1 && !c.labvm && grade_jail_apart()) {
		rc = grade_pool_run(l, &c, l->jobs, cb, arg);
		l->test_s = now() - t0;
		return rc;
	}
	for (size_t i = 0; i < l->r.n; i++) {
		struct grade_test *t = &l->r.t[i];
		if (cb)
			cb(l, i, l->r.n, arg);
		if (!l->built) {
			t->ran = 1;
			t->message = strdup(l->problem ? l->problem : "not built");
			continue;
		}
		int e = grade_run_test(&c, t);
		if (e && !rc)
			rc = e;
	}
	l->test_s = now() - t0;
	return rc;
}

void grade_lab_free(struct grade_lab *labs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct grade_lab *l = &labs[i];
		free(l->name);
		free(l->dir);
		free(l->ref_dir);
		free(l->rel);
		free(l->prog);
		free(l->copy);
		free(l->note);
		free(l->ref);
		for (size_t k = 0; l->student && l->student[k]; k++)
			free(l->student[k]);
		free(l->student);
		free(l->labvm_in);
		free(l->kvm_bins);
		free(l->hw_bins);
		free(l->problem);
		free(l->build_log);
		free(l->where);
		grade_rubric_free(&l->r);
	}
	free(labs);
}
