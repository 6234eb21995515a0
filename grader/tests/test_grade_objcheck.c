/*
 * test_grade_objcheck.c: small labs compiled on the spot, one trick each.
 *
 * Each test makes a lab folder: the instructor's src/x.c (a solution
 * region, defining x_api), the student's object build/src/x.o compiled
 * from the given source, a test object that calls x_api, puts and a
 * plumbing function, and a test binary linked with libc (its DT_NEEDED is
 * where the library names come from).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade_objcheck.h"
#include "grade_text.h"

static char dir[] = "/tmp/objcheck-XXXXXX";

static void put(const char *rel, const char *text)
{
	char *path = grade_text_fmt("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void sh(const char *cmd)
{
	char *full = grade_text_fmt("cd %s && %s", dir, cmd);
	cr_assert_eq(system(full), 0, "%s", full);
	free(full);
}

static const char ref[] =
	"/* the instructor's x.c */\n"
	"int x_api(int a)\n"
	"{\n"
	"\t/* >>> SOLUTION 01.1: return a + 1 */\n"
	"\treturn a + 1;\n"
	"\t/* === STUB\n"
	"\t(void)a;\n"
	"\treturn -38;\n"
	"\t*/\n"
	"\t/* <<< SOLUTION */\n"
	"}\n";

/* The lab with student source `student`; then the check's verdict. */
static int check(const char *student, char **found)
{
	cr_assert_not_null(mkdtemp(dir));
	sh("mkdir -p src build/src build/tests");
	put("src/x.c", ref);
	put("src/plumb.c", "int plumb_json(int a) { return a; }\n");
	put("build/x_student.c", student);
	put("build/test_x.c",
	    "#include <stdio.h>\nint x_api(int); int plumb_json(int);\n"
	    "int main(void) { puts(\"t\"); return x_api(1) + plumb_json(2); }\n");
	sh("cc -c -o build/src/x.o build/x_student.c && "
	   "cc -c -o build/src/plumb.o src/plumb.c && "
	   "cc -c -o build/tests/test_x.o build/test_x.c && "
	   "cc -o build/tests/test_x build/tests/test_x.o build/src/plumb.o "
	   "-Wl,--unresolved-symbols=ignore-all");
	char **files = NULL;
	size_t n = 0;
	cr_assert_eq(grade_objcheck_files(dir, &files, &n), 0);
	cr_assert_eq(n, 1, "only src/x.c holds a solution region");
	cr_assert_str_eq(files[0], "src/x.c");
	struct vmlab_err err;
	int rc = grade_objcheck_lab(dir, NULL, files, n, found, &err);
	cr_assert(rc == 0 || rc == -EPERM, "the check itself failed: %s", err.msg);
	grade_objcheck_free(files, n);
	char *rm = grade_text_fmt("rm -rf %s", dir);
	cr_assert_eq(system(rm), 0);
	free(rm);
	strcpy(dir, "/tmp/objcheck-XXXXXX");
	return rc;
}

static void refused(const char *student, const char *what)
{
	char *found = NULL;
	cr_assert_eq(check(student, &found), -EPERM, "%s should be refused", what);
	cr_assert_not_null(found);
	cr_assert(strstr(found, "src/x.c"), "names the file: %s", found);
	cr_assert(strstr(found, what), "names %s: %s", what, found);
	free(found);
}

Test(objcheck, api_and_own_helpers_pass)
{
	char *found = NULL;
	int rc = check("static int twice(int a) { return 2 * a; }\n"
		       "int x_helper_of_mine(int a) { return twice(a); }\n"
		       "int x_api(int a) { return x_helper_of_mine(a) - a + 1; }\n", &found);
	cr_assert_eq(rc, 0, "%s", found ? found : "");
	free(found);
}

Test(objcheck, constructor_refused)
{
	refused("#include <unistd.h>\n"
		"__attribute__((constructor)) static void forge(void)\n"
		"{ write(1, \"passed\\n\", 7); }\n"
		"int x_api(int a) { return a; }\n", ".init_array");
}

Test(objcheck, destructor_refused)
{
	refused("__attribute__((destructor)) static void forge(void) {}\n"
		"int x_api(int a) { return a; }\n", ".fini_array");
}

Test(objcheck, interposed_libc_refused)
{
	refused("#include <sys/types.h>\n"
		"ssize_t write(int fd, const void *b, size_t n)\n"
		"{ (void)fd; (void)b; return (ssize_t)n; }\n"
		"int x_api(int a) { return a; }\n", "write, a name the C library");
}

Test(objcheck, interposed_malloc_refused)
{
	refused("#include <stddef.h>\nvoid *malloc(size_t n) { (void)n; return 0; }\n"
		"int x_api(int a) { return a; }\n", "malloc");
}

Test(objcheck, main_refused)
{
	refused("int x_api(int a) { return a; }\nint main(void) { return 0; }\n",
		"defines main()");
}

Test(objcheck, harness_names_refused)
{
	refused("void graded_done(const char *s, const char *n) { (void)s; (void)n; }\n"
		"int x_api(int a) { return a; }\n", "graded_done");
	refused("void criterion_run_all_tests(void) {}\n"
		"int x_api(int a) { return a; }\n", "criterion_run_all_tests");
}

Test(objcheck, given_function_the_tests_call_refused)
{
	refused("int plumb_json(int a) { return 0 * a; }\n"
		"int x_api(int a) { return a; }\n", "plumb_json");
}

Test(objcheck, ifunc_refused)
{
	refused("static int real(int a) { return a; }\n"
		"static void *pick(void) { return (void *)real; }\n"
		"int x_other(int) __attribute__((ifunc(\"pick\")));\n"
		"int x_api(int a) { return a; }\n", "IFUNC");
}
