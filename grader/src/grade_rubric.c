/*
 * grade_rubric.c: building the rubric (grade_rubric.h).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "grade_rubric.h"
#include "grade_text.h"

static struct grade_test *add(struct grade_rubric *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct grade_test *t = realloc(r->t, cap * sizeof(*t));
		if (!t)
			return NULL;
		r->t = t;
		r->cap = cap;
	}
	memset(&r->t[r->n], 0, sizeof(r->t[0]));
	return &r->t[r->n++];
}

static int fill(struct grade_rubric *r, enum grade_kind kind, const char *suite,
		const char *name, const char *path, const char *stage,
		int points, int hidden, double timeout)
{
	struct grade_test *t = add(r);
	if (!t)
		return -ENOMEM;
	t->kind = kind;
	t->suite = strdup(suite);
	t->name = strdup(name);
	t->path = strdup(path);
	t->stage = strdup(stage);
	t->points = points;
	t->hidden = hidden;
	t->timeout = timeout;
	if (!t->suite || !t->name || !t->path || !t->stage)
		return -ENOMEM;
	return 0;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int parse_line(struct grade_rubric *r, const char *bin, const char *line)
{
	struct json_object *o = json_tokener_parse(line), *v;
	int rc = -EINVAL;
	const char *suite = str(o, "suite"), *name = str(o, "name");
	const char *stage = str(o, "stage"), *vis = str(o, "visibility");
	if (!o || !suite || !name || !stage || !vis)
		goto out;
	rc = 0;
	if (!json_object_object_get_ex(o, "graded", &v) || !json_object_get_boolean(v))
		goto out;          /* a plain Test(): not part of the grade */
	json_object_object_get_ex(o, "points", &v);
	int points = json_object_get_int(v);
	json_object_object_get_ex(o, "timeout", &v);
	double timeout = json_object_get_double(v);
	rc = -EINVAL;
	if (points < 0 || timeout <= 0 || !*stage)
		goto out;
	rc = fill(r, GRADE_UNIT, suite, name, bin, stage, points,
		  strcmp(vis, "visible") != 0, timeout);
	/* "bonus" is absent from binaries built before it existed: false */
	if (!rc && json_object_object_get_ex(o, "bonus", &v))
		r->t[r->n - 1].bonus = json_object_get_boolean(v);
out:
	json_object_put(o);
	return rc;
}

int grade_rubric_parse(struct grade_rubric *r, const char *bin, const char *text)
{
	char *copy = strdup(text), *save = NULL;
	int rc = copy ? 0 : -ENOMEM;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l && !rc;
	     l = strtok_r(NULL, "\n", &save))
		rc = parse_line(r, bin, l);
	free(copy);
	return rc;
}

/* Next macro argument at *p: up to a comma or the closing parenthesis at
 * depth 0, string literals kept whole; trimmed into buf. */
static int next_arg(const char **p, char *buf, size_t size)
{
	const char *s = *p;
	int depth = 0, quote = 0;
	size_t n = 0;
	for (; *s; s++) {
		if (quote && *s == '\\' && s[1]) {
			s++;
		} else if (*s == '"') {
			quote = !quote;
		} else if (!quote && *s == '(') {
			depth++;
		} else if (!quote && (*s == ',' || *s == ')')) {
			if (depth == 0)
				break;
			if (*s == ')')
				depth--;
		}
		if (n + 1 < size)
			buf[n++] = *s;
	}
	if (!*s)
		return -EINVAL;
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	size_t lead = strspn(buf, " \t\n");
	memmove(buf, buf + lead, n - lead + 1);
	*p = *s == ',' ? s + 1 : s;
	return 0;
}

static int scan_one(struct grade_rubric *r, const char *bin, const char **p,
		    int hidden, int bonus)
{
	char a[5][256];
	for (int i = 0; i < 5; i++)
		if (next_arg(p, a[i], sizeof(a[i])))
			return -EINVAL;
	size_t len = strlen(a[3]);
	if (len < 2 || a[3][0] != '"' || a[3][len - 1] != '"')
		return -EINVAL;
	a[3][len - 1] = '\0';
	int rc = fill(r, GRADE_UNIT, a[0], a[1], bin, a[3] + 1, atoi(a[2]),
		      hidden, atof(a[4]));
	if (!rc)
		r->t[r->n - 1].bonus = bonus;
	return rc;
}

int grade_rubric_scan(struct grade_rubric *r, const char *bin, const char *src)
{
	const char *p = src;
	while ((p = strstr(p, "GRADED"))) {
		int at_line_start = p == src || p[-1] == '\n';
		int hidden = strncmp(p, "GRADED_HIDDEN(", 14) == 0;
		int bonus = strncmp(p, "GRADED_BONUS(", 13) == 0;
		int plain = strncmp(p, "GRADED(", 7) == 0;
		if (!at_line_start || (!hidden && !bonus && !plain)) {
			p++;
			continue;
		}
		p += hidden ? 14 : bonus ? 13 : 7;
		int rc = scan_one(r, bin, &p, hidden, bonus);
		if (rc)
			return rc;
	}
	return 0;
}

/* "key=value" in the header, or NULL; value copied into buf. */
static const char *header_field(const char *line, const char *key, char *buf,
				size_t size, int to_end)
{
	const char *p = strstr(line, key);
	if (!p || (p != line && p[-1] != ' '))
		return NULL;
	p += strlen(key);
	size_t n = to_end ? strcspn(p, "\n") : strcspn(p, " \n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

int grade_rubric_cli(struct grade_rubric *r, const char *run, const char *first)
{
	char points[32], stage[256], timeout[32], name[256];
	if (strncmp(first, "# ", 2) ||
	    !header_field(first, "points=", points, sizeof(points), 0) ||
	    !header_field(first, "stage=", stage, sizeof(stage), 1))
		return -EINVAL;
	char *t = strstr(stage, " timeout=");
	if (t)
		*t = '\0';
	t = strstr(stage, ": ");      /* "02.1 sizes: what this case checks" */
	if (t)
		*t = '\0';
	double to = header_field(first, "timeout=", timeout, sizeof(timeout), 0)
		    ? atof(timeout) : 20;
	const char *base = strrchr(run, '/');
	snprintf(name, sizeof(name), "%s", base ? base + 1 : run);
	char *dot = strstr(name, ".run");
	if (dot)
		*dot = '\0';
	if (atoi(points) < 0 || to <= 0)
		return -EINVAL;
	return fill(r, GRADE_CLI, "cli", name, run, stage, atoi(points),
		    strstr(run, "/hidden/") != NULL, to);
}

static int sum(const struct grade_rubric *r, int passed_only, int bonus)
{
	int total = 0;
	for (size_t i = 0; i < r->n; i++)
		if ((!passed_only || r->t[i].passed) && !r->t[i].bonus == !bonus)
			total += r->t[i].points;
	return total;
}

int grade_rubric_points(const struct grade_rubric *r, int passed_only)
{
	return sum(r, passed_only, 0);
}

int grade_rubric_bonus(const struct grade_rubric *r, int passed_only)
{
	return sum(r, passed_only, 1);
}

static void test_free(struct grade_test *t)
{
	free(t->suite);
	free(t->name);
	free(t->path);
	free(t->stage);
	free(t->message);
	free(t->output);
	free(t->rerun);
}

void grade_rubric_drop_hidden(struct grade_rubric *r)
{
	size_t kept = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->t[i].hidden)
			test_free(&r->t[i]);
		else
			r->t[kept++] = r->t[i];
	}
	r->n = kept;
}

int grade_rubric_split(struct grade_rubric *r, const char *bins,
		       struct grade_rubric *out)
{
	size_t kept = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->n; i++) {
		const struct grade_test *t = &r->t[i];
		const char *base = strrchr(t->path, '/');
		base = base ? base + 1 : t->path;          /* the binary's name */
		if (t->kind == GRADE_UNIT && grade_text_has_word(bins, base, " ")) {
			struct grade_test *o = add(out);
			if (!o) {         /* keep the rest where they were */
				for (size_t j = i; j < r->n; j++)
					r->t[kept++] = r->t[j];
				r->n = kept;
				return -ENOMEM;
			}
			*o = *t;
		} else {
			r->t[kept++] = *t;
		}
	}
	r->n = kept;
	return 0;
}

int grade_rubric_join(struct grade_rubric *r, struct grade_rubric *more)
{
	for (size_t i = 0; i < more->n; i++) {
		struct grade_test *t = add(r);
		if (!t)
			return -ENOMEM;   /* what is left in more is freed with it */
		*t = more->t[i];
		memset(&more->t[i], 0, sizeof(more->t[i]));
	}
	free(more->t);
	memset(more, 0, sizeof(*more));
	return 0;
}

void grade_rubric_free(struct grade_rubric *r)
{
	for (size_t i = 0; i < r->n; i++)
		test_free(&r->t[i]);
	free(r->t);
	memset(r, 0, sizeof(*r));
}

const char *grade_stage_id(const char *stage, char *buf, size_t size)
{
	size_t n = strcspn(stage, " ");
	if (n >= size)
		n = size - 1;
	memcpy(buf, stage, n);
	buf[n] = '\0';
	return buf;
}
