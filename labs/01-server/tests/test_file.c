/*
 * Tests of hi_file: paths under a root, strict numbers, line walking.
 * hi_file is given to the student, so these checks carry 0 points.
 */
#include "hi_file.h"

#include "graded.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

GRADED(file, parse_u64_strict, 0, "01.0 files", 5)
{
	const char *end;
	uint64_t v;

	cr_expect_eq(hi_parse_u64(" 18446744073709551615x", &end, &v), 0);
	cr_expect_eq(v, UINT64_MAX);
	cr_expect_eq(*end, 'x');
	cr_expect_eq(hi_parse_u64("18446744073709551616", &end, &v), -ERANGE);
	cr_expect_eq(hi_parse_u64("-1", &end, &v), -EINVAL);
	cr_expect_eq(hi_mul_u64(1ull << 60, 1024, &v), -ERANGE);
}

GRADED(file, path_under_root, 0, "01.0 files", 5)
{
	char p[64];

	cr_expect_eq(hi_path(p, sizeof(p), "/", "proc/stat"), 0);
	cr_expect_str_eq(p, "/proc/stat");
	cr_expect_eq(hi_path(p, sizeof(p), "fix/", "/proc/stat"), 0);
	cr_expect_str_eq(p, "fix/proc/stat");
	cr_expect_eq(hi_path(p, 8, "/", "proc/stat"), -ENAMETOOLONG);
	cr_expect(hi_root_is_live("/") && hi_root_is_live("//"));
	cr_expect(!hi_root_is_live("fix") && !hi_root_is_live(""));
}

GRADED(file, lines_flag_truncation, 0, "01.0 files", 5)
{
	struct hi_lines it = {.next = "a\nbc"};

	cr_assert(hi_lines_next(&it));
	cr_expect(it.complete && it.len == 1 && it.num == 1);
	cr_assert(hi_lines_next(&it));
	cr_expect(!it.complete && it.len == 2 && it.num == 2);
	cr_expect(!hi_lines_next(&it));
}

/* Regular files only: a FIFO is refused at once (opening it would wait for
 * a writer), and so is a device such as /dev/zero (it never ends). */
GRADED(file, load_refuses_what_is_not_a_file, 0, "01.0 files", 5)
{
	char dir[] = "/tmp/hi-fifo-XXXXXX", fifo[64], *text = NULL;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/meminfo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(hi_file_load(dir, "meminfo", &text, NULL), -ESPIPE);
	cr_assert_eq(hi_file_load("/", "dev/zero", &text, NULL), -ESPIPE);
	cr_assert_eq(hi_file_load("/", "tmp", &text, NULL), -EISDIR);
	cr_assert_null(text);
	unlink(fifo);
	rmdir(dir);
}
