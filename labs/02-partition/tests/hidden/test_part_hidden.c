/*
 * test_part_hidden: instructor-only checks of lab 02 (shown after the due
 * date): the policies' defining property on random sets, text and JSON
 * requests agreeing, and corner cases of sizes and fragmentation.
 */
#include "graded.h"
#include "part_plan.h"
#include "part_size.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define G PART_GIB

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* vCPUs placed on each core of pl. */
static uint32_t *load(const struct part_plan *pl)
{
	uint32_t *n = calloc(pl->opts.host.cpus, sizeof(*n));

	for (size_t i = 0; i < pl->nvs; i++)
		for (uint32_t k = 0; k < pl->vs[i].req.vcpus; k++)
			n[pl->vs[i].cpu[k]]++;
	return n;
}

GRADED_HIDDEN(part_hidden, best_fit_packs_worst_fit_spreads, 3, "02.2 plan", 20)
{
	uint64_t seed = 12345;

	for (int round = 0; round < 100; round++) {
		struct part_opts o = {.host = {8 + (uint32_t)(rng(&seed) % 24), 1024 * G, 0},
				      .ratio_milli = 4000};
		struct part_reqs rs = {0};
		struct part_plan pb, pw;
		struct vmlab_err err;
		size_t n = 1 + rng(&seed) % (o.host.cpus * 3);

		for (size_t i = 0; i < n; i++) {
			struct part_req r = {.vcpus = 1, .mem = G, .pids = 8};
			snprintf(r.name, sizeof(r.name), "s%zu", i);
			cr_assert_eq(part_reqs_add(&rs, &r, &err), 0);
		}
		o.policy = PART_BEST_FIT;
		cr_assert_eq(part_plan_make(&pb, &o, &rs, &err), 0);
		o.policy = PART_WORST_FIT;
		cr_assert_eq(part_plan_make(&pw, &o, &rs, &err), 0);
		uint32_t *lb = load(&pb), *lw = load(&pw), used_b = 0, min_w = 99, max_w = 0;
		for (uint32_t c = 0; c < o.host.cpus; c++) {
			used_b += lb[c] > 0;
			min_w = lw[c] < min_w ? lw[c] : min_w;
			max_w = lw[c] > max_w ? lw[c] : max_w;
		}
		cr_assert_eq(used_b, (n + 3) / 4, "best-fit fills a core before the next");
		cr_assert_leq(max_w - min_w, 1, "worst-fit keeps cores within one vCPU");
		free(lb);
		free(lw);
		part_plan_free(&pb);
		part_plan_free(&pw);
		part_reqs_free(&rs);
	}
}

GRADED_HIDDEN(part_hidden, text_and_json_requests_agree, 2, "02.1 sizes", 5)
{
	struct part_reqs t = {0}, j = {0};
	struct vmlab_err err;

	cr_assert_eq(part_reqs_parse(&t, "web cpus=2 mem=1.5G disk=10G count=3 pids=50\ndb cpus=4 mem=8G\n", &err), 0, "%s", err.msg);
	cr_assert_eq(part_reqs_parse(&j, "{\"servers\":[{\"name\":\"web\",\"cpus\":2,\"mem\":\"1536M\",\"disk\":\"10G\",\"count\":3,\"pids\":50},"
					 "{\"name\":\"db\",\"cpus\":4,\"mem\":8589934592}]}", &err), 0, "%s", err.msg);
	cr_assert_eq(t.n, j.n);
	for (size_t i = 0; i < t.n; i++) {
		cr_assert_str_eq(t.v[i].name, j.v[i].name);
		cr_assert_eq(t.v[i].vcpus, j.v[i].vcpus);
		cr_assert_eq(t.v[i].mem, j.v[i].mem);
		cr_assert_eq(t.v[i].disk, j.v[i].disk);
		cr_assert_eq(t.v[i].pids, j.v[i].pids);
	}
	part_reqs_free(&t);
	part_reqs_free(&j);
}

GRADED_HIDDEN(part_hidden, size_corners, 2, "02.1 sizes", 5)
{
	struct vmlab_err err;
	uint64_t v = 0;

	cr_assert_eq(part_size_parse("0.5K", &v, &err), 0);
	cr_assert_eq(v, 512);
	cr_assert_eq(part_size_parse("0.001K", &v, &err), -EINVAL, "1.024 bytes");
	cr_assert_eq(part_size_parse("0.001T", &v, &err), -EINVAL);
	cr_assert_eq(part_size_parse("0.125K", &v, &err), 0);
	cr_assert_eq(v, 128);
	cr_assert_eq(part_size_parse("15.875T", &v, &err), 0);
	cr_assert_eq(part_size_parse("16777215.999T", &v, &err), -EINVAL, "not whole");
	cr_assert_eq(err.code, -EINVAL);
	cr_assert_str_eq(err.msg, "is not a whole number of bytes");
	cr_assert_eq(part_size_parse("16777215.5T", &v, &err), 0);
	cr_assert_eq(v, (16777215ULL << 40) + (1ULL << 39));
	cr_assert_eq(part_size_parse("1e9", &v, &err), -EINVAL);
	cr_assert_eq(part_size_parse("+1G", &v, &err), -EINVAL);
}

GRADED_HIDDEN(part_hidden, fractional_ratio_fragments_cores, 2, "02.2 plan", 5)
{
	/* Ratio 1.5: a core holds one vCPU and a half that nobody can use. */
	struct part_opts o = {.host = {2, 64 * G, 0}, .ratio_milli = 1500, .policy = PART_WORST_FIT};
	struct part_reqs rs = {0};
	struct part_plan pl;
	struct vmlab_err err;
	struct part_stranded st;

	for (int i = 0; i < 3; i++) {
		struct part_req r = {.vcpus = 1, .mem = G, .pids = 8};
		snprintf(r.name, sizeof(r.name), "v%d", i);
		cr_assert_eq(part_reqs_add(&rs, &r, &err), 0);
	}
	cr_assert_eq(part_plan_make(&pl, &o, &rs, &err), 0);
	cr_assert_eq(pl.nvs, 2);
	cr_assert_eq(pl.nrej, 1);
	cr_assert_str_eq(pl.rej[0].why, "v2: needs 1 vCPU on different cores, 0 cores have room for one more after 2 servers");
	part_plan_stranded(&pl, &rs, &st);
	cr_assert_eq(st.left.cpu_milli, 1000, "two halves left");
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED_HIDDEN(part_hidden, rejection_gives_everything_back, 2, "02.2 plan", 5)
{
	/* Ratio 1.5 on 4 cores; after a, two cores keep half a vCPU each: b's
	 * 3 vCPUs fit the total but not on 3 distinct cores. b takes two cores,
	 * fails on the third, and must give both back for c. */
	struct part_opts o = {.host = {4, 64 * G, 0}, .ratio_milli = 1500, .policy = PART_FIRST_FIT};
	struct part_reqs rs = {0};
	struct part_plan pl;
	struct vmlab_err err;
	struct part_req a = {"a", 0, 2, G, 0, 8}, b = {"b", 0, 3, G, 0, 8}, c = {"c", 0, 2, G, 0, 8};

	cr_assert_eq(part_reqs_add(&rs, &a, &err), 0);
	cr_assert_eq(part_reqs_add(&rs, &b, &err), 0);
	cr_assert_eq(part_reqs_add(&rs, &c, &err), 0);
	cr_assert_eq(part_plan_make(&pl, &o, &rs, &err), 0);
	cr_assert_eq(pl.nvs, 2);
	cr_assert_str_eq(pl.vs[1].req.name, "c");
	cr_assert_eq(pl.vs[1].cpu[0], 2);
	cr_assert_eq(pl.vs[1].cpu[1], 3);
	cr_assert_eq(pl.used.cpu_milli, 4000);
	cr_assert_eq(pl.core_free[2].cpu_milli, 500, "b's vCPU on core 2 was given back");
	cr_assert_eq(pl.used.mem, 2 * G);
	part_plan_free(&pl);
	part_reqs_free(&rs);
}
