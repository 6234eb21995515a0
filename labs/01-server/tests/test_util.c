/*
 * Tests of hi_util: /proc/stat snapshots, the busy arithmetic, the idle
 * sentence, and a short live sample.
 */
#include "hi_util.h"

#include "graded.h"
#include "hi_file.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>

GRADED(util, stat_of_xeon, 2, "01.7 utilization", 5)
{
	static struct hi_stat st;
	unsigned line;
	char *text;

	cr_assert_eq(
	    hi_file_load(fixture("xeon-2s"), "proc/stat", &text, NULL), 0);
	cr_assert_eq(hi_stat_parse(text, &st, &line), 0);
	free(text);
	cr_expect_eq(st.ncpu, 72);
	cr_expect_eq(st.total.user, 177193116);
	cr_expect_eq(st.total.idle, 371331684);
	cr_expect_eq(st.cpu[71].softirq, 4410 + 71);
}

GRADED(util, stat_old_and_bad_lines, 1, "01.7 utilization", 5)
{
	static struct hi_stat st;
	unsigned line;

	cr_expect_eq(hi_stat_parse("cpu  1 2 3 4\ncpu0 1 2 3 4\n", &st, &line),
		     0, "Linux 2.4 had four columns");
	cr_expect_eq(st.total.idle, 4);
	cr_expect_eq(hi_stat_parse("cpu  1 2 3 4\ncpu0 1 2 x 4\n", &st, &line),
		     -EINVAL);
	cr_expect_eq(line, 2);
	cr_expect_eq(hi_stat_parse("cpu  1 2 3\n", &st, &line), -EINVAL,
		     "too few columns");
	cr_expect_eq(
	    hi_stat_parse("cpu  1 2 3 99999999999999999999\n", &st, &line),
	    -ERANGE);
	cr_expect_eq(hi_stat_parse("intr 1 2 3\n", &st, &line), -ENODATA);
}

GRADED(util, busy_arithmetic, 3, "01.7 utilization", 5)
{
	struct hi_cputimes a = {
	    .user = 100, .system = 50, .idle = 800, .iowait = 50};
	struct hi_cputimes b = {
	    .user = 130, .system = 60, .idle = 950, .iowait = 60, .steal = 0};
	double busy;

	/* 200 ticks passed; idle 150 + iowait 10 of them */
	cr_assert_eq(hi_busy(&a, &b, &busy), 0);
	cr_expect_float_eq(busy, 40.0 / 200, 1e-12);
	b.steal = 40; /* stolen by the hypervisor: busy for us */
	cr_assert_eq(hi_busy(&a, &b, &busy), 0);
	cr_expect_float_eq(busy, 80.0 / 240, 1e-12);
	cr_expect_eq(hi_busy(&b, &a, &busy), -ERANGE,
		     "counters went backwards");
	cr_expect_eq(hi_busy(&a, &a, &busy), -ENODATA, "no time passed");
}

GRADED(util, idle_sentence, 0, "01.7 utilization", 5)
{
	struct hi_sample s = {.seconds = 2,
			      .cpus = 2,
			      .busy = 0.09,
			      .mem_total = 25165824ull * 1024,
			      .mem_available = 23173529ull * 1024};
	char buf[256];

	hi_idle_sentence(&s, buf, sizeof(buf));
	cr_expect_str_eq(buf,
			 "Over 2.0 s, 91% of 2 CPUs sat idle and 22.1 of 24.0 "
			 "GiB were free: room for other tenants.");
}

GRADED(util, live_sample, 2, "01.7 utilization", 10)
{
	static struct hi_sample s;

	cr_assert_eq(hi_sample("/", 0.2, &s, NULL), 0);
	cr_expect_eq(s.cpus, live_cpus_online());
	cr_expect(s.busy >= 0 && s.busy <= 1, "busy %f", s.busy);
	cr_expect_gt(s.mem_total, s.mem_available);
	cr_expect_eq(hi_sample("/", 0, &s, NULL), -EINVAL);
}
