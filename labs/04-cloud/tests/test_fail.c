/*
 * test_fail: hosts and zones fail; what could move moves, within its
 * region, and the rest is impaired; the books stay exact (part 2). On the
 * tiny fleet, each ap-south-1 host holds 4 m5.large.
 */
#include "graded.h"
#include "cloud_fail.h"
#include "cloudtest.h"

#include <errno.h>

static struct cloud_moves fail(struct cloud_db *db, const char *name, int zone)
{
	struct cloud_moves m;
	struct vmlab_err err = {0};

	cr_assert_eq(cloud_fail(db, name, zone, &m, &err), 0, "%s", err.msg);
	return m;
}

static size_t impaired(const struct cloud_moves *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += m->v[i].to < 0;
	return n;
}

GRADED(fail, host_failure_moves_within_the_region, 2, "04.6 failures", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 2);
	struct cloud_fleet f;

	cr_assert_eq(cloud_db_load(db, &f), 0);
	long h = r.insts.v[0].host;
	struct cloud_moves m = fail(db, f.hosts[h].name, 0);
	cr_assert_eq(m.n, 1, "one instance was on that host");
	cr_assert_eq(impaired(&m), 0);
	cr_assert_neq(m.v[0].to, h);
	cr_assert_eq(f.zones[f.hosts[m.v[0].to].zone].region, r.insts.v[0].region,
		     "moved within its region");
	assert_books(db);
	cloud_fleet_free(&f);
	cr_assert_eq(cloud_db_load(db, &f), 0);
	cr_assert(f.hosts[h].failed);
	cr_assert_eq(f.hosts[h].used.cpu_milli, 0, "the failed host holds nothing");
	cloud_run_res_free(&r);
	/* New instances avoid it: the other host has room for two more. */
	for (int i = 0; i < 2; i++) {
		r = run_in(db, "m5.large", "ap-south-1", 1);
		cr_assert_neq(r.insts.v[0].host, h);
		cloud_run_res_free(&r);
	}
	cloud_moves_free(&m);
	cloud_fleet_free(&f);
	cloud_db_close(db);
}

GRADED(fail, zone_failure_impairs_what_cannot_move, 3, "04.6 failures", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 6); /* 3 per zone */
	struct cloud_insts in;
	struct vmlab_err err;

	struct cloud_moves m = fail(db, "ap-south-1a", 1);
	cr_assert_eq(m.n, 3);
	cr_assert_eq(impaired(&m), 2, "zone b had room for one more");
	assert_books(db);
	cr_assert_eq(cloud_describe(db, NULL, 0, &in, &err), 0);
	size_t bad = 0;
	for (size_t i = 0; i < in.n; i++)
		bad += in.v[i].impaired;
	cr_assert_eq(bad, 2);
	cloud_insts_free(&in);
	struct cloud_run_req q = {.type = "m5.large", .region = "ap-south-1", .min = 1,
				  .max = 1, .policy = PART_WORST_FIT};
	struct cloud_run_res r2;
	cr_assert_eq(cloud_run(db, &q, &r2, &err), -ENOSPC, "the region is full");
	cr_assert_eq(cloud_recover(db, "ap-south-1a", 1, &err), 0);
	cr_assert_eq(cloud_describe(db, NULL, 0, &in, &err), 0);
	for (size_t i = 0; i < in.n; i++)
		cr_assert(!in.v[i].impaired, "recovered");
	cloud_insts_free(&in);
	cr_assert_eq(cloud_run(db, &q, &r2, &err), 0, "room again: %s", err.msg);
	assert_books(db);
	cloud_run_res_free(&r2);
	cloud_moves_free(&m);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

/* How many of 4 m5.large a zone failure hits, placed with policy p. */
static size_t blast(enum part_policy p)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_req q = {.type = "m5.large", .region = "ap-south-1", .min = 4,
				  .max = 4, .policy = p};
	struct cloud_run_res r;
	struct vmlab_err err;
	struct cloud_fleet f;

	cr_assert_eq(cloud_run(db, &q, &r, &err), 0);
	cr_assert_eq(cloud_db_load(db, &f), 0);
	struct cloud_moves m = fail(db, f.zones[r.insts.v[0].zone].name, 1);
	size_t hit = m.n;
	assert_books(db);
	cloud_moves_free(&m);
	cloud_fleet_free(&f);
	cloud_run_res_free(&r);
	cloud_db_close(db);
	return hit;
}

GRADED(fail, spreading_halves_the_blast, 2, "04.6 failures", 10)
{
	cr_assert_eq(blast(PART_WORST_FIT), 2, "spread: half of them in the failed zone");
	cr_assert_eq(blast(PART_BEST_FIT), 4, "pack: all of them");
}

GRADED(fail, unknown_names_change_nothing, 1, "04.6 failures", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_moves m;
	struct vmlab_err err = {0};

	cr_assert_eq(cloud_fail(db, "ap-south-1z", 1, &m, &err), -ENOENT);
	cr_assert_eq(cloud_fail(db, "ap-south-1a", 0, &m, &err), -ENOENT, "a zone is not a host");
	cr_assert_eq(cloud_recover(db, "nowhere-h01", 0, &err), -ENOENT);
	cloud_db_close(db);
}
