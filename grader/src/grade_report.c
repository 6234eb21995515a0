/*
 * grade_report.c: results.json, JUnit XML and outcome files (grade_report.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "grade_board.h"
#include "grade_report.h"
#include "grade_text.h"

/* Writes all of text to fd. 0 or -errno. */
static int write_all(int fd, const char *text, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, text, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		text += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * The whole file or none: the text goes to path.tmp.PID, is forced to the
 * disk (fsync), and only then renamed over path. A failure at any step
 * removes the temporary file and leaves path as it was.
 */
int grade_report_write(const char *path, const char *text)
{
	char *tmp = grade_text_fmt("%s.tmp.%d", path, (int)getpid());
	int fd, rc;

	if (!tmp)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		free(tmp);
		return rc;
	}
	rc = write_all(fd, text, strlen(text));
	if (!rc && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* A JSON string of s, cleaned; NULL when an allocation failed. */
static struct json_object *jstr(const char *s)
{
	char *c = grade_text_clean(s ? s : "", s ? strlen(s) : 0);
	struct json_object *o = c ? json_object_new_string(c) : NULL;
	free(c);
	return o;
}

/* o[key] = v. A NULL o or v (an allocation failed) sets *bad: a report
 * with a value missing is never written. */
static void put(struct json_object *o, const char *key, struct json_object *v, int *bad)
{
	if (!o || !v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		*bad = 1;
	}
}

static void append(struct json_object *a, struct json_object *v, int *bad)
{
	if (!a || !v || json_object_array_add(a, v) != 0) {
		json_object_put(v);
		*bad = 1;
	}
}

/* The text a student reads for one test: verdict, rerun command, output.
 * NULL when an allocation failed. */
static char *test_text(const struct grade_lab *l, const struct grade_test *t)
{
	char *s = NULL, *rerun = t->passed || !t->ran ? NULL : grade_board_rerun(l, t);
	int rc;
	if (t->passed)
		rc = grade_text_cat(&s, "passed");
	else
		rc = grade_text_cat(&s, "%s", t->message ? t->message : "not run");
	if (!rc && rerun)
		rc = grade_text_cat(&s, "\n%s%s", t->hidden ? "" : "rerun: ", rerun);
	free(rerun);
	if (!rc && t->output && *t->output)
		rc = grade_text_cat(&s, "\n--- output ---\n%s", t->output);
	if (rc) {
		free(s);
		return NULL;
	}
	return s;
}

static struct json_object *gs_test(const struct grade_lab *l,
				   const struct grade_test *t, int *bad)
{
	struct json_object *o = json_object_new_object();
	char id[32];
	char *title = grade_text_fmt("%s: %s/%s%s", t->stage, t->suite, t->name,
				     t->bonus ? " (bonus, optional)" : "");
	char *text = test_text(l, t);
	grade_stage_id(t->stage, id, sizeof(id));
	if (!o || !title || !text)
		*bad = 1;
	put(o, "name", title ? jstr(title) : NULL, bad);
	put(o, "number", jstr(id), bad);
	put(o, "score", json_object_new_int(t->passed ? t->points : 0), bad);
	/* A bonus test is extra credit: worth 0 of the maximum, its points
	 * in the score when passed (Gradescope takes score > max_score). */
	put(o, "max_score", json_object_new_int(t->bonus ? 0 : t->points), bad);
	put(o, "status", jstr(t->passed ? "passed" : "failed"), bad);
	put(o, "output", text ? jstr(text) : NULL, bad);
	put(o, "visibility", jstr(t->hidden ? "after_due_date" : "visible"), bad);
	if (t->bonus) {
		struct json_object *tags = json_object_new_array();
		struct json_object *x = json_object_new_object();
		append(tags, jstr("bonus"), bad);
		put(o, "tags", tags, bad);
		put(x, "bonus_points", json_object_new_int(t->points), bad);
		put(o, "extra_data", x, bad);
	}
	free(title);
	free(text);
	return o;
}

/*
 * root as JSON text, or NULL. json-c 0.16's printer goes on without the
 * bytes when its buffer cannot grow (a key loses its opening quote), and
 * its parser crashes when it cannot copy a key, so neither can check the
 * other when memory runs out. Two printings into separate buffers (root's
 * and a deep copy's) agree only if neither lost a byte.
 */
static char *print_checked(struct json_object *root, int flags)
{
	struct json_object *copy = NULL;
	const char *a = json_object_to_json_string_ext(root, flags);
	const char *b = NULL;
	char *text = NULL;

	if (a && json_object_deep_copy(root, &copy, NULL) == 0)
		b = json_object_to_json_string_ext(copy, flags);
	if (b && strcmp(a, b) == 0)
		text = strdup(a);
	json_object_put(copy);
	return text;
}

/* Writes root as JSON to path (flags for json-c), unless bad. */
static int write_json(const char *path, struct json_object *root, int flags, int bad)
{
	char *text = bad ? NULL : print_checked(root, flags);
	int rc = text ? grade_report_write(path, text) : -ENOMEM;
	free(text);
	json_object_put(root);
	return rc;
}

/*
 * A build that failed in a hidden test's source: the students' board names
 * the functions only (grade_board_student_log); the whole log goes to an
 * entry of no points that Gradescope shows instructors only. NULL when
 * there is none (or memory ran out, which sets *bad).
 */
static struct json_object *gs_build_log(const struct grade_lab *l, int *bad)
{
	int hid = 0;
	char *mine = grade_board_student_log(l->build_log, &hid);
	free(mine);
	if (!hid)
		return NULL;
	struct json_object *o = json_object_new_object();
	char *title = grade_text_fmt("%s: the build's whole output (instructors only)",
				     l->name);
	put(o, "name", title ? jstr(title) : NULL, bad);
	put(o, "score", json_object_new_int(0), bad);
	put(o, "max_score", json_object_new_int(0), bad);
	put(o, "status", jstr("failed"), bad);
	put(o, "output", jstr(l->build_log), bad);
	put(o, "visibility", jstr("hidden"), bad);
	free(title);
	return o;
}

int grade_report_gradescope(const char *path, const struct grade_lab *labs,
			    size_t n, double seconds, const char *output)
{
	struct json_object *root = json_object_new_object();
	struct json_object *tests = json_object_new_array();
	int score = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		score += grade_rubric_points(&labs[i].r, 1) +
			 grade_rubric_bonus(&labs[i].r, 1);
		for (size_t k = 0; k < labs[i].r.n; k++)
			append(tests, gs_test(&labs[i], &labs[i].r.t[k], &bad), &bad);
		struct json_object *log = labs[i].build_failed ?
					  gs_build_log(&labs[i], &bad) : NULL;
		if (log)
			append(tests, log, &bad);
	}
	put(root, "score", json_object_new_int(score), &bad);
	put(root, "execution_time", json_object_new_int((int)(seconds + 0.5)), &bad);
	put(root, "output", jstr(output), &bad);
	put(root, "visibility", jstr("visible"), &bad);
	put(root, "tests", tests, &bad);
	return write_json(path, root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE,
			  bad);
}

/* value, cleaned and escaped for XML; a NULL value or a failed allocation
 * sets *bad. */
static void xml_put(FILE *f, const char *value, int *bad)
{
	char *c = value ? grade_text_clean(value, strlen(value)) : NULL;
	char *x = c ? grade_text_xml(c) : NULL;
	if (x)
		fputs(x, f);
	else
		*bad = 1;
	free(c);
	free(x);
}

static void xml_attr(FILE *f, const char *name, const char *value, int *bad)
{
	fprintf(f, " %s=\"", name);
	xml_put(f, value, bad);
	fputc('"', f);
}

static void junit_test(FILE *f, const struct grade_lab *l, const struct grade_test *t,
		       int *bad)
{
	char *cls = grade_text_fmt("%s.%s", l->name, t->suite);
	char *name = grade_text_fmt("%s (%s, %d pt%s)", t->name, t->stage, t->points,
				    t->bonus ? " bonus" : "");
	fprintf(f, "    <testcase");
	xml_attr(f, "classname", cls, bad);
	xml_attr(f, "name", name, bad);
	fprintf(f, " time=\"%.3f\">\n", t->elapsed);
	if (!t->passed) {
		char *text = test_text(l, t);
		fprintf(f, "      <failure");
		xml_attr(f, "message", t->message ? t->message : "not run", bad);
		fprintf(f, ">");
		xml_put(f, text, bad);
		fprintf(f, "</failure>\n");
		free(text);
	}
	fprintf(f, "    </testcase>\n");
	free(cls);
	free(name);
}

static void junit_lab(FILE *f, const struct grade_lab *l, int *bad)
{
	size_t failed = 0;
	for (size_t k = 0; k < l->r.n; k++)
		failed += !l->r.t[k].passed;
	fprintf(f, "  <testsuite");
	xml_attr(f, "name", l->name ? l->name : "", bad);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n",
		l->r.n, failed, l->build_s + l->test_s);
	for (size_t k = 0; k < l->r.n; k++)
		junit_test(f, l, &l->r.t[k], bad);
	fprintf(f, "  </testsuite>\n");
}

int grade_report_junit(const char *path, const struct grade_lab *labs, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	int bad = 0, rc;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (size_t i = 0; i < n; i++)
		junit_lab(f, &labs[i], &bad);
	fprintf(f, "</testsuites>\n");
	/* A memory stream that could not grow has its error flag set. */
	bad |= ferror(f);
	if (fclose(f) != 0 || bad || !buf) {
		free(buf);
		return -ENOMEM;
	}
	rc = grade_report_write(path, buf);
	free(buf);
	return rc;
}

/* One test's outcome as a JSON object; NULL when memory ran out. */
static struct json_object *outcome(const struct grade_test *t)
{
	struct json_object *o = json_object_new_object();
	int bad = 0;
	put(o, "path", jstr(t->path), &bad);
	put(o, "suite", jstr(t->suite), &bad);
	put(o, "name", jstr(t->name), &bad);
	put(o, "passed", json_object_new_boolean(t->passed), &bad);
	put(o, "message", jstr(t->message), &bad);
	put(o, "output", jstr(t->output), &bad);
	put(o, "rerun", jstr(t->rerun), &bad);
	put(o, "elapsed", json_object_new_double(t->elapsed), &bad);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int grade_report_outcomes(const char *path, const struct grade_lab *l)
{
	struct json_object *arr = json_object_new_array();
	int bad = 0;
	for (size_t k = 0; k < l->r.n; k++)
		append(arr, outcome(&l->r.t[k]), &bad);
	return write_json(path, arr, JSON_C_TO_STRING_SPACED, bad);
}

char *grade_report_outcome_text(const struct grade_test *t)
{
	struct json_object *o = outcome(t);
	char *text = o ? print_checked(o, JSON_C_TO_STRING_PLAIN) : NULL;
	json_object_put(o);
	return text;
}

static const char *get(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* t's outcome from o: it ran, passed or not, why, and how to rerun it. */
static void take(struct grade_test *t, struct json_object *o)
{
	const char *msg = get(o, "message"), *out = get(o, "output");
	const char *rerun = get(o, "rerun");
	struct json_object *v;
	t->ran = 1;
	t->passed = json_object_object_get_ex(o, "passed", &v) &&
		    json_object_get_boolean(v);
	free(t->message);
	free(t->output);
	free(t->rerun);
	t->message = msg && *msg ? strdup(msg) : NULL;
	t->output = out ? strdup(out) : NULL;
	t->rerun = rerun && *rerun ? strdup(rerun) : NULL;
	if (!t->passed && !t->message)
		t->message = strdup("failed");
	if (json_object_object_get_ex(o, "elapsed", &v))
		t->elapsed = json_object_get_double(v);
}

static int same_test(const struct grade_test *t, struct json_object *o)
{
	const char *path = get(o, "path"), *suite = get(o, "suite");
	const char *name = get(o, "name");
	return path && suite && name && !strcmp(t->path, path) &&
	       !strcmp(t->suite, suite) && !strcmp(t->name, name);
}

int grade_report_outcome_take(struct grade_test *t, const char *text)
{
	struct json_object *o = json_tokener_parse(text);
	int rc = o && json_object_is_type(o, json_type_object) && same_test(t, o)
		 ? 0 : -EINVAL;
	if (!rc)
		take(t, o);
	json_object_put(o);
	return rc;
}

static void load_one(struct grade_lab *l, struct json_object *o)
{
	for (size_t k = 0; k < l->r.n; k++)
		if (same_test(&l->r.t[k], o))
			take(&l->r.t[k], o);
}

int grade_report_load(const char *path, struct grade_lab *l)
{
	struct json_object *arr = json_object_from_file(path);
	if (!arr || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		load_one(l, json_object_array_get_idx(arr, i));
	json_object_put(arr);
	return 0;
}
