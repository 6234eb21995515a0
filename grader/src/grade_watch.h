/*
 * grade_watch.h: notice when a student edits a lab's sources (inotify).
 *
 * Watches every folder of a lab except build outputs (build/, build-*)
 * and .git, adding folders as they appear. A change is a source file
 * (.c .h .S .s .ld .mk Makefile, and tests/cli expectations: .run .out
 * .err .rc .re) written, created, moved or deleted; editors' swap and
 * backup files are not sources. Changes are debounced: a save that touches
 * three files is one change, reported once the lab has been quiet a while.
 */
#ifndef GRADER_GRADE_WATCH_H
#define GRADER_GRADE_WATCH_H

#include <stddef.h>

struct grade_watch;

/* Watch the lab folder dir. 0, or -errno of inotify_init1/inotify_add_watch
 * (-ENOSPC: fs.inotify.max_user_watches is too low). */
int grade_watch_open(struct grade_watch **w, const char *dir);
void grade_watch_close(struct grade_watch *w);
/* Wait for a change, then for quiet_s seconds without another. 1 when
 * something changed (*n sources; first names one, lab-relative), 0 when
 * deadline (CLOCK_MONOTONIC seconds, grade_proc_now) passed first, -errno. */
int grade_watch_wait(struct grade_watch *w, double deadline, double quiet_s,
		     size_t *n, char *first, size_t size);
/*
 * grade --watch's loop: runs argv (a grade of lab number `lab`, as a
 * contained child,
 * grade_proc.h) once, then again after each change under dir (first with
 * --only-stages of the stages the changed files name), until
 * max_runs runs (0: no bound) or the deadline. Prints each run's heading.
 * 0, or -errno (inotify); *runs says how many ran (0: watching failed).
 */
int grade_watch_loop(const char *dir, int lab, char *const argv[], int max_runs,
		     double deadline, int *runs);
/* The stage ids of lab `lab` that the sources changed in the last wait
 * name (their contracts' "Stage NN.S", their GRADED lines' stages),
 * comma-separated and malloc'd; NULL when none do. dir is the lab. */
char *grade_watch_stages(const struct grade_watch *w, const char *dir, int lab);
/* Is a file of this name a source? */
int grade_watch_source(const char *name);

#endif /* GRADER_GRADE_WATCH_H */
