/*
 * grade_build.c: building a lab (grade_lab.h's grade_lab_build): what its
 * Makefile declares, read as the grader, then the build, as the tests run,
 * without what it may not read (grade_secret.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grade_jail.h"
#include "grade_lab.h"
#include "grade_objcheck.h"
#include "grade_proc.h"
#include "grade_secret.h"
#include "grade_text.h"

extern char **environ;

/* The environment of a build: ours, without the parent make's jobserver,
 * and with TMPDIR at tmpdir when given (env[0], malloc'd: free it too). */
static char **build_env(const char *tmpdir)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (env && tmpdir && !(env[k++] = grade_text_fmt("TMPDIR=%s", tmpdir))) {
		free(env);
		return NULL;
	}
	for (size_t i = 0; env && i < n; i++)
		if (strncmp(environ[i], "MAKEFLAGS=", 10) &&
		    strncmp(environ[i], "MFLAGS=", 7) &&
		    strncmp(environ[i], "MAKELEVEL=", 10) &&
		    (!tmpdir || strncmp(environ[i], "TMPDIR=", 7)))
			env[k++] = environ[i];
	return env;
}

/* make as the grader (untrusted 0: it reads only the instructor's files),
 * or as the tests run, without what use hides (grade_secret.h). An
 * untrusted make gets a TMPDIR of its own in tmp (the compiler's temporary
 * files: a make killed at its time limit leaves none behind, and two
 * submissions' builds never share a folder), removed after it. */
static int make(struct grade_lab *l, char **argv, double timeout,
		int untrusted, const char *tmp, enum grade_secret_use use,
		struct grade_exit *x)
{
	struct grade_secret s;
	char *scratch = untrusted && tmp ? grade_jail_mkdir(tmp) : NULL;
	char **env = untrusted && tmp && !scratch ? NULL : build_env(scratch);
	int rc = !env ? -ENOMEM : grade_secret_for(&s, l->dir, l->ref, use);
	if (!rc) {
		struct grade_jail j = {
			.argv = argv, .envp = env, .cwd = l->dir, .timeout_s = timeout,
			.merge = 1, .as_self = !untrusted, .cap_head = 48 << 10,
			.cap_tail = 16 << 10, GRADE_JAIL_BUILD_LIMITS(timeout),
			.hide = (const char *const *)s.hide,
			.reveal = (const char *const *)s.reveal,
		};
		rc = grade_jail_run(&j, x);
		grade_secret_free(&s);
	}
	if (env && scratch)
		free(env[0]);
	free(env);
	if (scratch) {
		grade_jail_rmdir(scratch);
		free(scratch);
	}
	return rc;
}

/*
 * What the lab's Makefile says it needs, read by make as the grader's own
 * user: so it must read nothing a test could have written. Tests write
 * only under build/ folders, and a Makefile -includes build/ *.d (where a
 * line could run $(shell ...)): BUILD points where nobody can create a
 * thing, and in a fresh copy nothing has been built yet anyway.
 */
static int read_vars(struct grade_lab *l, const char *vars_mk, char **why)
{
	char *argv[] = { "/usr/bin/make", "-s", "--no-print-directory",
			 "-f", "Makefile", "-f", (char *)vars_mk,
			 "BUILD=/proc/vmlab-no-build", "grade-vars", NULL };
	struct grade_exit x;
	/* A bound for a make that hangs, not a pace: a loaded machine (a
	 * batch, check-stages' variants at once) took more than 30 s. */
	int rc = make(l, argv, 120, 0, NULL, GRADE_SECRET_BUILD, &x);
	if (rc)
		return rc;
	char *out = grade_cap_text(&x.out), *p;
	if (x.timed_out || !x.exited || x.code != 0)
		*why = x.timed_out ? strdup("make timed out after 120 s")
				   : out ? grade_text_clean(out, strlen(out)) : NULL;
	if (out && (p = strstr(out, "PROG=")))
		l->prog = grade_text_fmt("build/%.*s", (int)strcspn(p + 5, "\n"), p + 5);
	if (out && (p = strstr(out, "NEEDS="))) {
		size_t n = strcspn(p + 6, "\n");
		char *needs = strndup(p + 6, n);
		l->needs_kvm = needs && strstr(needs, "kvm") != NULL;
		l->needs_labvm = needs && strstr(needs, "labvm") != NULL;
		free(needs);
	}
	if (out && (p = strstr(out, "LABVM_IN=")))
		l->labvm_in = strndup(p + 9, strcspn(p + 9, "\n"));
	if (out && (p = strstr(out, "KVM_TESTS=")) && p[10] && p[10] != '\n')
		l->kvm_bins = strndup(p + 10, strcspn(p + 10, "\n"));
	if (out && (p = strstr(out, "HW_TESTS=")) && p[9] && p[9] != '\n')
		l->hw_bins = strndup(p + 9, strcspn(p + 9, "\n"));
	free(out);
	grade_exit_free(&x);
	return l->prog ? 0 : -EINVAL;
}

/*
 * The build compiles a submission's code: as root, an #include or an
 * .incbin could read any file root can, and a compiler error would print it
 * into the results. So it runs as the tests do (as nobody when the grader
 * is root), writing only to the build/ folders of the tree's labs (a lab
 * may build another), which become nobody's.
 */
static int give_build_dirs(const struct grade_lab *l)
{
	char pat[PATH_MAX];
	glob_t g;
	int rc = 0;
	snprintf(pat, sizeof(pat), "%s/../*/Makefile", l->dir);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc && !rc; i++) {
		char *dir = grade_text_fmt("%.*s/build",
					   (int)(strrchr(g.gl_pathv[i], '/') - g.gl_pathv[i]),
					   g.gl_pathv[i]);
		rc = dir ? grade_jail_give(dir) : -ENOMEM;
		free(dir);
	}
	globfree(&g);
	return rc;
}

/* One step of the build: make TARGETS..., its output added to the log. */
static int build_step(struct grade_lab *l, const char *lib, int all,
		      const char *tmp, enum grade_secret_use use)
{
	/* Warnings are feedback on the board, not a zero (mk/common.mk). */
	char *argv[] = { "/usr/bin/make", "--no-print-directory", "-f", "Makefile",
			 "-j2", (char *)lib, "WERROR=0", "tests", all ? "all" : NULL,
			 NULL };
	struct grade_exit x;
	int rc = grade_secret_modes(l->dir, l->student, use);
	if (!rc)
		rc = make(l, argv, 300, 1, tmp, use, &x);
	if (rc)
		return rc;
	char *raw = grade_cap_text(&x.out);
	char *log = raw ? grade_text_clean(raw, strlen(raw)) : NULL;
	grade_text_cat(&l->build_log, "%s", log ? log : "");
	free(raw);
	free(log);
	l->built = x.exited && x.code == 0;
	l->timed_out = x.timed_out;
	grade_exit_free(&x);
	return 0;
}

/*
 * In a copy, two steps (grade_secret.h): the student's code and the
 * visible tests without tests/hidden, then the hidden tests, which only
 * link the student's objects. In the instructor's own tree, one.
 */
static int build_steps(struct grade_lab *l, const char *lib, const char *tmp)
{
	int rc = build_step(l, lib, 1, tmp, l->ref ? GRADE_SECRET_BUILD
					    : GRADE_SECRET_BUILD_HIDDEN);
	if (!rc && l->built && l->ref)
		rc = build_step(l, lib, 0, tmp, GRADE_SECRET_BUILD_HIDDEN);
	if (!rc && l->ref)
		rc = grade_secret_modes(l->dir, l->student, GRADE_SECRET_TEST);
	l->build_failed = !l->built;
	return rc;
}

int grade_lab_build(struct grade_lab *l, const char *grader_dir,
		    const char *graded_lib, const char *tmp)
{
	char vars[PATH_MAX], lib[PATH_MAX + 16];
	struct stat st;
	double t0 = grade_proc_now();
	if (stat(l->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (!l->problem)
			l->problem = grade_text_fmt("%s is missing from the tree", l->rel);
		return 0;
	}
	snprintf(vars, sizeof(vars), "%s/src/grade_vars.mk", grader_dir);
	snprintf(lib, sizeof(lib), "GRADED_LIB=%s", graded_lib);
	char *why = NULL;
	int rc = read_vars(l, vars, &why);
	if (rc) {
		l->problem = grade_text_fmt("cannot read PROG from %s/Makefile%s%s",
					    l->rel, why ? ": " : "", why ? why : "");
		free(why);
		return 0;
	}
	free(why);
	if ((rc = give_build_dirs(l)) != 0) {
		l->problem = grade_text_fmt("cannot prepare the build folders of %s: %s",
					    l->rel, strerror(-rc));
		return 0;
	}
	rc = build_steps(l, lib, tmp);
	if (rc)
		return rc;
	if (!l->built)
		l->problem = grade_text_fmt("the build failed%s: make -C %s all tests",
					    l->timed_out ? " (timed out)" : "", l->rel);
	else                    /* before any of it runs: grade_objcheck.h */
		grade_objcheck(l);
	l->build_s = grade_proc_now() - t0;
	return 0;
}
