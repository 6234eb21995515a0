/* test_grade_tree.c: the scratch tree a submission is graded in. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_tree.h"

static char top[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *rel)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return lstat(path, &st) == 0;
}

static void setup(void)
{
	snprintf(top, sizeof(top), "/tmp/vmlab-tree.XXXXXX");
	cr_assert_not_null(mkdtemp(top));
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/ref/labs/01-x/tests %s/ref/labs/01-x/src "
		 "%s/ref/mk %s/sub/labs/01-x/src", top, top, top, top);
	cr_assert_eq(system(cmd), 0);
	put("ref/labs/01-x/Makefile", "all:\n");
	put("ref/labs/01-x/tests/test_x.c", "/* the instructor's */\n");
	put("ref/labs/01-x/src/x.c", "int solution;\n");
	put("sub/labs/01-x/src/mine.c", "int mine;\n");
}

static void teardown(void)
{
	grade_tree_remove(top);
}

TestSuite(grade_tree, .init = setup, .fini = teardown);

Test(grade_tree, a_submission_keeps_its_files_and_gets_the_tests_back)
{
	char ref[96], sub[96], work[96], *bad = NULL;
	snprintf(ref, sizeof(ref), "%s/ref", top);
	snprintf(sub, sizeof(sub), "%s/sub", top);
	snprintf(work, sizeof(work), "%s/work", top);
	cr_assert_eq(grade_tree_prepare(ref, sub, work, &bad), 0, "%s", bad ? bad : "");
	cr_assert(exists("work/labs/01-x/src/mine.c"));
	cr_assert(exists("work/labs/01-x/tests/test_x.c"));
	cr_assert(exists("work/labs/01-x/Makefile"));
	free(bad);
}

Test(grade_tree, a_submissions_symlinks_are_left_out)
{
	char ref[96], sub[96], work[96], target[128], link[128], *bad = NULL;
	snprintf(ref, sizeof(ref), "%s/ref", top);
	snprintf(sub, sizeof(sub), "%s/sub", top);
	snprintf(work, sizeof(work), "%s/work", top);
	/* The reference solution, by absolute path; and a harmless relative link. */
	snprintf(target, sizeof(target), "%s/ref/labs/01-x/src/x.c", top);
	snprintf(link, sizeof(link), "%s/sub/labs/01-x/src/x.c", top);
	cr_assert_eq(symlink(target, link), 0);
	snprintf(link, sizeof(link), "%s/sub/labs/01-x/src/again.c", top);
	cr_assert_eq(symlink("mine.c", link), 0);
	cr_assert_eq(grade_tree_prepare(ref, sub, work, &bad), 0, "%s", bad ? bad : "");
	cr_assert(exists("work/labs/01-x/src/mine.c"));
	cr_assert_not(exists("work/labs/01-x/src/x.c"), "a link to the reference was copied");
	cr_assert_not(exists("work/labs/01-x/src/again.c"));
	free(bad);
}
