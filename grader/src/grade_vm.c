/*
 * grade_vm.c: one labvm boot grades a whole lab (grade_vm.h).
 *
 *   grader/labvm run --timeout T --in LAB --in GRADE --out OUT --
 *       GRADE --run-built LAB --prog build/x --outcomes /out/outcomes.json
 * labvm copies LAB (built) and the grader in at their host paths, with the
 * shared libraries they need; inside, the grader runs each test in its
 * jail exactly as on the host and writes the outcomes, which come back
 * through /out. The rubric stays the host's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grade_jail.h"
#include "grade_report.h"
#include "grade_run.h"
#include "grade_stages.h"
#include "grade_text.h"
#include "grade_vm.h"

extern char **environ;

/* Every test labvm did not run fails with why; rerunning one means
 * booting labvm again, so its rerun command is the whole lab's. */
static void fail_all(struct grade_lab *l, const char *why)
{
	for (size_t i = 0; i < l->r.n; i++) {
		struct grade_test *t = &l->r.t[i];
		if (t->ran)
			continue;
		t->ran = 1;
		free(t->message);
		t->message = strdup(why);
		free(t->rerun);
		t->rerun = grade_text_fmt("grader/grade --lab %s", l->id);
	}
}

/* Time for the whole lab in labvm: a boot, then every test's limit
 * stretched as the tests inside will stretch it (grade_time_scale). */
static double budget(const struct grade_lab *l, double scale)
{
	double s = 60;                 /* a boot under emulation, with margin */
	for (size_t i = 0; i < l->r.n; i++)
		s += l->r.t[i].timeout * scale + 1;
	return s;
}

int grade_vm_run(struct grade_lab *l, const char *grader_dir, const char *tmp,
		 grade_progress *cb, void *arg)
{
	char labvm[PATH_MAX], grade[PATH_MAX], out[PATH_MAX], res[PATH_MAX + 16];
	char tmo[32], scale[32];
	double stretch = grade_time_scale();
	snprintf(labvm, sizeof(labvm), "%s/labvm", grader_dir);
	snprintf(grade, sizeof(grade), "%s/build/grade", grader_dir);
	snprintf(out, sizeof(out), "%s/vm-%s", tmp, l->id);
	snprintf(res, sizeof(res), "%s/outcomes.json", out);
	snprintf(tmo, sizeof(tmo), "%d", (int)budget(l, stretch));
	snprintf(scale, sizeof(scale), "%.2f", stretch); /* the host's load */
	/* labvm's own words (10), GRADE_LABVM_IN's (up to 41), then the inner
	 * grade's (10), --only-bins and --stage (4) and the NULL: 66 at most. */
	char *argv[72] = { labvm, "run", "--timeout", tmo, "--in", l->dir, "--in",
			   grade, "--out", out };
	char *more = l->labvm_in ? strdup(l->labvm_in) : NULL, *save = NULL;
	size_t k = 10;
	for (char *w = more ? strtok_r(more, " \t", &save) : NULL; w && k < 50;
	     w = strtok_r(NULL, " \t", &save)) {
		argv[k++] = "--in";      /* what else the tests use: lab 03's vmm */
		argv[k++] = w;
	}
	char *inside[] = { "--", grade, "--run-built", l->dir, "--prog", l->prog,
			   "--outcomes", "/out/outcomes.json", "--time-scale", scale,
			   NULL };
	memcpy(argv + k, inside, sizeof(inside));
	k += sizeof(inside) / sizeof(inside[0]) - 1;
	if (l->kvm_bins) {              /* the host runs the others */
		argv[k++] = "--only-bins";
		argv[k++] = l->kvm_bins;
	}
	if (l->stage) {                 /* as the host's rubric: its budget */
		argv[k++] = "--stage";
		argv[k++] = (char *)l->stage;
	}
	argv[k] = NULL;
	struct grade_jail j = {
		.argv = argv, .envp = environ, .cwd = l->dir,
		.timeout_s = budget(l, stretch) + 30, .merge = 1, .as_self = 1,
		.cap_head = 16 << 10, .cap_tail = 8 << 10,
	};
	struct grade_exit x;
	free(l->where);
	l->where = strdup("labvm");
	for (size_t i = 0; i < l->r.n; i++)
		l->r.t[i].in_labvm = 1;
	if (cb && l->r.n)
		cb(l, l->r.n - 1, l->r.n, arg);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = grade_jail_run(&j, &x);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(more);
	l->test_s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc) {
		l->problem = grade_text_fmt("cannot start %s: %s", labvm, strerror(-rc));
		fail_all(l, l->problem);
		return rc;
	}
	rc = grade_report_load(res, l);
	if (rc) {
		char *log = grade_cap_text(&x.out);
		const char *tail = log && strlen(log) > 600 ? log + strlen(log) - 600 : log;
		l->problem = grade_text_fmt("labvm gave no results (exit %d%s); it said:\n%s",
					    x.code, x.timed_out ? ", timed out" : "",
					    tail ? tail : "");
		free(log);
	}
	fail_all(l, l->problem ? l->problem : "not run inside labvm");
	grade_exit_free(&x);
	return 0;
}

int grade_vm_inside(const char *lab_dir, const char *prog, const char *only,
		    const char *stage, const char *outcomes, const char *tmp,
		    char **why)
{
	struct grade_lab *lp = calloc(1, sizeof(*lp)), l = { .built = 1 };
	char *dir = realpath(lab_dir, NULL);
	int rc = !dir || !lp ? -errno : 0;
	if (rc) {
		free(dir);
		free(lp);
		return rc;
	}
	l.dir = dir;
	l.name = strdup(basename(dir));
	l.rel = grade_text_fmt("labs/%s", l.name);
	snprintf(l.id, sizeof(l.id), "%.2s", l.name);
	l.prog = strdup(prog);
	l.needs_kvm = 1;
	l.batch = 1;             /* the machine is the sandbox; starts are dear */
	rc = grade_lab_rubric(&l, tmp);
	if (!rc && only) {       /* the host runs the others */
		struct grade_rubric kvm;
		rc = grade_rubric_split(&l.r, only, &kvm);
		grade_rubric_free(&l.r);
		l.r = kvm;
	}
	if (!rc && stage)
		grade_stages_keep(&l.r, stage);
	if (!rc)
		rc = grade_lab_run(&l, tmp, NULL, NULL);
	if (!rc)
		rc = grade_report_outcomes(outcomes, &l);
	if (rc && l.problem)
		*why = strdup(l.problem);
	*lp = l;
	grade_lab_free(lp, 1);           /* frees lp too */
	return rc;
}
