/*
 * grade_stages.c: grade --check-stages (grade_stages.h).
 *
 *   stages of the rubric    S1 .. Sn            (read from the test sources)
 *   variant i               regions <= Si solved, later ones stubbed
 *                           (variant 0: every region of the lab stubbed)
 *   graded                  the distinct variants, `jobs` at once, each by
 *                           a child grade that runs only the tests of
 *                           stages up to the next one
 *   (a) of Si               variant i: every test of stages <= Si passes
 *   (b) of Si               variant i-1: stage Si at most 10% of its points
 * A stage without a region of its own has no (b): its variant is the one
 * before, and its line says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade_handout.h"
#include "grade_jail.h"
#include "grade_lab.h"
#include "grade_marker.h"
#include "grade_proc.h"
#include "grade_stages.h"
#include "grade_text.h"
#include "grade_tree.h"

extern char **environ;

enum { MAX_STAGES = 32 };

struct stage {
	char id[8];             /* "03.2" */
	int num, points;
	int variant;            /* the variant solved up to it */
};

struct variant {
	char *dir, *results, *log;
	char upto[8];           /* its last stage solved ("" for none) */
	char filter[8];         /* the last stage its grade runs */
	int regions;            /* regions stubbed */
	int skipped;            /* the reference itself, graded elsewhere */
	struct grade_proc p;
	json_object *tests;     /* the results' tests, once graded */
	char *problem;
};

struct check {
	const struct grade_stages_opts *o;
	const struct grade_lab *l;
	const char *tmp;
	char *const *env;       /* the variants' grades' environment */
	struct stage st[MAX_STAGES];
	struct variant v[MAX_STAGES + 1];
	int nst, nv;
};

static int stage_num(const char *id)
{
	int lab, num;
	size_t len;
	return grade_marker_stage(id, &lab, &num, &len) ? -1 : num;
}

/* Does a test of stage id (a stage's "NN.S title") stay? */
typedef int stage_keep(const char *stage, const void *arg);

/* Keep the tests keep() says, hidden ones with their flag. */
static void keep_if(struct grade_rubric *r, stage_keep *keep_it, const void *arg)
{
	size_t n = r->n, k = 0;
	int *hidden = calloc(n + 1, sizeof(*hidden)), *keep = calloc(n + 1, sizeof(*keep));
	if (!hidden || !keep) {
		free(hidden);
		free(keep);
		return;
	}
	/* Mark the others hidden, drop them, give the rest their flag. */
	for (size_t i = 0; i < n; i++) {
		hidden[i] = r->t[i].hidden;
		keep[i] = keep_it(r->t[i].stage, arg);
		r->t[i].hidden = !keep[i];
	}
	grade_rubric_drop_hidden(r);
	for (size_t i = 0; i < n; i++)
		if (keep[i])
			r->t[k++].hidden = hidden[i];
	free(hidden);
	free(keep);
}

static int up_to(const char *stage, const void *arg)
{
	return stage_num(stage) <= *(const int *)arg;
}

void grade_stages_keep(struct grade_rubric *r, const char *upto)
{
	int last = stage_num(upto);
	if (last >= 0)
		keep_if(r, up_to, &last);
}

/* Is the id of stage ("03.2 real mode") one of list's ("03.2,03.4")? */
static int listed(const char *stage, const void *arg)
{
	int lab, num;
	size_t len;
	char id[16];
	if (grade_marker_stage(stage, &lab, &num, &len) != 0)
		return 0;
	snprintf(id, sizeof(id), "%.*s", (int)len, stage);
	return grade_text_has_word(arg, id, ",");
}

void grade_stages_only(struct grade_rubric *r, const char *list)
{
	keep_if(r, listed, list);
}

void grade_stages_filter(struct grade_rubric *r, const char *upto,
			 const char *only)
{
	if (upto)
		grade_stages_keep(r, upto);
	if (only)
		grade_stages_only(r, only);
}

int grade_stages_list_valid(const char *list)
{
	for (const char *p = list;; p++) {
		int lab, num;
		size_t len;
		if (grade_marker_stage(p, &lab, &num, &len) != 0)
			return 0;
		p += len;
		if (*p == '\0')
			return 1;
		if (*p != ',')
			return 0;
	}
}

/* The stages of the lab's rubric, in order, with their points. */
static int read_stages(struct check *c)
{
	const struct grade_rubric *r = &c->l->r;
	for (size_t i = 0; i < r->n; i++) {
		int num = stage_num(r->t[i].stage), k = 0;
		while (k < c->nst && c->st[k].num < num)
			k++;
		if (k == c->nst || c->st[k].num != num) {
			if (c->nst == MAX_STAGES || num < 0)
				return -EINVAL;
			memmove(&c->st[k + 1], &c->st[k], (size_t)(c->nst - k) * sizeof(c->st[0]));
			c->st[k] = (struct stage){ .num = num };
			snprintf(c->st[k].id, sizeof(c->st[k].id), "%.2s.%d",
				 c->l->id, num % 1000);
			c->nst++;
		}
		c->st[k].points += r->t[i].points;
	}
	return c->nst ? 0 : -ENOENT;
}

static int no_builds(const char *rel, int is_dir, void *arg)
{
	(void)arg;
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	return is_dir && (!strcmp(base, "build") || !strncmp(base, "build-", 6) ||
			  !strcmp(base, ".git"));
}

/* Variant i: the instructor's labs/, the lab's regions up to upto solved. */
static int make_variant(struct check *c, int i, const char *upto,
			struct vmlab_err *err)
{
	struct variant *v = &c->v[i];
	struct grade_handout_stats hs = { 0 };
	char *from = grade_text_fmt("%s/labs", c->o->ref);
	v->dir = grade_text_fmt("%s/%s-%d", c->tmp, c->l->id, i);
	char *labs = grade_text_fmt("%s/labs", v->dir);
	char *lab = grade_text_fmt("%s/%s", labs, c->l->name);
	int rc = from && v->dir && labs && lab ? 0 : -ENOMEM;
	snprintf(v->upto, sizeof(v->upto), "%s", upto ? upto : "");
	if (!rc && mkdir(v->dir, 0755) != 0)
		rc = -errno;
	if (!rc)
		rc = grade_tree_copy(from, labs, no_builds, NULL, err);
	if (!rc)
		rc = grade_handout_strip(lab, c->l->rel, upto, &hs, err);
	v->regions = hs.regions;
	free(from);
	free(labs);
	free(lab);
	return rc;
}

/* The variants, the same tree made once: a stage without a region of its
 * own shares the variant of the stage before. */
static int make_variants(struct check *c, struct vmlab_err *err)
{
	int rc = make_variant(c, 0, NULL, err);
	c->nv = 1;
	for (int i = 0; !rc && i < c->nst; i++) {
		rc = make_variant(c, c->nv, c->st[i].id, err);
		if (!rc && c->v[c->nv].regions == c->v[c->nv - 1].regions) {
			grade_tree_remove(c->v[c->nv].dir);
			free(c->v[c->nv].dir);
			c->v[c->nv].dir = NULL;
			snprintf(c->v[c->nv - 1].upto, sizeof(c->v[0].upto), "%s", c->st[i].id);
		} else if (!rc) {
			c->nv++;
		}
		c->st[i].variant = c->nv - 1;
	}
	/* Each variant runs the tests up to the stage after its last one. */
	for (int i = 0, k = 0; i < c->nv; i++) {
		while (k < c->nst && c->st[k].variant <= i)
			k++;
		snprintf(c->v[i].filter, sizeof(c->v[i].filter), "%s",
			 c->st[k < c->nst ? k : c->nst - 1].id);
	}
	return rc;
}

static int start(struct check *c, struct variant *v)
{
	char jobs[16];
	snprintf(jobs, sizeof(jobs), "%d", c->o->jobs > 1 ? 2 : 4);
	free(v->results);
	free(v->log);
	v->results = grade_text_fmt("%s.json", v->dir);
	v->log = grade_text_fmt("%s.log", v->dir);
	if (!v->results || !v->log)
		return -ENOMEM;
	char *argv[] = { (char *)c->o->self, "--tree", v->dir, "--ref",
			 (char *)c->o->ref, "--lab", (char *)c->l->id, "--stage",
			 v->filter, "--results", v->results, "-j", jobs, NULL };
	int fd = open(v->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int rc = grade_proc_start(&v->p, argv, c->env, fd, NULL, NULL);
	close(fd);
	return rc;
}

/* The end of a file, for a grade that gave no results. */
static char *tail_of(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[601] = "";
	if (f) {
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, n > 600 ? n - 600 : 0, SEEK_SET);
		buf[fread(buf, 1, 600, f)] = '\0';
		fclose(f);
	}
	return strdup(buf);
}

/* Did labvm fail to boot (a kernel panic under a loaded host's emulation,
 * a timeout)? Then nothing of the variant was graded: worth a second try. */
static int labvm_failed(const struct variant *v)
{
	char *all = NULL;
	FILE *f = fopen(v->log, "r");
	size_t n = 0;
	if (f && getdelim(&all, &n, '\0', f) < 0) {
		free(all);
		all = NULL;
	}
	if (f)
		fclose(f);
	int failed = all && strstr(all, "no test ran; every one failed") &&
		     strstr(all, "labvm gave no results");
	free(all);
	return failed;
}

static void finish(struct variant *v)
{
	int st = 0;
	grade_proc_wait(&v->p, grade_proc_now() + 3600, &st);
	json_object *root = json_object_from_file(v->results), *tests = NULL;
	if (root && json_object_object_get_ex(root, "tests", &tests))
		v->tests = json_object_get(tests);
	else
		v->problem = tail_of(v->log);
	json_object_put(root);
}

/* Grade the variants, jobs at once (waiting for the oldest first). With
 * a compiler cache the first goes alone: it fills the cache that the
 * others then hit, where two at once would each compile everything. */
static int grade_all(struct check *c)
{
	int next = 0, done = 0, rc = 0, nv = c->nv - c->v[c->nv - 1].skipped;
	int jobs = c->o->jobs > 0 ? c->o->jobs : 2, cached = c->env != environ;
	while (done < nv) {
		while (!rc && next < nv &&
		       next - done < (cached && done == 0 ? 1 : jobs))
			rc = start(c, &c->v[next++]);
		if (rc)
			next = done;             /* stop starting; wait for those */
		if (done >= next)
			break;
		struct variant *v = &c->v[done++];
		finish(v);
		if (labvm_failed(v) && start(c, v) == 0) {       /* once more */
			json_object_put(v->tests);
			free(v->problem);
			v->tests = NULL;
			v->problem = NULL;
			finish(v);
		}
	}
	return rc;
}

/* "name: the first line of what it said", on a line of its own. */
static void add_failure(char **failed, json_object *t)
{
	json_object *x;
	const char *name = json_object_object_get_ex(t, "name", &x)
				   ? json_object_get_string(x) : "?";
	const char *out = json_object_object_get_ex(t, "output", &x)
				  ? json_object_get_string(x) : "";
	if (strlen(*failed) > 4000)
		return;
	out += strspn(out, " \n");
	char *more = grade_text_fmt("%s\n        %s: %.*s", *failed, name,
				    (int)(strcspn(out, "\n") < 160 ? strcspn(out, "\n") : 160),
				    out);
	free(*failed);
	*failed = more ? more : strdup("");
}

/* What a bonus test is worth (results.json: extra_data.bonus_points), or 0.
 * A stage of bonus tests is checked like any: all passed with its regions
 * solved, at most 10% of its bonus with them stubbed. A bonus test that
 * skipped (lab 03's Linux boot, when labvm lost every boot) was not
 * judged: worth 0 here, neither passed nor failed. */
static int bonus_points(json_object *t)
{
	static const char skipped[] = "skipped, which scores 0";
	json_object *x, *b, *out;
	if (!json_object_object_get_ex(t, "extra_data", &x) ||
	    !json_object_object_get_ex(x, "bonus_points", &b))
		return 0;
	if (json_object_object_get_ex(t, "output", &out) &&
	    !strncmp(json_object_get_string(out), skipped, sizeof(skipped) - 1))
		return 0;
	return json_object_get_int(b);
}

/* Points of stage s in variant v (max too), and the tests of stages up to
 * s (all = 1) or of s alone (all = 0) that failed, into *failed. */
static int points(const struct variant *v, const struct stage *s, int all,
		  int *max, char **failed)
{
	int got = 0;
	*max = 0;
	size_t n = v->tests ? json_object_array_length(v->tests) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(v->tests, i), *x;
		const char *num = json_object_object_get_ex(t, "number", &x)
					  ? json_object_get_string(x) : "";
		int k = stage_num(num), score = 0, m = 0;
		if (json_object_object_get_ex(t, "score", &x))
			score = json_object_get_int(x);
		if (json_object_object_get_ex(t, "max_score", &x))
			m = json_object_get_int(x);
		m += bonus_points(t);  /* a bonus test's max_score is 0 */
		if (k == s->num) {
			got += score;
			*max += m;
		}
		if ((k == s->num || (all && k < s->num)) && score < m && failed)
			add_failure(failed, t);
	}
	return got;
}

/* One line for stage i: (a) in its variant, (b) in the one before. */
static int report(struct check *c, int i)
{
	const struct stage *s = &c->st[i];
	const struct variant *a = &c->v[s->variant];
	int own = i == 0 ? c->st[0].variant > 0 : s->variant != c->st[i - 1].variant;
	const struct variant *b = own ? &c->v[s->variant - 1] : NULL;
	char *fa = strdup(""), *fb = NULL;
	int max_a, max_b = 0, got_b = 0, got_a = points(a, s, 1, &max_a, &fa);
	if (b)
		got_b = points(b, s, 0, &max_b, NULL);
	int ok_a = a->skipped || (a->tests && !*fa);
	int ok_b = !b || (b->tests && got_b * 10 <= max_b);
	FILE *f = c->o->out;
	if (a->skipped)
		fprintf(f, "%s  %s  (solved: the reference itself, graded elsewhere)",
			s->id, ok_b ? "ok" : "FAIL");
	else
		fprintf(f, "%s  %s  %d/%d", s->id, ok_a && ok_b ? "ok" : "FAIL",
			got_a, max_a);
	if (b && b->tests)
		fprintf(f, "  (its regions stubbed: %d/%d%s)", got_b, max_b,
			ok_b ? "" : ", over 10%");
	else if (!b)
		fprintf(f, "  (no region of its own: nothing to stub)");
	if ((!a->tests && !a->skipped) || (b && !b->tests))
		fb = !a->tests && !a->skipped ? a->problem : b->problem;
	if (*fa)
		fprintf(f, "\n      failing with stages <= %s solved:%s", s->id, fa);
	if (fb)
		fprintf(f, "\n      the variant gave no results:\n%s", fb);
	fprintf(f, "\n");
	free(fa);
	return ok_a && ok_b;
}

static void free_check(struct check *c)
{
	for (int i = 0; i < c->nv; i++) {
		free(c->v[i].dir);
		free(c->v[i].results);
		free(c->v[i].log);
		free(c->v[i].problem);
		json_object_put(c->v[i].tests);
	}
}

static int check_lab(const struct grade_stages_opts *o, struct grade_lab *l,
		     const char *tmp, char *const *env)
{
	struct check c = { .o = o, .l = l, .tmp = tmp, .env = env };
	struct vmlab_err err;   /* why the variants could not be made */
	double t0 = grade_proc_now();
	vmlab_err_clear(&err);
	int rc = grade_lab_rubric(l, tmp), ok = 1;
	if (!rc)
		rc = read_stages(&c);
	if (!rc)
		rc = make_variants(&c, &err);
	/* GRADE_STAGES_SKIP_FULL=1: the variant with nothing stubbed is the
	 * reference itself, whose every test passing is proved elsewhere
	 * (make test: tests/honesty.sh); not graded again here. */
	const char *skip = getenv("GRADE_STAGES_SKIP_FULL");
	if (!rc && skip && !strcmp(skip, "1") && c.nv > 1 && c.v[c.nv - 1].regions == 0)
		c.v[c.nv - 1].skipped = 1;
	if (!rc)
		rc = grade_all(&c);
	for (int i = 0; !rc && i < c.nst; i++)
		ok &= report(&c, i);
	if (rc) {
		fprintf(o->out, "%s  FAIL  cannot check: %s\n", l->id,
			err.msg[0] ? err.msg : strerror(-rc));
	} else {
		int skipped = c.v[c.nv - 1].skipped, graded = c.nv - skipped;
		fprintf(o->out, "lab %s: %d stages, %d variant%s graded in %.0f s%s\n",
			l->id, c.nst, graded, graded == 1 ? "" : "s",
			grade_proc_now() - t0, skipped ?
			" (not the reference itself: GRADE_STAGES_SKIP_FULL)" : "");
	}
	fflush(o->out);
	free_check(&c);
	return rc ? rc : !ok;
}

/*
 * The variants' builds share a compiler cache, where ccache is installed
 * (Debian's puts a cc that is ccache in /usr/lib/ccache). Every variant
 * compiles the same instructor's files but for its stubbed regions, so
 * after the first most objects are hits (grader/README.md, "Checking the
 * stages").
 * - Paths count relative to TMPDIR (each grade copies its variant to a
 *   folder of its own there), and the folder itself does not (-g would
 *   put it in the hash): otherwise no two variants would share an object.
 *   Nor do the files' times: each grade's copy is new, and ccache does not
 *   trust a header younger than the build to look it up without the
 *   preprocessor.
 * - The cache (dir, a fresh folder) is this check's own and holds only the
 *   instructor's trees. Students' builds never share one: a build could
 *   plant there an object that another student's build would then link.
 *   As root the builds run as nobody: the folder is then nobody's, and
 *   stays closed to everyone else (0700), as the variants' folder does.
 * The environment (malloc'd, with its strings), or NULL: no ccache, or out
 * of memory; the grades then compile everything, as before.
 */
static void free_env(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

static char **cache_env(const char *dir)
{
	const char *path = getenv("PATH"), *base = getenv("TMPDIR");
	char real[PATH_MAX];
	size_t n = 0, k = 0;
	if (access("/usr/lib/ccache/cc", X_OK) != 0 ||
	    !realpath(base ? base : "/tmp", real) || grade_jail_give(dir) != 0)
		return NULL;
	while (environ[n])
		n++;
	char **env = calloc(n + 6, sizeof(*env)), *add[5] = {
		grade_text_fmt("PATH=/usr/lib/ccache:%s", path ? path : "/usr/bin:/bin"),
		grade_text_fmt("CCACHE_DIR=%s", dir),
		grade_text_fmt("CCACHE_BASEDIR=%s", real),
		strdup("CCACHE_NOHASHDIR=1"),
		strdup("CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime"),
	};
	int ok = env != NULL;
	for (size_t i = 0; ok && i < n; i++)
		if (strncmp(environ[i], "PATH=", 5) && strncmp(environ[i], "CCACHE_", 7))
			ok = (env[k++] = strdup(environ[i])) != NULL;
	for (size_t i = 0; i < 5; i++)
		if (ok && add[i])
			env[k++] = add[i];
		else
			ok = 0, free(add[i]);
	if (!ok) {
		free_env(env);
		return NULL;
	}
	return env;
}

/* A fresh folder "TMPDIR/vmlab-NAME.XXXXXX" (malloc'd), or NULL. */
static char *fresh_dir(const char *name)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *dir = grade_text_fmt("%s/vmlab-%s.XXXXXX", base, name);
	if (dir && !mkdtemp(dir)) {
		free(dir);
		dir = NULL;
	}
	return dir;
}

int grade_stages_check(const struct grade_stages_opts *o)
{
	struct grade_lab *labs = NULL;
	size_t n = 0;
	char *tmp = fresh_dir("stages"), *cache = tmp ? fresh_dir("ccache") : NULL;
	int rc = tmp ? 0 : -errno, failed = 0;
	char **env = cache ? cache_env(cache) : NULL;
	if (!rc)
		rc = grade_lab_list(o->ref, o->lab, &labs, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		int e = check_lab(o, &labs[i], tmp, env ? env : environ);
		failed |= e != 0;
	}
	grade_lab_free(labs, n);
	free_env(env);
	if (tmp && !getenv("GRADE_STAGES_KEEP"))
		grade_tree_remove(tmp);
	if (cache && !getenv("GRADE_STAGES_KEEP"))
		grade_tree_remove(cache);
	free(tmp);
	free(cache);
	return rc ? rc : failed;
}

int grade_stages_valid(const char *s)
{
	int lab, num;
	size_t len;
	return grade_marker_stage(s, &lab, &num, &len) == 0 && s[len] == '\0';
}

int grade_stages_main(const char *ref, const char *grader_dir, const char *lab,
		      int jobs)
{
	char *self = grade_text_fmt("%s/build/grade", grader_dir);
	struct grade_stages_opts s = { .ref = ref, .self = self, .lab = lab,
				       .jobs = jobs, .out = stdout };
	double t0 = grade_proc_now();
	int rc = self ? grade_stages_check(&s) : -ENOMEM;
	if (rc < 0)
		fprintf(stderr, "grade: check-stages: %s\n", strerror(-rc));
	else
		printf("check-stages: %s in %.0f s\n", rc ? "FAILED" : "every stage holds",
		       grade_proc_now() - t0);
	free(self);
	return rc < 0 ? 3 : rc;
}
