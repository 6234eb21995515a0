/*
 * graded_main.c: the main() of every lab test binary (libgraded.a).
 *
 *   test_x --rubric     print the graded tests as JSON, one object a line:
 *                       {"suite","name","points","graded","bonus",
 *                        "visibility","stage","timeout"}
 *   test_x [criterion options]   run the tests, as Criterion's own main does
 *
 * Under the grader two environment variables add a channel back to it:
 *   GRADED_REPORT=FILE  the runner writes one JSON line per test there (status,
 *                       signal, exit code, timeout, time, failed assertions):
 *                       Criterion 2.4.1's --json does not escape strings.
 *   GRADED_DONE=FILE    each graded test body that returns appends its name,
 *                       so a test that exit()s half-way is not a pass.
 * This file links into student-built binaries: it trusts nothing it prints.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/output.h>
#include <criterion/internal/ordered-set.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graded.h"

/* JSON string, escaped: quotes, backslashes and control bytes. */
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The value of "key=" in a GRADED description, up to the next space (or to
 * the end for the last key, stage, whose title holds spaces). */
static void put_field(FILE *f, const char *desc, const char *key, int last)
{
	char buf[256] = "";
	const char *p = desc ? strstr(desc, key) : NULL;
	if (p) {
		p += strlen(key);
		size_t n = last ? strlen(p) : strcspn(p, " ");
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
	}
	put_str(f, buf);
}

static void print_rubric(struct criterion_test_set *set)
{
	FOREACH_SET(struct criterion_suite_set *s, set->suites) {
		FOREACH_SET(struct criterion_test *t, s->tests) {
			/* Criterion's test data may sit unaligned: copy it. */
			struct criterion_test_extra_data x;
			memcpy(&x, t->data, sizeof(x));
			const char *d = x.description;
			int graded = d && strncmp(d, "vmlab ", 6) == 0;
			int bonus = graded && strncmp(d, "vmlab bonus ", 12) == 0;
			printf("{\"suite\":");
			put_str(stdout, t->category);
			printf(",\"name\":");
			put_str(stdout, t->name);
			printf(",\"points\":%d,\"graded\":%s,\"bonus\":%s,"
			       "\"visibility\":",
			       graded ? atoi(strstr(d, "points=") + 7) : 0,
			       graded ? "true" : "false", bonus ? "true" : "false");
			put_field(stdout, graded ? d : NULL, "visibility=", 0);
			printf(",\"stage\":");
			put_field(stdout, graded ? d : NULL, "stage=", 1);
			printf(",\"timeout\":%g}\n", x.timeout);
		}
	}
}

/*
 * On a busy machine every test's timeout is stretched as the grader
 * stretches its own limits (grader/README.md, "Time limits"): times the
 * 1-minute load average per CPU, or GRADE_TIME_SCALE=K when larger (the
 * grader's figure; inside labvm the host's, which the guest cannot see),
 * at most 8. Not for --rubric, which reports the timeouts as written.
 */
static void scale_timeouts(struct criterion_test_set *set)
{
	const char *env = getenv("GRADE_TIME_SCALE");
	double k = env ? strtod(env, NULL) : 1, load = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	FILE *f = fopen("/proc/loadavg", "re");
	if (f && fscanf(f, "%lf", &load) == 1 && cpus > 0 && load / (double)cpus > k)
		k = load / (double)cpus;
	if (f)
		fclose(f);
	if (k > 8)
		k = 8;
	if (!(k > 1))
		return;
	FOREACH_SET(struct criterion_suite_set *s, set->suites) {
		FOREACH_SET(struct criterion_test *t, s->tests) {
			struct criterion_test_extra_data x;  /* unaligned: copy */
			memcpy(&x, t->data, sizeof(x));
			x.timeout *= k;
			memcpy(t->data, &x, sizeof(x));
		}
	}
}

static void put_test(FILE *f, struct criterion_test_stats *ts)
{
	static const char *status[] = { "passed", "failed", "skipped" };
	fprintf(f, "{\"suite\":");
	put_str(f, ts->test->category);
	fprintf(f, ",\"name\":");
	put_str(f, ts->test->name);
	fprintf(f, ",\"status\":\"%s\",\"signal\":%d,\"exit_code\":%d,"
		   "\"timed_out\":%s,\"elapsed\":%.3f,\"message\":",
		status[ts->test_status % 3], ts->signal, ts->exit_code,
		ts->timed_out ? "true" : "false", ts->elapsed_time);
	put_str(f, ts->message);
	fprintf(f, ",\"asserts\":[");
	/* Criterion keeps them newest first: print them as they happened. */
	size_t n = 0, k = 0;
	for (struct criterion_assert_stats *a = ts->asserts; a; a = a->next)
		n += !a->passed;
	struct criterion_assert_stats **failed = calloc(n ? n : 1, sizeof(*failed));
	for (struct criterion_assert_stats *a = ts->asserts; failed && a; a = a->next)
		if (!a->passed)
			failed[n - ++k] = a;
	for (size_t i = 0; failed && i < n; i++) {
		fprintf(f, "%s{\"file\":", i ? "," : "");
		put_str(f, failed[i]->file);
		fprintf(f, ",\"line\":%u,\"message\":", failed[i]->line);
		put_str(f, failed[i]->message);
		fputc('}', f);
	}
	free(failed);
	fprintf(f, "]}\n");
}

static void report(FILE *f, struct criterion_global_stats *st)
{
	for (struct criterion_suite_stats *ss = st->suites; ss; ss = ss->next)
		for (struct criterion_test_stats *ts = ss->tests; ts; ts = ts->next)
			put_test(f, ts);
}

void graded_fmt(char *buf, unsigned n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

/* A value as the student reads it; a return code as its errno's name. */
static void put_val(char *buf, size_t n, struct graded_val v, int as_errno)
{
	const char *name = as_errno && v.kind == 'i' && v.i < 0 && v.i >= -133
			   ? strerrorname_np((int)-v.i) : NULL;
	if (name)
		snprintf(buf, n, "%lld (-%s: %s)", v.i, name, v.i == -ENOSYS ?
			 "not written yet" : strerror((int)-v.i));
	else if (v.kind == 'i')
		snprintf(buf, n, "%lld", v.i);
	else if (v.kind == 'u')
		snprintf(buf, n, "%llu", v.u);
	else if (v.kind == 'd')
		snprintf(buf, n, "%Lg", v.d);
	else
		snprintf(buf, n, "%p", v.p);
}

void graded_eq_message(char *buf, unsigned n, const char *user,
		       const char *a_text, const char *b_text,
		       struct graded_val a, struct graded_val b)
{
	char got[128], want[128];
	int b_errno = b_text[0] == '-' && b_text[1] == 'E';
	int call = strchr(a_text, '(') != NULL;   /* a function's result */
	int rc_like = b_errno || (call && b.kind == 'i' && b.i == 0) ||
		      (call && a.kind == 'i' && a.i == -ENOSYS);
	put_val(got, sizeof(got), a, rc_like);
	put_val(want, sizeof(want), b, b_errno);
	if (user[0] == ' ' && user[1])
		snprintf(buf, n, "%s (got %s, expected %s)", user + 1, got, want);
	else
		snprintf(buf, n, "%s: got %s, expected %s", a_text, got, want);
}

void graded_done(const char *suite, const char *name)
{
	const char *path = getenv("GRADED_DONE");
	if (!path)
		return;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	dprintf(fd, "%s/%s\n", suite, name);
	close(fd);
}

int main(int argc, char *argv[])
{
	struct criterion_test_set *tests = criterion_initialize();
	int rc = 0;

	if (argc == 2 && strcmp(argv[1], "--rubric") == 0) {
		print_rubric(tests);
		rc = fflush(stdout) ? 1 : 0;
	} else {
		scale_timeouts(tests);
		const char *rep = getenv("GRADED_REPORT");
		if (rep) {
			criterion_register_output_provider("graded", report);
			criterion_add_output("graded", rep);
		}
		if (criterion_handle_args(argc, argv, true))
			rc = !criterion_run_all_tests(tests);
	}
	criterion_finalize(tests);
	return rc;
}
