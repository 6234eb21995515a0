/* test_grade_tree.c: the scratch tree a submission is graded in. */
#include <criterion/criterion.h>
#include <errno.h>
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
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/ref/labs/01-x/tests/hidden "
		 "%s/ref/labs/01-x/src %s/ref/labs/02-y/tests %s/ref/labs/01-x/build "
		 "%s/ref/mk %s/ref/grader/include %s/sub/labs/01-x/src", top, top, top,
		 top, top, top, top);
	cr_assert_eq(system(cmd), 0);
	put("ref/labs/01-x/Makefile", "all:\n");
	put("ref/labs/01-x/tests/test_x.c", "/* the instructor's */\n");
	put("ref/labs/01-x/tests/hidden/test_h.c", "/* hidden */\n");
	put("ref/labs/01-x/build/x.d", "$(shell touch /tmp/owned)\n");
	put("ref/labs/02-y/tests/test_y.c", "/* another lab's */\n");
	put("ref/labs/01-x/src/x.c", "int solution;\n");
	put("ref/mk/lab.mk", "# shared\n");
	put("ref/grader/include/graded.h", "/* harness */\n");
	put("sub/labs/01-x/src/mine.c", "int mine;\n");
}

static void teardown(void)
{
	grade_tree_remove(top);
}

TestSuite(grade_tree, .init = setup, .fini = teardown);

Test(grade_tree, a_fresh_tree_is_the_instructors_without_outputs)
{
	char ref[96], work[96];
	struct vmlab_err err;
	snprintf(ref, sizeof(ref), "%s/ref", top);
	snprintf(work, sizeof(work), "%s/work", top);
	cr_assert_eq(grade_tree_fresh(ref, "01-x", work, &err), 0, "%s", err.msg);
	cr_assert(exists("work/labs/01-x/Makefile"));
	cr_assert(exists("work/labs/01-x/tests/test_x.c"));
	cr_assert(exists("work/labs/01-x/tests/hidden/test_h.c"));
	cr_assert(exists("work/labs/01-x/src/x.c"));
	cr_assert(exists("work/mk/lab.mk"));
	cr_assert(exists("work/grader/include/graded.h"));
	cr_assert_not(exists("work/labs/01-x/build"), "a build folder was copied");
	cr_assert_not(exists("work/labs/02-y/tests"), "another lab's tests were copied");
	cr_assert_not(exists("work/labs/01-x/src/mine.c"));
	cr_assert_eq(grade_tree_fresh(ref, "01-x", work, &err), -EEXIST);
	cr_assert_str_eq(err.msg, "", "no copy failed: no path to name");
}
