/*
 * test_grade_faults.c: the report writer under injected faults (SECURITY.md,
 * "Fault injection"). The shim mk/faultinj.c is compiled into this test: it
 * stands in front of the C library's malloc, open, write and fsync for the
 * whole process (json-c included), and each test fails the Nth call of one
 * of them, for every N the writer reaches, once and from N on. After each:
 * the writer returned 0 and the file is the clean one, or it returned
 * -errno and the file is the old one (or none if there was none), with no
 * temporary file left beside it.
 *
 * Under AddressSanitizer (make check-asan) the shim cannot replace malloc
 * (ASan does): the tests are skipped there, and run in the normal build.
 */
#if defined(__SANITIZE_ADDRESS__)
#define NO_SHIM 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_SHIM 1
#endif
#endif

/* First: it defines _GNU_SOURCE for the headers after it. */
#ifndef NO_SHIM
#include "../../mk/faultinj.c"
#endif

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade_report.h"

/* The sweep's bound: far above the calls one report makes (a few hundred). */
#define MAX_CALLS 5000

static struct grade_lab *lab(void)
{
	static struct grade_lab l;
	static struct grade_test t[3];
	memset(&l, 0, sizeof(l));
	snprintf(l.id, sizeof(l.id), "91");
	l.name = "91-x";
	l.rel = "labs/91-x";
	t[0] = (struct grade_test){.suite = "s", .name = "a", .path = "build/tests/t",
				   .stage = "91.1 one", .points = 2, .passed = 1,
				   .output = "ok <&> \"fine\"\n"};
	t[1] = (struct grade_test){.suite = "s", .name = "b", .path = "build/tests/t",
				   .stage = "91.2 two", .points = 3, .message = "wrong",
				   .rerun = "build/tests/t --filter s/b", .output = "got 4\n"};
	t[2] = (struct grade_test){.suite = "cli", .name = "c", .path = "tests/cli/c.run",
				   .stage = "91.2 two", .points = 1, .hidden = 1};
	l.r.t = t;
	l.r.n = 3;
	return &l;
}

__attribute__((unused)) static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	FILE *m = open_memstream(&buf, &len);
	for (int c; (c = fgetc(f)) != EOF;)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* The writers, one signature. */
static int write_gs(const char *p) { return grade_report_gradescope(p, lab(), 1, 2.0, "board"); }
static int write_junit(const char *p) { return grade_report_junit(p, lab(), 1); }
static int write_outcomes(const char *p) { return grade_report_outcomes(p, lab()); }

/* No "NAME.tmp.*" left in dir. */
__attribute__((unused)) static int leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".tmp.") != NULL;
	if (d)
		closedir(d);
	return n;
}

/*
 * Sweeps the faults of fn over writer, into a folder holding an old report
 * (old = 1) or none. Returns the number of faulted runs.
 */
static long sweep(int (*writer)(const char *), const char *fn, int old)
{
#ifdef NO_SHIM
	(void)writer;
	(void)fn;
	(void)old;
	cr_skip_test("fault injection replaces malloc: not under AddressSanitizer");
	return 0;
#else
	char dir[] = "/tmp/grade-faults-XXXXXX", path[64], clean[64];
	long runs = 0, calls;

	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report", dir);
	snprintf(clean, sizeof(clean), "%s/clean", dir);
	cr_assert_eq(writer(clean), 0);
	char *want = slurp(clean), *before = old ? "an old report\n" : NULL;
	faultinj_arm(fn, 0, 0);
	cr_assert_eq(writer(clean), 0);
	calls = faultinj_disarm();
	cr_assert(calls > 0 && calls < MAX_CALLS, "%s: %ld calls", fn, calls);
	for (long n = 1; n <= calls; n++)
		for (int every = 0; every <= 1; every++, runs++) {
			FILE *f = old ? fopen(path, "w") : NULL;
			if (f) {
				fputs(before, f);
				fclose(f);
			} else
				unlink(path);
			faultinj_arm(fn, n, every);
			int rc = writer(path);
			long failed = faultinj_failed();
			faultinj_disarm();
			char *got = slurp(path);
			cr_assert(failed > 0, "%s:%ld%s never failed", fn, n, every ? "+" : "");
			if (rc == 0)
				cr_assert_str_eq(got, want, "%s:%ld: 0 but not the clean report", fn, n);
			else if (old)
				cr_assert_str_eq(got, before, "%s:%ld: %d and the old report changed",
						 fn, n, rc);
			else
				cr_assert_null(got, "%s:%ld: %d but a report is there", fn, n, rc);
			cr_assert(rc == 0 || (rc < 0 && rc > -4096), "%s:%ld: %d", fn, n, rc);
			cr_assert_eq(leftovers(dir), 0, "%s:%ld: a temporary file is left", fn, n);
			free(got);
		}
	unlink(path);
	unlink(clean);
	rmdir(dir);
	free(want);
	return runs;
#endif
}

/* Every writer, every function, with and without an old report. */
static void sweep_all(int (*writer)(const char *), const char *name)
{
	static const char *const fns[] = {"malloc", "open", "write", "fsync"};
	long runs = 0;

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		for (int old = 0; old <= 1; old++)
			runs += sweep(writer, fns[i], old);
	cr_log_info("%s: %ld faulted runs", name, runs);
	printf("grade_report faults: %s: %ld faulted runs, each whole or none\n", name, runs);
}

Test(grade_faults, results_json_whole_or_none)
{
	sweep_all(write_gs, "results.json");
}

Test(grade_faults, junit_whole_or_none)
{
	sweep_all(write_junit, "JUnit XML");
}

Test(grade_faults, outcomes_whole_or_none)
{
	sweep_all(write_outcomes, "outcomes");
}
