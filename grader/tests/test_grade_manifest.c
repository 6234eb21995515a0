/* test_grade_manifest.c: only the student's files cross from a submission. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_manifest.h"
#include "grade_tree.h"

static char top[64], ref[96], sub[96], work[96];

static const char *const solved =
	"int f(void)\n{\n\t/* >>> SOLUTION 01.1: return 42. */\n\treturn 42;\n"
	"\t/* === STUB\n\treturn -38;\n\t*/\n\t/* <<< SOLUTION */\n}\n";

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static char *get(const char *rel)
{
	static char buf[4096];
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void at(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", top, rel);
}

static void setup(void)
{
	char cmd[512];
	snprintf(top, sizeof(top), "/tmp/vmlab-manifest.XXXXXX");
	cr_assert_not_null(mkdtemp(top));
	snprintf(cmd, sizeof(cmd), "cd %s && mkdir -p ref/labs/01-x/src ref/labs/01-x/tests "
		 "ref/labs/01-x/build ref/mk ref/grader/include sub/labs/01-x/src "
		 "sub/labs/01-x/build sub/labs/01-x/src/criterion", top);
	cr_assert_eq(system(cmd), 0);
	put("ref/labs/01-x/Makefile", "all:\n");
	put("ref/labs/01-x/src/a.c", solved);
	put("ref/labs/01-x/src/b.c", solved);
	put("ref/labs/01-x/src/c.c", solved);
	put("ref/labs/01-x/src/d.c", solved);
	put("ref/labs/01-x/src/given.c", "int given;\n");
	put("ref/labs/01-x/build/old.c", solved);
	put("ref/labs/01-x/tests/test_x.c", "/* tests */\n");
	at(ref, sizeof(ref), "ref");
	at(sub, sizeof(sub), "sub");
	at(work, sizeof(work), "work");
}

static void teardown(void)
{
	grade_tree_remove(top);
}

TestSuite(grade_manifest, .init = setup, .fini = teardown);

Test(grade_manifest, the_student_files_are_the_marked_ones)
{
	struct grade_manifest m;
	cr_assert_eq(grade_manifest_read(ref, "labs/01-x", &m), 0);
	cr_assert_eq(m.n, 4);
	cr_assert_str_eq(m.files[0], "labs/01-x/src/a.c");
	cr_assert_str_eq(m.files[3], "labs/01-x/src/d.c");
	cr_assert(grade_manifest_has(&m, "labs/01-x/src/b.c"));
	cr_assert_not(grade_manifest_has(&m, "labs/01-x/src/given.c"));
	grade_manifest_free(&m);
}

Test(grade_manifest, regular_files_cross_links_fifos_and_gaps_get_the_stub)
{
	struct grade_manifest m;
	char target[160], link[160], *notes = NULL;
	int taken;
	put("sub/labs/01-x/src/a.c", "int f(void) { return 7; }\n");
	at(target, sizeof(target), "ref/labs/01-x/src/b.c");
	at(link, sizeof(link), "sub/labs/01-x/src/b.c");
	cr_assert_eq(symlink(target, link), 0);
	at(link, sizeof(link), "sub/labs/01-x/src/c.c");
	cr_assert_eq(mkfifo(link, 0644), 0);
	put("sub/labs/01-x/src/given.c", "int given = 1000;\n");
	put("sub/labs/01-x/src/criterion/criterion.h", "#define cr_assert(x)\n");
	put("sub/labs/01-x/GNUmakefile", "all:\n\ttrue\n");
	put("sub/labs/01-x/build/x.d", "$(shell id)\n");
	cr_assert_eq(grade_manifest_read(ref, "labs/01-x", &m), 0);
	cr_assert_eq(grade_tree_fresh(ref, "01-x", work, NULL), 0);
	cr_assert_eq(grade_manifest_apply(&m, ref, sub, work, &notes, &taken), 0);
	cr_assert_eq(taken, 1);
	cr_assert_str_eq(get("work/labs/01-x/src/a.c"), "int f(void) { return 7; }\n");
	cr_assert_not_null(strstr(get("work/labs/01-x/src/b.c"), "return -38;"));
	cr_assert_null(strstr(get("work/labs/01-x/src/b.c"), "return 42;"),
		       "a link brought the reference in");
	cr_assert_not_null(strstr(get("work/labs/01-x/src/c.c"), "return -38;"));
	cr_assert_not_null(strstr(get("work/labs/01-x/src/d.c"), "return -38;"));
	cr_assert_str_eq(get("work/labs/01-x/src/given.c"), "int given;\n");
	snprintf(target, sizeof(target), "%s/labs/01-x/GNUmakefile", work);
	cr_assert(access(target, F_OK));
	cr_assert_not_null(notes);
	cr_assert_not_null(strstr(notes, "labs/01-x/src/b.c: a symlink: refused"), "%s", notes);
	cr_assert_not_null(strstr(notes, "labs/01-x/src/c.c: not a regular file"), "%s", notes);
	cr_assert_null(strstr(notes, "d.c"), "a missing file is not refused: %s", notes);
	cr_assert_eq(grade_manifest_unused(&m, sub, "labs/01-x"), 3);
	grade_manifest_free(&m);
	free(notes);
}

Test(grade_manifest, a_folder_linked_to_the_reference_brings_nothing)
{
	struct grade_manifest m;
	char target[200], link[160], *notes = NULL;
	int taken;
	at(link, sizeof(link), "sub/labs/01-x/src");
	snprintf(target, sizeof(target), "rm -rf %s", link);
	cr_assert_eq(system(target), 0);
	at(target, sizeof(target), "ref/labs/01-x/src");
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(grade_manifest_read(ref, "labs/01-x", &m), 0);
	cr_assert_eq(grade_tree_fresh(ref, "01-x", work, NULL), 0);
	cr_assert_eq(grade_manifest_apply(&m, ref, sub, work, &notes, &taken), 0);
	cr_assert_eq(taken, 0);
	cr_assert_not_null(strstr(get("work/labs/01-x/src/a.c"), "return -38;"));
	cr_assert_not_null(strstr(notes, "reached through a symlink"), "%s", notes);
	grade_manifest_free(&m);
	free(notes);
}
