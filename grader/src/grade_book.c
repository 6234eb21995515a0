/*
 * grade_book.c: per-student results.json and the gradebook CSV
 * (grade_book.h).
 *
 * The columns come from the rubric's tests: "number" is the stage id
 * ("01.2"), its first two characters the lab; "name" starts with the stage
 * and its title ("01.2 memory: suite/name"). Keys sort lab before stages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "grade_book.h"
#include "grade_report.h"
#include "grade_text.h"

struct col {
	char key[16];           /* "01" (a lab) or "01.2" (a stage) */
	char *title;            /* "lab 01", "01.2 memory" */
	int max;
};

struct grade_book {
	struct json_object *rubric;
	struct col *c;
	size_t n;
	int max;
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

static struct json_object *tests_of(struct json_object *root)
{
	struct json_object *t;
	if (!root || !json_object_object_get_ex(root, "tests", &t) ||
	    !json_object_is_type(t, json_type_array))
		return NULL;
	return t;
}

static struct col *find(struct grade_book *b, const char *key)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->c[i].key, key))
			return &b->c[i];
	return NULL;
}

/* The column key (or add it), titled by title. */
static struct col *column(struct grade_book *b, const char *key, char *title)
{
	struct col *c = find(b, key), *grown;
	if (c || !(grown = realloc(b->c, (b->n + 1) * sizeof(*grown)))) {
		free(title);
		return c;
	}
	b->c = grown;
	c = &b->c[b->n++];
	snprintf(c->key, sizeof(c->key), "%s", key);
	c->title = title;
	c->max = 0;
	return c;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct col *)a)->key, ((const struct col *)b)->key);
}

int grade_book_open(struct grade_book **bp, const char *rubric)
{
	struct grade_book *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->rubric = json_object_from_file(rubric);
	struct json_object *t = tests_of(b->rubric);
	for (size_t i = 0; t && i < json_object_array_length(t); i++) {
		struct json_object *o = json_object_array_get_idx(t, i);
		const char *id = str(o, "number"), *name = str(o, "name");
		char lab[3] = { id[0], id[0] ? id[1] : 0, 0 };
		int pts = num(o, "max_score");
		struct col *c = column(b, lab, grade_text_fmt("lab %s", lab));
		if (c)
			c->max += pts;  /* the next column() may move the array */
		c = column(b, id, grade_text_fmt("%.*s", (int)strcspn(name, ":"), name));
		if (c)
			c->max += pts;
		b->max += pts;
	}
	if (!t || !b->n) {
		grade_book_close(b);
		return -EINVAL;
	}
	qsort(b->c, b->n, sizeof(*b->c), by_key);
	*bp = b;
	return 0;
}

void grade_book_close(struct grade_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->c[i].title);
	free(b->c);
	json_object_put(b->rubric);
	free(b);
}

int grade_book_max(const struct grade_book *b)
{
	return b->max;
}

/* The rubric with every test at zero, saying why. */
static struct json_object *zeroed(const struct grade_book *b, const char *why)
{
	struct json_object *root = NULL;
	if (json_object_deep_copy(b->rubric, &root, NULL) != 0)
		return NULL;
	struct json_object *t = tests_of(root);
	for (size_t i = 0; t && i < json_object_array_length(t); i++) {
		struct json_object *o = json_object_array_get_idx(t, i);
		json_object_object_add(o, "score", json_object_new_int(0));
		json_object_object_add(o, "status", json_object_new_string("failed"));
		json_object_object_add(o, "output", json_object_new_string(why));
	}
	json_object_object_add(root, "score", json_object_new_int(0));
	json_object_object_add(root, "output", json_object_new_string(why));
	return root;
}

/* ok, or build-failed when a lab's tests say so (grade_lab.c's words). */
static const char *derive(struct json_object *root)
{
	struct json_object *t = tests_of(root);
	for (size_t i = 0; t && i < json_object_array_length(t); i++)
		if (!strncmp(str(json_object_array_get_idx(t, i), "output"),
			     "the build failed", 16))
			return "build-failed";
	return "ok";
}

static void stamp(struct json_object *root, const struct grade_book_meta *m,
		  const char *status)
{
	struct json_object *x = json_object_new_object();
	struct json_object *extra = json_object_new_object();
	char *why = m->why ? grade_text_clean(m->why, strlen(m->why)) : NULL;
	json_object_object_add(x, "student", json_object_new_string(m->student));
	json_object_object_add(x, "status", json_object_new_string(status));
	json_object_object_add(x, "why", json_object_new_string(why ? why : ""));
	json_object_object_add(x, "seconds", json_object_new_double(m->seconds));
	json_object_object_add(extra, "vmlab_batch", x);
	json_object_object_add(root, "extra_data", extra);
	free(why);
}

int grade_book_commit(const struct grade_book *b, const char *graded,
		      const char *dst, const struct grade_book_meta *m,
		      const char **status, int *score)
{
	struct json_object *root = graded && !m->status ?
				   json_object_from_file(graded) : NULL;
	if (root && !tests_of(root)) {
		json_object_put(root);
		root = NULL;
	}
	*status = root ? derive(root) : m->status ? m->status : "grader-error";
	if (!root) {
		char *why = grade_text_fmt("%s: %s", *status,
					   m->why ? m->why : "not graded");
		char *clean = why ? grade_text_clean(why, strlen(why)) : NULL;
		root = clean ? zeroed(b, clean) : NULL;
		free(why);
		free(clean);
	}
	if (!root)
		return -ENOMEM;
	stamp(root, m, *status);
	*score = num(root, "score");
	const char *text = json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = text ? grade_report_write(dst, text) : -ENOMEM;
	json_object_put(root);
	return rc;
}

/* The batch's stamp in a results.json, or NULL. */
static struct json_object *batch_of(struct json_object *root)
{
	struct json_object *e, *x;
	if (!tests_of(root) || !json_object_object_get_ex(root, "extra_data", &e) ||
	    !json_object_object_get_ex(e, "vmlab_batch", &x))
		return NULL;
	return x;
}

int grade_book_done(const char *path, char *status, size_t size)
{
	struct json_object *root = json_object_from_file(path);
	struct json_object *x = batch_of(root);
	if (x)
		snprintf(status, size, "%s", str(x, "status"));
	json_object_put(root);
	return x != NULL;
}

char *grade_book_cell(const char *s)
{
	char *out = NULL;
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	grade_text_cat(&out, "%s%s", quote ? "\"" : "",
		       strchr("=+-@", s[0]) && s[0] ? "'" : "");
	for (; *s; s++)
		grade_text_cat(&out, "%s%c", *s == '"' ? "\"" : "", *s);
	grade_text_cat(&out, "%s", quote ? "\"" : "");
	return out;
}

static void cell(char **line, const char *s, int first)
{
	char *c = grade_book_cell(s);
	grade_text_cat(line, "%s%s", first ? "" : ",", c ? c : "");
	free(c);
}

int grade_book_column(const struct grade_book *b, size_t i, const char **key,
		      const char **title, int *max)
{
	if (i >= b->n)
		return -ENOENT;
	*key = b->c[i].key;
	*title = b->c[i].title;
	*max = b->c[i].max;
	return 0;
}

void grade_book_scores(const struct grade_book *b, struct json_object *root,
		       int *got)
{
	struct json_object *t = tests_of(root);
	memset(got, 0, b->n * sizeof(*got));
	for (size_t i = 0; t && i < json_object_array_length(t); i++) {
		struct json_object *o = json_object_array_get_idx(t, i);
		const char *id = str(o, "number");
		for (size_t k = 0; k < b->n; k++)
			if (!strcmp(b->c[k].key, id) ||
			    (strlen(b->c[k].key) == 2 && !strncmp(b->c[k].key, id, 2)))
				got[k] += num(o, "score");
	}
}

/* One student's row: the scores summed per column from their tests. */
static void row(const struct grade_book *b, char **csv, const char *student,
		struct json_object *root)
{
	struct json_object *x = batch_of(root);
	int *got = calloc(b->n + 1, sizeof(*got));
	char n[32];
	cell(csv, student, 1);
	cell(csv, x ? str(x, "status") : "missing", 0);
	snprintf(n, sizeof(n), "%d", x ? num(root, "score") : 0);
	cell(csv, n, 0);
	snprintf(n, sizeof(n), "%d", b->max);
	cell(csv, n, 0);
	if (got && x)
		grade_book_scores(b, root, got);
	for (size_t k = 0; k < b->n; k++) {
		snprintf(n, sizeof(n), "%d", got ? got[k] : 0);
		cell(csv, n, 0);
	}
	grade_text_cat(csv, "\n");
	free(got);
}

int grade_book_csv(const struct grade_book *b, const char *path,
		   const char *outdir, char *const *students, size_t n)
{
	char *csv = NULL, head[160];
	cell(&csv, "student", 1);
	cell(&csv, "status", 0);
	cell(&csv, "score", 0);
	cell(&csv, "max", 0);
	for (size_t k = 0; k < b->n; k++) {
		snprintf(head, sizeof(head), "%s (/%d)", b->c[k].title, b->c[k].max);
		cell(&csv, head, 0);
	}
	grade_text_cat(&csv, "\n");
	for (size_t i = 0; i < n; i++) {
		char *p = grade_text_fmt("%s/%s/results.json", outdir, students[i]);
		struct json_object *root = p ? json_object_from_file(p) : NULL;
		row(b, &csv, students[i], root);
		json_object_put(root);
		free(p);
	}
	int rc = csv ? grade_report_write(path, csv) : -ENOMEM;
	free(csv);
	return rc;
}
