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
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade_proc.h"
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

/* The labvm run that grades l inside, and the strings its words point at. */
struct vm_command {
	char labvm[PATH_MAX], grade[PATH_MAX], out[PATH_MAX], tmo[32], scale[32];
	char *in;               /* GRADE_LABVM_IN, cut into words */
	/* labvm's own words (10), GRADE_LABVM_IN's (up to 41), the inner
	 * grade's (10), --only-bins, --stage and --only-stages (6) and the
	 * NULL: 68 at most */
	char *argv[72];
};

/*
 *   labvm run --timeout T --in LAB --in GRADE --out OUT [--in PATH]... --
 *       GRADE --run-built LAB --prog P --outcomes /out/outcomes.json
 *       --time-scale K [--only-bins NAMES] [--stage S]
 * The inner grade asks for what the host's rubric holds (the KVM binaries,
 * the stages up to S): T, the budget, is counted from that rubric.
 */
static void vm_command(struct vm_command *c, const struct grade_lab *l,
		       const char *grader_dir, const char *tmp, double stretch)
{
	size_t k = 0;
	snprintf(c->labvm, sizeof(c->labvm), "%s/labvm", grader_dir);
	snprintf(c->grade, sizeof(c->grade), "%s/build/grade", grader_dir);
	snprintf(c->out, sizeof(c->out), "%s/vm-%s", tmp, l->id);
	snprintf(c->tmo, sizeof(c->tmo), "%d", (int)budget(l, stretch));
	snprintf(c->scale, sizeof(c->scale), "%.2f", stretch); /* the host's load */
	const char *run[] = { c->labvm, "run", "--timeout", c->tmo, "--in", l->dir,
			      "--in", c->grade, "--out", c->out };
	for (size_t i = 0; i < sizeof(run) / sizeof(run[0]); i++)
		c->argv[k++] = (char *)run[i];
	c->in = l->labvm_in ? strdup(l->labvm_in) : NULL;
	char *save = NULL;
	for (char *w = c->in ? strtok_r(c->in, " \t", &save) : NULL; w && k < 50;
	     w = strtok_r(NULL, " \t", &save)) {
		c->argv[k++] = "--in";   /* what else the tests use: lab 03's vmm */
		c->argv[k++] = w;
	}
	const char *inside[] = { "--", c->grade, "--run-built", l->dir, "--prog",
				 l->prog, "--outcomes", "/out/outcomes.json",
				 "--time-scale", c->scale };
	for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
		c->argv[k++] = (char *)inside[i];
	if (l->vm_bins) {               /* the host runs the others */
		c->argv[k++] = "--only-bins";
		c->argv[k++] = (char *)l->vm_bins;
	}
	if (l->stage) {
		c->argv[k++] = "--stage";
		c->argv[k++] = (char *)l->stage;
	}
	if (l->only_stages) {
		c->argv[k++] = "--only-stages";
		c->argv[k++] = (char *)l->only_stages;
	}
	c->argv[k] = NULL;
}

/* A labvm run under way (grade_vm_start), until grade_vm_finish. */
struct grade_vm_job {
	struct vm_command c;
	struct grade_proc p;
	char log[PATH_MAX];     /* what labvm said */
	double t0, deadline;
	int rc;                 /* 0, or why it could not start */
};

/* Why labvm gave no outcomes: the end of what it said (its log file). */
static char *no_outcomes(const struct grade_vm_job *job, int code, int timed_out)
{
	char tail[601] = "";
	int fd = open(job->log, O_RDONLY | O_CLOEXEC);
	off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	ssize_t n = end >= 0 ? pread(fd, tail, sizeof(tail) - 1,
				    end > 600 ? end - 600 : 0) : 0;
	tail[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return grade_text_fmt("labvm gave no results (exit %d%s); it said:\n%s",
			      code, timed_out ? ", timed out" : "", tail);
}

/* In the child, before labvm starts: the lab's folder, and a session of
 * its own, so that the scheduler shares the CPUs fairly between QEMU and
 * the host's tests running alongside (each jail is a session too). */
static int vm_pre(void *arg)
{
	const struct grade_lab *l = arg;
	(void)setsid();         /* fails only for a group leader: then as is */
	return chdir(l->dir) == 0 ? 0 : 126;
}

int grade_vm_start(struct grade_lab *l, const char *grader_dir, const char *tmp,
		   double stretch, struct grade_vm_job **jobp)
{
	struct grade_vm_job *job = calloc(1, sizeof(*job));
	*jobp = job;
	if (!job)
		return -ENOMEM;
	vm_command(&job->c, l, grader_dir, tmp, stretch);
	snprintf(job->log, sizeof(job->log), "%s/vm-%s.log", tmp, l->id);
	free(l->where);
	l->where = strdup("labvm");
	for (size_t i = 0; i < l->r.n; i++)
		l->r.t[i].in_labvm = 1;
	job->t0 = grade_proc_now();
	job->deadline = job->t0 + budget(l, stretch) + 30;
	int fd = open(job->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	job->rc = fd < 0 ? -errno
		  : grade_proc_start(&job->p, job->c.argv, environ, fd, vm_pre, l);
	if (fd >= 0)
		close(fd);
	return job->rc;
}

int grade_vm_finish(struct grade_lab *l, struct grade_vm_job *job)
{
	if (!job) {
		l->problem = strdup("out of memory before labvm started");
		fail_all(l, l->problem ? l->problem : "out of memory");
		return -ENOMEM;
	}
	int rc = job->rc, st = 0;
	if (rc) {
		l->problem = grade_text_fmt("cannot start %s: %s", job->c.labvm,
					    strerror(-rc));
	} else {
		int killed = grade_proc_wait(&job->p, job->deadline, &st);
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		char *res = grade_text_fmt("%s/outcomes.json", job->c.out);
		if (!res || grade_report_load(res, l) != 0)
			l->problem = no_outcomes(job, code, killed);
		free(res);
	}
	l->test_s = grade_proc_now() - job->t0;
	fail_all(l, l->problem ? l->problem : "not run inside labvm");
	free(job->c.in);
	free(job);
	return rc;
}

int grade_vm_inside(const char *lab_dir, const char *prog, const char *only,
		    const char *stage, const char *only_stages, const char *outcomes,
		    const char *tmp, struct vmlab_err *err)
{
	struct grade_lab *lp = calloc(1, sizeof(*lp)), l = { .built = 1 };
	char *dir = realpath(lab_dir, NULL);
	int rc = !dir || !lp ? -errno : 0;
	vmlab_err_clear(err);
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
	if (!rc)
		grade_stages_filter(&l.r, stage, only_stages);
	if (!rc)
		rc = grade_lab_run(&l, tmp, NULL, NULL);
	if (!rc)
		rc = grade_report_outcomes(outcomes, &l);
	if (rc && l.problem)
		vmlab_fail(err, rc, "%s", l.problem);
	*lp = l;
	grade_lab_free(lp, 1);           /* frees lp too */
	return rc;
}
