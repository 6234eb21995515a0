/*
 * test_part_plan: the planner on hand-checked cases, then properties that
 * must hold for any request set (checked on random ones, fixed seeds).
 */
#include "graded.h"
#include "part_plan.h"
#include "part_size.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define G PART_GIB

static struct part_opts host(uint32_t cpus, uint64_t mem, uint64_t disk)
{
	return (struct part_opts){.host = {cpus, mem, disk}, .ratio_milli = 1000,
				  .policy = PART_FIRST_FIT};
}

static void add(struct part_reqs *rs, const char *name, uint32_t vcpus,
		uint64_t mem, uint64_t disk)
{
	struct part_req r = {.vcpus = vcpus, .mem = mem, .disk = disk, .pids = 64};
	struct vmlab_err err;

	snprintf(r.name, sizeof(r.name), "%s", name);
	cr_assert_eq(part_reqs_add(rs, &r, &err), 0, "%s", err.msg);
}

static void plan(struct part_plan *pl, const struct part_opts *o,
		 const struct part_reqs *rs)
{
	struct vmlab_err err = {0};

	cr_assert_eq(part_plan_make(pl, o, rs, &err), 0, "%s", err.msg);
}

GRADED(part_plan, exact_fit_leaves_nothing, 2, "02.2 plan", 5)
{
	struct part_opts o = host(8, 16 * G, 100 * G);
	struct part_reqs rs = {0};
	struct part_plan pl;

	add(&rs, "a", 4, 8 * G, 50 * G);
	add(&rs, "b", 4, 8 * G, 50 * G);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nvs, 2);
	cr_assert_eq(pl.nrej, 0);
	cr_assert_eq(pl.used.cpu_milli, pl.pool.cpu_milli);
	cr_assert_eq(pl.used.mem, 16 * G);
	cr_assert_eq(pl.image_size, 100 * G);
	for (uint32_t i = 0; i < 4; i++) {
		cr_assert_eq(pl.vs[0].cpu[i], i);
		cr_assert_eq(pl.vs[1].cpu[i], 4 + i);
	}
	cr_assert_eq(pl.vs[0].disk_off, 0);
	cr_assert_eq(pl.vs[1].disk_off, 50 * G);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, nothing_left_rejects_with_the_reason, 2, "02.2 plan", 5)
{
	struct part_opts o = host(100, 100 * G, 0);
	struct part_reqs rs = {0};
	struct part_plan pl;
	char name[16];

	for (int i = 1; i <= 5; i++) {
		snprintf(name, sizeof(name), "web%d", i);
		add(&rs, name, 4, 19 * G, 0);
	}
	add(&rs, "web6", 4, 8 * G, 0);
	add(&rs, "tiny", 1, 1 * G, 0);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nvs, 6, "the rest are still placed");
	cr_assert_eq(pl.nrej, 1);
	cr_assert_str_eq(pl.rej[0].why, "web6: needs 8 GiB memory, 5 GiB left after 5 servers");
	cr_assert_str_eq(pl.vs[5].req.name, "tiny");
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, reasons_for_each_resource, 2, "02.2 plan", 5)
{
	struct part_opts o = host(4, 8 * G, 10 * G);
	struct part_reqs rs = {0};
	struct part_plan pl;

	add(&rs, "wide", 5, 1 * G, 0);
	add(&rs, "a", 3, 1 * G, 0);
	add(&rs, "cpu", 2, 1 * G, 0);
	add(&rs, "disk", 1, 1 * G, 11 * G);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nrej, 3);
	cr_assert_str_eq(pl.rej[0].why, "wide: needs 5 vCPUs, the host has 4 cores to give (one vCPU per core at most)");
	cr_assert_str_eq(pl.rej[1].why, "cpu: needs 2 vCPUs, 1 left after 1 servers");
	cr_assert_str_eq(pl.rej[2].why, "disk: needs 11 GiB disk, 10 GiB left after 1 servers");
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, one_huge_request, 1, "02.2 plan", 5)
{
	struct part_opts o = host(64, 256 * G, 4 * PART_TIB);
	struct part_reqs rs = {0};
	struct part_plan pl;

	add(&rs, "huge", 64, 512 * G, 0);
	add(&rs, "all", 64, 256 * G, 4 * PART_TIB);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nrej, 1);
	cr_assert_eq(pl.nvs, 1);
	cr_assert_str_eq(pl.vs[0].req.name, "all");
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, reserve_keeps_the_first_cpus, 1, "02.2 plan", 5)
{
	struct part_opts o = host(4, 8 * G, 0);
	struct part_reqs rs = {0};
	struct part_plan pl;
	char list[64];

	o.reserve = (struct part_host){1, 1 * G, 0};
	add(&rs, "a", 3, 7 * G, 0);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nvs, 1);
	cr_assert_str_eq(part_cpulist(pl.vs[0].cpu, 3, list, sizeof(list)), "1-3");
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, bad_options_are_refused, 1, "02.2 plan", 5)
{
	struct part_opts o = host(4, 8 * G, 0);
	struct part_reqs rs = {0};
	struct part_plan pl;
	struct vmlab_err err;

	o.reserve.cpus = 4;
	cr_assert_eq(part_plan_make(&pl, &o, &rs, &err), -EINVAL);
	cr_assert(strstr(err.msg, "none left"), "%s", err.msg);
	o = host(4, 8 * G, 0);
	o.ratio_milli = 500;
	cr_assert_eq(part_plan_make(&pl, &o, &rs, &err), -EINVAL);
	part_plan_free(&pl);
}

GRADED(part_plan, thousands_of_small_requests, 2, "02.2 plan", 10)
{
	struct part_opts o = host(1000, 1000 * G, 1000 * G);
	struct part_reqs rs = {0};
	struct part_plan pl;
	char name[16];

	o.ratio_milli = 4000; /* 4 vCPUs a core: room for 4000 */
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		add(&rs, name, 1, 200 * PART_MIB, 100 * PART_MIB);
	}
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nvs, 4000);
	cr_assert_eq(pl.nrej, 1000);
	cr_assert_str_eq(pl.rej[0].why, "s4000: needs 1 vCPU, 0 left after 4000 servers");
	/* Extents are 1 MiB aligned: 100 MiB each, back to back. */
	cr_assert_eq(pl.vs[3999].disk_off, 3999ULL * 100 * PART_MIB);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, arithmetic_near_the_top_does_not_wrap, 2, "02.2 plan", 5)
{
	struct part_opts o = host(2, UINT64_MAX, UINT64_MAX);
	struct part_reqs rs = {0};
	struct part_plan pl;

	add(&rs, "a", 1, UINT64_MAX - 10, UINT64_MAX - PART_MIB);
	add(&rs, "b", 1, 11, 1);
	add(&rs, "c", 1, 10, 1);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.nvs, 2);
	cr_assert_str_eq(pl.vs[1].req.name, "c");
	cr_assert_eq(pl.nrej, 1);
	cr_assert(strstr(pl.rej[0].why, "b: needs 11 B memory, 10 B left"), "%s", pl.rej[0].why);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, unaligned_extents_round_up_and_never_overflow, 1, "02.2 plan", 5)
{
	struct part_opts o = host(4, 8 * G, UINT64_MAX);
	struct part_reqs rs = {0};
	struct part_plan pl;

	add(&rs, "a", 1, G, 1000);
	add(&rs, "b", 1, G, UINT64_MAX - PART_MIB + 1); /* would end past 2^64 */
	add(&rs, "c", 1, G, 1);
	plan(&pl, &o, &rs);
	cr_assert_eq(pl.vs[1].disk_off, PART_MIB, "next extent on a 1 MiB boundary");
	cr_assert_str_eq(pl.vs[1].req.name, "c");
	cr_assert_eq(pl.nrej, 1);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, sharing_ratio_and_policies, 2, "02.2 plan", 5)
{
	struct part_opts o = host(4, 64 * G, 0);
	struct part_reqs rs = {0};
	struct part_plan pl;
	char l[64];

	o.ratio_milli = 2000;
	add(&rs, "a", 1, G, 0);
	add(&rs, "b", 2, G, 0);
	add(&rs, "c", 1, G, 0);
	o.policy = PART_FIRST_FIT; /* fills from the front */
	plan(&pl, &o, &rs);
	cr_assert_str_eq(part_cpulist(pl.vs[1].cpu, 2, l, sizeof(l)), "0-1");
	cr_assert_str_eq(part_cpulist(pl.vs[2].cpu, 1, l, sizeof(l)), "1");
	part_plan_free(&pl);
	o.policy = PART_BEST_FIT; /* packs onto half-used cores */
	plan(&pl, &o, &rs);
	cr_assert_str_eq(part_cpulist(pl.vs[1].cpu, 2, l, sizeof(l)), "0-1");
	cr_assert_str_eq(part_cpulist(pl.vs[2].cpu, 1, l, sizeof(l)), "1");
	part_plan_free(&pl);
	o.policy = PART_WORST_FIT; /* spreads onto the emptiest cores */
	plan(&pl, &o, &rs);
	cr_assert_str_eq(part_cpulist(pl.vs[1].cpu, 2, l, sizeof(l)), "1-2");
	cr_assert_str_eq(part_cpulist(pl.vs[2].cpu, 1, l, sizeof(l)), "3");
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, stranded_cpu_for_lack_of_memory, 2, "02.3 report", 5)
{
	struct part_opts o = host(16, 16 * G, 0);
	struct part_reqs rs = {0};
	struct part_plan pl;
	struct part_stranded st;

	add(&rs, "a", 2, 6 * G, 0);
	add(&rs, "b", 2, 6 * G, 0);
	add(&rs, "c", 2, 6 * G, 0);
	plan(&pl, &o, &rs);
	part_plan_stranded(&pl, &rs, &st);
	cr_assert_eq(st.left.cpu_milli, 12000);
	cr_assert_eq(st.left.mem, 4 * G);
	cr_assert_eq(st.stranded.cpu_milli, 12000, "12 CPUs idle: no shape fits 4 GiB");
	cr_assert_str_eq(st.cpu_for, "memory");
	cr_assert_eq(st.stranded.mem, 0, "4 GiB is less than a request: a remainder");
	cr_assert_null(st.mem_for);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, stranded_memory_for_lack_of_cpu, 2, "02.3 report", 5)
{
	struct part_opts o = host(8, 64 * G, 0);
	struct part_reqs rs = {0};
	struct part_plan pl;
	struct part_stranded st;

	add(&rs, "big", 4, 4 * G, 0);
	add(&rs, "small", 2, 2 * G, 0);
	add(&rs, "late", 4, 4 * G, 0);
	plan(&pl, &o, &rs);
	part_plan_stranded(&pl, &rs, &st);
	cr_assert_eq(st.left.cpu_milli, 2000);
	/* small fits once more: 2 CPUs and 2 GiB; 56 GiB stay idle. */
	cr_assert_eq(st.stranded.mem, 56 * G);
	cr_assert_str_eq(st.mem_for, "CPU");
	cr_assert_eq(st.stranded.cpu_milli, 0);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_plan, cpu_quota_is_the_fair_share, 1, "02.2 plan", 5)
{
	cr_assert_eq(part_cpu_quota(4, 1000), 0, "dedicated: no quota");
	cr_assert_eq(part_cpu_quota(4, 2000), 200000, "4 vCPUs at ratio 2: 2 cores");
	cr_assert_eq(part_cpu_quota(1, 3000), 33334, "rounded up");
	cr_assert_eq(part_cpu_quota(4096, 64000), 6400000);
}

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Checks the plan's invariants; see part_plan.h. */
static void check_invariants(const struct part_plan *pl)
{
	uint32_t ncpu = pl->opts.host.cpus;
	uint64_t *per_core = calloc(ncpu, sizeof(*per_core));
	uint64_t mem = 0, disk_end = 0;

	for (size_t i = 0; i < pl->nvs; i++) {
		const struct part_vs *v = &pl->vs[i];

		for (uint32_t k = 0; k < v->req.vcpus; k++) {
			cr_assert_geq(v->cpu[k], pl->opts.reserve.cpus, "a reserved CPU given away");
			cr_assert_lt(v->cpu[k], ncpu);
			if (k)
				cr_assert_gt(v->cpu[k], v->cpu[k - 1], "one core twice in a server");
			per_core[v->cpu[k]] += 1000;
		}
		mem += v->req.mem;
		if (v->req.disk) {
			cr_assert_geq(v->disk_off, disk_end, "extents overlap");
			disk_end = v->disk_off + v->req.disk;
		}
	}
	for (uint32_t c = 0; c < ncpu; c++)
		cr_assert_leq(per_core[c], pl->opts.ratio_milli, "core %u beyond ratio", c);
	cr_assert_leq(mem, pl->pool.mem);
	cr_assert_leq(disk_end, pl->pool.disk);
	cr_assert_eq(pl->nvs + pl->nrej > 0, 1);
	free(per_core);
}

GRADED(part_plan, random_sets_keep_the_invariants, 4, "02.2 plan", 20)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (int round = 0; round < 300; round++) {
		struct part_opts o = host(1 + rng(&seed) % 64, (1 + rng(&seed) % 256) * G,
					  rng(&seed) % (2 * PART_TIB));
		struct part_reqs rs = {0};
		struct part_plan pl;
		size_t n = 1 + rng(&seed) % 200;
		char name[16];

		o.ratio_milli = 1000 + (rng(&seed) % 4) * 500;
		o.policy = (enum part_policy)(rng(&seed) % 3);
		o.reserve.cpus = (uint32_t)(rng(&seed) % o.host.cpus);
		for (size_t i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "r%zu", i);
			add(&rs, name, 1 + rng(&seed) % 8, 1 + rng(&seed) % (16 * G),
			    rng(&seed) % 3 ? rng(&seed) % (100 * G) : 0);
		}
		plan(&pl, &o, &rs);
		cr_assert_eq(pl.nvs + pl.nrej, n, "round %d: every request answered", round);
		check_invariants(&pl);
		part_plan_free(&pl);
		part_reqs_free(&rs);
	}
}
