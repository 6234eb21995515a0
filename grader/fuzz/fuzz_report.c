/*
 * fuzz_report: untrusted bytes through the grader's report writers.
 *
 * Two ways in: the input as an outcome file (the grader reads one back out
 * of labvm, where student code ran: grade_report_load), and the input as
 * what a student's test printed (grade_text_clean, as grade_run keeps it).
 * Then results.json and JUnit XML are written and read back. Checked:
 * results.json parses as JSON whose strings are valid UTF-8, and the XML
 * holds no control character XML 1.0 forbids.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>

#include "fuzz_input.h"
#include "grade_report.h"
#include "grade_text.h"

static char dir[] = "/tmp/vmlab-fuzz-report-XXXXXX";
static char in[64], gs[64], xml[64];

static void setup(void)
{
	if (!mkdtemp(dir))
		abort();
	snprintf(in, sizeof(in), "%s/in.json", dir);
	snprintf(gs, sizeof(gs), "%s/results.json", dir);
	snprintf(xml, sizeof(xml), "%s/junit.xml", dir);
}

static void lab_init(struct grade_lab *l, struct grade_test *t)
{
	memset(l, 0, sizeof(*l));
	strcpy(l->id, "01");
	l->name = "01-server";
	l->r.t = t;
	l->r.n = l->r.cap = 2;
	for (int i = 0; i < 2; i++)
		t[i] = (struct grade_test){ .kind = GRADE_UNIT, .suite = "mem",
			.name = i ? "parse" : "read", .path = "build/tests/test_mem",
			.stage = "01.2 memory", .points = 2, .timeout = 5 };
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t n = 0;

	FUZZ_ASSERT(f && getdelim(&s, &n, '\0', f) >= 0);
	fclose(f);
	return s;
}

/* Parses as JSON, every string valid UTF-8 (as Gradescope needs). */
static int json_utf8_ok(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	int ok;

	FUZZ_ASSERT(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)strlen(s) + 1);
	ok = o && json_tokener_get_error(tok) == json_tokener_success;
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

static void check_xml(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 || *p == '\n' || *p == '\t' || *p == '\r');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grade_test t[2];
	struct grade_lab l;
	char *out, *text;
	FILE *f;

	if (!in[0])
		setup();
	lab_init(&l, t);
	f = fopen(in, "w");
	FUZZ_ASSERT(f && fwrite(data, 1, size, f) == size && fclose(f) == 0);
	grade_report_load(in, &l);
	out = grade_text_clean((const char *)data, size);
	free(t[1].output);
	t[1].output = out;
	FUZZ_ASSERT(grade_report_gradescope(gs, &l, 1, 1.0, out) == 0);
	text = slurp(gs);
	FUZZ_ASSERT(json_utf8_ok(text));
	free(text);
	FUZZ_ASSERT(grade_report_junit(xml, &l, 1) == 0);
	text = slurp(xml);
	check_xml(text);
	free(text);
	free(t[0].message);
	free(t[0].output);
	free(t[1].message);
	free(t[1].output);
	return 0;
}
