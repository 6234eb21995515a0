/*
 * Tests of hi_capacity: the three numbers lab 02 plans with, on fixture
 * machines and on this one (cross-checked against nproc, free -b, df).
 */
#include "hi_capacity.h"

#include "graded.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>

GRADED(capacity, xeon_two_sockets, 2, "01.9 capacity", 5)
{
	struct hi_capacity cap;

	cr_assert_eq(hi_capacity_read(fixture("xeon-2s"), &cap), 0);
	cr_expect_eq(cap.cpus, 72);
	cr_expect_eq(cap.mem_bytes, 395968060ull * 1024);
	cr_expect_eq(cap.disk_bytes, 0, "statvfs answers only for /");
}

GRADED(capacity, this_machine, 2, "01.9 capacity", 10)
{
	struct hi_capacity cap;

	cr_assert_eq(hi_capacity_read("/", &cap), 0);
	cr_expect_eq(cap.cpus, live_cpus_online());
	cr_expect_eq(cap.mem_bytes,
		     live_u64("free -b | awk '/^Mem:/ {print $2}'"));
	cr_expect_eq(cap.disk_bytes,
		     live_u64("df -B1 --output=size / | tail -1"));
}

GRADED(capacity, missing_tree, 0, "01.9 capacity", 5)
{
	struct hi_capacity cap;

	cr_expect_eq(hi_capacity_read(fixture("no-such-machine"), &cap),
		     -ENOENT);
}
