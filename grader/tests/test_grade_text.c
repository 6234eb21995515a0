/* test_grade_text.c: cleaning what students print. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

Test(grade_text, escapes_controls_for_a_terminal)
{
	/* ESC, CR, BS, DEL, a C1 CSI (U+009B), invalid UTF-8; é and tab stay */
	char *s = grade_text_escape("a\x1b[2Jb\rc\bd\x7f" "e\xc2\x9b" "f\xff\tcaf\xc3\xa9\n");
	cr_assert_str_eq(s, "a\\x1b[2Jb\\x0dc\\x08d\\x7fe\\x9bf?\tcaf\xc3\xa9\n");
	free(s);
}

Test(grade_text, shell_quotes_only_what_needs_it)
{
	char *a = grade_text_shquote("labs/01-server");
	char *b = grade_text_shquote("x'; touch pwned; '");
	char *c = grade_text_shquote("a\x1b" "b");
	cr_assert_str_eq(a, "labs/01-server");
	cr_assert_str_eq(b, "'x'\\''; touch pwned; '\\'''");
	cr_assert_str_eq(c, "'a?b'");
	free(a);
	free(b);
	free(c);
}

/* The quoted word, given to sh, comes back as one argument, the same. */
Test(grade_text, shell_quoted_word_survives_sh)
{
	const char *words[] = { "x'; touch pwned; '", "$(touch pwned)", "a b\"c`d`",
				"", "back\\slash" };
	char dir[] = "/tmp/shquote-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		char *q = grade_text_shquote(words[i]);
		char *cmd = grade_text_fmt("cd %s && printf '%%s' %s > out", dir, q);
		cr_assert_eq(system(cmd), 0, "%s", cmd);
		char *out = grade_text_fmt("%s/out", dir), got[256] = "";
		FILE *f = fopen(out, "r");
		cr_assert_not_null(f);
		size_t n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = '\0';
		fclose(f);
		cr_assert_str_eq(got, words[i], "%s", q);
		char *pw = grade_text_fmt("%s/pwned", dir);
		cr_assert(access(pw, F_OK) != 0, "%s ran something", q);
		free(q);
		free(cmd);
		free(out);
		free(pw);
	}
	char *rm = grade_text_fmt("rm -rf %s", dir);
	cr_assert_eq(system(rm), 0);
	free(rm);
}
