/*
 * Tests of hi_cpu: /proc/cpuinfo and sysfs topology on fixture machines,
 * the CPU-list format, and a live cross-check against nproc and lscpu.
 */
#include "hi_cpu.h"

#include "graded.h"
#include "hi_diag.h"
#include "hi_file.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>

GRADED(cpu, cpulist_ranges, 2, "01.1 cpu", 5)
{
	uint8_t set[2];
	unsigned n;

	cr_expect_eq(hi_cpulist_parse("0-3,8-11\n", set, 16, &n), 0);
	cr_expect_eq(n, 8);
	cr_expect_eq(set[0], 0x0f);
	cr_expect_eq(set[1], 0x0f);
	cr_expect_eq(hi_cpulist_parse("5", NULL, 16, &n), 0);
	cr_expect_eq(n, 1);
}

GRADED(cpu, cpulist_bad, 1, "01.1 cpu", 5)
{
	unsigned n;

	cr_expect_eq(hi_cpulist_parse("3-1", NULL, 16, &n), -EINVAL,
		     "backwards");
	cr_expect_eq(hi_cpulist_parse("0-", NULL, 16, &n), -EINVAL);
	cr_expect_eq(hi_cpulist_parse("", NULL, 16, &n), -EINVAL);
	cr_expect_eq(hi_cpulist_parse("0,x", NULL, 16, &n), -EINVAL);
	cr_expect_eq(hi_cpulist_parse("0-16", NULL, 16, &n), -ERANGE);
	cr_expect_eq(hi_cpulist_parse("0-99999999999999999999", NULL, 16, &n),
		     -ERANGE);
}

GRADED(cpu, topology_counts_pairs, 2, "01.1 cpu", 5)
{
	/* two packages that reuse core ids 0 and 1, two threads per core */
	struct hi_cpu_id ids[] = {{0, 0}, {0, 1}, {1, 0}, {1, 1},
				  {0, 0}, {0, 1}, {1, 0}, {1, 1}};
	struct hi_topology t;

	cr_assert_eq(hi_topology_count(ids, 8, &t), 0);
	cr_expect_eq(t.sockets, 2);
	cr_expect_eq(t.cores_per_socket, 2);
	cr_expect_eq(t.threads_per_core, 2);
	cr_expect_eq(hi_topology_count(ids, 0, &t), -EINVAL);
}

GRADED(cpu, cache_sizes, 1, "01.1 cpu", 5)
{
	uint64_t v;

	cr_expect_eq(hi_cache_size_parse("32K\n", &v), 0);
	cr_expect_eq(v, 32768);
	cr_expect_eq(hi_cache_size_parse("25344K", &v), 0);
	cr_expect_eq(v, 25344ull * 1024);
	cr_expect_eq(hi_cache_size_parse("16M", &v), 0);
	cr_expect_eq(v, 16ull << 20);
	cr_expect_eq(hi_cache_size_parse("32", &v), -EINVAL);
	cr_expect_eq(hi_cache_size_parse("K", &v), -EINVAL);
}

GRADED(cpu, xeon_two_sockets_hyperthreads, 3, "01.1 cpu", 5)
{
	struct hi_diags ds = {0};
	struct hi_cpu c;

	cr_assert_eq(hi_cpu_read(fixture("xeon-2s"), &c, &ds), 0);
	cr_expect_eq(ds.n, 0, "first problem: %s", ds.n ? ds.d[0].err.msg : "");
	cr_expect_str_eq(c.info.model,
			 "Intel(R) Xeon(R) Gold 6154 CPU @ 3.00GHz");
	cr_expect_str_eq(c.info.vendor, "GenuineIntel");
	cr_expect_eq(c.online, 72);
	cr_expect_str_eq(c.topo_source, "sysfs");
	cr_expect_eq(c.topo.sockets, 2);
	cr_expect_eq(c.topo.cores_per_socket, 18);
	cr_expect_eq(c.topo.threads_per_core, 2);
	cr_expect(c.info.vmx && !c.info.svm && !c.info.hypervisor);
	cr_expect_eq(c.max_khz, 3700000);
	cr_assert_eq(c.ncache, 4);
	cr_expect_eq(c.cache[3].level, 3);
	cr_expect_eq(c.cache[3].size, 25344ull * 1024);
}

GRADED(cpu, cpuinfo_topology_fallback, 2, "01.1 cpu", 5)
{
	struct hi_cpuinfo ci;
	unsigned line;
	char *text;
	size_t len;

	/* the same server seen only through /proc/cpuinfo */
	cr_assert_eq(
	    hi_file_load(fixture("xeon-2s"), "proc/cpuinfo", &text, &len),
	    0);
	cr_assert_eq(hi_cpuinfo_parse(text, &ci, &line), 0);
	free(text);
	cr_expect_eq(ci.processors, 72);
	cr_expect_eq(ci.sockets, 2);
	cr_expect_eq(ci.cores_per_socket, 18);
	cr_expect_eq(ci.siblings, 36);
	cr_expect_eq(ci.mhz, 3000);
}

GRADED(cpu, cpuinfo_malformed_line, 1, "01.1 cpu", 5)
{
	struct hi_cpuinfo ci;
	unsigned line;

	cr_expect_eq(
	    hi_cpuinfo_parse("processor\t: 0\nmodel name  Foo\n", &ci, &line),
	    -EINVAL);
	cr_expect_eq(line, 2);
	cr_expect_eq(
	    hi_cpuinfo_parse("processor\t: 0\ncpu cores\t: 0\n", &ci, &line),
	    -EINVAL, "zero cores is nonsense");
	cr_expect_eq(
	    hi_cpuinfo_parse("processor\t: 0\nphysical id\t: 123456789012\n",
			     &ci, &line),
	    -ERANGE);
	cr_expect_eq(hi_cpuinfo_parse("\n\n", &ci, &line), -ENODATA);
}

GRADED(cpu, live_matches_nproc_lscpu, 3, "01.1 cpu", 10)
{
	struct hi_cpu c;

	cr_assert_eq(hi_cpu_read("/", &c, NULL), 0);
	cr_expect_eq(c.online, live_cpus_online());
	cr_expect_eq(
	    c.topo.sockets,
	    live_u64("lscpu | awk -F: '/^Socket\\(s\\)/ {print $2+0}'"));
	cr_expect_eq(
	    c.topo.cores_per_socket,
	    live_u64(
		"lscpu | awk -F: '/^Core\\(s\\) per socket/ {print $2+0}'"));
	cr_expect_eq(
	    c.topo.threads_per_core,
	    live_u64(
		"lscpu | awk -F: '/^Thread\\(s\\) per core/ {print $2+0}'"));
}

GRADED(cpu, arm64_board_without_model_name, 2, "01.1 cpu", 5)
{
	struct hi_cpu c;

	cr_assert_eq(hi_cpu_read(fixture("rpi4-arm64"), &c, NULL), 0);
	cr_expect_str_eq(c.info.model, "ARM Cortex-A72",
			 "from CPU implementer 0x41, part 0xd08");
	cr_expect_str_eq(c.info.vendor, "ARM");
	cr_expect_eq(c.online, 4);
	cr_expect_eq(c.topo.cores_per_socket, 4);
	cr_expect_eq(c.topo.threads_per_core, 1);
	cr_expect(!c.info.has_flags, "ARM64 has Features, not flags");
	cr_expect_eq(c.ncache, 3);
}

GRADED(cpu, this_machine_captured, 1, "01.1 cpu", 5)
{
	struct hi_cpu c;

	cr_assert_eq(hi_cpu_read(fixture("epyc-vm"), &c, NULL), 0);
	cr_expect_str_eq(c.info.model, "AMD EPYC");
	cr_expect_eq(c.online, 2);
	cr_expect_eq(c.topo.sockets, 1);
	cr_expect_eq(c.topo.cores_per_socket, 2);
	cr_expect(c.info.hypervisor && !c.info.svm,
		  "a KVM guest whose svm flag is hidden");
	cr_expect_eq(c.info.mhz, 2596);
}
