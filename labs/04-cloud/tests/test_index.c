/*
 * test_index: the placement index agrees with the plain scan, and simulate
 * is repeatable and packs close to the bound (part 2).
 */
#include "graded.h"
#include "cloud_index.h"
#include "cloud_sim.h"
#include "cloudtest.h"

#define GIB (1ULL << 30)

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The score of host h under p, or a sentinel when none. */
static double score_of(enum part_policy p, const struct part_res *free,
		       const struct part_res *cap, long h, const struct part_res *w)
{
	return h < 0 ? 1e9 : cloud_fit_score(p, &free[h], &cap[h], w);
}

GRADED(index, agrees_with_the_scan, 3, "04.7 scale", 30)
{
	uint64_t seed = 42;
	size_t placed = 0;

	for (int fleet = 0; fleet < 20; fleet++) {
		size_t n = 1 + rnd(&seed) % 300;
		struct part_res *cap = calloc(n, sizeof(*cap)), *room = calloc(n, sizeof(*room));
		for (size_t i = 0; i < n; i++) {
			cap[i] = rnd(&seed) % 2 ? (struct part_res){48000, 192 * GIB, 0}
						: (struct part_res){96000, 384 * GIB, 0};
			room[i] = (struct part_res){rnd(&seed) % (cap[i].cpu_milli / 1000 + 1) * 1000,
						    rnd(&seed) % (cap[i].mem / GIB + 1) * GIB, 0};
		}
		/* Classes: some of the wants below, so both paths are tried. */
		struct part_res classes[4];
		for (int c = 0; c < 4; c++)
			classes[c] = (struct part_res){(uint64_t)(1 + c) * 2000, (uint64_t)(1 + c) * 8 * GIB, 0};
		struct cloud_index *ix = cloud_index_new(cap, room, n, classes, 4);
		cr_assert(ix);
		for (int k = 0; k < 200; k++) {
			enum part_policy p = (enum part_policy)(rnd(&seed) % 3);
			struct part_res w = {(1 + rnd(&seed) % 16) * 1000, (1 + rnd(&seed) % 64) * GIB, 0};
			if (k % 2) /* every other one from a class */
				w = classes[rnd(&seed) % 4];
			long a = cloud_index_choose(ix, p, &w);
			long b = cloud_fit_choose(p, room, cap, n, &w);
			cr_assert_eq(a < 0, b < 0, "fleet %d pick %d: index %ld, scan %ld", fleet, k, a, b);
			cr_assert_float_eq(score_of(p, room, cap, a, &w), score_of(p, room, cap, b, &w),
					   1e-9, "index chose %ld, scan %ld: not equally good", a, b);
			if (a >= 0) { /* place it, and keep both views in step */
				placed++;
				room[a].cpu_milli -= w.cpu_milli;
				room[a].mem -= w.mem;
				cloud_index_set(ix, (size_t)a, &room[a]);
			}
		}
		cloud_index_free(ix);
		free(cap);
		free(room);
	}
	cr_assert_gt(placed, 1000, "most requests found a host (%zu)", placed);
}

static struct cloud_sim_result sim(size_t hosts, size_t req, enum part_policy p,
				   uint64_t seed)
{
	struct cloud_fleet f;
	struct cloud_sim_opts o = {hosts, req, p, seed, 0};
	struct cloud_sim_result r;

	cr_assert_eq(cloud_fleet_parse(cloud_fleet_default_json(), &f, NULL), 0);
	cr_assert_eq(cloud_sim_run(&f, &o, &r), 0);
	cloud_fleet_free(&f);
	return r;
}

GRADED(index, simulate_is_repeatable, 1, "04.7 scale", 30)
{
	struct cloud_sim_result a = sim(500, 5000, PART_WORST_FIT, 7);
	struct cloud_sim_result b = sim(500, 5000, PART_WORST_FIT, 7);
	struct cloud_sim_result c = sim(500, 5000, PART_WORST_FIT, 8);

	cr_assert_eq(a.checksum, b.checksum, "same seed, same decisions");
	cr_assert_eq(a.hosts_used, b.hosts_used);
	cr_assert_eq(a.placed, 5000);
	cr_assert_neq(a.checksum, c.checksum, "another seed, other requests");
}

GRADED(index, pack_is_close_to_the_bound, 2, "04.7 scale", 30)
{
	struct cloud_sim_result r = sim(2000, 20000, PART_BEST_FIT, 1);

	cr_assert_eq(r.rejected, 0);
	cr_assert_leq(r.hosts_used, r.lower_bound * 11 / 10, "pack used %zu hosts, bound %zu",
		      r.hosts_used, r.lower_bound);
	struct cloud_sim_result s = sim(2000, 20000, PART_WORST_FIT, 1);
	cr_assert_gt(s.hosts_used, r.hosts_used, "spread touches more hosts than pack");
}
