/* test_grade_stages.c: the stage filter of grade --stage / --check-stages
 * (the checks themselves run in tests/stages.sh, on the fixture lab). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "grade_stages.h"

static void add(struct grade_rubric *r, const char *name, const char *stage,
		int hidden)
{
	char line[256];
	snprintf(line, sizeof(line), "{\"graded\":true,\"suite\":\"s\",\"name\":\"%s\",\"points\":1,"
		 "\"stage\":\"%s\",\"visibility\":\"%s\",\"timeout\":5}\n", name,
		 stage, hidden ? "after_due_date" : "visible");
	cr_assert_eq(grade_rubric_parse(r, "build/tests/test_x", line), 0, "%s", line);
}

Test(grade_stages, keeps_the_tests_up_to_a_stage_with_their_flags)
{
	struct grade_rubric r = { 0 };
	add(&r, "a", "03.1 probe", 0);
	add(&r, "b", "03.3 long mode", 1);
	add(&r, "c", "03.2 real mode", 1);
	add(&r, "d", "03.10 late", 0);
	add(&r, "e", "03.2 real mode", 0);
	grade_stages_keep(&r, "03.2");
	cr_assert_eq(r.n, 3);
	cr_assert_str_eq(r.t[0].name, "a");
	cr_assert_str_eq(r.t[1].name, "c");
	cr_assert_str_eq(r.t[2].name, "e");
	cr_assert_eq(r.t[0].hidden, 0);
	cr_assert_eq(r.t[1].hidden, 1, "a hidden test stays hidden");
	cr_assert_eq(r.t[2].hidden, 0);
	grade_stages_keep(&r, "03.0");
	cr_assert_eq(r.n, 0);
	grade_rubric_free(&r);
}

Test(grade_stages, keeps_the_tests_of_listed_stages_only)
{
	struct grade_rubric r = { 0 };
	add(&r, "a", "03.1 probe", 0);
	add(&r, "b", "03.3 long mode", 1);
	add(&r, "c", "03.2 real mode", 0);
	add(&r, "d", "03.10 late", 0);
	add(&r, "e", "03.1 probe", 0);
	grade_stages_only(&r, "03.3,03.1");
	cr_assert_eq(r.n, 3, "03.10 is not 03.1, 03.2 is not listed");
	cr_assert_str_eq(r.t[0].name, "a");
	cr_assert_str_eq(r.t[1].name, "b");
	cr_assert_str_eq(r.t[2].name, "e");
	cr_assert_eq(r.t[1].hidden, 1, "a hidden test stays hidden");
	grade_stages_only(&r, "03.2");
	cr_assert_eq(r.n, 0);
	grade_rubric_free(&r);
}

Test(grade_stages, knows_a_list_of_stage_ids)
{
	cr_assert(grade_stages_list_valid("03.2"));
	cr_assert(grade_stages_list_valid("03.2,03.10,01.1"));
	cr_assert_not(grade_stages_list_valid(""));
	cr_assert_not(grade_stages_list_valid("03.2,"));
	cr_assert_not(grade_stages_list_valid(",03.2"));
	cr_assert_not(grade_stages_list_valid("03.2 03.4"));
}

Test(grade_stages, knows_a_stage_id)
{
	cr_assert(grade_stages_valid("03.2"));
	cr_assert(grade_stages_valid("01.12"));
	cr_assert_not(grade_stages_valid("3.2"));
	cr_assert_not(grade_stages_valid("03.2 real mode"));
	cr_assert_not(grade_stages_valid("03"));
	cr_assert_not(grade_stages_valid(""));
}
