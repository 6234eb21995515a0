/* test_grade_report.c: results stay valid whatever students print. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade_board.h"
#include "grade_report.h"
#include "grade_text.h"

static const char nasty[] = "\"quote\" \\back <tag> & \x01\x1b[31m \xff\xfe ]]> \n";

static struct grade_lab *lab(void)
{
	static struct grade_lab l;
	static struct grade_test t[2];
	memset(&l, 0, sizeof(l));
	snprintf(l.id, sizeof(l.id), "91");
	l.name = "91-x";
	l.rel = "labs/91-x";
	l.built = 1;
	t[0] = (struct grade_test){ .suite = "s", .name = "a", .path = "build/tests/t",
				    .stage = "91.1 one", .points = 2, .passed = 1,
				    .output = (char *)nasty };
	t[1] = (struct grade_test){ .suite = "s", .name = "b", .path = "build/tests/t",
				    .stage = "91.2 two", .points = 3, .hidden = 1,
				    .message = (char *)nasty, .output = (char *)nasty };
	l.r.t = t;
	l.r.n = 2;
	return &l;
}

Test(grade_report, gradescope_json_is_valid_and_scored)
{
	char path[] = "/tmp/grade-report-XXXXXX";
	close(mkstemp(path));
	cr_assert_eq(grade_report_gradescope(path, lab(), 1, 1.2, nasty), 0);
	struct json_object *o = json_object_from_file(path), *v, *tests;
	unlink(path);
	cr_assert_not_null(o, "results.json does not parse");
	cr_assert(json_object_object_get_ex(o, "score", &v));
	cr_assert_eq(json_object_get_int(v), 2);
	cr_assert(json_object_object_get_ex(o, "tests", &tests));
	struct json_object *b = json_object_array_get_idx(tests, 1);
	cr_assert(json_object_object_get_ex(b, "visibility", &v));
	cr_assert_str_eq(json_object_get_string(v), "after_due_date");
	cr_assert(json_object_object_get_ex(b, "max_score", &v));
	cr_assert_eq(json_object_get_int(v), 3);
	json_object_put(o);
}

Test(grade_report, junit_xml_is_well_formed)
{
	char path[] = "/tmp/grade-junit-XXXXXX", cmd[128];
	close(mkstemp(path));
	cr_assert_eq(grade_report_junit(path, lab(), 1), 0);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
	int rc = system(cmd);
	unlink(path);
	cr_assert_eq(rc, 0, "xmllint rejects the JUnit file");
}

Test(grade_report, outcomes_round_trip)
{
	char path[] = "/tmp/grade-outcomes-XXXXXX";
	close(mkstemp(path));
	struct grade_lab *l = lab();
	cr_assert_eq(grade_report_outcomes(path, l), 0);
	struct grade_lab copy = *l;
	struct grade_test t[2] = { l->r.t[0], l->r.t[1] };
	t[0].passed = 0;
	t[1].passed = 1;
	t[0].message = t[0].output = t[1].message = t[1].output = NULL;
	copy.r.t = t;
	cr_assert_eq(grade_report_load(path, &copy), 0);
	unlink(path);
	cr_assert_eq(t[0].passed, 1);
	cr_assert_eq(t[1].passed, 0);
	cr_assert_not_null(t[1].message);
	free(t[0].message);
	free(t[0].output);
	free(t[1].message);
	free(t[1].output);
}

/* The board of labs, as text. */
static char *board_of(const struct grade_lab *l, int visible)
{
	char *text = NULL;
	size_t len = 0;
	if (visible)
		return grade_board_visible(l, 1);
	FILE *f = open_memstream(&text, &len);
	grade_board_print(f, l, 1, 0);
	grade_board_failures(f, l, 1, 0);
	fclose(f);
	return text;
}

Test(grade_board, escapes_names_and_messages)
{
	struct grade_lab *l = lab();
	struct grade_test t = { .suite = "s\x1b]0;owned\x07", .name = "n\x1b[2J",
				.path = "build/tests/t", .stage = "91.1 one\x1b[31m",
				.points = 1, .ran = 1, .message = "got \x1b[2J\r" };
	l->r.t = &t;
	l->r.n = 1;
	char *b = board_of(l, 0);
	cr_assert_null(strchr(b, '\x1b'), "a raw ESC on the board:\n%s", b);
	cr_assert_null(strchr(b, '\r'));
	cr_assert(strstr(b, "FAIL 91.1 one\\x1b[31m s\\x1b]0;owned\\x07/n\\x1b[2J"), "%s", b);
	cr_assert(strstr(b, "got \\x1b[2J\\x0d"), "%s", b);
	free(b);
}

static char *slurp_file(const char *path)
{
	char buf[512] = "";
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

/* Each printed rerun line, pasted into sh from the tree's top, runs the
 * test asked for and nothing else. */
Test(grade_board, rerun_lines_run_nothing_else)
{
	char top[] = "/tmp/rerun-XXXXXX";
	cr_assert_not_null(mkdtemp(top));
	char *setup = grade_text_fmt(
		"cd %s && mkdir -p 'labs/91-x/build/tests' 'labs/91-x/tests/cli' && "
		"printf '%%s\\n' '#!/bin/sh' 'echo \"$1\" > args' > labs/91-x/build/tests/t && "
		"chmod +x labs/91-x/build/tests/t && "
		"echo 'echo \"$PROG\" > prog_seen' > 'labs/91-x/tests/cli/a;touch y;b.run'", top);
	cr_assert_eq(system(setup), 0, "%s", setup);
	struct grade_lab *l = lab();
	struct grade_test t[2] = {
		{ .kind = GRADE_UNIT, .suite = "s", .name = "a'; touch x; '",
		  .path = "build/tests/t", .stage = "91.1", .ran = 1, .message = "no" },
		{ .kind = GRADE_CLI, .suite = "cli", .name = "a;touch y;b",
		  .path = "tests/cli/a;touch y;b.run", .stage = "91.1", .ran = 1 },
	};
	l->prog = "build/x";
	for (int i = 0; i < 2; i++) {
		char *rerun = grade_board_rerun(l, &t[i]);
		char *cmd = grade_text_fmt("cd %s && %s", top, rerun);
		cr_assert_eq(system(cmd), 0, "%s", cmd);
		free(rerun);
		free(cmd);
	}
	char *args = grade_text_fmt("%s/labs/91-x/args", top);
	char *seen = grade_text_fmt("%s/labs/91-x/prog_seen", top);
	char *a = slurp_file(args), *p = slurp_file(seen);
	cr_assert_str_eq(a, "--filter=s/a'; touch x; '\n");
	cr_assert_str_eq(p, "build/x\n");
	char *find = grade_text_fmt("test -z \"$(find %s -name x -o -name y)\"", top);
	cr_assert_eq(system(find), 0, "an injected touch ran");
	char *rm = grade_text_fmt("rm -rf %s", top);
	cr_assert_eq(system(rm), 0);
	free(setup);
	free(args);
	free(seen);
	free(a);
	free(p);
	free(find);
	free(rm);
}

Test(grade_board, rerun_forms)
{
	struct grade_lab *l = lab();
	struct grade_test t = { .kind = GRADE_UNIT, .suite = "vm", .name = "boots",
				.path = "build/tests/test_vm", .stage = "04.1", .ran = 1,
				.message = "no" };
	char *r = grade_board_rerun(l, &t);
	cr_assert_str_eq(r, "cd labs/91-x && build/tests/test_vm --filter='vm/boots'");
	free(r);
	t.message = "skipped, which scores 0: no usable /dev/kvm here";
	r = grade_board_rerun(l, &t);
	cr_assert_str_eq(r, "cd labs/91-x && build/tests/test_vm --filter='vm/boots' --verbose");
	free(r);
	t.message = "no";
	l->where = "labvm, KVM tests only";
	l->dir = "/scratch/tree/labs/91-x";
	l->labvm_in = "/scratch/tree/labs/03-y/build/vmm /usr/share/misc";
	r = grade_board_rerun(l, &t);   /* a test that ran on the host */
	cr_assert_str_eq(r, "cd labs/91-x && build/tests/test_vm --filter='vm/boots'");
	free(r);
	t.in_labvm = 1;                  /* one that ran in labvm */
	r = grade_board_rerun(l, &t);
	cr_assert_str_eq(r, "cd labs/91-x && ../../grader/labvm run --in \"$PWD\" "
			 "--in \"$PWD\"/../../labs/03-y/build/vmm --in /usr/share/misc "
			 "-- build/tests/test_vm --filter='vm/boots'");
	free(r);
	t.hidden = 1;
	r = grade_board_rerun(l, &t);
	cr_assert_str_eq(r, "hidden test (not in your tree)");
	free(r);
}

static const char hidden_log[] =
	"cc -c -o build/src/fx.o src/fx.c\n"
	"tests/hidden/test_fx_hidden.c: In function 'graded_body_fx_hidden_adds_large':\n"
	"tests/hidden/test_fx_hidden.c:9:22: error: too few arguments to function \xe2\x80\x98" "fx_add\xe2\x80\x99\n"
	"    9 |         cr_assert_eq(fx_add(1L << 40), SECRET_ANSWER);\n"
	"      |                      ^~~~~~\n"
	"In file included from tests/hidden/test_fx_hidden.c:4:\n"
	"src/fx.h:5:6: note: declared here\n"
	"    5 | long fx_add(long a);\n"
	"      |      ^~~~~~\n"
	"make: *** [../../mk/lab.mk:38: build/tests/hidden/test_fx_hidden.o] Error 1\n";

Test(grade_board, hidden_compile_errors_name_functions_not_source)
{
	int hid = 0;
	char *s = grade_board_student_log(hidden_log, &hid);
	cr_assert_eq(hid, 1);
	cr_assert_null(strstr(s, "SECRET_ANSWER"), "%s", s);
	cr_assert(strstr(s, "a hidden test did not compile against your code "
			    "(functions involved: fx_add)"), "%s", s);
	cr_assert(strstr(s, "src/fx.h:5:6: note: declared here"), "%s", s);
	cr_assert(strstr(s, "long fx_add(long a);"), "the student's own line stays: %s", s);
	free(s);
	struct grade_lab *l = lab();
	l->built = 0;
	l->build_failed = 1;
	l->build_log = (char *)hidden_log;
	char *student = board_of(l, 1), *teacher = board_of(l, 0);
	cr_assert_null(strstr(student, "SECRET_ANSWER"), "%s", student);
	cr_assert(strstr(teacher, "SECRET_ANSWER"), "%s", teacher);
	free(student);
	free(teacher);
	char path[] = "/tmp/grade-report-XXXXXX";
	close(mkstemp(path));
	cr_assert_eq(grade_report_gradescope(path, l, 1, 1, "board"), 0);
	char *cmd = grade_text_fmt("jq -e '.tests[] | select(.visibility == \"hidden\") | "
				   ".output | contains(\"SECRET_ANSWER\")' %s >/dev/null", path);
	cr_assert_eq(system(cmd), 0, "the instructors' entry keeps the whole log");
	unlink(path);
	free(cmd);
}

Test(grade_board, long_lines_lose_their_middle)
{
	struct grade_lab *l = lab();
	char msg[600];
	memset(msg, 'x', sizeof(msg));
	memcpy(msg, "expected 42", 11);
	strcpy(msg + sizeof(msg) - 12, "got -ENOSYS");
	struct grade_test t = { .suite = "s", .name = "n", .path = "build/tests/t",
				.stage = "91.1 one", .points = 1, .ran = 1, .message = msg };
	l->r.t = &t;
	l->r.n = 1;
	char *b = board_of(l, 0);
	cr_assert(strstr(b, "  expected 42"), "%s", b);
	cr_assert(strstr(b, "got -ENOSYS\n"), "%s", b);
	cr_assert(strstr(b, " [... "), "%s", b);
	free(b);
}

Test(grade_board, warnings_are_shown_not_zero)
{
	struct grade_lab *l = lab();
	char *log = NULL;
	for (int i = 1; i <= 7; i++)
		grade_text_cat(&log, "src/fx.c:%d:7: warning: unused variable 'v%d' "
			       "[-Wunused-variable]\n    %d | int v;\n", i, i, i);
	grade_text_cat(&log, "tests/test_fx.c:3:1: warning: the tests' own\n");
	l->build_log = log;
	char *b = board_of(l, 0);
	cr_assert(strstr(b, "warnings (the first 5 of 7"), "%s", b);
	cr_assert(strstr(b, "    src/fx.c:1:7: warning: unused variable 'v1'"), "%s", b);
	cr_assert_null(strstr(b, "v6"), "%s", b);
	cr_assert_null(strstr(b, "tests' own"), "%s", b);
	free(b);
	free(log);
}

/* Tests that failed for the lab's one problem (labvm gave no results)
 * get one message for all of them; the lab's other failures stay each
 * on its own, and the tests that passed are not named. */
Test(grade_board, a_labs_one_problem_is_said_once)
{
	struct grade_lab *l = lab();
	char *why = "labvm gave no results: run 'make labvm'";
	struct grade_test t[4] = {
		{ .suite = "host", .name = "passes", .path = "build/tests/h",
		  .stage = "91.1 one", .points = 1, .ran = 1, .passed = 1 },
		{ .suite = "host", .name = "fails", .path = "build/tests/h",
		  .stage = "91.1 one", .points = 1, .ran = 1, .message = "got 2",
		  .rerun = "cd labs/91-x && build/tests/h" },
		{ .suite = "vm", .name = "one", .path = "build/tests/v",
		  .stage = "91.2 two", .points = 1, .ran = 1, .message = why,
		  .rerun = "grader/grade --lab 91" },
		{ .suite = "vm", .name = "two", .path = "build/tests/v",
		  .stage = "91.2 two", .points = 1, .ran = 1, .message = why,
		  .rerun = "grader/grade --lab 91" },
	};
	l->r.t = t;
	l->r.n = 4;
	l->problem = why;
	char *b = board_of(l, 0);
	cr_assert(strstr(b, "labs/91-x: 2 of its 4 tests did not run; each failed with:\n"
			 "  labvm gave no results: run 'make labvm'\n"
			 "  rerun: grader/grade --lab 91\n"), "%s", b);
	cr_assert(strstr(b, "FAIL 91.1 one host/fails"), "%s", b);
	cr_assert_null(strstr(b, "vm/one"), "%s", b);
	cr_assert_null(strstr(b, "host/passes"), "%s", b);
	free(b);
	for (int i = 0; i < 2; i++) {    /* then every test failed for it */
		t[i].passed = 0;
		t[i].message = why;
		t[i].rerun = "grader/grade --lab 91";
	}
	b = board_of(l, 0);
	cr_assert(strstr(b, "labs/91-x: no test ran; every one failed with:"), "%s", b);
	cr_assert_null(strstr(b, "FAIL"), "%s", b);
	free(b);
}
