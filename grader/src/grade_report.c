/*
 * grade_report.c: results.json, JUnit XML and outcome files (grade_report.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "grade_report.h"
#include "grade_text.h"

int grade_report_write(const char *path, const char *text)
{
	char *tmp = grade_text_fmt("%s.tmp.%d", path, (int)getpid());
	if (!tmp)
		return -ENOMEM;
	FILE *f = fopen(tmp, "w");
	int rc = 0;
	if (!f)
		rc = -errno;
	else if (fputs(text, f) < 0 || fclose(f) != 0)
		rc = -EIO;
	if (!rc && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

static struct json_object *jstr(const char *s)
{
	char *c = grade_text_clean(s ? s : "", s ? strlen(s) : 0);
	struct json_object *o = json_object_new_string(c ? c : "");
	free(c);
	return o;
}

/* The text a student reads for one test: verdict, rerun command, output. */
static char *test_text(const struct grade_test *t)
{
	char *s = NULL;
	if (t->passed)
		grade_text_cat(&s, "passed");
	else
		grade_text_cat(&s, "%s", t->message ? t->message : "not run");
	if (!t->passed && t->rerun)
		grade_text_cat(&s, "\nrerun: %s", t->rerun);
	if (t->output && *t->output)
		grade_text_cat(&s, "\n--- output ---\n%s", t->output);
	return s;
}

static char *test_title(const struct grade_lab *l, const struct grade_test *t)
{
	(void)l;
	return grade_text_fmt("%s: %s/%s", t->stage, t->suite, t->name);
}

static struct json_object *gs_test(const struct grade_lab *l,
				   const struct grade_test *t)
{
	struct json_object *o = json_object_new_object();
	char id[32], *title = test_title(l, t), *text = test_text(t);
	grade_stage_id(t->stage, id, sizeof(id));
	json_object_object_add(o, "name", jstr(title));
	json_object_object_add(o, "number", jstr(id));
	json_object_object_add(o, "score", json_object_new_int(t->passed ? t->points : 0));
	json_object_object_add(o, "max_score", json_object_new_int(t->points));
	json_object_object_add(o, "status", jstr(t->passed ? "passed" : "failed"));
	json_object_object_add(o, "output", jstr(text));
	json_object_object_add(o, "visibility",
			       jstr(t->hidden ? "after_due_date" : "visible"));
	free(title);
	free(text);
	return o;
}

int grade_report_gradescope(const char *path, const struct grade_lab *labs,
			    size_t n, double seconds, const char *output)
{
	struct json_object *root = json_object_new_object();
	struct json_object *tests = json_object_new_array();
	int score = 0;
	for (size_t i = 0; i < n; i++) {
		score += grade_rubric_points(&labs[i].r, 1);
		for (size_t k = 0; k < labs[i].r.n; k++)
			json_object_array_add(tests, gs_test(&labs[i], &labs[i].r.t[k]));
	}
	json_object_object_add(root, "score", json_object_new_int(score));
	json_object_object_add(root, "execution_time",
			       json_object_new_int((int)(seconds + 0.5)));
	json_object_object_add(root, "output", jstr(output));
	json_object_object_add(root, "visibility", jstr("visible"));
	json_object_object_add(root, "tests", tests);
	const char *text = json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = text ? grade_report_write(path, text) : -ENOMEM;
	json_object_put(root);
	return rc;
}

static void xml_attr(FILE *f, const char *name, const char *value)
{
	char *c = grade_text_clean(value ? value : "", value ? strlen(value) : 0);
	char *x = c ? grade_text_xml(c) : NULL;
	fprintf(f, " %s=\"%s\"", name, x ? x : "");
	free(c);
	free(x);
}

static void xml_text(FILE *f, const char *value)
{
	char *c = grade_text_clean(value ? value : "", value ? strlen(value) : 0);
	char *x = c ? grade_text_xml(c) : NULL;
	fputs(x ? x : "", f);
	free(c);
	free(x);
}

static void junit_lab(FILE *f, const struct grade_lab *l)
{
	size_t failed = 0;
	for (size_t k = 0; k < l->r.n; k++)
		failed += !l->r.t[k].passed;
	fprintf(f, "  <testsuite");
	xml_attr(f, "name", l->name);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n",
		l->r.n, failed, l->build_s + l->test_s);
	for (size_t k = 0; k < l->r.n; k++) {
		const struct grade_test *t = &l->r.t[k];
		char *cls = grade_text_fmt("%s.%s", l->name, t->suite);
		char *name = grade_text_fmt("%s (%s, %d pt)", t->name, t->stage, t->points);
		fprintf(f, "    <testcase");
		xml_attr(f, "classname", cls);
		xml_attr(f, "name", name);
		fprintf(f, " time=\"%.3f\">\n", t->elapsed);
		if (!t->passed) {
			char *text = test_text(t);
			fprintf(f, "      <failure");
			xml_attr(f, "message", t->message ? t->message : "not run");
			fprintf(f, ">");
			xml_text(f, text);
			fprintf(f, "</failure>\n");
			free(text);
		}
		fprintf(f, "    </testcase>\n");
		free(cls);
		free(name);
	}
	fprintf(f, "  </testsuite>\n");
}

int grade_report_junit(const char *path, const struct grade_lab *labs, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	for (size_t i = 0; i < n; i++)
		junit_lab(f, &labs[i]);
	fprintf(f, "</testsuites>\n");
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	int rc = grade_report_write(path, buf);
	free(buf);
	return rc;
}

int grade_report_outcomes(const char *path, const struct grade_lab *l)
{
	struct json_object *arr = json_object_new_array();
	for (size_t k = 0; k < l->r.n; k++) {
		const struct grade_test *t = &l->r.t[k];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "path", jstr(t->path));
		json_object_object_add(o, "suite", jstr(t->suite));
		json_object_object_add(o, "name", jstr(t->name));
		json_object_object_add(o, "passed", json_object_new_boolean(t->passed));
		json_object_object_add(o, "message", jstr(t->message));
		json_object_object_add(o, "output", jstr(t->output));
		json_object_object_add(o, "elapsed", json_object_new_double(t->elapsed));
		json_object_array_add(arr, o);
	}
	const char *text = json_object_to_json_string(arr);
	int rc = text ? grade_report_write(path, text) : -ENOMEM;
	json_object_put(arr);
	return rc;
}

static const char *get(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static void load_one(struct grade_lab *l, struct json_object *o)
{
	const char *path = get(o, "path"), *suite = get(o, "suite");
	const char *name = get(o, "name"), *msg = get(o, "message");
	const char *out = get(o, "output");
	struct json_object *v;
	for (size_t k = 0; path && suite && name && k < l->r.n; k++) {
		struct grade_test *t = &l->r.t[k];
		if (strcmp(t->path, path) || strcmp(t->suite, suite) ||
		    strcmp(t->name, name))
			continue;
		t->ran = 1;
		t->passed = json_object_object_get_ex(o, "passed", &v) &&
			    json_object_get_boolean(v);
		free(t->message);
		free(t->output);
		t->message = msg && *msg ? strdup(msg) : NULL;
		t->output = out ? strdup(out) : NULL;
		if (!t->passed && !t->message)
			t->message = strdup("failed");
		if (json_object_object_get_ex(o, "elapsed", &v))
			t->elapsed = json_object_get_double(v);
	}
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
