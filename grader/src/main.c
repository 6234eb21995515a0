/*
 * main.c: grade, the vmlab autograder (grader/README.md).
 *
 *   grade [--lab NN] [--list] [--results FILE] [--junit FILE]
 *         [--tree DIR] [--ref DIR] [--visible] [-j N]
 *   grade --handout DIR [--stage NN.S]    grade --check-stages [--lab NN]
 *   grade --list-files [--lab NN] [--ref DIR]
 *   grade --batch DIR [-j N] [--out DIR] [--timeout S] [--lab NN] [--ref DIR]
 *   grade --watch NN [--tree DIR] [--max-runs N] [--timeout S]
 *   grade --run-built LABDIR --prog build/x --outcomes FILE [--only-bins NAMES]
 *                                                    (in labvm)
 *   grade --unpack ARCHIVE DIR   (run_autograder: grade_archive.h's checks)
 *
 * Exit codes: 0 every test passed, 1 some test failed (or a lab did not
 * build), 2 bad usage, 3 the grader itself failed (results still written).
 * --batch: 0 every submission graded, 1 some could not be (their rows say
 * why), 2 bad usage, 3 the grader failed, 4 interrupted (rerun to resume).
 * --watch: 0 stopped by its bounds, 2 bad usage, 3 inotify failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_archive.h"
#include "grade_batch.h"
#include "grade_board.h"
#include "grade_handout.h"
#include "grade_jail.h"
#include "grade_kvm.h"
#include "grade_lab.h"
#include "grade_manifest.h"
#include "grade_report.h"
#include "grade_secret.h"
#include "grade_text.h"
#include "grade_tree.h"
#include "grade_vm.h"
#include "grade_watch.h"
#include "grade_pool.h"
#include "grade_proc.h"
#include "grade_stages.h"

enum { EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_GRADER = 3, EXIT_INTERRUPTED = 4 };

struct opts {
	const char *lab, *results, *junit, *tree, *ref, *handout, *stage;
	const char *run_built, *outcomes, *prog, *only_bins, *only_stages;
	const char *batch, *out, *watch, *unpack;
	int list, list_files, jobs, max_runs, visible, check_stages;
	double timeout;
	char top[PATH_MAX], grader[PATH_MAX];
};

static void die(int code, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "grade: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: grade [--lab NN] [--list] [--results FILE] [--junit FILE]\n"
		"             [--tree DIR] [--ref DIR] [--visible] [-j N]\n"
		"       grade --handout DIR [--stage NN.S]   grade --check-stages [--lab NN]\n"
		"       grade --list-files [--lab NN]\n"
		"       grade --batch DIR [-j N] [--out DIR] [--timeout S] [--lab NN]\n"
		"       grade --watch NN [--tree DIR] [--max-runs N] [--timeout S]\n"
		"  --lab NN        grade only lab NN (01, 02, ...)\n"
		"  --list          print the rubric: tests, stages, points\n"
		"  --list-files    print the student files (the only files of a\n"
		"                  submission that are graded), one a line\n"
		"  --results FILE  write Gradescope's results.json\n"
		"  --junit FILE    write JUnit XML\n"
		"  --tree DIR      grade the student tree DIR (default: this tree)\n"
		"  --ref DIR       the instructor's tree whose tests are restored\n"
		"  --visible       only the tests students see (no hidden ones)\n"
		"  --handout DIR   write the student handout to DIR\n"
		"  --stage NN.S    tests of stages <= S only; handout: lab NN solved to S\n"
		"  --only-stages NN.S,NN.T  the tests of these stages only\n"
		"  --batch DIR     grade every submission in DIR (folders, archives)\n"
		"  -j, --jobs N    run N tests at once (default: 2 per CPU, at most 8);\n"
		"                  with --batch: N submissions at once (default 2)\n"
		"  --out DIR       where results go (default: DIR-grades)\n"
		"  --timeout S     batch: seconds per submission (default 900);\n"
		"                  watch: stop watching after S seconds\n"
		"  --watch NN      rerun lab NN's visible tests whenever its sources change\n"
		"  --max-runs N    watch: stop after N runs\n");
	exit(EXIT_USAGE);
}

static int number(const char *s, const char *opt, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < lo || v > hi)
		die(EXIT_USAGE, "%s takes a number from %ld to %ld, not '%s'", opt,
		    lo, hi, s);
	return (int)v;
}

/* The long options; each has the short letter parse() switches on. */
static const struct option longs[] = {
	{ .name = "lab", .has_arg = required_argument, .val = 'l' },
	{ .name = "list", .has_arg = no_argument, .val = 'L' },
	{ .name = "results", .has_arg = required_argument, .val = 'r' },
	{ .name = "junit", .has_arg = required_argument, .val = 'J' },
	{ .name = "tree", .has_arg = required_argument, .val = 't' },
	{ .name = "ref", .has_arg = required_argument, .val = 'R' },
	{ .name = "handout", .has_arg = required_argument, .val = 'H' },
	{ .name = "run-built", .has_arg = required_argument, .val = 'B' },
	{ .name = "outcomes", .has_arg = required_argument, .val = 'O' },
	{ .name = "prog", .has_arg = required_argument, .val = 'P' },
	{ .name = "help", .has_arg = no_argument, .val = 'h' },
	{ .name = "batch", .has_arg = required_argument, .val = 'b' },
	{ .name = "jobs", .has_arg = required_argument, .val = 'j' },
	{ .name = "out", .has_arg = required_argument, .val = 'o' },
	{ .name = "timeout", .has_arg = required_argument, .val = 'T' },
	{ .name = "watch", .has_arg = required_argument, .val = 'w' },
	{ .name = "max-runs", .has_arg = required_argument, .val = 'M' },
	{ .name = "visible", .has_arg = no_argument, .val = 'V' },
	{ .name = "stage", .has_arg = required_argument, .val = 'S' },
	{ .name = "check-stages", .has_arg = no_argument, .val = 'C' },
	{ .name = "list-files", .has_arg = no_argument, .val = 'F' },
	{ .name = "unpack", .has_arg = required_argument, .val = 'U' },
	{ .name = "time-scale", .has_arg = required_argument, .val = 'K' },
	{ .name = "only-bins", .has_arg = required_argument, .val = 'Y' },
	{ .name = "only-stages", .has_arg = required_argument, .val = 'Z' },
	{ 0 },
};

/* --time-scale K (grade_vm.c, inside labvm): the host's load, which the
 * guest cannot see, stretches the tests' time limits (grade_time_scale). */
static void time_scale(const char *s)
{
	char *end;
	double k = strtod(s, &end);
	if (*s == '\0' || *end || !(k >= 1 && k <= 8))
		die(EXIT_USAGE, "--time-scale takes a number from 1 to 8, not '%s'", s);
	setenv("GRADE_TIME_SCALE", s, 1);
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;
	while ((c = getopt_long(argc, argv, "hj:", longs, NULL)) != -1) {
		switch (c) {
		case 'l': o->lab = optarg; break;
		case 'L': o->list = 1; break;
		case 'F': o->list_files = 1; break;
		case 'V': o->visible = 1; break;
		case 'r': o->results = optarg; break;
		case 'J': o->junit = optarg; break;
		case 'b': o->batch = optarg; break;
		case 'j': o->jobs = number(optarg, "-j", 1, 64); break;
		case 'o': o->out = optarg; break;
		case 'T': o->timeout = number(optarg, "--timeout", 1, 86400); break;
		case 'w': o->watch = optarg; break;
		case 'M': o->max_runs = number(optarg, "--max-runs", 1, 1000000); break;
		case 't': o->tree = optarg; break;
		case 'R': o->ref = optarg; break;
		case 'H': o->handout = optarg; break;
		case 'S': o->stage = optarg; break; case 'C': o->check_stages = 1; break;
		case 'B': o->run_built = optarg; break;
		case 'O': o->outcomes = optarg; break;
		case 'P': o->prog = optarg; break;
		case 'U': o->unpack = optarg; break;
		case 'K': time_scale(optarg); break;
		case 'Y': o->only_bins = optarg; break;
		case 'Z': o->only_stages = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - !!o->unpack)   /* --unpack ARCHIVE DIR */
		usage();
	if (o->watch)
		o->lab = o->watch;
	if (o->lab && (strlen(o->lab) != 2 || strspn(o->lab, "0123456789") != 2))
		die(EXIT_USAGE, "--lab takes a two-digit lab number, like 01");
	if (o->stage && !grade_stages_valid(o->stage))
		die(EXIT_USAGE, "--stage takes a stage id, like 03.2");
	if (o->only_stages && !grade_stages_list_valid(o->only_stages))
		die(EXIT_USAGE, "--only-stages takes stage ids, comma-separated, like 03.2,03.4");
	if (o->run_built && !o->outcomes)
		die(EXIT_USAGE, "--run-built needs --outcomes FILE");
}

/* The grader lives in TOP/grader/build/grade. */
static void find_top(const char *argv0, struct opts *o)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		die(EXIT_GRADER, "readlink /proc/self/exe: %s (run %s by its path)",
		    strerror(errno), argv0);
	exe[n] = '\0';
	char *grader = dirname(dirname(exe));      /* .../grader */
	memmove(o->grader, grader, strlen(grader) + 1);
	memmove(o->top, grader, strlen(grader) + 1);
	dirname(o->top);                           /* in place: its parent */
}

static void progress(const struct grade_lab *l, size_t i, size_t n, void *arg)
{
	(void)arg;
	const struct grade_test *t = &l->r.t[i];
	fprintf(stderr, "\r\033[K  lab %s  %zu/%zu  %s/%s", l->id, i + 1, n,
		t->suite, t->name);
	if (i + 1 == n)
		fprintf(stderr, "\r\033[K");
}

/*
 * A lab is graded in three steps, so that labvm, which emulates its CPUs
 * on one host thread, grades the tests that need /dev/kvm while this
 * host's CPUs run every other test:
 *   lab_begin   copy, build, rubric; labvm started on the KVM tests
 *   lab_host    the tests that run on this host
 *   lab_end     labvm's outcomes; one rubric again, in stage order
 * Where jails are not kept apart by namespaces (grade_jail_apart), a jail's
 * end sweeps away every child of the grader, labvm too: there labvm starts
 * only in lab_end, after the host's tests.
 */
struct lab_job {
	int vm;                      /* labvm grades the KVM tests (or all) */
	int split;                   /* ...and this host the others */
	struct grade_rubric kvm;     /* split: labvm's part of the rubric */
	struct grade_vm_job *job;    /* labvm under way, or NULL */
	double t0;                   /* when the lab's tests started */
	int rc, staged;
};

/* Start labvm on the tests job holds for it (l->r swapped in for it). */
static void vm_start(struct grade_lab *l, const struct opts *o,
		     const char *tmp, struct lab_job *job, int alongside)
{
	/* The host's tests run alongside on the same CPUs: the tests inside
	 * get the limits of a machine twice as busy, at least. */
	double k = grade_time_scale();
	k = alongside && k < 2 ? 2 : k;
	struct grade_rubric host = l->r;
	if (job->split)
		l->r = job->kvm;
	job->t0 = grade_proc_now();
	grade_vm_start(l, o->grader, tmp, k, &job->job);
	if (job->split) {
		job->kvm = l->r;
		l->r = host;
	}
}

static int lab_begin(struct grade_lab *l, const struct opts *o,
		     const char *tmp, struct lab_job *job)
{
	if (o->list)                /* the rubric: the instructor's sources */
		return job->rc = grade_lab_rubric(l, tmp);
	char *lib = grade_text_fmt("%s/graded/build/libgraded.a", tmp);
	/* a copy that could not be made: every test fails with l->problem */
	job->staged = o->tree ? grade_manifest_stage(l, o->ref, o->tree, tmp) : 0;
	int rc = job->staged ? 0 : lib ? grade_lab_build(l, o->grader, lib, tmp) : -ENOMEM;
	free(lib);
	if (!rc)
		rc = grade_lab_rubric(l, tmp);
	if (!rc && o->visible)
		grade_rubric_drop_hidden(&l->r);
	if (!rc) {                  /* labvm is told too: its budget is theirs */
		grade_stages_filter(&l->r, o->stage, o->only_stages);
		l->stage = o->stage;
		l->only_stages = o->only_stages;
	}
	l->jobs = o->jobs ? o->jobs : grade_pool_default_jobs();
	int kvm = !rc && l->built && l->needs_kvm &&
		  grade_kvm_probe(NULL) == 0 && grade_jail_kvm_reachable();
	/* No usable /dev/kvm here, and the lab names the test binaries that
	 * need one (GRADE_KVM_TESTS): only those go to labvm, the rest run
	 * here, where they start in milliseconds instead of under emulation.
	 * A /dev/kvm without hardware virtualization (kvm_pvm) runs them all
	 * but the ones that boot Linux (GRADE_HW_TESTS): only those go. */
	job->vm = !rc && l->built && l->needs_kvm &&
		  (!kvm || (l->hw_bins && !grade_kvm_hardware()));
	l->vm_bins = !job->vm ? NULL : kvm ? l->hw_bins : l->kvm_bins;
	job->split = job->vm && l->vm_bins;
	if (job->split)
		rc = grade_rubric_split(&l->r, l->vm_bins, &job->kvm);
	if (!rc && job->split && !job->kvm.n) {   /* none asked for: no boot */
		grade_rubric_free(&job->kvm);
		job->vm = job->split = 0;
	}
	if (!rc && job->vm && grade_jail_apart())
		vm_start(l, o, tmp, job, 1);
	return job->rc = rc;
}

static void lab_host(struct grade_lab *l, const char *tmp, struct lab_job *job)
{
	if (job->rc || (job->vm && !job->split))
		return;
	grade_progress *cb = isatty(2) ? progress : NULL;
	int rc = grade_lab_run(l, tmp, cb, NULL);
	job->rc = job->staged && !job->vm ? job->staged : rc;
}

static int lab_end(struct grade_lab *l, const struct opts *o,
		   const char *tmp, struct lab_job *job)
{
	if (!job->vm || (job->rc && !job->job))
		return job->rc;
	double host_s = job->job ? 0 : l->test_s;   /* ran before labvm */
	if (!job->job)
		vm_start(l, o, tmp, job, 0);
	struct grade_rubric host = l->r;
	if (job->split)
		l->r = job->kvm;
	int rc = grade_vm_finish(l, job->job);     /* frees the job */
	job->job = NULL;
	rc = job->rc ? job->rc : rc;
	if (!job->split)
		return job->rc = rc;
	job->kvm = l->r;
	l->r = host;
	int joined = grade_rubric_join(&l->r, &job->kvm);   /* every test back */
	grade_rubric_free(&job->kvm);
	grade_lab_sort(l);
	l->test_s = host_s + grade_proc_now() - job->t0;  /* wall clock */
	free(l->where);
	l->where = strdup(l->vm_bins == l->hw_bins ? "labvm, the Linux boot only"
						     : "labvm, KVM tests only");
	return job->rc = rc ? rc : joined;
}

/* grade --list-files: each lab's student files, tree-relative. */
static int do_list_files(const struct opts *o)
{
	struct grade_lab *labs = NULL;
	size_t n = 0;
	int rc = grade_lab_list(o->ref, o->lab, &labs, &n);
	if (rc == -ENOENT)
		die(EXIT_USAGE, "no lab %s in %s/labs", o->lab ? o->lab : "", o->ref);
	for (size_t i = 0; !rc && i < n; i++) {
		struct grade_manifest m;
		rc = grade_manifest_read(o->ref, labs[i].rel, &m);
		for (size_t k = 0; !rc && k < m.n; k++)
			printf("%s\n", m.files[k]);
		grade_manifest_free(&m);     /* also when the read failed */
		if (rc)
			fprintf(stderr, "grade: %s: %s\n", labs[i].rel, strerror(-rc));
	}
	grade_lab_free(labs, n);
	return rc ? EXIT_GRADER : 0;
}

/*
 * The library test binaries link (graded_main.o), copied into tmp: the
 * build runs as nobody, who may not be able to read the grader's folder
 * (a clone under /root, say).
 */
static void copy_lib(const struct opts *o, const char *tmp)
{
	char *from = grade_text_fmt("%s/build", o->grader);
	char *to = grade_text_fmt("%s/graded/build", tmp);
	char *parent = grade_text_fmt("%s/graded", tmp);
	int rc = from && to && parent ? 0 : -ENOMEM;
	if (!rc && mkdir(parent, 0755) != 0)
		rc = -errno;
	if (!rc)
		rc = grade_tree_copy_one(from, "libgraded.a", to, NULL);
	if (rc)
		die(EXIT_GRADER, "copying %s/libgraded.a: %s", from ? from : "", strerror(-rc));
	free(from);
	free(to);
	free(parent);
}

static char *make_tmp(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = grade_text_fmt("%s/vmlab-grade.XXXXXX", base);
	if (!tmp || !mkdtemp(tmp) || chmod(tmp, 0711) != 0)
		die(EXIT_GRADER, "mkdtemp in %s: %s", base, strerror(errno));
	return tmp;
}

/* Can the user tests run as enter the labs of this tree where they are? */
static int reachable(const char *top)
{
	char *dir = grade_text_fmt("%s/labs", top);
	char *argv[] = { "/bin/true", NULL }, *env[] = { NULL };
	struct grade_jail j = { .argv = argv, .envp = env, .cwd = dir,
				.timeout_s = 10, .cap_head = 256 };
	struct grade_exit x;
	int ok = dir && grade_jail_run(&j, &x) == 0 && x.exited && x.code == 0;
	if (dir)
		grade_exit_free(&x);
	free(dir);
	return ok;
}

static int write_reports(const struct opts *o, struct grade_lab *labs,
			 size_t n, double secs)
{
	int rc = 0;
	if (o->results) {
		char *board = grade_board_visible(labs, n);
		for (size_t i = 0; board && i < n; i++)
			if (labs[i].note)
				grade_text_cat(&board, "lab %s: %s", labs[i].id, labs[i].note);
		rc = grade_report_gradescope(o->results, labs, n, secs, board);
		if (rc)
			fprintf(stderr, "grade: writing %s: %s\n", o->results, strerror(-rc));
		free(board);
	}
	if (o->junit) {
		int e = grade_report_junit(o->junit, labs, n);
		if (e)
			fprintf(stderr, "grade: writing %s: %s\n", o->junit, strerror(-e));
		rc = rc ? rc : e;
	}
	return rc;
}

static int do_handout(const struct opts *o)
{
	struct grade_handout_stats st;
	struct vmlab_err err;
	int rc = grade_handout_make(o->ref, o->handout, o->stage, &st, &err);
	const char *where = err.msg[0] ? err.msg : NULL;
	if (rc == -EEXIST)
		die(EXIT_USAGE, "%s exists: remove it first", o->handout);
	if (rc)
		die(EXIT_FAILED, "handout: %s%s%s", where ? where : "",
		    where && rc != -EINVAL ? ": " : "", rc != -EINVAL ? strerror(-rc) : "");
	printf("handout: %s (%d files, %d regions stripped in %d files)\n",
	       o->handout, st.files, st.regions, st.stripped);
	return 0;
}

static volatile sig_atomic_t stopping;
static size_t ungradable;      /* rows whose status is not ok/build-failed */

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void batch_event(enum grade_batch_event e, const char *who,
			const char *status, int score, int max, double secs)
{
	if (e != GRADE_BATCH_START && strcmp(status, "ok") &&
	    strcmp(status, "build-failed"))
		ungradable++;
	if (e == GRADE_BATCH_SKIP)
		printf("  %-24s %-15s (graded by an earlier run: kept)\n", who, status);
	else if (e == GRADE_BATCH_DONE)
		printf("  %-24s %-15s %4d/%-4d %6.1f s\n", who, status, score, max, secs);
	fflush(stdout);
}

static int do_batch(const struct opts *o)
{
	char dir[PATH_MAX], self[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s", o->batch);
	for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	char *out = o->out ? strdup(o->out) : grade_text_fmt("%s-grades", dir);
	snprintf(self, sizeof(self), "%s/build/grade", o->grader);
	if (!grade_tree_isdir(dir))
		die(EXIT_USAGE, "--batch %s: not a folder (one folder or archive "
		    "per student goes in it)", dir);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct grade_batch_opts b = {
		.dir = dir, .out = out, .ref = o->ref, .lab = o->lab, .self = self,
		.jobs = o->jobs ? o->jobs : 2, .timeout = o->timeout ? o->timeout : 900,
		.stop = &stopping, .event = batch_event,
	};
	struct grade_batch_stats st;
	printf("vmlab batch: %s -> %s (%d at a time, %.0f s per submission)\n",
	       dir, out, b.jobs, b.timeout);
	int rc = grade_secret_lock(o->ref);    /* before any worker starts */
	if (rc)
		die(EXIT_GRADER, "cannot close %s to nobody: %s", o->ref, strerror(-rc));
	rc = grade_batch_run(&b, &st);
	if (rc == -EINTR)
		die(EXIT_INTERRUPTED, "interrupted: %zu graded by this run are kept "
		    "in %s; rerun the same command to grade the rest", st.graded +
		    st.ungraded, out);
	if (rc == -ENOENT && !st.problem)
		die(EXIT_USAGE, "%s holds no submission (one folder or archive per "
		    "student)", dir);
	if (rc)
		die(EXIT_GRADER, "%s", st.problem ? st.problem : strerror(-rc));
	printf("%zu submissions: %zu graded now, %zu kept, %zu could not be graded"
	       "\ngradebook: %s/gradebook.csv\n", st.total, st.graded + st.ungraded,
	       st.skipped, ungradable, out);
	free(out);
	return ungradable ? EXIT_FAILED : 0;
}

static int do_watch(const struct opts *o)
{
	const char *top = o->tree ? o->tree : o->ref;
	struct grade_lab *labs;
	size_t n;
	if (grade_lab_list(top, o->lab, &labs, &n) != 0)
		die(EXIT_USAGE, "no lab %s in %s/labs (labs/NN-name/Makefile)", o->lab, top);
	char *dir = strdup(labs[0].dir);
	grade_lab_free(labs, n);
	char self[PATH_MAX + 16];
	snprintf(self, sizeof(self), "%s/build/grade", o->grader);
	char *argv[] = { self, "--visible", "--lab", (char *)o->lab, "--ref",
			 (char *)o->ref, o->tree ? "--tree" : NULL, (char *)o->tree, NULL };
	double deadline = grade_proc_now() + (o->timeout ? o->timeout : 1e9);
	/* The runs' scratch folders go in one of watch's own: a run that the
	 * deadline stops (SIGKILL) cannot remove its own, so watch does. */
	char *scratch = make_tmp();
	setenv("TMPDIR", scratch, 1);
	int runs = 0, rc = grade_watch_loop(dir, atoi(o->lab), argv, o->max_runs,
					    deadline, &runs);
	grade_jail_rmdir(scratch);
	free(scratch);
	if (rc && runs == 0)
		die(EXIT_GRADER, "inotify on %s: %s%s", dir, strerror(-rc),
		    rc == -ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
	printf("watch: stopped after %d run%s%s\n", runs, runs == 1 ? "" : "s",
	       rc < 0 ? ": reading inotify failed" : "");
	free(dir);
	return rc < 0 ? EXIT_GRADER : 0;
}

/* Inside labvm: the lab is built; run it and write the outcomes. */
static int do_run_built(const struct opts *o, const char *tmp)
{
	struct vmlab_err err;
	int rc = grade_vm_inside(o->run_built, o->prog ? o->prog : "build/prog",
				 o->only_bins, o->stage, o->only_stages, o->outcomes,
				 tmp, &err);
	if (rc)
		fprintf(stderr, "grade: %s: %s\n", err.msg[0] ? err.msg : o->run_built,
			strerror(-rc));
	return rc ? EXIT_GRADER : 0;
}

/*
 * Which tree the tests run in: the instructor's in place, or (o->tree set)
 * a fresh copy of it per lab with the student's files of the submission
 * (grade_manifest.h); also for a reference that nobody cannot read where
 * it is. A --tree that is a symlink is refused: name the folder itself.
 */
static void choose_tree(struct opts *o)
{
	struct stat st;
	if (o->tree && (lstat(o->tree, &st) != 0 || !S_ISDIR(st.st_mode)))
		die(EXIT_USAGE, "--tree %s: not a folder%s", o->tree,
		    lstat(o->tree, &st) == 0 && S_ISLNK(st.st_mode)
		    ? " (a symlink: give the folder itself)" : "");
	if ((!o->tree || grade_tree_same(o->tree, o->ref)) && !reachable(o->ref))
		o->tree = o->ref;     /* nobody cannot read it in place: copy it */
	else if (o->tree && grade_tree_same(o->tree, o->ref))
		o->tree = NULL;
}

/* The rubric (--list), or the scoreboard and what failed. */
static void print_board(const struct opts *o, struct grade_lab *labs, size_t n)
{
	int colour = isatty(1) && !getenv("NO_COLOR");

	if (o->list) {
		grade_board_list(stdout, labs, n);
		return;
	}
	printf("vmlab grade: %s (tests run in: %s%s)\n\n",
	       o->tree ? o->tree : o->ref, grade_jail_mode(),
	       o->tree ? ", in a fresh copy per lab" : "");
	grade_board_print(stdout, labs, n, colour);
	for (size_t i = 0; i < n; i++)
		if (labs[i].note)
			printf("lab %s: %s", labs[i].id, labs[i].note);
	grade_board_failures(stdout, labs, n, colour);
}

/* grade --unpack ARCHIVE DEST: the reason, when there is one, says what
 * to do. Exit 0; 1 unsafe, too large or not an archive; 3 the unpacking
 * itself failed. */
static int do_unpack(const struct opts *o, const char *dest)
{
	struct vmlab_err err;
	char *dropped = NULL;
	int rc = grade_archive_cmd(o->unpack, dest, &dropped, &err);
	if (rc)
		fprintf(stderr, "grade: %s: %s\n", o->unpack, err.msg);
	else if (dropped)
		fprintf(stderr, "grade: %s: links not unpacked:%s\n", o->unpack, dropped);
	free(dropped);
	return !rc ? 0 : rc == -EPERM || rc == -EINVAL || rc == -EFBIG ? 1 : 3;
}

/* Whether every test of every lab passed: all built, full marks (the
 * optional bonus tests aside). */
static int all_passed(const struct grade_lab *labs, size_t n)
{
	int all = 1;
	for (size_t i = 0; i < n; i++)
		all &= labs[i].built && grade_rubric_points(&labs[i].r, 1) ==
					 grade_rubric_points(&labs[i].r, 0);
	return all;
}

/* Grading itself (or --list, or --run-built inside labvm): each lab
 * built and tested, the board printed, the reports written. */
static int do_grade(struct opts *o)
{
	struct grade_lab *labs = NULL;
	size_t n = 0;
	double t0 = grade_proc_now();
	int rc, lab_err = 0;

	if (grade_jail_init())
		fprintf(stderr, "grade: prctl(PR_SET_CHILD_SUBREAPER): %s\n",
			strerror(errno));
	char *tmp = make_tmp();
	if (o->run_built) {
		rc = do_run_built(o, tmp);
		grade_tree_remove(tmp);
		free(tmp);
		return rc;
	}
	rc = grade_lab_list(o->ref, o->lab, &labs, &n);
	if (rc == -ENOENT)
		die(EXIT_USAGE, "no lab %s in %s/labs (labs/NN-name/Makefile)",
		    o->lab ? o->lab : "", o->ref);
	choose_tree(o);
	int e = !rc && o->tree && !o->list ? grade_secret_lock(o->ref) : 0;
	if (e)
		die(EXIT_GRADER, "cannot close %s to nobody: %s", o->ref, strerror(-e));
	if (!rc && !o->list)
		copy_lib(o, tmp);
	struct lab_job *jobs = rc ? NULL : calloc(n ? n : 1, sizeof(*jobs));
	if (!rc && !jobs)
		rc = -ENOMEM;
	for (size_t i = 0; !rc && i < n; i++)
		lab_begin(&labs[i], o, tmp, &jobs[i]);
	for (size_t i = 0; !rc && !o->list && i < n; i++)
		lab_host(&labs[i], tmp, &jobs[i]);
	for (size_t i = 0; !rc && i < n; i++) {
		int e = lab_end(&labs[i], o, tmp, &jobs[i]);
		if (e)
			fprintf(stderr, "grade: lab %s: %s\n", labs[i].name, strerror(-e));
		if (labs[i].copy)         /* nothing of it outlives its grading */
			grade_tree_remove(labs[i].copy);
		lab_err |= e == -EPROTO;
	}
	free(jobs);
	print_board(o, labs, n);
	int w = write_reports(o, labs, n, grade_proc_now() - t0);
	int all = all_passed(labs, n);
	grade_lab_free(labs, n);
	grade_tree_remove(tmp);
	free(tmp);
	if (rc || w || lab_err)
		return EXIT_GRADER;
	return o->list || all ? 0 : EXIT_FAILED;
}

/* One mode per run: the options choose it, each mode's function does it. */
int main(int argc, char **argv)
{
	struct opts o = { 0 };

	parse(argc, argv, &o);
	find_top(argv[0], &o);
	if (!o.ref)
		o.ref = o.top;
	static char ref[PATH_MAX];    /* relative paths break in the copies */
	if (!realpath(o.ref, ref))
		die(EXIT_USAGE, "--ref %s: %s (the instructor's vmlab tree)", o.ref,
		    strerror(errno));
	o.ref = ref;
	if (o.handout)
		return do_handout(&o);
	if (o.list_files)
		return do_list_files(&o);
	if (o.unpack)
		return do_unpack(&o, argv[argc - 1]);
	if (o.batch)
		return do_batch(&o);
	if (o.watch)
		return do_watch(&o);
	if (o.check_stages)    /* grade_stages.h */
		return grade_stages_main(o.ref, o.grader, o.lab, o.jobs);
	return do_grade(&o);
}
