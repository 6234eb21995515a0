/* test_grade_rubric.c: the rubric from binaries, sources and CLI headers. */
#include <criterion/criterion.h>
#include <errno.h>

#include "grade_rubric.h"

Test(grade_rubric, parses_what_test_binaries_print)
{
	struct grade_rubric r = { 0 };
	const char *text =
		"{\"suite\":\"mem\",\"name\":\"total\",\"points\":2,\"graded\":true,"
		"\"visibility\":\"visible\",\"stage\":\"01.2 memory\",\"timeout\":5}\n"
		"{\"suite\":\"mem\",\"name\":\"plain\",\"points\":0,\"graded\":false,"
		"\"visibility\":\"\",\"stage\":\"\",\"timeout\":0}\n"
		"{\"suite\":\"h\",\"name\":\"x\",\"points\":3,\"graded\":true,"
		"\"visibility\":\"after_due_date\",\"stage\":\"01.2 memory\",\"timeout\":2}\n";
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/test_mem", text), 0);
	cr_assert_eq(r.n, 2, "a plain Test() is not graded");
	cr_assert_str_eq(r.t[0].stage, "01.2 memory");
	cr_assert_eq(r.t[1].hidden, 1);
	cr_assert_eq(grade_rubric_points(&r, 0), 5);
	grade_rubric_free(&r);
}

Test(grade_rubric, a_students_view_has_no_hidden_test)
{
	struct grade_rubric r = { 0 };
	const char *text =
		"{\"suite\":\"h\",\"name\":\"a\",\"points\":3,\"graded\":true,"
		"\"visibility\":\"after_due_date\",\"stage\":\"01.1 cpu\",\"timeout\":2}\n"
		"{\"suite\":\"mem\",\"name\":\"total\",\"points\":2,\"graded\":true,"
		"\"visibility\":\"visible\",\"stage\":\"01.2 memory\",\"timeout\":5}\n"
		"{\"suite\":\"h\",\"name\":\"b\",\"points\":4,\"graded\":true,"
		"\"visibility\":\"after_due_date\",\"stage\":\"01.2 memory\",\"timeout\":2}\n";
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/test_mem", text), 0);
	grade_rubric_drop_hidden(&r);
	cr_assert_eq(r.n, 1);
	cr_assert_str_eq(r.t[0].name, "total");
	cr_assert_eq(grade_rubric_points(&r, 0), 2);
	grade_rubric_free(&r);
}

Test(grade_rubric, refuses_garbage)
{
	struct grade_rubric r = { 0 };
	cr_assert_eq(grade_rubric_parse(&r, "b", "hello from a constructor\n"), -EINVAL);
	grade_rubric_free(&r);
}

Test(grade_rubric, scans_graded_lines_of_sources)
{
	struct grade_rubric r = { 0 };
	const char *src =
		"#include \"graded.h\"\n"
		"GRADED(cpu, model, 2, \"01.1 cpu, the model\", 5)\n{\n}\n"
		"GRADED_HIDDEN(cpu, flags, 1, \"01.1 cpu\", 3, .init = setup)\n{\n}\n"
		"/* GRADED(not, this, 9, \"x\", 1) */\n";
	cr_assert_eq(grade_rubric_scan(&r, "build/tests/test_cpu", src), 0);
	cr_assert_eq(r.n, 2);
	cr_assert_str_eq(r.t[0].stage, "01.1 cpu, the model");
	cr_assert_eq(r.t[1].hidden, 1);
	cr_assert_eq(r.t[1].timeout, 3);
	cr_assert_eq(grade_rubric_points(&r, 0), 3);
	grade_rubric_free(&r);
}

Test(grade_rubric, reads_cli_headers)
{
	struct grade_rubric r = { 0 };
	cr_assert_eq(grade_rubric_cli(&r, "tests/cli/usage.run",
				      "# points=2 stage=01.8 command line: usage\n"), 0);
	cr_assert_str_eq(r.t[0].name, "usage");
	cr_assert_str_eq(r.t[0].stage, "01.8 command line");
	cr_assert_eq(r.t[0].points, 2);
	cr_assert_eq(grade_rubric_cli(&r, "tests/cli/x.run", "#!/bin/sh\n"), -EINVAL);
	grade_rubric_free(&r);
}

/* GRADED_BONUS: read back from --rubric and from sources, outside the total. */
Test(grade_rubric, bonus_tests_count_apart)
{
	struct grade_rubric r = { 0 }, s = { 0 };
	const char *text =
		"{\"suite\":\"lx\",\"name\":\"boot\",\"points\":10,\"graded\":true,"
		"\"bonus\":true,\"visibility\":\"visible\",\"stage\":\"03.10 linux\","
		"\"timeout\":60}\n"
		"{\"suite\":\"mem\",\"name\":\"total\",\"points\":2,\"graded\":true,"
		"\"visibility\":\"visible\",\"stage\":\"01.2 memory\",\"timeout\":5}\n";
	const char *src =
		"GRADED_BONUS(lx, boot, 10, \"03.10 linux\", 60)\n{\n}\n"
		"GRADED(mem, total, 2, \"01.2 memory\", 5)\n{\n}\n";
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/test_lx", text), 0);
	cr_assert_eq(grade_rubric_scan(&s, "build/tests/test_lx", src), 0);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(s.n, 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_eq(r.t[i].bonus, i == 0, "--rubric, test %zu", i);
		cr_assert_eq(s.t[i].bonus, i == 0, "source, test %zu", i);
	}
	cr_assert_eq(grade_rubric_points(&r, 0), 2, "the total leaves the bonus out");
	cr_assert_eq(grade_rubric_bonus(&r, 0), 10);
	r.t[0].passed = 1;
	cr_assert_eq(grade_rubric_points(&r, 1), 0);
	cr_assert_eq(grade_rubric_bonus(&r, 1), 10);
	grade_rubric_free(&r);
	grade_rubric_free(&s);
}

/* Without /dev/kvm only the binaries a lab names go to labvm: the split
 * takes exactly their unit tests (by the binary's name, never a part of
 * one, never a command-line case), the join puts every test back. */
Test(grade_rubric, splits_by_binary_name_and_joins_back)
{
	struct grade_rubric r = { 0 }, kvm;
	const char *line =
		"{\"suite\":\"s\",\"name\":\"n\",\"points\":1,\"graded\":true,"
		"\"visibility\":\"visible\",\"stage\":\"03.1 probe\",\"timeout\":5}\n";
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/test_vm", line), 0);
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/test_vmx", line), 0);
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/hidden/test_hostile", line), 0);
	cr_assert_eq(grade_rubric_parse(&r, "build/tests/test_cpuid", line), 0);
	cr_assert_eq(grade_rubric_cli(&r, "tests/cli/test_vm.run",
				      "# points=2 stage=03.1 probe"), 0);
	cr_assert_eq(grade_rubric_split(&r, "test_vm test_hostile", &kvm), 0);
	cr_assert_eq(kvm.n, 2);
	cr_assert_str_eq(kvm.t[0].path, "build/tests/test_vm");
	cr_assert_str_eq(kvm.t[1].path, "build/tests/hidden/test_hostile");
	cr_assert_eq(r.n, 3, "test_vmx, test_cpuid and the case stay");
	cr_assert_str_eq(r.t[0].path, "build/tests/test_vmx");
	cr_assert_str_eq(r.t[1].path, "build/tests/test_cpuid");
	cr_assert_str_eq(r.t[2].path, "tests/cli/test_vm.run");
	cr_assert_eq(grade_rubric_join(&r, &kvm), 0);
	cr_assert_eq(r.n, 5);
	cr_assert_eq(kvm.n, 0);
	cr_assert_eq(grade_rubric_points(&r, 0), 6);
	grade_rubric_free(&r);
	grade_rubric_free(&kvm);
}
