/*
 * grade_run.c: one test, run and judged (grade_run.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "grade_jail.h"
#include "grade_run.h"
#include "grade_secret.h"
#include "grade_text.h"

#define CAP_HEAD 6144
#define CAP_TAIL 2048
#define TEST_MEM (1ULL << 30)   /* a test's processes together (grade_cg.h) */
#define TEST_TASKS 512
#define LABVM_MEM (2ULL << 30)  /* a test with labvm's QEMU in it */

static char *cap_clean(const struct grade_cap *c)
{
	char *raw = grade_cap_text(c);
	char *s = raw ? grade_text_clean(raw, strlen(raw)) : NULL;
	free(raw);
	return s;
}

static const char *signame(int sig)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	else
		snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

/* The report line of suite/name written by graded_main.c, or NULL. */
static struct json_object *find_report(const char *text, const char *suite,
				       const char *name)
{
	char *copy = text ? strdup(text) : NULL, *save = NULL;
	struct json_object *hit = NULL;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l && !hit;
	     l = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(l), *s, *n;
		if (o && json_object_object_get_ex(o, "suite", &s) &&
		    json_object_object_get_ex(o, "name", &n) &&
		    !strcmp(json_object_get_string(s), suite) &&
		    !strcmp(json_object_get_string(n), name))
			hit = o;
		else
			json_object_put(o);
	}
	free(copy);
	return hit;
}

static int get_int(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : 0;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* "timed out after 5 s", and the stretch when the machine was busy. */
static char *timed_out(const struct grade_test *t, const char *how)
{
	if (t->scale > 1.05)
		return grade_text_fmt("timed out after %g s%s (its %g s limit, x%.1f:"
				      " the machine was that busy)", t->timeout *
				      t->scale, how, t->timeout, t->scale);
	return grade_text_fmt("timed out after %g s%s", t->timeout, how);
}

/* What Criterion saw, in words; NULL when it passed. */
static char *unit_reason(struct grade_test *t, struct json_object *rep, int done)
{
	char *why = NULL;
	struct json_object *as;
	if (!strcmp(get_str(rep, "status"), "skipped"))
		return grade_text_fmt("skipped, which scores 0: %s",
				      *get_str(rep, "message") ? get_str(rep, "message")
				      : "the test gave no reason");
	if (get_int(rep, "timed_out"))
		return timed_out(t, "");
	if (get_int(rep, "signal"))
		return grade_text_fmt("crashed: %s", signame(get_int(rep, "signal")));
	if (json_object_object_get_ex(rep, "asserts", &as))
		for (size_t i = 0; i < json_object_array_length(as); i++) {
			struct json_object *a = json_object_array_get_idx(as, i);
			grade_text_cat(&why, "%s%s:%d: %s", why ? "\n" : "",
				       get_str(a, "file"), get_int(a, "line"),
				       *get_str(a, "message") ? get_str(a, "message")
				       : "assertion failed");
		}
	if (why)
		return why;
	if (get_int(rep, "exit_code"))
		return grade_text_fmt("exited with status %d in the middle of the test",
				      get_int(rep, "exit_code"));
	if (strcmp(get_str(rep, "status"), "passed"))
		return grade_text_fmt("failed: %s", *get_str(rep, "message") ?
				      get_str(rep, "message") : "no message");
	if (!done)
		return strdup("the test stopped before its end (the code under test "
			      "called exit() or _exit()?)");
	return NULL;
}

static char *unit_verdict(struct grade_test *t, const struct grade_exit *x,
			  const char *dir, int batch)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/report", dir);
	char *text = grade_text_read(path, 1 << 20);
	snprintf(path, sizeof(path), "%s/done", dir);
	char *done = grade_text_read(path, 1 << 16), want[600];
	snprintf(want, sizeof(want), "%s/%s\n", t->suite, t->name);
	struct json_object *rep = find_report(text, t->suite, t->name);
	char *why;
	if (rep)
		why = unit_reason(t, rep, done && strstr(done, want));
	else if (x->timed_out)
		why = timed_out(t, " (killed by the grader)");
	else if (x->signal)
		why = grade_text_fmt("crashed: %s (the test runner itself)",
				     signame(x->signal));
	else
		why = grade_text_fmt("the test binary ended (exit code %d) without "
				     "reporting this test: does it still exist?",
				     x->code);
	if (!why && !batch && (x->signal || x->code))
		why = grade_text_fmt("the test runner exited with status %d", x->code);
	json_object_put(rep);
	free(text);
	free(done);
	return why;
}

/* First line where want and got differ, as "line N: expected ..., got ...". */
static char *first_diff(const char *want, const char *got)
{
	const char *ws = want, *gs = got;
	int line = 1;
	for (; *want && *want == *got; want++, got++)
		if (*want == '\n') {
			line++;
			ws = want + 1;
			gs = got + 1;
		}
	int wl = (int)strcspn(ws, "\n"), gl = (int)strcspn(gs, "\n");
	return grade_text_fmt("line %d: expected \"%.*s\"%s, got \"%.*s\"%s", line,
			      wl > 200 ? 200 : wl, ws, *ws ? "" : " (end of output)",
			      gl > 200 ? 200 : gl, gs, *gs ? "" : " (end of output)");
}

static void check_regexes(char **why, const char *file, const char *stream,
			  const char *text)
{
	char *res = grade_text_read(file, 1 << 16), *save = NULL;
	for (char *re = res ? strtok_r(res, "\n", &save) : NULL; re;
	     re = strtok_r(NULL, "\n", &save)) {
		regex_t rx;
		if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE)) {
			grade_text_cat(why, "%sbad regex /%s/ in %s", *why ? "; " : "",
				       re, file);
			continue;
		}
		if (regexec(&rx, text, 0, NULL, 0))
			grade_text_cat(why, "%s%s has no line matching /%s/",
				       *why ? "; " : "", stream, re);
		regfree(&rx);
	}
	free(res);
}

char *grade_run_cli_verdict(const char *dir, const char *name, int code,
			    const char *out, const char *err)
{
	char path[4096], *why = NULL;
	const char *streams[2] = { out, err }, *names[2] = { "stdout", "stderr" };
	snprintf(path, sizeof(path), "%s/%s.rc", dir, name);
	char *rc = grade_text_read(path, 64);
	if (!rc)
		grade_text_cat(&why, "missing %s.rc", name);
	else if (atoi(rc) != code)
		grade_text_cat(&why, "exit code %d, expected %d", code, atoi(rc));
	free(rc);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, name, i ? "err" : "out");
		char *want = grade_text_read(path, 1 << 20);
		if (want && strcmp(want, streams[i])) {
			char *d = first_diff(want, streams[i]);
			grade_text_cat(&why, "%s%s differs, %s", why ? "; " : "",
				       names[i], d ? d : "");
			free(d);
		}
		free(want);
		snprintf(path, sizeof(path), "%s/%s.%s.re", dir, name,
			 i ? "err" : "out");
		check_regexes(&why, path, names[i], streams[i]);
	}
	return why;
}

double grade_time_scale(void)
{
	double load = 0, k = 1;
	FILE *f = fopen("/proc/loadavg", "re");
	if (f && fscanf(f, "%lf", &load) != 1)
		load = 0;
	if (f)
		fclose(f);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus > 0 && load / (double)cpus > k)
		k = load / (double)cpus;
	const char *env = getenv("GRADE_TIME_SCALE");
	double host = env ? strtod(env, NULL) : 0;
	if (host > k)
		k = host;
	return k > 8 ? 8 : k;
}

static int fill_env(char **env, size_t n, const struct grade_ctx *c,
		    const char *dir, double scale)
{
	size_t i = 0;
	env[i++] = strdup("PATH=/usr/local/bin:/usr/bin:/bin");
	env[i++] = strdup("LANG=C.UTF-8");
	env[i++] = grade_text_fmt("HOME=%s", dir);
	env[i++] = grade_text_fmt("TMPDIR=%s", dir);
	env[i++] = grade_text_fmt("GRADED_REPORT=%s/report", dir);
	env[i++] = grade_text_fmt("GRADED_DONE=%s/done", dir);
	env[i++] = grade_text_fmt("PROG=%s", c->prog ? c->prog : "");
	env[i++] = grade_text_fmt("GRADE_TIME_SCALE=%.2f", scale);  /* graded_main.c */
	env[i] = NULL;
	for (size_t k = 0; k < i && k < n; k++)
		if (!env[k])
			return -ENOMEM;
	return 0;
}

/*
 * The upper layer the tests of a GRADE_NEEDS labvm lab share (grade_run.h):
 * one folder of the grader's scratch per lab folder graded, so that two
 * submissions' copies of a lab never share one. NULL for other labs: each
 * test then has its own. Made the first time; malloc'd.
 */
static char *shared_upper(const struct grade_ctx *c)
{
	unsigned long long h = 1469598103934665603ULL;      /* FNV-1a */
	for (const char *p = c->labdir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	char *dir = c->labvm ? grade_text_fmt("%s/labvm-%016llx", c->tmp, h) : NULL;
	struct stat st;
	if (dir && mkdir(dir, 0700) != 0 &&
	    (errno != EEXIST || lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	     st.st_uid != geteuid())) {
		free(dir);
		return NULL;
	}
	return dir;
}

/*
 * "--filter=@(suite/name|...)" for the n tests at t, or NULL (no memory):
 * only those tests, though the binary may hold more (the rubric may keep a
 * stage's, or the KVM ones). Criterion's filter is an extended glob, and
 * @(a|b|...) matches any one of them.
 */
static char *filter_of(const struct grade_test *t, size_t n)
{
	char *f = grade_text_fmt("--filter=@(%s/%s", t->suite, t->name);
	int rc = f ? 0 : -ENOMEM;
	for (size_t i = 1; !rc && i < n; i++)
		rc = grade_text_cat(&f, "|%s/%s", t[i].suite, t[i].name);
	if (!rc)
		rc = grade_text_cat(&f, ")");
	if (rc) {
		free(f);
		return NULL;
	}
	return f;
}

/* Run t (with batch > 1: the batch tests of t's binary, in one run). */
static void run_in(const struct grade_ctx *c, struct grade_test *t, size_t batch,
		   const char *dir, struct grade_exit *x, int *err)
{
	double timeout = 0, k = grade_time_scale();
	for (size_t i = 0; i < batch; i++) {
		timeout += t[i].timeout * k;
		t[i].scale = k;
	}
	char *env[10] = { 0 }, *bin = NULL, *filter = NULL;
	char *argv[6] = { 0 };
	if (t->kind == GRADE_UNIT) {
		bin = grade_text_fmt("%s/%s", c->labdir, t->path);
		filter = filter_of(t, batch ? batch : 1);
		argv[0] = bin;
		int k = 1;
		argv[k++] = filter;
		argv[k++] = "-j1";
		argv[k++] = "-q";
	} else {
		argv[0] = "/bin/sh";
		argv[1] = t->path;
	}
	char *upper = shared_upper(c);
	struct grade_secret s;
	*err = t->kind == GRADE_UNIT && (!bin || !filter) ? -ENOMEM :
	       grade_secret_for(&s, c->labdir, c->ref, t->hidden ?
				GRADE_SECRET_TEST_HIDDEN : GRADE_SECRET_TEST);
	if (*err) {
		free(bin);
		free(filter);
		free(upper);
		return;
	}
	struct grade_jail j = {
		.argv = argv, .envp = env, .cwd = c->labdir,
		.timeout_s = timeout + c->slack, .cpu_s = (int)timeout + 2,
		.mem = c->labvm ? 16ULL << 30 : 4ULL << 30,   /* QEMU reserves */
		.fsize = c->labvm ? 1ULL << 40 : 256ULL << 20, .nproc = 256,
		.group_mem = c->labvm ? LABVM_MEM : TEST_MEM,
		.group_pids = TEST_TASKS,
		.merge = t->kind == GRADE_UNIT, .kvm = 1,
		.overlay = c->labdir, .private_dir = dir, .overlay_dir = upper,
		.hide = (const char *const *)s.hide,
		.reveal = (const char *const *)s.reveal,
		.cap_head = CAP_HEAD, .cap_tail = CAP_TAIL,
	};
	*err = c->labvm && !upper ? -EIO : fill_env(env, 10, c, dir, k);
	if (!*err)
		*err = grade_jail_run(&j, x);
	for (int i = 0; env[i]; i++)
		free(env[i]);
	grade_secret_free(&s);
	free(bin);
	free(filter);
	free(upper);
}

/* A test that reached its memory bound scores 0, whatever it reported. */
static char *oom_verdict(const struct grade_ctx *c, char *why)
{
	free(why);
	return grade_text_fmt("killed: its processes together used more than "
			      "the %llu MiB of memory a test may use",
			      (c->labvm ? LABVM_MEM : TEST_MEM) >> 20);
}

static void set_rerun(const struct grade_ctx *c, struct grade_test *t)
{
	if (t->kind == GRADE_UNIT)
		t->rerun = grade_text_fmt("cd %s && %s --filter='%s/%s'", c->labrel,
					  t->path, t->suite, t->name);
	else
		t->rerun = grade_text_fmt("cd %s && PROG=%s sh %s", c->labrel,
					  c->prog, t->path);
}

static char *cli_judge(const struct grade_ctx *c, struct grade_test *t,
		       const struct grade_exit *x, const char *out, const char *err)
{
	if (x->timed_out)
		return timed_out(t, "");
	char dir[4096], name[512];
	snprintf(dir, sizeof(dir), "%s/%s", c->labdir, t->path);
	*strrchr(dir, '/') = '\0';
	snprintf(name, sizeof(name), "%s", t->name);
	char *why = grade_run_cli_verdict(dir, name, x->exited ? x->code : -1,
					  out, err);
	if (x->signal) {
		char *s = grade_text_fmt("crashed: %s%s%s", signame(x->signal),
					 why ? "; " : "", why ? why : "");
		free(why);
		why = s;
	}
	return why;
}

int grade_run_test(const struct grade_ctx *c, struct grade_test *t)
{
	struct grade_exit x;
	int err = 0;
	char *dir = grade_jail_mkdir(c->tmp);
	t->ran = 1;
	set_rerun(c, t);
	if (!dir) {
		t->message = strdup("the grader could not make a private directory");
		return -errno;
	}
	run_in(c, t, 1, dir, &x, &err);
	if (err) {
		t->message = grade_text_fmt("the grader could not run the test: %s",
					    strerror(-err));
		grade_jail_rmdir(dir);
		free(dir);
		return err;
	}
	char *out = cap_clean(&x.out), *er = cap_clean(&x.err);
	t->elapsed = x.elapsed;
	t->message = t->kind == GRADE_UNIT ? unit_verdict(t, &x, dir, 0)
					   : cli_judge(c, t, &x, out ? out : "", er ? er : "");
	if (x.oom)
		t->message = oom_verdict(c, t->message);
	t->passed = t->message == NULL;
	if (t->kind == GRADE_CLI && er && *er) {
		grade_text_cat(&out, "%s--- stderr ---\n%s", out && *out ? "\n" : "", er);
	}
	t->output = out;
	free(er);
	grade_exit_free(&x);
	grade_jail_rmdir(dir);
	free(dir);
	return 0;
}

int grade_run_binary(const struct grade_ctx *c, struct grade_test *t, size_t n)
{
	struct grade_exit x;
	int err = 0;
	char *dir = grade_jail_mkdir(c->tmp);
	if (!dir)
		return -errno;
	run_in(c, t, n, dir, &x, &err);
	char *out = err ? NULL : cap_clean(&x.out);
	for (size_t i = 0; i < n; i++) {
		t[i].ran = 1;
		set_rerun(c, &t[i]);
		t[i].message = err ? grade_text_fmt("the grader could not run %s: %s",
						    t[i].path, strerror(-err))
				   : unit_verdict(&t[i], &x, dir, 1);
		if (!err && x.oom)
			t[i].message = oom_verdict(c, t[i].message);
		t[i].passed = t[i].message == NULL;
		t[i].elapsed = err ? 0 : x.elapsed / (double)n;
		if (!t[i].passed && out)
			t[i].output = strdup(out);
	}
	free(out);
	if (!err)
		grade_exit_free(&x);
	grade_jail_rmdir(dir);
	free(dir);
	return err;
}
