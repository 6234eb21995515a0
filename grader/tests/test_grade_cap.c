/* test_grade_cap.c: head + tail capture. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "grade_cap.h"

Test(grade_cap, keeps_everything_that_fits)
{
	struct grade_cap c;
	cr_assert_eq(grade_cap_init(&c, 8, 8), 0);
	grade_cap_add(&c, "hello", 5);
	char *s = grade_cap_text(&c);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(grade_cap_dropped(&c), 0);
	free(s);
	grade_cap_free(&c);
}

Test(grade_cap, keeps_head_and_tail_and_counts_the_rest)
{
	struct grade_cap c;
	cr_assert_eq(grade_cap_init(&c, 4, 3), 0);
	grade_cap_add(&c, "abcdefgh", 8);
	grade_cap_add(&c, "ijklmnop", 8);
	cr_assert_eq(grade_cap_dropped(&c), 9);
	char *s = grade_cap_text(&c);
	cr_assert_str_eq(s, "abcd\n[... 9 bytes of output left out ...]\nnop");
	free(s);
	grade_cap_free(&c);
}

Test(grade_cap, a_gigabyte_costs_only_the_cap)
{
	struct grade_cap c;
	static char buf[1 << 16];
	memset(buf, 'y', sizeof(buf));
	cr_assert_eq(grade_cap_init(&c, 100, 100), 0);
	for (int i = 0; i < (1 << 14); i++)
		grade_cap_add(&c, buf, sizeof(buf));
	cr_assert_eq(c.total, 1ULL << 30);
	cr_assert_eq(grade_cap_dropped(&c), (1ULL << 30) - 200);
	grade_cap_free(&c);
}
