/*
 * grade_batch.c: batch grading (grade_batch.h).
 *
 *   batch ─┬─ rubric:  grade --list --ref REF --results OUT/rubric.json
 *          ├─ worker:  [unpack] grade --tree T --ref REF --results ...  ┐ N at
 *          ├─ worker:  ...                                              ┘ once
 *          └─ OUT/gradebook.csv from every OUT/STUDENT/results.json
 * A worker is contained (grade_proc.h): the batch kills it whole when the
 * submission's time is up. Unpacking runs in the worker, not in the batch:
 * a hostile archive that crashes libarchive costs only its own row.
 * Scratch space (unpacked archives, the grader's copies) is one folder
 * under $TMPDIR, named in OUT/.scratch so that a rerun after a SIGKILL
 * removes what the killed batch left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade_archive.h"
#include "grade_batch.h"
#include "grade_book.h"
#include "grade_class.h"
#include "grade_proc.h"
#include "grade_report.h"
#include "grade_subs.h"
#include "grade_text.h"
#include "grade_tree.h"

extern char **environ;

/* Exit codes of a worker that stopped before grading (grade uses 0-3). */
enum { W_NOT_ARCHIVE = 64, W_UNSAFE, W_TOO_LARGE, W_NO_LABS, W_SETUP };
static const char *const w_status[] = {
	"not-an-archive", "unsafe-archive", "too-large", "no-labs", "grader-error",
};
static const struct grade_archive_limits limits = {
	.max_bytes = 256ULL << 20, .max_entries = 20000,
};

struct batch;
struct worker {
	const struct batch *b;
	struct grade_sub *s;
	struct grade_proc p;
	char *argv[12];
	int tree_arg;           /* argv index of the tree, set in the child */
	char *scratch, *home;   /* scratch/<id>, OUT/<id> */
	char *res;              /* OUT/<id>/grading.json, the grader's */
};

struct batch {
	const struct grade_batch_opts *o;
	struct grade_batch_stats *st;
	struct grade_book *book;
	struct grade_sub *subs;
	size_t n;
	char *scratch;
	char **env;
};

static char *outpath(const struct batch *b, const char *id, const char *file)
{
	return grade_text_fmt("%s/%s%s%s", b->o->out, id, *file ? "/" : "", file);
}

/* The environment of every child: ours, with TMPDIR at its scratch folder
 * and no colour. env[0] is the TMPDIR slot. */
static char **child_env(void)
{
	size_t n = 0, k = 2;
	while (environ[n])
		n++;
	char **env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	env[1] = "NO_COLOR=1";
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TMPDIR=", 7) && strncmp(environ[i], "NO_COLOR=", 9))
			env[k++] = environ[i];
	return env;
}

/* Remove the scratch folder a killed batch left, then make ours. */
static int scratch_open(struct batch *b)
{
	char *note = grade_text_fmt("%s/.scratch", b->o->out), old[4096];
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	FILE *f = note ? fopen(note, "r") : NULL;
	if (f && fgets(old, sizeof(old), f) && strstr(old, "/vmlab-batch.")) {
		old[strcspn(old, "\n")] = '\0';
		grade_tree_remove(old);
	}
	if (f)
		fclose(f);
	b->scratch = grade_text_fmt("%s/vmlab-batch.XXXXXX", base);
	int rc = !note || !b->scratch ? -ENOMEM : 0;
	if (!rc && (!mkdtemp(b->scratch) || chmod(b->scratch, 0711) != 0))
		rc = -errno;
	char *real = rc ? NULL : realpath(b->scratch, NULL);
	if (real) {              /* libarchive refuses symlinks on the way */
		free(b->scratch);
		b->scratch = real;
	}
	if (!rc) {
		char *line = grade_text_fmt("%s\n", b->scratch);
		rc = line ? grade_report_write(note, line) : -ENOMEM;
		free(line);
	}
	free(note);
	return rc;
}

/* grade --list on the reference: the rubric as a results.json. */
static int read_rubric(struct batch *b)
{
	char *json = outpath(b, "rubric.json", ""), *txt = outpath(b, "rubric.txt", "");
	char *argv[] = { (char *)b->o->self, "--list", "--ref", (char *)b->o->ref,
			 "--results", json, b->o->lab ? "--lab" : NULL,
			 (char *)b->o->lab, NULL };
	int fd = txt ? open(txt, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
	struct grade_proc p;
	int st = 0, rc = fd < 0 ? -errno : 0;
	b->env[0] = grade_text_fmt("TMPDIR=%s", b->scratch);
	if (!rc)
		rc = grade_proc_start(&p, argv, b->env, fd, NULL, NULL);
	if (!rc && grade_proc_wait(&p, grade_proc_now() + b->o->timeout, &st))
		rc = -ETIMEDOUT;
	if (!rc)
		rc = grade_book_open(&b->book, json);
	if (rc)
		b->st->problem = grade_text_fmt("cannot read the rubric of %s "
						"(see %s)", b->o->ref, txt);
	if (fd >= 0)
		close(fd);
	free(b->env[0]);
	b->env[0] = NULL;
	free(json);
	free(txt);
	return rc;
}

static void note_why(struct worker *w, const char *why)
{
	char *p = grade_text_fmt("%s/why.txt", w->home);
	if (p)
		grade_report_write(p, why ? why : "unknown");
	free(p);
}

/*
 * The worker's own view (a mount namespace, when it may make one): of the
 * batch's folder, scratch folder and output folder it sees only its own
 * entry, so a submission's processes cannot read another submission, its
 * copies or its results. Without one (not root), the scratch folders are
 * 0711 and each submission's unpacked archive 0700, the copies inside at
 * unguessable names (SECURITY.md).
 */
static void seal(const struct worker *w)
{
	const struct batch *b = w->b;
	const char *dirs[] = { b->scratch, b->o->dir, b->o->out };
	const char *keep[] = { w->scratch, w->s->is_dir ? w->s->path : NULL, w->home };
	grade_subs_seal(dirs, keep, 3);
}

/* In the worker, before exec: unpack, find the tree, hide the others. */
static int worker_pre(void *arg)
{
	struct worker *w = arg;
	char *base = w->s->path;
	struct vmlab_err err;
	if (w->s->is_link) {
		note_why(w, "a symlink: submit the folder or the archive itself");
		return W_UNSAFE;
	}
	if (!w->s->is_dir) {
		base = grade_text_fmt("%s/sub", w->scratch);
		int rc = grade_archive_unpack(w->s->path, base, &limits, &err);
		if (rc) {
			note_why(w, err.msg[0] ? err.msg : NULL);
			return rc == -EPERM ? W_UNSAFE : rc == -EFBIG ? W_TOO_LARGE :
			       rc == -EINVAL ? W_NOT_ARCHIVE : W_SETUP;
		}
		chmod(base, 0700);   /* the grader copies from it; nobody reads it */
	}
	seal(w);
	w->argv[w->tree_arg] = grade_tree_root(base);
	if (!w->argv[w->tree_arg]) {
		note_why(w, "no labs/ folder: submit the tree that holds labs/ "
			 "(or a single folder holding it)");
		return W_NO_LABS;
	}
	return 0;
}

static int worker_start(struct batch *b, struct worker *w, struct grade_sub *s)
{
	int k = 0, fd, rc;
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->s = s;
	w->home = outpath(b, s->id, "");
	w->scratch = grade_text_fmt("%s/%s", b->scratch, s->id);
	char *board = outpath(b, s->id, "board.txt");
	char *res = outpath(b, s->id, "grading.json");
	if (!w->home || !w->scratch || !board || !res)
		return -ENOMEM;
	if ((mkdir(w->home, 0755) && errno != EEXIST) ||
	    mkdir(w->scratch, 0711) || chmod(w->scratch, 0711))
		return -errno;
	unlink(res);
	w->res = res;
	w->argv[k++] = (char *)b->o->self;
	w->argv[k++] = "--tree";
	w->tree_arg = k++;
	w->argv[k++] = "--ref";
	w->argv[k++] = (char *)b->o->ref;
	w->argv[k++] = "--results";
	w->argv[k++] = res;
	w->argv[k++] = "-j";       /* the batch runs submissions at once */
	w->argv[k++] = "1";        /* instead: each one's tests in turn */
	if (b->o->lab) {
		w->argv[k++] = "--lab";
		w->argv[k++] = (char *)b->o->lab;
	}
	b->env[0] = grade_text_fmt("TMPDIR=%s", w->scratch);
	fd = open(board, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	rc = fd < 0 ? -errno : grade_proc_start(&w->p, w->argv, b->env, fd,
						 worker_pre, w);
	if (fd >= 0)
		close(fd);
	free(b->env[0]);
	b->env[0] = NULL;
	free(board);
	return rc;
}

static char *read_why(const struct worker *w)
{
	char *p = grade_text_fmt("%s/why.txt", w->home), buf[1024] = "";
	FILE *f = p ? fopen(p, "r") : NULL;
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	if (p)
		unlink(p);
	free(p);
	return strdup(buf);
}

static void log_line(const struct batch *b, const char *id, const char *status,
		     int score, double secs)
{
	char *p = outpath(b, "batch.log", ""), when[32];
	time_t t = time(NULL);
	FILE *f = p ? fopen(p, "a") : NULL;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if (f) {
		fprintf(f, "%s graded %s %s %d/%d %.1fs\n", when, id, status, score,
			grade_book_max(b->book), secs);
		fclose(f);
	}
	free(p);
}

/* Commit the student's results.json from how the worker ended. */
static int commit(struct batch *b, const struct grade_sub *s, const char *graded,
		  const char *status, const char *why, double secs)
{
	char *dst = outpath(b, s->id, "results.json");
	struct grade_book_meta m = {
		.student = s->id, .status = status, .why = why, .seconds = secs,
	};
	const char *got;
	int score = 0, rc = dst ? grade_book_commit(b->book, graded, dst, &m,
						    &got, &score) : -ENOMEM;
	if (!rc) {
		int ok = !strcmp(got, "ok") || !strcmp(got, "build-failed");
		b->st->graded += ok;
		b->st->ungraded += !ok;
		log_line(b, s->id, got, score, secs);
		if (b->o->event)
			b->o->event(GRADE_BATCH_DONE, s->id, got, score,
				    grade_book_max(b->book), secs);
	}
	free(dst);
	return rc;
}

static int worker_end(struct batch *b, struct worker *w, int st, int killed)
{
	double secs = grade_proc_now() - w->p.started;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	char *why = NULL;
	const char *status = NULL;
	if (killed) {
		status = "timed-out";
		why = grade_text_fmt("the whole submission ran over %.0f s "
				     "(a test that never ends?)", b->o->timeout);
	} else if (code >= W_NOT_ARCHIVE && code <= W_SETUP) {
		status = w_status[code - W_NOT_ARCHIVE];
		why = read_why(w);
	} else if (code != 0 && code != 1) {
		status = "grader-error";
		why = code < 0 ? grade_text_fmt("the grader was killed by signal %d",
						WTERMSIG(st))
			       : grade_text_fmt("the grader exited with %d: see "
						"board.txt", code);
	}
	int rc = commit(b, w->s, w->res, status, why, secs);
	unlink(w->res);
	grade_tree_remove(w->scratch);
	free(why);
	free(w->res);
	free(w->home);
	free(w->scratch);
	w->s = NULL;
	return rc;
}

/* Start, watch and end the workers until every queued one is done. */
static int schedule(struct batch *b, struct grade_sub **queue, size_t nq)
{
	int jobs = b->o->jobs > 0 ? b->o->jobs : 1, rc = 0;
	struct worker *w = calloc((size_t)jobs, sizeof(*w));
	size_t next = 0, busy = 0;
	if (!w)
		return -ENOMEM;
	while (!rc && (next < nq || busy)) {
		int stop = b->o->stop && *b->o->stop;
		for (int i = 0; i < jobs; i++) {
			int st = 0;
			if (!w[i].s && next < nq && !stop) {
				if (b->o->event)
					b->o->event(GRADE_BATCH_START, queue[next]->id,
						    NULL, 0, 0, 0);
				rc = worker_start(b, &w[i], queue[next++]);
				busy += !rc;
				if (rc) {
					b->st->problem = grade_text_fmt("starting the grader "
						"for %s: %s", w[i].s->id, strerror(-rc));
					w[i].s = NULL;
					break;
				}
			} else if (w[i].s && stop) {
				grade_proc_kill(&w[i].p);
				waitpid(w[i].p.pid, &st, 0);
				grade_tree_remove(w[i].scratch);
				w[i].s = NULL;
				busy--;
			} else if (w[i].s && waitpid(w[i].p.pid, &st, WNOHANG) == w[i].p.pid) {
				rc = worker_end(b, &w[i], st, 0);
				busy--;
			} else if (w[i].s && grade_proc_now() - w[i].p.started > b->o->timeout) {
				grade_proc_kill(&w[i].p);
				waitpid(w[i].p.pid, &st, 0);
				rc = worker_end(b, &w[i], st, 1);
				busy--;
			}
		}
		if (stop && !busy)
			rc = -EINTR;
		usleep(20000);
	}
	for (int i = 0; i < jobs; i++)
		if (w[i].s) {
			grade_proc_kill(&w[i].p);
			waitpid(w[i].p.pid, NULL, 0);
		}
	free(w);
	return rc;
}

/* What is left to grade: the rest are done (or duplicates, committed now). */
static int plan(struct batch *b, struct grade_sub ***queue, size_t *nq)
{
	char status[64];
	*queue = calloc(b->n + 1, sizeof(**queue));
	*nq = 0;
	for (size_t i = 0; *queue && i < b->n; i++) {
		struct grade_sub *s = &b->subs[i];
		char *res = outpath(b, s->id, "results.json");
		int done = res && grade_book_done(res, status, sizeof(status));
		free(res);
		if (done) {
			b->st->skipped++;
			if (b->o->event)
				b->o->event(GRADE_BATCH_SKIP, s->id, status, 0, 0, 0);
		} else if (s->dup) {
			int rc = commit(b, s, NULL, "duplicate", "another submission "
					"has the same student id: rename one", 0);
			if (rc)
				return rc;
		} else
			(*queue)[(*nq)++] = s;
	}
	return *queue ? 0 : -ENOMEM;
}

static int gradebook(struct batch *b)
{
	char **ids = calloc(b->n + 1, sizeof(*ids));
	char *csv = outpath(b, "gradebook.csv", "");
	size_t k = 0;
	for (size_t i = 0; ids && i < b->n; i++)
		if (!b->subs[i].dup || !k || strcmp(ids[k - 1], b->subs[i].id))
			ids[k++] = b->subs[i].id;
	int rc = ids && csv ? grade_book_csv(b->book, csv, b->o->out, ids, k) : -ENOMEM;
	if (rc)
		b->st->problem = grade_text_fmt("writing %s: %s", csv, strerror(-rc));
	char *html = rc ? NULL : outpath(b, "class.html", "");
	rc = rc ? rc : html ? grade_class_page(b->book, html, b->o->out, ids, k) : -ENOMEM;
	if (rc && !b->st->problem)
		b->st->problem = grade_text_fmt("writing %s: %s", html, strerror(-rc));
	free(html);
	free(ids);
	free(csv);
	return rc;
}

static void batch_free(struct batch *b)
{
	grade_subs_free(b->subs, b->n);
	if (b->scratch) {
		char *note = grade_text_fmt("%s/.scratch", b->o->out);
		grade_tree_remove(b->scratch);
		if (note)
			unlink(note);
		free(note);
	}
	free(b->scratch);
	free(b->env);
	grade_book_close(b->book);
}

/* One batch per OUT at a time: two would remove each other's scratch and
 * grade the same students. The lock dies with the process. */
static int lock_out(struct batch *b)
{
	char *p = grade_text_fmt("%s/.lock", b->o->out);
	int fd = p ? open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
	int rc = fd < 0 ? -errno : flock(fd, LOCK_EX | LOCK_NB) ? -errno : 0;
	if (rc)
		b->st->problem = grade_text_fmt("%s: %s", p, rc == -EWOULDBLOCK ?
			"another batch is grading into this folder: wait for it "
			"or stop it" : strerror(-rc));
	free(p);
	return rc;       /* fd stays open (the lock) until the batch exits */
}

int grade_batch_run(const struct grade_batch_opts *o, struct grade_batch_stats *st)
{
	struct batch b = { .o = o, .st = st };
	struct grade_sub **queue = NULL;
	size_t nq = 0;
	memset(st, 0, sizeof(*st));
	int rc = grade_subs_list(o->dir, o->out, &b.subs, &b.n);
	if (!rc && mkdir(o->out, 0755) != 0 && errno != EEXIST) {
		rc = -errno;
		st->problem = grade_text_fmt("mkdir %s: %s", o->out, strerror(errno));
	}
	st->total = b.n;
	if (!rc)
		rc = lock_out(&b);
	if (!rc && !(b.env = child_env()))
		rc = -ENOMEM;
	if (!rc && (rc = scratch_open(&b)))
		st->problem = grade_text_fmt("scratch folder in $TMPDIR: %s", strerror(-rc));
	if (!rc)
		rc = read_rubric(&b);
	if (!rc)
		rc = plan(&b, &queue, &nq);
	if (!rc && nq) {
		char *csv = outpath(&b, "gradebook.csv", "");
		if (csv)
			unlink(csv);      /* stale until rebuilt whole below */
		free(csv);
		rc = schedule(&b, queue, nq);
	}
	if (!rc)
		rc = gradebook(&b);
	free(queue);
	batch_free(&b);
	return rc;
}
