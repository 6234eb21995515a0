/* test_grade_report.c: results stay valid whatever students print. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade_report.h"

static const char nasty[] = "\"quote\" \\back <tag> & \x01\x1b[31m \xff\xfe ]]> \n";

static struct grade_lab *lab(void)
{
	static struct grade_lab l;
	static struct grade_test t[2];
	memset(&l, 0, sizeof(l));
	snprintf(l.id, sizeof(l.id), "91");
	l.name = "91-x";
	l.rel = "labs/91-x";
	l.built = 1;
	t[0] = (struct grade_test){ .suite = "s", .name = "a", .path = "build/tests/t",
				    .stage = "91.1 one", .points = 2, .passed = 1,
				    .output = (char *)nasty };
	t[1] = (struct grade_test){ .suite = "s", .name = "b", .path = "build/tests/t",
				    .stage = "91.2 two", .points = 3, .hidden = 1,
				    .message = (char *)nasty, .output = (char *)nasty };
	l.r.t = t;
	l.r.n = 2;
	return &l;
}

Test(grade_report, gradescope_json_is_valid_and_scored)
{
	char path[] = "/tmp/grade-report-XXXXXX";
	close(mkstemp(path));
	cr_assert_eq(grade_report_gradescope(path, lab(), 1, 1.2, nasty), 0);
	struct json_object *o = json_object_from_file(path), *v, *tests;
	unlink(path);
	cr_assert_not_null(o, "results.json does not parse");
	cr_assert(json_object_object_get_ex(o, "score", &v));
	cr_assert_eq(json_object_get_int(v), 2);
	cr_assert(json_object_object_get_ex(o, "tests", &tests));
	struct json_object *b = json_object_array_get_idx(tests, 1);
	cr_assert(json_object_object_get_ex(b, "visibility", &v));
	cr_assert_str_eq(json_object_get_string(v), "after_due_date");
	cr_assert(json_object_object_get_ex(b, "max_score", &v));
	cr_assert_eq(json_object_get_int(v), 3);
	json_object_put(o);
}

Test(grade_report, junit_xml_is_well_formed)
{
	char path[] = "/tmp/grade-junit-XXXXXX", cmd[128];
	close(mkstemp(path));
	cr_assert_eq(grade_report_junit(path, lab(), 1), 0);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
	int rc = system(cmd);
	unlink(path);
	cr_assert_eq(rc, 0, "xmllint rejects the JUnit file");
}

Test(grade_report, outcomes_round_trip)
{
	char path[] = "/tmp/grade-outcomes-XXXXXX";
	close(mkstemp(path));
	struct grade_lab *l = lab();
	cr_assert_eq(grade_report_outcomes(path, l), 0);
	struct grade_lab copy = *l;
	struct grade_test t[2] = { l->r.t[0], l->r.t[1] };
	t[0].passed = 0, t[1].passed = 1;
	t[0].message = t[0].output = t[1].message = t[1].output = NULL;
	copy.r.t = t;
	cr_assert_eq(grade_report_load(path, &copy), 0);
	unlink(path);
	cr_assert_eq(t[0].passed, 1);
	cr_assert_eq(t[1].passed, 0);
	cr_assert_not_null(t[1].message);
	free(t[0].message), free(t[0].output), free(t[1].message), free(t[1].output);
}
