/*
 * grade_class.c: the class view of a batch (grade_class.h).
 *
 * One pass over the students' results.json gathers, per student, the
 * points of every gradebook column (grade_book_scores, as the CSV does)
 * and, per test, how many graded students passed it. The page is then
 * written top to bottom: summary, a histogram per lab, stage pass rates,
 * tests hardest first, who could not be graded, and every student's row.
 * Only "ok" and "build-failed" submissions were graded; the others (timed
 * out, not an archive, ...) score 0 for a reason of their own and would
 * only pull the class's rates down, so they are listed apart.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "grade_book.h"
#include "grade_class.h"
#include "grade_report.h"
#include "grade_text.h"

enum { BINS = 10 };

struct student {
	const char *id, *status, *why;   /* point into root */
	int score, graded;
	int *got;                        /* points per gradebook column */
	struct json_object *root;
};

struct test {
	char *name, *stage;
	int max, passed;
};

struct view {
	const struct grade_book *b;
	size_t cols, n, graded;
	struct student *s;
	struct test *t;
	size_t nt;
};

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static int num(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : 0;
}

/* s as HTML text: & < > " escaped. Appended to *out. */
static void esc(char **out, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
				*s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
		if (e)
			grade_text_cat(out, "%s", e);
		else
			grade_text_cat(out, "%c", *s);
	}
}

/* The test named name in v->t (tests come in the same order in every
 * results.json, so the guess i is almost always right), added if new. */
static struct test *test_of(struct view *v, size_t i, struct json_object *o)
{
	const char *name = str(o, "name");
	if (i < v->nt && !strcmp(v->t[i].name, name))
		return &v->t[i];
	for (size_t k = 0; k < v->nt; k++)
		if (!strcmp(v->t[k].name, name))
			return &v->t[k];
	struct test *grown = realloc(v->t, (v->nt + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	v->t = grown;
	struct test *t = &v->t[v->nt++];
	t->name = strdup(name);
	t->stage = strdup(str(o, "number"));
	t->max = num(o, "max_score");
	t->passed = 0;
	return t->name && t->stage ? t : NULL;
}

static int load_student(struct view *v, struct student *s, const char *outdir,
			const char *id)
{
	char *p = grade_text_fmt("%s/%s/results.json", outdir, id);
	struct json_object *x = NULL, *e, *tests;
	s->id = id;
	s->root = p ? json_object_from_file(p) : NULL;
	free(p);
	s->got = calloc(v->cols + 1, sizeof(*s->got));
	if (!s->got)
		return -ENOMEM;
	if (s->root && json_object_object_get_ex(s->root, "extra_data", &e))
		json_object_object_get_ex(e, "vmlab_batch", &x);
	s->status = x ? str(x, "status") : "missing";
	s->why = x ? str(x, "why") : "no results.json";
	s->score = x ? num(s->root, "score") : 0;
	s->graded = x && (!strcmp(s->status, "ok") || !strcmp(s->status, "build-failed"));
	if (!s->graded)
		return 0;
	v->graded++;
	grade_book_scores(v->b, s->root, s->got);
	if (!json_object_object_get_ex(s->root, "tests", &tests))
		return 0;
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		struct json_object *o = json_object_array_get_idx(tests, i);
		struct test *t = test_of(v, i, o);
		if (!t)
			return -ENOMEM;
		t->passed += !strcmp(str(o, "status"), "passed");
	}
	return 0;
}

/* A histogram of the graded students' share of lab column c's points. */
static void histogram(char **h, const struct view *v, size_t c, const char *key,
		      const char *title, int max)
{
	int bin[BINS] = { 0 }, top = 1;
	double sum = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (!v->s[i].graded)
			continue;
		double share = max ? (double)v->s[i].got[c] / max : 0;
		int k = (int)(share * BINS);
		bin[k >= BINS ? BINS - 1 : k < 0 ? 0 : k]++;
		sum += v->s[i].got[c];
	}
	for (int k = 0; k < BINS; k++)
		top = bin[k] > top ? bin[k] : top;
	grade_text_cat(h, "<figure data-lab=\"%s\"><svg width=\"560\" height=\"230\" "
		       "role=\"img\" aria-label=\"%s: scores\">", key, title);
	for (int k = 0; k < BINS; k++) {
		int height = 150 * bin[k] / top, x = 20 + 52 * k;
		grade_text_cat(h, "<rect x=\"%d\" y=\"%d\" width=\"44\" height=\"%d\" "
			       "class=\"bar\" data-count=\"%d\"/>", x, 175 - height,
			       height, bin[k]);
		grade_text_cat(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>",
			       x + 22, 168 - height, bin[k]);
		grade_text_cat(h, "<text x=\"%d\" y=\"195\" text-anchor=\"middle\">%d%s</text>",
			       x + 22, 10 * k, k == BINS - 1 ? "+" : "");
	}
	grade_text_cat(h, "<text x=\"280\" y=\"222\" text-anchor=\"middle\">%% of the "
		       "lab's %d points</text></svg><figcaption>", max);
	esc(h, title);
	grade_text_cat(h, " (/%d): mean %.1f over %zu graded submissions</figcaption>"
		       "</figure>\n", max, v->graded ? sum / (double)v->graded : 0,
		       v->graded);
}

/* A bar of rate (0..1) with its percentage, for the tables. */
static void rate_bar(char **h, double rate)
{
	grade_text_cat(h, "<svg width=\"160\" height=\"18\"><rect x=\"0\" y=\"3\" "
		       "width=\"100\" height=\"12\" class=\"track\"/><rect x=\"0\" "
		       "y=\"3\" width=\"%.0f\" height=\"12\" class=\"%s\"/><text "
		       "x=\"108\" y=\"14\">%.0f%%</text></svg>", 100 * rate,
		       rate < 0.5 ? "low" : "bar", 100 * rate);
}

static void stages(char **h, const struct view *v)
{
	const char *key, *title;
	int max;
	grade_text_cat(h, "<h2>Stages: the share of their points the class earned</h2>\n"
		       "<table><tr><th>stage</th><th>points</th><th>earned</th></tr>\n");
	for (size_t c = 0; grade_book_column(v->b, c, &key, &title, &max) == 0; c++) {
		double sum = 0;
		if (strlen(key) == 2)
			continue;
		for (size_t i = 0; i < v->n; i++)
			sum += v->s[i].graded ? v->s[i].got[c] : 0;
		double rate = v->graded && max ? sum / ((double)v->graded * max) : 0;
		grade_text_cat(h, "<tr data-stage=\"%s\" data-rate=\"%.4f\"><td>", key, rate);
		esc(h, title);
		grade_text_cat(h, "</td><td class=\"num\">%d</td><td>", max);
		rate_bar(h, rate);
		grade_text_cat(h, "</td></tr>\n");
	}
	grade_text_cat(h, "</table>\n");
}

static int by_rate(const void *a, const void *b)
{
	const struct test *x = a, *y = b;
	return x->passed != y->passed ? x->passed - y->passed : strcmp(x->name, y->name);
}

static void tests(char **h, struct view *v)
{
	if (v->nt)      /* qsort of NULL, even of 0 items, is undefined */
		qsort(v->t, v->nt, sizeof(*v->t), by_rate);
	grade_text_cat(h, "<h2>Tests, hardest first</h2>\n<table><tr><th>test</th>"
		       "<th>points</th><th>passed by</th><th></th></tr>\n");
	for (size_t k = 0; k < v->nt; k++) {
		const struct test *t = &v->t[k];
		grade_text_cat(h, "<tr data-test=\"");
		esc(h, t->name);
		grade_text_cat(h, "\" data-passed=\"%d\"><td>", t->passed);
		esc(h, t->name);
		grade_text_cat(h, "</td><td class=\"num\">%d</td><td class=\"num\">%d of "
			       "%zu</td><td>", t->max, t->passed, v->graded);
		rate_bar(h, v->graded ? (double)t->passed / (double)v->graded : 0);
		grade_text_cat(h, "</td></tr>\n");
	}
	grade_text_cat(h, "</table>\n");
}

static void students(char **h, const struct view *v, int total)
{
	grade_text_cat(h, "<h2>Could not be graded</h2>\n");
	if (v->graded == v->n)
		grade_text_cat(h, "<p>Every submission was graded.</p>\n");
	else
		grade_text_cat(h, "<table><tr><th>student</th><th>status</th><th>why"
			       "</th></tr>\n");
	for (size_t i = 0; i < v->n; i++) {
		if (v->s[i].graded)
			continue;
		grade_text_cat(h, "<tr class=\"ungraded\"><td>");
		esc(h, v->s[i].id);
		grade_text_cat(h, "</td><td>");
		esc(h, v->s[i].status);
		grade_text_cat(h, "</td><td>");
		esc(h, v->s[i].why);
		grade_text_cat(h, "</td></tr>\n");
	}
	if (v->graded != v->n)
		grade_text_cat(h, "</table>\n");
	grade_text_cat(h, "<h2>Every submission</h2>\n<table><tr><th>student</th>"
		       "<th>status</th><th>score</th></tr>\n");
	for (size_t i = 0; i < v->n; i++) {
		grade_text_cat(h, "<tr data-student=\"");
		esc(h, v->s[i].id);
		grade_text_cat(h, "\" data-score=\"%d\"><td>", v->s[i].score);
		esc(h, v->s[i].id);
		grade_text_cat(h, "</td><td>");
		esc(h, v->s[i].status);
		grade_text_cat(h, "</td><td class=\"num\">%d / %d</td></tr>\n",
			       v->s[i].score, total);
	}
	grade_text_cat(h, "</table>\n");
}

static const char style[] =
	"<style>body{font:16px/1.45 system-ui,sans-serif;margin:2em auto;"
	"max-width:1000px;color:#222}h1{font-size:1.6em}h2{font-size:1.25em;"
	"margin-top:1.6em}table{border-collapse:collapse}td,th{padding:3px 10px;"
	"text-align:left;border-bottom:1px solid #ddd}.num{text-align:right}"
	"svg text{font:14px system-ui,sans-serif;fill:#222}.bar{fill:#3b6ea8}"
	".low{fill:#c0392b}.track{fill:#eee}figure{display:inline-block;"
	"margin:0 1em 1em 0}figcaption{font-size:15px}</style>\n";

static char *page(struct view *v)
{
	char *h = NULL;
	const char *key, *title;
	int max, total = 0;
	for (size_t c = 0; grade_book_column(v->b, c, &key, &title, &max) == 0; c++)
		total += strlen(key) == 2 ? max : 0;
	grade_text_cat(&h, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		       "<title>vmlab: class view</title>\n%s</head><body>\n<h1>vmlab: "
		       "class view</h1>\n<p id=\"summary\" data-submissions=\"%zu\" "
		       "data-graded=\"%zu\">%zu submissions: %zu graded, %zu could not be "
		       "graded (listed below). The same numbers, one row per student: "
		       "<a href=\"gradebook.csv\">gradebook.csv</a>.</p>\n<h2>Scores per "
		       "lab</h2>\n", style, v->n, v->graded, v->n, v->graded,
		       v->n - v->graded);
	for (size_t c = 0; grade_book_column(v->b, c, &key, &title, &max) == 0; c++)
		if (strlen(key) == 2)
			histogram(&h, v, c, key, title, max);
	stages(&h, v);
	tests(&h, v);
	students(&h, v, total);
	grade_text_cat(&h, "</body></html>\n");
	return h;
}

int grade_class_page(const struct grade_book *b, const char *path,
		     const char *outdir, char *const *ids, size_t n)
{
	struct view v = { .b = b, .n = n };
	const char *key, *title;
	int max, rc = 0;
	while (grade_book_column(b, v.cols, &key, &title, &max) == 0)
		v.cols++;
	v.s = calloc(n + 1, sizeof(*v.s));
	for (size_t i = 0; v.s && !rc && i < n; i++)
		rc = load_student(&v, &v.s[i], outdir, ids[i]);
	char *html = v.s && !rc ? page(&v) : NULL;
	rc = rc ? rc : html ? grade_report_write(path, html) : -ENOMEM;
	free(html);
	for (size_t i = 0; v.s && i < n; i++) {
		free(v.s[i].got);
		json_object_put(v.s[i].root);
	}
	for (size_t k = 0; k < v.nt; k++) {
		free(v.t[k].name);
		free(v.t[k].stage);
	}
	free(v.t);
	free(v.s);
	return rc;
}
