/*
 * Tests of hi_numa: a real capture (bhyve-vm, this project's machine kind:
 * one node), a two-node tree the test writes itself, a capture without
 * nodes, and this machine against its own sysfs.
 */
#include "hi_numa.h"

#include "graded.h"
#include "fixture.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

GRADED(numa, one_node_capture, 0, "01.1 cpu", 5)
{
	static struct hi_numa nu;

	cr_assert_eq(hi_numa_read(fixture("bhyve-vm"), &nu, NULL), 0);
	cr_assert_eq(nu.n, 1u);
	cr_expect_eq(nu.node[0].id, 0u);
	cr_expect_str_eq(nu.node[0].cpus, "0-1");
	cr_expect_eq(nu.node[0].mem_bytes, 24683748ull * 1024);
	cr_assert_eq(hi_numa_read(fixture("xeon-2s"), &nu, NULL), 0);
	cr_expect_eq(nu.n, 0u, "a capture without node folders: unknown");
}

/* Writes text to dir/rel, making the folders on the way. */
static void put(const char *dir, const char *rel, const char *text)
{
	char cmd[1024];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", dir, rel);
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/%s", dir, rel);
	cr_assert_not_null(f = fopen(cmd, "w"));
	fputs(text, f);
	fclose(f);
}

GRADED(numa, two_nodes_sorted, 0, "01.1 cpu", 5)
{
	static struct hi_numa nu;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[256], cmd[512];

	snprintf(dir, sizeof(dir), "%s/hi-numa-XXXXXX", tmp);
	cr_assert_not_null(mkdtemp(dir));
	put(dir, "sys/devices/system/node/node1/cpulist", "14-27,42-55\n");
	put(dir, "sys/devices/system/node/node1/meminfo", "Node 1 MemTotal: 1048576 kB\n");
	put(dir, "sys/devices/system/node/node0/cpulist", "0-13,28-41\n");
	put(dir, "sys/devices/system/node/possible", "0-1\n"); /* not a node */
	cr_assert_eq(hi_numa_read(dir, &nu, NULL), 0);
	cr_assert_eq(nu.n, 2u);
	cr_expect_str_eq(nu.node[0].cpus, "0-13,28-41");
	cr_expect_eq(nu.node[0].mem_bytes, 0u, "no meminfo: not known");
	cr_expect_eq(nu.node[1].id, 1u);
	cr_expect_eq(nu.node[1].mem_bytes, 1ull << 30);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

GRADED(numa, this_machine, 0, "01.1 cpu", 5)
{
	static struct hi_numa nu;
	glob_t g;
	size_t want = 0;

	if (glob("/sys/devices/system/node/node[0-9]*", 0, NULL, &g) == 0)
		want = g.gl_pathc;
	globfree(&g);
	cr_assert_eq(hi_numa_read("/", &nu, NULL), 0);
	cr_expect_eq(nu.n, want, "one entry per node folder of sysfs");
}
