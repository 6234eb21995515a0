/*
 * Hidden tests of lab 01 (instructor only, absent from the handout): the
 * corners of the formats that the visible tests leave for the student to
 * think about.
 */
#include "hi_cpu.h"
#include "hi_mem.h"
#include "hi_net.h"
#include "hi_os.h"
#include "hi_storage.h"
#include "hi_util.h"

#include "graded.h"

#include <errno.h>

GRADED_HIDDEN(hidden, cpulist_single_cpus_and_newline, 1, "01.1 cpu", 5)
{
	uint8_t set[4];
	unsigned n;

	cr_expect_eq(hi_cpulist_parse("0,2,4-5,31\n", set, 32, &n), 0);
	cr_expect_eq(n, 5);
	cr_expect_eq(set[0], 0x35);
	cr_expect_eq(set[3], 0x80);
	cr_expect_eq(hi_cpulist_parse("0-3\n\n", set, 32, &n), -EINVAL);
	cr_expect_eq(hi_cpulist_parse("0--3", set, 32, &n), -EINVAL);
}

GRADED_HIDDEN(hidden, cpuinfo_first_value_wins, 1, "01.1 cpu", 5)
{
	struct hi_cpuinfo ci;
	unsigned line;
	const char *text =
	    "processor\t: 0\nmodel name\t: A\ncpu MHz\t\t: 1200.5\n"
	    "flags\t\t: fpu svm\n\nprocessor\t: 1\nmodel name\t: B\n"
	    "cpu MHz\t\t: 3400.0\nflags\t\t: fpu\n\n";

	cr_assert_eq(hi_cpuinfo_parse(text, &ci, &line), 0);
	cr_expect_str_eq(ci.model, "A");
	cr_expect_eq(ci.mhz, 1200);
	cr_expect(ci.svm, "flags of the first CPU");
	cr_expect_eq(ci.processors, 2);
}

GRADED_HIDDEN(hidden, cpuinfo_flag_is_a_whole_word, 1, "01.1 cpu", 5)
{
	struct hi_cpuinfo ci;
	unsigned line;

	cr_assert_eq(
	    hi_cpuinfo_parse(
		"processor\t: 0\nflags\t\t: fpu vmxsomething svm_lock\n", &ci,
		&line),
	    0);
	cr_expect(!ci.vmx && !ci.svm, "vmxsomething is not vmx");
}

GRADED_HIDDEN(hidden, meminfo_ignores_order_and_unknown_keys, 1, "01.2 memory",
	      5)
{
	struct hi_mem m;
	unsigned line;
	const char *text =
	    "SwapFree: 0 kB\nFutureKey: 12 kB\nMemAvailable: 3 kB\n"
	    "SwapTotal: 0 kB\nMemFree: 2 kB\nMemTotal: 4 kB\n";

	cr_assert_eq(hi_mem_parse(text, &m, &line), 0);
	cr_expect_eq(m.total, 4096);
	cr_expect_eq(m.used, 1024);
}

GRADED_HIDDEN(hidden, mounts_backslash_and_tab, 1, "01.3 storage", 5)
{
	char s[] = "/mnt/a\\134b\\011c\\040d";

	hi_mount_unescape(s);
	cr_expect_str_eq(s, "/mnt/a\\b\tc d");
}

GRADED_HIDDEN(hidden, mounts_without_filesystems_list, 1, "01.3 storage", 5)
{
	struct hi_mount m[4];
	unsigned n, line;

	cr_assert_eq(
	    hi_mounts_parse("proc /proc proc rw 0 0\n/dev/vda / ext4 rw 0 0\n",
			    NULL, m, 4, &n, &line),
	    0);
	cr_expect_eq(n, 1,
		     "without /proc/filesystems: a device path means real");
}

GRADED_HIDDEN(hidden, prefix_ipv6_odd, 1, "01.4 network", 5)
{
	unsigned char m[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};

	cr_expect_eq(hi_net_prefixlen(m, 16), 55);
}

GRADED_HIDDEN(hidden, loadavg_trailing_garbage, 1, "01.5 os", 5)
{
	struct hi_os os;

	cr_expect_eq(hi_loadavg_parse("0.06 0.04 0.02 1/92 7851 x\n", &os),
		     -EINVAL);
	cr_expect_eq(hi_loadavg_parse("0.06 0.04 0.02 1/92\n", &os), -EINVAL);
}

GRADED_HIDDEN(hidden, busy_with_only_iowait, 1, "01.7 utilization", 5)
{
	struct hi_cputimes a = {.idle = 100}, b = {.idle = 100, .iowait = 50};
	double busy;

	cr_assert_eq(hi_busy(&a, &b, &busy), 0);
	cr_expect_float_eq(busy, 0.0, 1e-12,
			   "waiting for a disk leaves the CPU idle");
}

GRADED_HIDDEN(hidden, stat_skips_unknown_lines_but_not_bad_cpu, 1,
	      "01.7 utilization", 5)
{
	static struct hi_stat st;
	unsigned line;

	cr_expect_eq(
	    hi_stat_parse("cpu  1 2 3 4\nbtime 17\ncpux 1 2 3 4\n", &st, &line),
	    -EINVAL);
	cr_expect_eq(line, 3);
}

GRADED_HIDDEN(hidden, cpuinfo_odd_numbers, 1, "01.1 cpu", 5)
{
	struct hi_cpuinfo ci;
	unsigned line;

	cr_expect_eq(hi_cpuinfo_parse("processor\t: 0\ncpu MHz\t\t: 0.000\n",
				      &ci, &line),
		     0,
		     "a hypervisor that reports 0 MHz: unknown, not an error");
	cr_expect_eq(ci.mhz, 0);
	cr_expect_eq(
	    hi_cpuinfo_parse("processor\t: 0\nCPU part\t: 0x-5\n", &ci, &line),
	    -EINVAL);
	cr_expect_eq(
	    hi_cpuinfo_parse("processor\t: 0\nsiblings\t: 2x\n", &ci, &line),
	    -EINVAL);
}
