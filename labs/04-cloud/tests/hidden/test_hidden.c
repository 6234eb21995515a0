/*
 * test_hidden: instructor-only checks, one per stage, of behaviour the
 * visible tests leave room to get wrong.
 */
#include "graded.h"
#include "cloud_bill.h"
#include "cloud_fail.h"
#include "cloud_geo.h"
#include "../cloudtest.h"

#include <errno.h>

GRADED_HIDDEN(hidden, coordinates_rank_like_the_city, 2, "04.1 latency", 5)
{
	struct cloud_fleet f;
	struct cloud_loc a, b;

	cr_assert_eq(cloud_fleet_parse(cloud_fleet_default_json(), &f, NULL), 0);
	struct cloud_rank *ka = calloc(f.nregions, sizeof(*ka)), *kb = calloc(f.nregions, sizeof(*kb));
	cr_assert_eq(cloud_place_locate(&f, "Cape Town", &a), 0);
	cr_assert_eq(cloud_place_locate(&f, "-33.925,18.424", &b), 0);
	cloud_place_rank(&f, &a, ka);
	cloud_place_rank(&f, &b, kb);
	for (size_t i = 0; i < f.nregions; i++) {
		cr_assert_eq(ka[i].region, kb[i].region);
		cr_assert_float_eq(ka[i].rtt_ms, kb[i].rtt_ms, 1e-6);
	}
	cr_assert_str_eq(f.regions[ka[0].region].code, "sa-east-1");
	/* Measured values only apply between regions, not from a city. */
	cr_assert_eq(cloud_place_locate(&f, "Chennai", &a), 0);
	cloud_place_rank(&f, &a, ka);
	for (size_t i = 0; i < f.nregions; i++)
		cr_assert(!ka[i].measured);
	free(ka);
	free(kb);
	cloud_fleet_free(&f);
}

/* Runs one instance of type with policy p in region; returns rc. */
static int one(struct cloud_db *db, const char *type, enum part_policy p)
{
	struct cloud_run_req q = {.type = type, .region = "ap-south-1", .min = 1, .max = 1,
				  .policy = p};
	struct cloud_run_res res;
	struct vmlab_err err;
	int rc = cloud_run(db, &q, &res, &err);

	if (rc == 0)
		cloud_run_res_free(&res);
	return rc;
}

/* Placement, through the database: it counts once the state file is written. */
GRADED_HIDDEN(hidden, pack_keeps_room_for_big_ones, 3, "04.3 state", 10)
{
	/* Two 8-vCPU hosts. Spread puts two m5.large on both: an m5.2xlarge
	 * (8 vCPUs) then fits nowhere. Pack puts them together: it fits. */
	struct cloud_db *db = fresh("tiny");

	cr_assert_eq(one(db, "m5.large", PART_WORST_FIT), 0);
	cr_assert_eq(one(db, "m5.large", PART_WORST_FIT), 0);
	cr_assert_eq(one(db, "m5.2xlarge", PART_WORST_FIT), -ENOSPC);
	cloud_db_close(db);
	db = fresh("tiny");
	cr_assert_eq(one(db, "m5.large", PART_BEST_FIT), 0);
	cr_assert_eq(one(db, "m5.large", PART_BEST_FIT), 0);
	cr_assert_eq(one(db, "m5.2xlarge", PART_BEST_FIT), 0);
	assert_books(db);
	cloud_db_close(db);
}

GRADED_HIDDEN(hidden, replay_after_terminate, 2, "04.5 provisioning", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_req q = {.type = "t3.micro", .region = "us-east-2", .min = 1, .max = 1,
				  .token = "t", .policy = PART_WORST_FIT};
	struct cloud_run_res a, b;
	struct cloud_insts out;
	struct vmlab_err err;

	cr_assert_eq(cloud_run(db, &q, &a, &err), 0);
	char *id = a.insts.v[0].id;
	cr_assert_eq(cloud_act(db, CLOUD_TERMINATE, &id, 1, &out, &err), 0);
	cloud_insts_free(&out);
	cloud_clock_move(db, 60, 0);
	cr_assert_eq(cloud_run(db, &q, &b, &err), 0);
	cr_assert(b.replayed);
	cr_assert_str_eq(b.insts.v[0].id, id);
	cr_assert_eq(b.insts.v[0].state, CLOUD_TERMINATED, "the same instance, as it is now");
	cloud_run_res_free(&a);
	cloud_run_res_free(&b);
	cloud_db_close(db);
}

GRADED_HIDDEN(hidden, each_start_has_its_own_minimum, 2, "04.4 billing", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "us-east-2", 1);
	char *id = r.insts.v[0].id;
	struct cloud_insts out;
	struct vmlab_err err;
	struct cloud_bill b;

	for (int i = 0; i < 3; i++) {
		cloud_clock_move(db, CLOUD_TRANSITION_S + 10, 0); /* runs 10 s */
		cr_assert_eq(cloud_act(db, CLOUD_STOP, &id, 1, &out, &err), 0);
		cloud_insts_free(&out);
		cloud_clock_move(db, CLOUD_TRANSITION_S, 0);
		cr_assert_eq(cloud_act(db, CLOUD_START, &id, 1, &out, &err), 0, "%s", err.msg);
		cloud_insts_free(&out);
	}
	cr_assert_eq(cloud_acct_bill(db, &b, &err), 0);
	cr_assert_eq(b.v[0].run_s, 30);
	cr_assert_eq(b.v[0].billed_s, 180);
	cr_assert_eq(b.total, 3 * cloud_bill_cost(96000, 60));
	cloud_bill_free(&b);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

GRADED_HIDDEN(hidden, failing_twice_and_recovering, 2, "04.6 failures", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "t3.micro", "ap-south-1", 2);
	struct cloud_moves m;
	struct vmlab_err err = {0};

	cr_assert_eq(cloud_fail(db, "ap-south-1a-h01", 0, &m, &err), 0);
	cr_assert_eq(m.n, 1);
	cloud_moves_free(&m);
	cr_assert_eq(cloud_fail(db, "ap-south-1a-h01", 0, &m, &err), 0);
	cr_assert_eq(m.n, 0, "a failed host holds nothing to move again");
	cloud_moves_free(&m);
	assert_books(db);
	cr_assert_eq(cloud_recover(db, "ap-south-1a-h01", 0, &err), 0);
	cloud_run_res_free(&r);
	/* Spread sends the next one to the empty, recovered host. */
	r = run_in(db, "t3.micro", "ap-south-1", 1);
	struct cloud_fleet f;
	cr_assert_eq(cloud_db_load(db, &f), 0);
	cr_assert_str_eq(f.hosts[r.insts.v[0].host].name, "ap-south-1a-h01");
	cloud_fleet_free(&f);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}
