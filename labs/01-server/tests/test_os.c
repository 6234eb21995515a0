/*
 * Tests of hi_os: os-release, uptime and loadavg formats, a fixture
 * machine, and the kernel release against uname -r.
 */
#include "hi_os.h"

#include "graded.h"
#include "hi_diag.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>

GRADED(os, osrelease_pretty_name, 1, "01.5 os", 5)
{
	char buf[64];
	unsigned line;

	cr_assert_eq(hi_osrelease_parse(
			 "NAME=\"Debian GNU/Linux\"\n# c\n\n"
			 "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
			 buf, sizeof(buf), &line),
		     0);
	cr_expect_str_eq(buf, "Debian GNU/Linux 12 (bookworm)");
	cr_assert_eq(hi_osrelease_parse("NAME=Fedora\nVERSION='39 (Server)'\n",
					buf, sizeof(buf), &line),
		     0);
	cr_expect_str_eq(buf, "Fedora 39 (Server)",
			 "NAME + VERSION without PRETTY_NAME");
	cr_assert_eq(hi_osrelease_parse("PRETTY_NAME=\"say \\\"hi\\\"\"\n", buf,
					sizeof(buf), &line),
		     0);
	cr_expect_str_eq(buf, "say \"hi\"");
}

GRADED(os, osrelease_bad, 1, "01.5 os", 5)
{
	char buf[64];
	unsigned line;

	cr_expect_eq(hi_osrelease_parse("ID=debian\nPRETTY_NAME=\"Debian\n",
					buf, sizeof(buf), &line),
		     -EINVAL);
	cr_expect_eq(line, 2, "unterminated quote");
	cr_expect_eq(hi_osrelease_parse("ID=debian\njust words\n", buf,
					sizeof(buf), &line),
		     -EINVAL);
	cr_expect_eq(hi_osrelease_parse("ID=debian\n", buf, sizeof(buf), &line),
		     -ENODATA);
}

GRADED(os, uptime_and_load, 2, "01.5 os", 5)
{
	struct hi_os os = {0};
	double up;

	cr_assert_eq(hi_uptime_parse("350735.47 1388418.32\n", &up), 0);
	cr_expect_float_eq(up, 350735.47, 1e-6);
	cr_expect_eq(hi_uptime_parse("inf 1.0\n", &up), -EINVAL);
	cr_expect_eq(hi_uptime_parse("-1.00 1.0\n", &up), -EINVAL);
	cr_expect_eq(hi_uptime_parse("1e9 1.0\n", &up), -EINVAL);
	cr_expect_eq(hi_uptime_parse("12.5\n", &up), -EINVAL,
		     "idle time missing");
	cr_assert_eq(
	    hi_loadavg_parse("24.31 23.87 22.95 27/2214 3812334\n", &os), 0);
	cr_expect_float_eq(os.load[2], 22.95, 1e-9);
	cr_expect_eq(os.running, 27);
	cr_expect_eq(os.tasks, 2214);
	cr_expect_eq(hi_loadavg_parse("0.06 0.04 nan 1/92 7851\n", &os),
		     -EINVAL);
	cr_expect_eq(hi_loadavg_parse("0.06 0.04 0.02 93/92 7851\n", &os),
		     -EINVAL, "more runnable than exist");
}

GRADED(os, xeon_fixture, 1, "01.5 os", 5)
{
	struct hi_diags ds = {0};
	struct hi_os os;

	cr_assert_eq(hi_os_read(fixture("xeon-2s"), &os, &ds), 0);
	cr_expect_eq(ds.n, 0);
	cr_expect_str_eq(os.kernel, "Linux 5.15.0-91-generic");
	cr_expect_str_eq(os.distro, "Ubuntu 22.04.3 LTS");
	cr_expect_str_eq(os.hostname, "db-prod-07");
	cr_expect_float_eq(os.uptime, 8734512.61, 1e-3);
}

GRADED(os, live_release_matches_uname, 1, "01.5 os", 10)
{
	struct hi_os os;
	char want[128];

	cr_assert_eq(hi_os_read("/", &os, NULL), 0);
	live_line("uname -r", want, sizeof(want));
	cr_expect_str_eq(os.release, want);
	cr_expect_gt(os.uptime, 0);
	cr_expect(os.have_load);
}
