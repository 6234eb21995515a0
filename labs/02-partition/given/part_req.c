/*
 * part_req: reading requests and host specs (see part_req.h).
 *
 * The text reader works on one line at a time: cut the comment, split on
 * blanks, the first word is the name, each other word is key=value. Every
 * error names its line and the word at fault, and says what would be right.
 * Duplicate names are found by sorting pointers to the names once, so a
 * plan of 100,000 servers costs O(n log n) here, not O(n^2).
 *
 * JSON is read with jansson, not json-c (which writes the plans): json-c
 * keeps the last of a key given twice in one object and says nothing, so
 * {"cpus": 1, "cpus": 64} would plan 64 CPUs. jansson refuses it
 * (JSON_REJECT_DUPLICATES) and refuses "\u0000" in strings (a name cut
 * short at a NUL), each with its line and column. The two libraries share
 * two symbol names (json_object_get, json_object_iter_next): a file
 * includes one of their headers, never both, and jansson is linked first.
 */
#include "part_req.h"
#include "part_size.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int part_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= PART_NAME_MAX || !isalpha((unsigned char)name[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_')
			return 0;
	return 1;
}

int part_reqs_add(struct part_reqs *rs, const struct part_req *r,
		  struct vmlab_err *err)
{
	if (!part_name_ok(r->name))
		return vmlab_fail(err, -EINVAL,
			    "bad name '%s' (a letter, then letters, digits, '-' or '_'; at most %d)",
			    r->name, PART_NAME_MAX - 1);
	if (rs->n == PART_REQS_MAX)
		return vmlab_fail(err, -E2BIG, "more than %d servers", PART_REQS_MAX);
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct part_req *v = realloc(rs->v, cap * sizeof(*v));

		if (!v)
			return vmlab_fail(err, -ENOMEM, "out of memory");
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
	return 0;
}

void part_reqs_free(struct part_reqs *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static int cmp_name(const void *a, const void *b)
{
	const struct part_req *x = *(const struct part_req *const *)a;
	const struct part_req *y = *(const struct part_req *const *)b;
	int c = strcmp(x->name, y->name);

	/* Equal names: keep file order so the message names the first one. */
	return c ? c : (x < y ? -1 : x > y);
}

int part_reqs_check_unique(const struct part_reqs *rs, struct vmlab_err *err)
{
	const struct part_req **p = malloc((rs->n ? rs->n : 1) * sizeof(*p));
	int ret = 0;

	if (!p)
		return vmlab_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < rs->n; i++)
		p[i] = &rs->v[i];
	qsort(p, rs->n, sizeof(*p), cmp_name);
	for (size_t i = 1; i < rs->n && !ret; i++) {
		if (strcmp(p[i - 1]->name, p[i]->name) == 0)
			ret = vmlab_fail(err, -EEXIST,
				   "line %u: duplicate name '%s' (first on line %u); names must be unique",
				   p[i]->line, p[i]->name, p[i - 1]->line);
	}
	free(p);
	return ret;
}

/* A disk is whole 512-byte sectors: lab 03's virtual disk reads no less. */
static int disk_check(int e, uint64_t disk, struct vmlab_err *why)
{
	if (!e && disk % 512)
		return vmlab_fail(why, -EINVAL, "is not a whole number of 512-byte sectors");
	return e;
}

/*
 * A bit for each key of a request (0 for unknown ones, which req_set
 * refuses), so that a key given twice is refused rather than the last one
 * silently winning. "vcpus" is JSON's other name for "cpus".
 */
static unsigned key_bit(const char *key)
{
	static const char *const keys[] = {"name", "cpus", "mem", "disk", "count", "pids"};

	if (strcmp(key, "vcpus") == 0)
		key = "cpus";
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return 1u << i;
	return 0;
}

/* One key=value of a request into r (count into *count). */
static int req_set(struct part_req *r, uint64_t *count, const char *key,
		   const char *val, struct vmlab_err *err)
{
	struct vmlab_err why;
	uint64_t v = 0;
	int e;

	if (strcmp(key, "cpus") == 0) {
		e = part_count_parse(val, PART_VCPUS_MAX, &v, &why);
		r->vcpus = (uint32_t)v;
	} else if (strcmp(key, "mem") == 0) {
		e = part_size_parse(val, &r->mem, &why);
		if (!e && r->mem == 0)
			e = vmlab_fail(&why, -EINVAL, "must be more than 0");
	} else if (strcmp(key, "disk") == 0) {
		e = part_size_parse(val, &r->disk, &why);
		e = disk_check(e, r->disk, &why);
	} else if (strcmp(key, "count") == 0) {
		e = part_count_parse(val, 100000, count, &why);
	} else if (strcmp(key, "pids") == 0) {
		e = part_count_parse(val, 4194304, &v, &why);
		r->pids = (uint32_t)v;
	} else {
		return vmlab_fail(err, -EINVAL,
			    "line %u: unknown key '%s' (use cpus, mem, disk, count or pids)",
			    r->line, key);
	}
	if (e)
		return vmlab_fail(err, e, "line %u: %s=%s %s", r->line, key, val, why.msg);
	return 0;
}

/* Adds r, or count copies of it named name1..nameK. */
static int add_count(struct part_reqs *rs, const struct part_req *r,
		     uint64_t count, int counted, struct vmlab_err *err)
{
	if (!counted)
		return part_reqs_add(rs, r, err);
	for (uint64_t i = 1; i <= count; i++) {
		struct part_req c = *r;
		int n = snprintf(c.name, sizeof(c.name), "%s%llu", r->name,
				 (unsigned long long)i);
		int e;

		if (n < 0 || (size_t)n >= sizeof(c.name))
			return vmlab_fail(err, -EINVAL, "line %u: name '%s' with count=%llu is longer than %d",
				    r->line, r->name, (unsigned long long)count, PART_NAME_MAX - 1);
		if ((e = part_reqs_add(rs, &c, err)))
			return e;
	}
	return 0;
}

/* Parses one line (comment already cut) that holds a request. */
static int parse_line(struct part_reqs *rs, char *line, unsigned lineno,
		      struct vmlab_err *err)
{
	struct part_req r = {.line = lineno, .pids = PART_PIDS_DEFAULT};
	uint64_t count = 1;
	int counted = 0, e;
	char *save = NULL, *word = strtok_r(line, " \t\r", &save);

	if (strchr(word, '='))
		return vmlab_fail(err, -EINVAL, "line %u: '%s' is not a name; a line starts with the server's name",
			    lineno, word);
	if (strlen(word) >= sizeof(r.name))
		return vmlab_fail(err, -EINVAL, "line %u: name '%.40s' is longer than %d characters",
			    lineno, word, PART_NAME_MAX - 1);
	strcpy(r.name, word);
	for (unsigned seen = 0; (word = strtok_r(NULL, " \t\r", &save));) {
		char *eq = strchr(word, '=');

		if (!eq)
			return vmlab_fail(err, -EINVAL, "line %u: '%s' is not key=value", lineno, word);
		*eq = '\0';
		if (seen & key_bit(word))
			return vmlab_fail(err, -EINVAL, "line %u: %s= given twice for %s: give it once",
				    lineno, word, r.name);
		seen |= key_bit(word);
		if ((e = req_set(&r, &count, word, eq + 1, err)))
			return e;
		counted |= strcmp(word, "count") == 0;
	}
	if (r.vcpus == 0 || r.mem == 0)
		return vmlab_fail(err, -EINVAL, "line %u: %s needs cpus=N and mem=SIZE", lineno, r.name);
	if ((e = add_count(rs, &r, count, counted, err)))
		return e;
	return 0;
}

int part_reqs_parse_text(struct part_reqs *rs, const char *text,
			 struct vmlab_err *err)
{
	size_t n0 = rs->n;
	unsigned lineno = 0;
	int e = 0;

	for (const char *p = text; *p && !e; lineno++) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *line = strndup(p, len);

		if (!line)
			return vmlab_fail(err, -ENOMEM, "out of memory");
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (line[strspn(line, " \t\r")])
			e = parse_line(rs, line, lineno + 1, err);
		free(line);
		p += len + (end != NULL);
	}
	if (!e)
		e = part_reqs_check_unique(rs, err);
	if (e)
		rs->n = n0;
	return e;
}

/*
 * Loads text with jansson. What json-c let through is said in the reader's
 * words with the fix; other errors in jansson's, as not valid JSON. Each
 * with its line and column.
 */
/*
 * jansson 2.14 reports an allocation that failed while parsing as nothing
 * at all, or as a syntax error ("string or '}' expected" where a key could
 * not be copied), or not at all: an object comes back without one of its
 * members ("cpu_ratio_milli" gone). Its allocator is watched instead
 * (json_set_alloc_funcs): any failure is out of memory, never "bad input"
 * nor a value misread.
 */
static int alloc_failed;

static void *watched_malloc(size_t n)
{
	void *p = malloc(n);

	alloc_failed |= p == NULL;
	return p;
}

int part_json_load(const char *text, json_t **root, struct vmlab_err *err)
{
	json_error_t je = {.line = 0};
	const char *what = NULL, *fix = NULL, *near;

	alloc_failed = 0;
	json_set_alloc_funcs(watched_malloc, free);
	*root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (*root && !alloc_failed)
		return 0;
	if (alloc_failed || !je.text[0] || json_error_code(&je) == json_error_out_of_memory) {
		json_decref(*root);
		*root = NULL;
		return vmlab_fail(err, -ENOMEM, "out of memory");
	}
	switch (json_error_code(&je)) {
	case json_error_duplicate_key:
		what = "a key given twice in one object", fix = "give each key once";
		break;
	case json_error_null_character:
	case json_error_null_byte_in_key:
		what = "a \\u0000 (NUL) in a string", fix = "names and paths cannot hold one";
		break;
	default:
		return vmlab_fail(err, -EINVAL, "not valid JSON: line %d, column %d: %s", je.line,
				 je.column, je.text);
	}
	near = strstr(je.text, " near ");
	return vmlab_fail(err, -EINVAL, "line %d, column %d: %s%s%s: %s", je.line, je.column, what,
			 near ? ", near " : "", near ? near + 6 : "", fix);
}

/* A JSON size: a number of bytes or a string with a unit. */
static int json_size(const json_t *v, uint64_t *out, struct vmlab_err *why)
{
	if (json_is_string(v))
		return part_size_parse(json_string_value(v), out, why);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	return vmlab_fail(why, -EINVAL, "must be a size (\"4G\") or a number of bytes");
}

/* A JSON whole number, read through the text parser for the same checks. */
static int json_count(const json_t *v, uint64_t max, uint64_t *out,
		      struct vmlab_err *why)
{
	if (!json_is_integer(v))
		return vmlab_fail(why, -EINVAL, "must be a whole number");
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	return part_count_parse(buf, max, out, why);
}

/* A name: a string (no NUL: json_loads refused "\u0000") that fits. */
static int json_name(struct part_req *r, const json_t *v, struct vmlab_err *why)
{
	if (!json_is_string(v))
		return vmlab_fail(why, -EINVAL, "must be a string");
	if (json_string_length(v) >= sizeof(r->name))
		return vmlab_fail(why, -EINVAL, "is too long");
	strcpy(r->name, json_string_value(v));
	return 0;
}

static int json_field(struct part_req *r, uint64_t *count, const char *key,
		      const json_t *v, size_t i, struct vmlab_err *err)
{
	struct vmlab_err why;
	uint64_t n = 0;
	int e;

	if (strcmp(key, "name") == 0) {
		e = json_name(r, v, &why);
	} else if (strcmp(key, "cpus") == 0 || strcmp(key, "vcpus") == 0) {
		e = json_count(v, PART_VCPUS_MAX, &n, &why);
		r->vcpus = (uint32_t)n;
	} else if (strcmp(key, "mem") == 0) {
		e = json_size(v, &r->mem, &why);
		if (!e && r->mem == 0)
			e = vmlab_fail(&why, -EINVAL, "must be more than 0");
	} else if (strcmp(key, "disk") == 0) {
		e = json_size(v, &r->disk, &why);
		e = disk_check(e, r->disk, &why);
	} else if (strcmp(key, "count") == 0) {
		e = json_count(v, 100000, count, &why);
	} else if (strcmp(key, "pids") == 0) {
		e = json_count(v, 4194304, &n, &why);
		r->pids = (uint32_t)n;
	} else {
		return 0; /* other fields of a plan's server (cpuset, ...) */
	}
	if (e)
		return vmlab_fail(err, e, "servers[%zu]: %s %s", i, key, why.msg);
	return 0;
}

static int json_one(struct part_reqs *rs, json_t *o, size_t i,
		    struct vmlab_err *err)
{
	struct part_req r = {.pids = PART_PIDS_DEFAULT};
	uint64_t count = 1;
	unsigned seen = 0;
	const char *key;
	json_t *v;
	int e;

	if (!json_is_object(o))
		return vmlab_fail(err, -EINVAL, "servers[%zu]: not an object", i);
	json_object_foreach(o, key, v) {
		/* The same key twice json_loads refused; these are two names of one. */
		if (seen & key_bit(key))
			return vmlab_fail(err, -EINVAL, "servers[%zu]: \"%s\" given twice (cpus and vcpus "
				    "are one key): give it once", i, key);
		seen |= key_bit(key);
		if ((e = json_field(&r, &count, key, v, i, err)))
			return e;
	}
	if (!r.name[0] || r.vcpus == 0 || r.mem == 0)
		return vmlab_fail(err, -EINVAL, "servers[%zu]: needs \"name\", \"cpus\" and \"mem\"", i);
	return add_count(rs, &r, count, json_object_get(o, "count") != NULL, err);
}

int part_reqs_parse_json(struct part_reqs *rs, const char *text,
			 struct vmlab_err *err)
{
	json_t *root, *arr;
	size_t n0 = rs->n;
	int e;

	if ((e = part_json_load(text, &root, err)))
		return e;
	arr = json_is_object(root) ? json_object_get(root, "servers") : root;
	if (!json_is_array(arr)) {
		json_decref(root);
		return vmlab_fail(err, -EINVAL, "JSON requests must be a list, or an object with a \"servers\" list");
	}
	for (size_t i = 0; i < json_array_size(arr) && !e; i++)
		e = json_one(rs, json_array_get(arr, i), i, err);
	json_decref(root);
	if (!e)
		e = part_reqs_check_unique(rs, err);
	if (e)
		rs->n = n0;
	return e;
}

int part_reqs_parse(struct part_reqs *rs, const char *text,
		    struct vmlab_err *err)
{
	const char *p = text + strspn(text, " \t\r\n");

	if (*p == '[' || *p == '{')
		return part_reqs_parse_json(rs, text, err);
	return part_reqs_parse_text(rs, text, err);
}

/* One key=value of a host spec. */
static int host_set(struct part_host *h, const char *key, const char *val,
		    struct vmlab_err *err)
{
	struct vmlab_err why;
	uint64_t v;
	int e;

	if (strcmp(key, "cpus") == 0) {
		/* 0 is a valid reserve ("cpus=0"), never a valid host. */
		e = strcmp(val, "0") == 0 ? (v = 0, 0)
		    : part_count_parse(val, PART_HOST_CPUS_MAX, &v, &why);
		if (!e)
			h->cpus = (uint32_t)v;
	} else if (strcmp(key, "mem") == 0) {
		e = part_size_parse(val, &h->mem, &why);
	} else if (strcmp(key, "disk") == 0) {
		e = part_size_parse(val, &h->disk, &why);
	} else {
		return vmlab_fail(err, -EINVAL, "unknown key '%s' (use cpus, mem or disk)", key);
	}
	if (e)
		return vmlab_fail(err, e, "%s=%s %s", key, val, why.msg);
	return 0;
}

int part_host_parse(const char *spec, struct part_host *h,
		    struct vmlab_err *err)
{
	struct part_host t = *h;
	char *copy = strdup(spec), *save = NULL;
	unsigned seen = 0;
	int e = 0;

	if (!copy)
		return vmlab_fail(err, -ENOMEM, "out of memory");
	for (char *w = strtok_r(copy, ",", &save); w && !e; w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '=');

		if (!eq) {
			e = vmlab_fail(err, -EINVAL, "'%s' is not key=value (e.g. cpus=100,mem=100G,disk=2T)", w);
			break;
		}
		*eq = '\0';
		if (seen & key_bit(w)) {
			e = vmlab_fail(err, -EINVAL, "%s= given twice: give it once", w);
			break;
		}
		seen |= key_bit(w);
		e = host_set(&t, w, eq + 1, err);
	}
	free(copy);
	if (!e)
		*h = t;
	return e;
}
