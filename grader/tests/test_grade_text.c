/* test_grade_text.c: cleaning what students print. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "grade_text.h"

Test(grade_text, keeps_valid_utf8_and_newlines)
{
	char *s = grade_text_clean("caf\xc3\xa9\n\tok", 9);
	cr_assert_str_eq(s, "caf\xc3\xa9\n\tok");
	free(s);
}

Test(grade_text, replaces_invalid_bytes_and_controls)
{
	/* a lone continuation byte, a truncated sequence, NUL, ESC, an
	 * overlong '/', a surrogate */
	const char in[] = "a\x80" "b\xe2\x82" "c\0d\x1b[31m\xc0\xaf\xed\xa0\x80";
	char *s = grade_text_clean(in, sizeof(in) - 1);
	cr_assert_str_eq(s, "a?b??c?d?[31m?????");
	free(s);
}

Test(grade_text, escapes_xml)
{
	char *s = grade_text_xml("<a href=\"x\">&'</a>");
	cr_assert_str_eq(s, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
	free(s);
}

Test(grade_text, cat_appends)
{
	char *s = NULL;
	cr_assert_eq(grade_text_cat(&s, "%d", 1), 0);
	cr_assert_eq(grade_text_cat(&s, "-%s", "two"), 0);
	cr_assert_str_eq(s, "1-two");
	free(s);
}
