/* test_grade_marker.c: stripping solution regions, refusing broken ones. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "grade_marker.h"

static const char good[] =
	"int f(int x)\n"
	"{\n"
	"\t/* >>> SOLUTION 01.2: double x. */\n"
	"\treturn 2 * x;\n"
	"\t/* === STUB\n"
	"\t(void)x;\n"
	"\treturn -ENOSYS;\n"
	"\t*/\n"
	"\t/* <<< SOLUTION */\n"
	"}\n";

Test(grade_marker, keeps_the_hint_and_the_stub)
{
	char *out;
	int regions, line;
	cr_assert_eq(grade_marker_strip(good, NULL, &out, &regions, &line, NULL), 0);
	cr_assert_eq(regions, 1);
	cr_assert_str_eq(out, "int f(int x)\n{\n\t/* TODO(student) 01.2: double x. */\n"
			      "\t(void)x;\n\treturn -ENOSYS;\n}\n");
	free(out);
}

Test(grade_marker, a_file_without_markers_is_unchanged)
{
	char *out;
	int regions, line;
	cr_assert_eq(grade_marker_strip("a\n/* c\n */\nb\n", NULL, &out, &regions, &line, NULL), 0);
	cr_assert_eq(regions, 0);
	cr_assert_str_eq(out, "a\n/* c\n */\nb\n");
	free(out);
}

static void refuses(const char *text, int want_line, const char *about)
{
	char *out = NULL;
	int regions, line;
	struct vmlab_err err;
	cr_assert_eq(grade_marker_strip(text, NULL, &out, &regions, &line, &err), -EINVAL,
		     "accepted: %s", about);
	cr_assert_eq(line, want_line, "%s: line %d, expected %d (%s)", about, line,
		     want_line, err.msg);
	cr_assert_eq(err.code, -EINVAL);
	cr_assert_neq(err.msg[0], '\0', "%s: says what is wrong", about);
	cr_assert_null(out);
}

Test(grade_marker, refuses_broken_regions_naming_the_line)
{
	refuses("/* >>> SOLUTION 01.1: x */\ncode\n/* <<< SOLUTION */\n", 3, "no stub");
	refuses("/* >>> SOLUTION 01.1: x */\n/* >>> SOLUTION 01.1: y */\n", 2, "nested");
	refuses("x; /* >>> SOLUTION 01.1: x */\n", 1, "not alone on its line");
	refuses("/* >>> SOLUTION 01.1: x */\na\n/* === STUB\nb\n", 4, "ends inside");
	refuses("/* >>> SOLUTION 01.1: x */\n/* === STUB\nb; /* c */\n*/\n/* <<< SOLUTION */\n",
		3, "stub holds */");
	refuses("/* <<< SOLUTION */\n", 1, "close without open");
	refuses("/* >>> SOLUTION 01.1: x */\n/* === STUB\n*/\nint y;\n", 4, "code after the stub");
}

Test(grade_marker, refuses_a_region_without_its_stage)
{
	refuses("int a;\n/* >>> SOLUTION: x */\nb\n/* === STUB\n*/\n/* <<< SOLUTION */\n",
		2, "no stage");
	refuses("/* >>> SOLUTION 1.2: x */\n", 1, "one-digit lab");
	refuses("/* >>> SOLUTION 01.x: x */\n", 1, "no stage number");
	refuses("/* >>> SOLUTION 01.2 x */\n", 1, "no colon");
	refuses("/* >>> SOLUTION 01.2: x */\n/* >>> SOLUTION: y */\n", 2, "nested, no stage");
}

/* Two regions of stages 1 and 3 of lab 01, and one of lab 02. */
static const char staged[] =
	"/* >>> SOLUTION 01.1: one */\n"
	"int a = 1;\n"
	"/* === STUB\n"
	"int a;\n"
	"*/\n"
	"/* <<< SOLUTION */\n"
	"/* >>> SOLUTION 01.3: three */\n"
	"/* a comment\n"
	"*/\n"
	"int c = 3;\n"
	"/* === STUB\n"
	"int c;\n"
	"*/\n"
	"/* <<< SOLUTION */\n"
	"/* >>> SOLUTION 02.1: other lab */\n"
	"int d = 4;\n"
	"/* === STUB\n"
	"int d;\n"
	"*/\n"
	"/* <<< SOLUTION */\n";

static char *strip_upto(const char *upto, int want_regions)
{
	char *out = NULL;
	int regions, line;
	struct vmlab_err err;
	cr_assert_eq(grade_marker_strip(staged, upto, &out, &regions, &line, &err), 0,
		     "%s: line %d: %s", upto, line, err.msg);
	cr_assert_eq(regions, want_regions, "%s: %d regions stubbed", upto, regions);
	return out;
}

Test(grade_marker, keeps_the_reference_up_to_a_stage)
{
	char *out = strip_upto(NULL, 3);
	cr_assert_str_eq(out, "/* TODO(student) 01.1: one */\nint a;\n"
			      "/* TODO(student) 01.3: three */\nint c;\n"
			      "/* TODO(student) 02.1: other lab */\nint d;\n");
	free(out);
	out = strip_upto("01.2", 2);
	cr_assert_str_eq(out, "int a = 1;\n/* TODO(student) 01.3: three */\nint c;\n"
			      "/* TODO(student) 02.1: other lab */\nint d;\n");
	free(out);
	out = strip_upto("01.3", 1);
	cr_assert_str_eq(out, "int a = 1;\n/* a comment\n*/\nint c = 3;\n"
			      "/* TODO(student) 02.1: other lab */\nint d;\n");
	free(out);
	out = strip_upto("01.0", 3);
	free(out);
	out = strip_upto("02.9", 2);
	cr_assert_str_eq(out, "/* TODO(student) 01.1: one */\nint a;\n"
			      "/* TODO(student) 01.3: three */\nint c;\nint d = 4;\n");
	free(out);
}

Test(grade_marker, reads_a_stage_id)
{
	int lab, stage;
	size_t len;
	cr_assert_eq(grade_marker_stage("03.12 x", &lab, &stage, &len), 0);
	cr_assert_eq(lab, 3);
	cr_assert_eq(stage, 12);
	cr_assert_eq(len, 5);
	cr_assert_eq(grade_marker_stage("3.1", &lab, &stage, &len), -EINVAL);
	cr_assert_eq(grade_marker_stage("03.", &lab, &stage, &len), -EINVAL);
	cr_assert_eq(grade_marker_stage("03.1234", &lab, &stage, &len), -EINVAL);
}
