/*
 * test_lv_opts.c: labvm's command line (lv_opts.c).
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "lv_opts.h"

static struct vmlab_err e;
#define err e.msg

static int parse(struct lv_opts *o, int argc, char **argv)
{
	int rc;

	vmlab_err_clear(&e);
	rc = lv_opts_parse(argc, argv, o, &e);
	cr_assert_eq(e.code, rc, "err.code %d, returned %d", e.code, rc);
	return rc;
}

/*
 * argv for one parse, as a local array: o.cmd points into it, so it must
 * outlive the assertion that calls parse().
 */
#define ARGV(name, ...) char *name[] = { __VA_ARGS__, NULL }
#define N(name) (int)(sizeof(name) / sizeof(name[0]) - 1), name

Test(lv_opts, run_has_defaults)
{
	struct lv_opts o;

	ARGV(a1, "labvm", "run", "--", "true");
	cr_assert_eq(parse(&o, N(a1)), 0, "%s", err);
	cr_assert_eq(o.mode, LV_RUN);
	cr_assert_eq(o.cpus, 2);
	cr_assert_eq(o.mem_mib, 1024);
	cr_assert_eq(o.timeout_s, 600);
	cr_assert_eq(o.n_in, 0);
	cr_assert_null(o.out);
	cr_assert_str_eq(o.cmd[0], "true");
}

Test(lv_opts, run_reads_every_option)
{
	struct lv_opts o;

	ARGV(a2, "labvm", "run", "--cpus", "4", "--mem", "2G", "--timeout", "30",
	     "--in", "a", "--in", "b/c", "--out", "res", "--", "ls", "-l");
	cr_assert_eq(parse(&o, N(a2)), 0, "%s", err);
	cr_assert_eq(o.cpus, 4);
	cr_assert_eq(o.mem_mib, 2048);
	cr_assert_eq(o.timeout_s, 30);
	cr_assert_eq(o.n_in, 2);
	cr_assert_str_eq(o.in[1], "b/c");
	cr_assert_str_eq(o.out, "res");
	cr_assert_str_eq(o.cmd[0], "ls");
	cr_assert_str_eq(o.cmd[1], "-l");
	cr_assert_null(o.cmd[2]);
}

Test(lv_opts, command_options_stay_the_commands)
{
	struct lv_opts o;

	ARGV(a3, "labvm", "run", "--", "--timeout", "5");
	cr_assert_eq(parse(&o, N(a3)), 0);
	cr_assert_str_eq(o.cmd[0], "--timeout");
	cr_assert_eq(o.timeout_s, 600);
	/* Without "--", the first word that is not an option starts COMMAND. */
	ARGV(a4, "labvm", "run", "uname", "--cpus", "9");
	cr_assert_eq(parse(&o, N(a4)), 0);
	cr_assert_str_eq(o.cmd[0], "uname");
	cr_assert_eq(o.cpus, 2);
}

Test(lv_opts, rejects_bad_values_with_the_reason)
{
	struct lv_opts o;

	ARGV(a5, "labvm", "run", "--cpus", "0", "--", "true");
	cr_assert_eq(parse(&o, N(a5)), -EINVAL);
	cr_assert_str_eq(err, "--cpus: expected 1..16, got '0'");
	ARGV(a6, "labvm", "run", "--mem", "lots", "--", "true");
	cr_assert_eq(parse(&o, N(a6)), -EINVAL);
	cr_assert(strstr(err, "--mem: expected a size"), "%s", err);
	ARGV(a7, "labvm", "run", "--timeout", "-1", "--", "true");
	cr_assert_eq(parse(&o, N(a7)), -EINVAL);
	ARGV(a8, "labvm", "run", "--bogus", "1", "--", "true");
	cr_assert_eq(parse(&o, N(a8)), -EINVAL);
	cr_assert_str_eq(err, "unknown option '--bogus'");
	ARGV(a9, "labvm", "run", "--in");
	cr_assert_eq(parse(&o, N(a9)), -EINVAL);
	cr_assert_str_eq(err, "--in: missing value");
}

Test(lv_opts, run_needs_a_command_and_shell_takes_none_but_files)
{
	struct lv_opts o;

	ARGV(a10, "labvm", "run", "--");
	cr_assert_eq(parse(&o, N(a10)), -EINVAL);
	cr_assert(strstr(err, "missing COMMAND"), "%s", err);
	ARGV(a11, "labvm", "shell", "--", "ls");
	cr_assert_eq(parse(&o, N(a11)), -EINVAL);
	ARGV(a12, "labvm", "shell", "--in", "x");
	cr_assert_eq(parse(&o, N(a12)), 0, "%s", err);
	cr_assert_eq(o.n_in, 1);
	ARGV(a12b, "labvm", "shell", "--out", "x");
	cr_assert_eq(parse(&o, N(a12b)), -EINVAL);
	cr_assert(strstr(err, "--out belongs to run"), "%s", err);
	ARGV(a12c, "labvm", "check", "--in", "x");
	cr_assert_eq(parse(&o, N(a12c)), -EINVAL);
	ARGV(a13, "labvm", "shell", "--mem", "512M");
	cr_assert_eq(parse(&o, N(a13)), 0);
	cr_assert_eq(o.mode, LV_SHELL);
	ARGV(a14, "labvm", "check");
	cr_assert_eq(parse(&o, N(a14)), 0);
	cr_assert_eq(o.mode, LV_CHECK);
	ARGV(a15, "labvm");
	cr_assert_eq(parse(&o, N(a15)), -EINVAL);
	ARGV(a16, "labvm", "boot");
	cr_assert_eq(parse(&o, N(a16)), -EINVAL);
	cr_assert(strstr(err, "unknown command 'boot'"), "%s", err);
}

Test(lv_opts, sizes_in_mib)
{
	unsigned long mib;

	cr_assert_eq(lv_parse_size("512", &mib), 0);
	cr_assert_eq(mib, 512);
	cr_assert_eq(lv_parse_size("512M", &mib), 0);
	cr_assert_eq(mib, 512);
	cr_assert_eq(lv_parse_size("1.5G", &mib), 0);
	cr_assert_eq(mib, 1536);
	cr_assert_eq(lv_parse_size("2GiB", &mib), 0);
	cr_assert_eq(mib, 2048);
	cr_assert_eq(lv_parse_size("131072K", &mib), 0);
	cr_assert_eq(mib, 128);
	cr_assert_eq(lv_parse_size("32M", &mib), -EINVAL, "below 64 MiB");
	cr_assert_eq(lv_parse_size("100T", &mib), -EINVAL);
	cr_assert_eq(lv_parse_size("G", &mib), -EINVAL);
	cr_assert_eq(lv_parse_size("", &mib), -EINVAL);
}
