/* test_grade_jail.c: the sandbox, on real processes. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "grade_jail.h"

static struct grade_exit run(const char *script, double timeout)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = timeout, .cpu_s = 10,
		.mem = 1ULL << 30, .fsize = 1 << 20, .nproc = 64,
		.cap_head = 64, .cap_tail = 64,
	};
	struct grade_exit x;
	grade_jail_init();
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	return x;
}

Test(grade_jail, reports_the_exit_code_and_output)
{
	struct grade_exit x = run("echo out; echo err >&2; exit 3", 5);
	char *o = grade_cap_text(&x.out), *e = grade_cap_text(&x.err);
	cr_assert(x.exited && x.code == 3);
	cr_assert_str_eq(o, "out\n");
	cr_assert_str_eq(e, "err\n");
	free(o), free(e);
	grade_exit_free(&x);
}

Test(grade_jail, names_the_signal)
{
	struct grade_exit x = run("kill -SEGV $$", 5);
	cr_assert_eq(x.signal, 11);
	grade_exit_free(&x);
}

Test(grade_jail, kills_at_the_timeout_with_everything_it_started, .timeout = 20)
{
	struct grade_exit x = run("setsid sleep 100 & sleep 100", 0.5);
	cr_assert(x.timed_out);
	cr_assert_lt(x.elapsed, 3);
	cr_assert_neq(system("ps -eo args | grep -v grep | grep -q 'sleep 100'"), 0,
		      "a sleep survived the jail");
	grade_exit_free(&x);
}

Test(grade_jail, caps_the_output, .timeout = 20)
{
	struct grade_exit x = run("head -c 10000000 /dev/zero | tr '\\0' y", 10);
	cr_assert_eq(x.out.total, 10000000);
	cr_assert_eq(grade_cap_dropped(&x.out), 10000000 - 128);
	grade_exit_free(&x);
}

Test(grade_jail, limits_file_size)
{
	struct grade_exit x = run("head -c 3000000 /dev/zero > \"${TMPDIR:-/tmp}/jail-fsize.$$\"; "
				  "r=$?; rm -f \"${TMPDIR:-/tmp}/jail-fsize.$$\"; exit $r", 5);
	cr_assert(x.signal == 25 || (x.exited && x.code != 0),
		  "a 3 MB file got past a 1 MiB RLIMIT_FSIZE");
	grade_exit_free(&x);
}
