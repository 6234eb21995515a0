/*
 * grade_watch.c: inotify over a lab's folders (grade_watch.h).
 *
 * inotify watches one folder, not a tree: each folder gets its own watch
 * descriptor, and a folder created later (tests/cli/ in a new commit) is
 * added when its IN_CREATE arrives. wd -> path is kept to name the change.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "grade_marker.h"
#include "grade_proc.h"
#include "grade_text.h"
#include "grade_tree.h"
#include "grade_watch.h"

#define EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
		IN_CREATE)

#define MAX_CHANGED 16

struct grade_watch {
	int fd;
	size_t root_len;
	char **path;            /* by watch descriptor */
	size_t cap;
	char *changed[MAX_CHANGED]; /* the sources changed (lab-relative),
				       the first MAX_CHANGED of a wait */
	size_t n_changed;
};

int grade_watch_source(const char *name)
{
	static const char *const ext[] = { ".c", ".h", ".S", ".s", ".ld", ".mk",
		".run", ".out", ".err", ".rc", ".re", NULL };
	const char *dot = strrchr(name, '.');
	if (name[0] == '.' || !strcmp(name, "4913"))   /* vim's probe file */
		return 0;
	if (!strcmp(name, "Makefile"))
		return 1;
	for (int i = 0; dot && ext[i]; i++)
		if (!strcmp(dot, ext[i]))
			return 1;
	return 0;
}

static int skip_dir(const char *name)
{
	return !strcmp(name, "build") || !strncmp(name, "build-", 6) ||
	       name[0] == '.';
}

/* Watch dir and every folder below it (build outputs left out). */
static int add_tree(struct grade_watch *w, const char *dir)
{
	int wd = inotify_add_watch(w->fd, dir, EVENTS | IN_ONLYDIR);
	if (wd < 0)
		return -errno;
	if ((size_t)wd >= w->cap) {
		size_t cap = (size_t)wd * 2 + 16;
		char **p = realloc(w->path, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + w->cap, 0, (cap - w->cap) * sizeof(*p));
		w->path = p;
		w->cap = cap;
	}
	free(w->path[wd]);
	w->path[wd] = strdup(dir);
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;
	while (!rc && d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    skip_dir(e->d_name))
			continue;
		char *sub = grade_text_fmt("%s/%s", dir, e->d_name);
		if (sub && grade_tree_isdir(sub))
			rc = add_tree(w, sub);
		free(sub);
	}
	if (d)
		closedir(d);
	return rc;
}

int grade_watch_open(struct grade_watch **wp, const char *dir)
{
	struct grade_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	w->root_len = strlen(dir);
	int rc = w->fd < 0 ? -errno : add_tree(w, dir);
	if (rc) {
		grade_watch_close(w);
		return rc;
	}
	*wp = w;
	return 0;
}

void grade_watch_close(struct grade_watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->cap; i++)
		free(w->path[i]);
	free(w->path);
	for (size_t i = 0; i < w->n_changed; i++)
		free(w->changed[i]);
	free(w);
}

/* Read what is queued; count the source changes, name the first. */
static int drain(struct grade_watch *w, size_t *n, char *first, size_t size)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len;
	while ((len = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			p += sizeof(*e) + e->len;
			const char *dir = (size_t)e->wd < w->cap ? w->path[e->wd] : NULL;
			if (!dir || !e->len)
				continue;
			char *full = grade_text_fmt("%s/%s", dir, e->name);
			if (full && (e->mask & IN_ISDIR) && (e->mask & IN_CREATE) &&
			    !skip_dir(e->name))
				add_tree(w, full);
			else if (full && !(e->mask & IN_ISDIR) && grade_watch_source(e->name)) {
				const char *rel = full + w->root_len + 1;
				if (!(*n)++)
					snprintf(first, size, "%s", rel);
				if (w->n_changed < MAX_CHANGED)
					w->changed[w->n_changed++] = strdup(rel);
			}
			free(full);
		}
	}
	return len < 0 && errno != EAGAIN ? -errno : 0;
}

int grade_watch_wait(struct grade_watch *w, double deadline, double quiet_s,
		     size_t *n, char *first, size_t size)
{
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	double quiet_until = 0;
	*n = 0;
	for (size_t i = 0; i < w->n_changed; i++)
		free(w->changed[i]);
	w->n_changed = 0;
	for (;;) {
		double t = grade_proc_now();
		double until = *n ? quiet_until : deadline;
		if (t >= until)
			return *n ? 1 : 0;
		int ms = (int)((until - t) * 1000) + 1;
		int r = poll(&p, 1, ms);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		size_t before = *n;
		int rc = drain(w, n, first, size);
		if (rc)
			return rc;
		if (*n != before)
			quiet_until = grade_proc_now() + quiet_s;
	}
}

/* Add to the list (comma-separated, in *list) each lab-`lab` stage id
 * that text names: "Stage NN.S" (a region's contract) or a GRADED line's
 * "NN.S title" (a test source). */
static void add_stages(const char *text, int lab, char **list)
{
	for (const char *p = text; (p = strpbrk(p, "S\"")); p++) {
		const char *id = *p == '"' ? p + 1 :
				 !strncmp(p, "Stage ", 6) ? p + 6 : NULL;
		int l, num;
		size_t len;
		if (!id || grade_marker_stage(id, &l, &num, &len) != 0 || l != lab ||
		    (*p == '"' && id[len] != ' '))
			continue;
		char one[16];
		snprintf(one, sizeof(one), "%.*s", (int)len, id);
		if (*list && grade_text_has_word(*list, one, ","))
			continue;
		char *more = *list ? grade_text_fmt("%s,%s", *list, one) : strdup(one);
		if (more) {
			free(*list);
			*list = more;
		}
	}
}

char *grade_watch_stages(const struct grade_watch *w, const char *dir, int lab)
{
	char *list = NULL;
	for (size_t i = 0; i < w->n_changed; i++) {
		char *path = grade_text_fmt("%s/%s", dir, w->changed[i]);
		char *text = path ? grade_text_read(path, 1 << 20) : NULL;
		if (text)
			add_stages(text, lab, &list);
		free(text);
		free(path);
	}
	return list;
}

/* One run of argv; 1 when the deadline stopped it (or it could not start). */
static int run_once(char *const argv[], int run, const char *why, double deadline)
{
	struct grade_proc p;
	int st;
	printf("\n=== watch: run %d: %s ===\n", run, why);
	fflush(stdout);
	if (grade_proc_start(&p, argv, environ, -1, NULL, NULL) != 0) {
		fprintf(stderr, "grade: fork: %s\n", strerror(errno));
		return 1;
	}
	return grade_proc_wait(&p, deadline, &st);
}

/*
 * After a change, first the tests of the stages the changed files name
 * (grade --only-stages), so that the stage being worked on answers in
 * seconds, then (run_once) every test. 1 when the deadline stopped it.
 */
static int run_first(char *const argv[], const struct grade_watch *w,
		     const char *dir, int lab, int run, const char *changed,
		     double deadline)
{
	char *list = run > 1 ? grade_watch_stages(w, dir, lab) : NULL;
	if (!list)
		return 0;
	char *quick[32];
	size_t k = 0;
	while (argv[k] && k < 28) {
		quick[k] = argv[k];
		k++;
	}
	quick[k++] = "--only-stages";
	quick[k++] = list;
	quick[k] = NULL;
	char *why = grade_text_fmt("%s: first the stage%s it names, %s",
				   changed, strchr(list, ',') ? "s" : "", list);
	int stopped = run_once(quick, run, why ? why : list, deadline);
	free(why);
	free(list);
	return stopped;
}

int grade_watch_loop(const char *dir, int lab, char *const argv[], int max_runs,
		     double deadline, int *runs)
{
	struct grade_watch *w;
	char first[4096];
	size_t n = 0;
	int rc = grade_watch_open(&w, dir);
	*runs = 0;
	if (rc)
		return rc;
	char *why = strdup("start");
	while (++*runs, !run_first(argv, w, dir, lab, *runs, why ? why : "change",
				   deadline) &&
	       !run_once(argv, *runs, why ? why : "change", deadline) &&
	       (!max_runs || *runs < max_runs)) {
		printf("watch: waiting for changes under %s (Ctrl-C stops)\n", dir);
		fflush(stdout);
		rc = grade_watch_wait(w, deadline, 0.3, &n, first, sizeof(first));
		if (rc <= 0)
			break;
		rc = 0;
		free(why);
		why = grade_text_fmt("%zu source%s changed (%s)", n, n == 1 ? "" : "s",
				     first);
	}
	grade_watch_close(w);
	free(why);
	return rc < 0 ? rc : 0;
}
