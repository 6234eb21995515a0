/* test_grade_marker.c: stripping solution regions, refusing broken ones. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "grade_marker.h"

static const char good[] =
	"int f(int x)\n"
	"{\n"
	"\t/* >>> SOLUTION: double x. */\n"
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
	const char *why;
	cr_assert_eq(grade_marker_strip(good, &out, &regions, &line, &why), 0);
	cr_assert_eq(regions, 1);
	cr_assert_str_eq(out, "int f(int x)\n{\n\t/* TODO(student): double x. */\n"
			      "\t(void)x;\n\treturn -ENOSYS;\n}\n");
	free(out);
}

Test(grade_marker, a_file_without_markers_is_unchanged)
{
	char *out;
	int regions, line;
	const char *why;
	cr_assert_eq(grade_marker_strip("a\n/* c\n */\nb\n", &out, &regions, &line, &why), 0);
	cr_assert_eq(regions, 0);
	cr_assert_str_eq(out, "a\n/* c\n */\nb\n");
	free(out);
}

static void refuses(const char *text, int want_line, const char *about)
{
	char *out = NULL;
	int regions, line;
	const char *why = NULL;
	cr_assert_eq(grade_marker_strip(text, &out, &regions, &line, &why), -EINVAL,
		     "accepted: %s", about);
	cr_assert_eq(line, want_line, "%s: line %d, expected %d (%s)", about, line,
		     want_line, why);
	cr_assert_not_null(why);
	cr_assert_null(out);
}

Test(grade_marker, refuses_broken_regions_naming_the_line)
{
	refuses("/* >>> SOLUTION: x */\ncode\n/* <<< SOLUTION */\n", 3, "no stub");
	refuses("/* >>> SOLUTION: x */\n/* >>> SOLUTION: y */\n", 2, "nested");
	refuses("x; /* >>> SOLUTION: x */\n", 1, "not alone on its line");
	refuses("/* >>> SOLUTION: x */\na\n/* === STUB\nb\n", 4, "ends inside");
	refuses("/* >>> SOLUTION: x */\n/* === STUB\nb; /* c */\n*/\n/* <<< SOLUTION */\n",
		3, "stub holds */");
	refuses("/* <<< SOLUTION */\n", 1, "close without open");
	refuses("/* >>> SOLUTION: x */\n/* === STUB\n*/\nint y;\n", 4, "code after the stub");
}
