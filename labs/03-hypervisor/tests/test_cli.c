/*
 * test_cli: vmm's command line, parsed without running anything.
 */
#include "graded.h"
#include "cli.h"

#include <errno.h>
#include <string.h>

static struct cli c;
static struct vmlab_err err;

#define PARSE(...)                                                         \
	cli_parse(sizeof((char *[]){"vmm", __VA_ARGS__}) / sizeof(char *), \
		  (char *[]){"vmm", __VA_ARGS__}, &c, &err)

GRADED(cli, run_options, 0, "03.1 probe", 5)
{
	cr_assert_eq(PARSE("run", "--mem", "32M", "--timeout", "2.5", "--trace",
			   "--stats", "--json", "g.elf"), 0, "%s", err.msg);
	cr_assert_eq(c.cmd, CLI_RUN);
	cr_assert_str_eq(c.image, "g.elf");
	cr_assert_eq(c.mem, 32ULL << 20);
	cr_assert_eq(c.timeout, 2.5);
	cr_assert_eq(c.trace, CLI_DEFAULT_TRACE);
	cr_assert(c.stats && c.json);
	cr_assert_eq(PARSE("run", "--mode", "real", "--flat", "a@b.bin@0x7c00"), 0);
	cr_assert_str_eq(c.flat, "a@b.bin");
	cr_assert_eq(c.flat_addr, 0x7c00);
	cr_assert_eq(c.entry, 0x7c00, "--entry defaults to the load address");
}

GRADED(cli, errors_name_the_word, 0, "03.1 probe", 5)
{
	cr_assert_eq(PARSE("run", "--mem", "lots", "g.elf"), -EINVAL);
	cr_assert(strstr(err.msg, "'lots'"), "%s", err.msg);
	cr_assert_eq(PARSE("run", "--mode", "real", "g.elf"), -EINVAL);
	cr_assert_eq(PARSE("run", "a.elf", "b.elf"), -EINVAL);
	cr_assert_eq(PARSE("run", "--flat", "nope"), -EINVAL);
	cr_assert_eq(PARSE("run", "--timeout", "0", "g.elf"), -EINVAL);
	cr_assert_eq(PARSE("launch"), -EINVAL);
	cr_assert(strstr(err.msg, "'launch'"), "%s", err.msg);
	cr_assert_eq(PARSE("probe", "--jsn"), -EINVAL);
	cr_assert_eq(PARSE("run", "--cpus", "0", "g.elf"), -EINVAL);
	cr_assert_eq(PARSE("run", "--cpus", "65", "g.elf"), -EINVAL);
	cr_assert_eq(PARSE("run", "--cpus", "2", "--mode", "real", "--flat", "a@0"), -EINVAL);
	cr_assert_eq(PARSE("run", "--cpus", "64", "g.elf"), 0);
	cr_assert_eq(c.cpus, 64);
}

GRADED(cli, sizes, 0, "03.1 probe", 5)
{
	uint64_t v;

	cr_assert_eq(cli_size("4096", &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(cli_size("2G", &v), 0);
	cr_assert_eq(v, 2ULL << 30);
	cr_assert_eq(cli_size("16k", &v), 0);
	cr_assert_eq(v, 16384);
	cr_assert_eq(cli_size("-1M", &v), -EINVAL);
	cr_assert_eq(cli_size("1T", &v), -EINVAL);
	cr_assert_eq(cli_size("99999999999999999999G", &v), -EINVAL);
}
