/*
 * Tests of hi_mem: /proc/meminfo on fixture machines, and damaged files.
 */
#include "hi_mem.h"

#include "graded.h"
#include "hi_diag.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>

#define KiB 1024ull

GRADED(mem, xeon_sizes_in_bytes, 2, "01.2 memory", 5)
{
	struct hi_mem m;

	cr_assert_eq(hi_mem_read(fixture("xeon-2s"), &m, NULL), 0);
	cr_expect_eq(m.total, 395968060 * KiB);
	cr_expect_eq(m.free, 211203412 * KiB);
	cr_expect_eq(m.available, 301722448 * KiB);
	cr_expect_eq(m.used, (395968060 - 301722448) * KiB,
		     "used = total - available");
	cr_expect_eq(m.swap_total, 8388604 * KiB);
	cr_expect_eq(m.swap_used, (8388604 - 8201212) * KiB);
	cr_expect_eq(m.hugepage_size, 2048 * KiB);
}

GRADED(mem, no_swap, 1, "01.2 memory", 5)
{
	struct hi_mem m;
	unsigned line;
	const char *text = "MemTotal:       2000 kB\nMemFree:        1000 kB\n"
			   "MemAvailable:   1500 kB\nHugePages_Total:       0\n"
			   "SwapTotal:         0 kB\nSwapFree:          0 kB\n";

	cr_assert_eq(hi_mem_parse(text, &m, &line), 0);
	cr_expect_eq(m.swap_total, 0);
	cr_expect_eq(m.used, 500 * KiB);
	cr_expect_eq(m.hugepage_size, 0, "no Hugepagesize line: 0");
}

GRADED(mem, truncated_mid_line, 2, "01.2 memory", 5)
{
	struct hi_mem m;
	unsigned line;

	cr_expect_eq(
	    hi_mem_parse("MemTotal:  2000 kB\nMemFree:   10", &m, &line),
	    -EINVAL);
	cr_expect_eq(line, 2, "the file ends in line 2 with no newline");
}

GRADED(mem, missing_key, 1, "01.2 memory", 5)
{
	struct hi_mem m;
	unsigned line;

	cr_expect_eq(
	    hi_mem_parse("MemTotal:  2000 kB\nMemFree:   1000 kB\n", &m, &line),
	    -ENODATA);
}

GRADED(mem, malformed_line_named, 1, "01.2 memory", 5)
{
	struct hi_mem m;
	unsigned line;

	cr_expect_eq(
	    hi_mem_parse("MemTotal:  2000 kB\nMemFree 1000 kB\n", &m, &line),
	    -EINVAL);
	cr_expect_eq(line, 2);
	cr_expect_eq(hi_mem_parse("MemTotal:  2000 MB\n", &m, &line), -EINVAL,
		     "meminfo only ever says kB");
	cr_expect_eq(hi_mem_parse("MemTotal:  lots kB\n", &m, &line), -EINVAL);
}

GRADED(mem, overflow_refused, 2, "01.2 memory", 5)
{
	struct hi_mem m;
	unsigned line;

	/* fits in 64 bits as kB, not once multiplied by 1024 */
	cr_expect_eq(
	    hi_mem_parse("MemTotal: 18014398509481984 kB\n", &m, &line),
	    -ERANGE);
	cr_expect_eq(line, 1);
	cr_expect_eq(
	    hi_mem_parse("MemTotal: 99999999999999999999999 kB\n", &m, &line),
	    -ERANGE);
}

GRADED(mem, nonsense_refused, 1, "01.2 memory", 5)
{
	struct hi_mem m;
	unsigned line;
	const char *text =
	    "MemTotal: 1000 kB\nMemFree: 2000 kB\nMemAvailable: 500 kB\n"
	    "SwapTotal: 0 kB\nSwapFree: 0 kB\n";

	cr_expect_eq(hi_mem_parse(text, &m, &line), -EDOM, "free above total");
}

GRADED(mem, read_names_file_in_diag, 1, "01.2 memory", 5)
{
	struct hi_diags ds = {0};
	struct hi_mem m;

	cr_expect_eq(hi_mem_read(fixture("broken"), &m, &ds), -EINVAL);
	cr_assert_eq(ds.n, 1);
	cr_expect(strstr(ds.d[0].file, "broken/proc/meminfo"), "%s",
		  ds.d[0].file);
	cr_expect_gt(ds.d[0].line, 0);
	cr_expect_eq(ds.d[0].err.code, -EINVAL);
}

GRADED(mem, live_total_matches_free, 2, "01.2 memory", 10)
{
	struct hi_mem m;

	cr_assert_eq(hi_mem_read("/", &m, NULL), 0);
	cr_expect_eq(m.total, live_u64("free -b | awk '/^Mem:/ {print $2}'"));
	cr_expect_eq(m.swap_total,
		     live_u64("free -b | awk '/^Swap:/ {print $2}'"));
}
