/*
 * test_grade_pool.c: a lab's tests run several at once (grade_pool.h), on
 * a small lab of command-line cases made for each test, run in real jails.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_jail.h"
#include "grade_lab.h"
#include "grade_pool.h"
#include "grade_text.h"

static char top[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/lab/%s", top, rel);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/*
 * A lab of four cases. meet_a and meet_b each leave a mark in a folder
 * both may write, then wait up to 3 s for the other's: both pass only
 * when they run at the same time. noisy fails with output; quiet passes.
 */
static void make_lab(void)
{
	char path[256];
	snprintf(top, sizeof(top), "/tmp/grade-pool.XXXXXX");
	cr_assert_not_null(mkdtemp(top));
	chmod(top, 0755);
	snprintf(path, sizeof(path), "mkdir -p %s/lab/tests/cli", top);
	cr_assert_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/meet", top);
	cr_assert_eq(mkdir(path, 0777), 0);
	chmod(path, 01777);
	for (int i = 0; i < 2; i++) {
		char run[512], rel[64];
		const char *me = i ? "b" : "a", *other = i ? "a" : "b";
		snprintf(run, sizeof(run),
			 "# points=1 stage=99.1 meet timeout=5\n"
			 "touch %s/meet/%s\n"
			 "for i in $(seq 30); do [ -e %s/meet/%s ] && exit 0; sleep 0.1; done\n"
			 "exit 1\n", top, me, top, other);
		snprintf(rel, sizeof(rel), "tests/cli/meet_%s.run", me);
		put(rel, run);
		snprintf(rel, sizeof(rel), "tests/cli/meet_%s.rc", me);
		put(rel, "0\n");
	}
	put("tests/cli/noisy.run", "# points=2 stage=99.2 noise\necho 'said \"this\"'\nexit 3\n");
	put("tests/cli/noisy.rc", "0\n");
	put("tests/cli/quiet.run", "# points=1 stage=99.2 noise\nexit 0\n");
	put("tests/cli/quiet.rc", "0\n");
}

static void clean(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	cr_assert_eq(system(cmd), 0);
}

/* The lab graded with jobs at once (free it with grade_lab_free). */
static struct grade_lab *grade(int jobs)
{
	struct grade_lab *l = calloc(1, sizeof(*l));
	char meet[128], tmp[128];
	snprintf(meet, sizeof(meet), "rm -f %s/meet/*", top);
	cr_assert_eq(system(meet), 0);
	snprintf(tmp, sizeof(tmp), "%s/tmp", top);
	mkdir(tmp, 0711);
	cr_assert_not_null(l);
	snprintf(l->id, sizeof(l->id), "99");
	l->name = strdup("99-pool");
	l->dir = grade_text_fmt("%s/lab", top);
	l->rel = strdup("labs/99-pool");
	l->prog = strdup("build/prog");
	l->built = 1;
	l->jobs = jobs;
	grade_jail_init();
	cr_assert_eq(grade_lab_rubric(l, tmp), 0);
	cr_assert_eq(l->r.n, 4);
	cr_assert_eq(grade_lab_run(l, tmp, NULL, NULL), 0);
	return l;
}

static const struct grade_test *find(const struct grade_lab *l, const char *name)
{
	for (size_t i = 0; i < l->r.n; i++)
		if (!strcmp(l->r.t[i].name, name))
			return &l->r.t[i];
	cr_assert_fail("no case %s", name);
	return NULL;
}

TestSuite(grade_pool, .init = make_lab, .fini = clean, .timeout = 60);

Test(grade_pool, runs_two_tests_at_once)
{
	cr_assert(grade_jail_apart(), "jails here share one process count: "
		  "the grader would run tests one at a time");
	struct grade_lab *l = grade(2);
	cr_assert(find(l, "meet_a")->passed && find(l, "meet_b")->passed,
		  "meet_a and meet_b never ran at the same time: %s / %s",
		  find(l, "meet_a")->message, find(l, "meet_b")->message);
	grade_lab_free(l, 1);
}

Test(grade_pool, one_job_runs_them_in_turn)
{
	struct grade_lab *l = grade(1);  /* the case above can fail: */
	cr_assert_not(find(l, "meet_a")->passed &&   /* the first waits alone */
		      find(l, "meet_b")->passed);
	grade_lab_free(l, 1);
}

/* A case whose name does not survive the trip to the worker and back
 * (bytes that are not UTF-8 come back as '?') fails alone: every other
 * test still runs and keeps its own result. */
Test(grade_pool, a_name_that_cannot_come_back_fails_only_itself)
{
	struct grade_lab *l = calloc(1, sizeof(*l));
	char tmp[128];
	put("tests/cli/bad\xff.run", "# points=1 stage=99.2 noise\nexit 0\n");
	put("tests/cli/bad\xff.rc", "0\n");
	snprintf(tmp, sizeof(tmp), "%s/tmp", top);
	mkdir(tmp, 0711);
	cr_assert_not_null(l);
	snprintf(l->id, sizeof(l->id), "99");
	l->name = strdup("99-pool");
	l->dir = grade_text_fmt("%s/lab", top);
	l->rel = strdup("labs/99-pool");
	l->prog = strdup("build/prog");
	l->built = 1;
	l->jobs = 2;
	grade_jail_init();
	cr_assert_eq(grade_lab_rubric(l, tmp), 0);
	cr_assert_eq(l->r.n, 5);
	cr_assert_eq(grade_lab_run(l, tmp, NULL, NULL), 0, "one bad name stops the lab");
	const struct grade_test *bad = find(l, "bad\xff");
	cr_assert(bad->ran && !bad->passed);
	cr_assert(strstr(bad->message, "no outcome that names it"), "%s", bad->message);
	cr_assert(find(l, "quiet")->passed, "%s", find(l, "quiet")->message);
	cr_assert(find(l, "noisy")->ran && !strstr(find(l, "noisy")->message, "not run"));
	grade_lab_free(l, 1);
}

/* What a failure says comes back from the worker whole: the same as when
 * the grader runs the test itself. */
Test(grade_pool, brings_back_each_outcome_whole)
{
	struct grade_lab *one = grade(1), *two = grade(2);
	const struct grade_test *a = find(one, "noisy"), *b = find(two, "noisy");
	cr_assert(b->ran && !b->passed);
	cr_assert_str_eq(b->message, a->message);
	cr_assert(strstr(b->message, "exit code 3, expected 0"), "%s", b->message);
	cr_assert_str_eq(b->output, "said \"this\"\n");
	cr_assert_str_eq(b->rerun, a->rerun);
	cr_assert(find(two, "quiet")->passed && find(two, "quiet")->ran);
	for (size_t i = 0; i < two->r.n; i++)    /* in rubric order, not end order */
		cr_assert_str_eq(two->r.t[i].name, one->r.t[i].name);
	grade_lab_free(one, 1);
	grade_lab_free(two, 1);
}
