/*
 * test_inst: provisioning with EC2's semantics, through a real database on
 * the tiny fleet (fleets/tiny.json: ap-south-1 holds 8 m5.large, 4 in each
 * zone; ap-southeast-1 holds 4; us-east-2 holds 4 on two small hosts).
 */
#include "graded.h"
#include "cloudtest.h"

#include <errno.h>

static int run_q(struct cloud_db *db, struct cloud_run_req q, struct cloud_run_res *res,
		 struct vmlab_err *err)
{
	memset(err, 0, sizeof(*err));
	if (!q.policy)
		q.policy = PART_WORST_FIT;
	return cloud_run(db, &q, res, err);
}

static size_t listed(struct cloud_db *db)
{
	struct cloud_insts in;
	struct vmlab_err err;

	cr_assert_eq(cloud_describe(db, NULL, 0, &in, &err), 0);
	size_t n = in.n;
	cloud_insts_free(&in);
	return n;
}

static int state_of(struct cloud_db *db, const char *id)
{
	struct cloud_insts in;
	struct vmlab_err err;
	char *ids[] = {(char *)id};

	cr_assert_eq(cloud_describe(db, ids, 1, &in, &err), 0, "%s", err.msg);
	int s = in.v[0].state;
	cloud_insts_free(&in);
	return s;
}

GRADED(inst, pending_then_running, 2, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 2);

	cr_assert_eq(r.insts.n, 2);
	cr_assert_eq(state_of(db, r.insts.v[0].id), CLOUD_PENDING);
	cr_assert_str_eq(r.insts.v[0].id, "i-0910a2dec89025cc1", "ids follow the sequence");
	cr_assert_eq(cloud_clock_move(db, CLOUD_TRANSITION_S, 0), 0);
	cr_assert_eq(state_of(db, r.insts.v[0].id), CLOUD_RUNNING);
	cr_assert_eq(state_of(db, r.insts.v[1].id), 16);
	assert_books(db);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

GRADED(inst, min_count_is_all_or_nothing, 3, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res res;
	struct vmlab_err err;
	struct cloud_run_req q = {.type = "m5.large", .region = "ap-south-1", .min = 9, .max = 9};

	cr_assert_eq(run_q(db, q, &res, &err), -ENOSPC);
	cr_assert_eq(err.code, -ENOSPC, "the code is what the call returned");
	cr_assert_str_eq(err.name, "InsufficientInstanceCapacity");
	cr_assert_eq(listed(db), 0, "nothing launched when min-count does not fit");
	assert_books(db);
	q.min = 2;
	q.max = 20;
	cr_assert_eq(run_q(db, q, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.insts.n, 8, "as many as fit, up to max-count");
	cloud_run_res_free(&res);
	assert_books(db);
	cloud_db_close(db);
}

GRADED(inst, capacity_error_names_where_room_is, 2, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res res = run_in(db, "m5.2xlarge", "ap-south-1", 1);
	struct vmlab_err err;
	long z = res.insts.v[0].zone;
	struct cloud_fleet f;

	cr_assert_eq(cloud_db_load(db, &f), 0);
	cloud_run_res_free(&res);
	struct cloud_run_req q = {.type = "m5.2xlarge", .az = f.zones[z].name, .min = 1, .max = 1};
	cr_assert_eq(run_q(db, q, &res, &err), -ENOSPC);
	const char *other = z == cloud_fleet_zone(&f, "ap-south-1a") ? "ap-south-1b" : "ap-south-1a";
	cr_assert(strstr(err.msg, other), "names the other zone: %s", err.msg);
	cr_assert(strstr(err.msg, "ap-southeast-1"), "names a region with room: %s", err.msg);
	cr_assert(!strstr(err.msg, "us-east-2"), "us-east-2's hosts are too small: %s", err.msg);
	cloud_fleet_free(&f);
	cloud_db_close(db);
}

GRADED(inst, client_token_is_idempotent, 3, "04.5 provisioning", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res a, b;
	struct vmlab_err err;
	struct cloud_run_req q = {.type = "t3.micro", .region = "ap-south-1", .min = 2,
				  .max = 2, .token = "deploy-42"};

	cr_assert_eq(run_q(db, q, &a, &err), 0);
	cr_assert_eq(cloud_clock_move(db, 60, 0), 0);
	cr_assert_eq(run_q(db, q, &b, &err), 0);
	cr_assert(b.replayed);
	cr_assert_str_eq(a.reservation, b.reservation);
	cr_assert_eq(b.insts.n, 2);
	cr_assert_str_eq(a.insts.v[1].id, b.insts.v[1].id);
	cr_assert_eq(b.insts.v[0].state, CLOUD_RUNNING, "the instances as they are now");
	cr_assert_eq(listed(db), 2, "nothing new launched");
	cloud_run_res_free(&b);
	q.max = 3;
	cr_assert_eq(run_q(db, q, &b, &err), -EEXIST);
	cr_assert_eq(err.code, -EEXIST, "the code is what the call returned");
	cr_assert_str_eq(err.name, "IdempotentParameterMismatch");
	q.max = 2;
	q.token = "deploy-43";
	cr_assert_eq(run_q(db, q, &b, &err), 0);
	cloud_run_res_free(&b);
	cr_assert_eq(listed(db), 4);
	cloud_run_res_free(&a);
	cloud_db_close(db);
}

GRADED(inst, stop_start_terminate_are_idempotent, 3, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 1);
	char *id[] = {r.insts.v[0].id};
	struct cloud_insts out;
	struct vmlab_err err;

	cr_assert_eq(cloud_act(db, CLOUD_STOP, id, 1, &out, &err), -EPERM, "pending cannot stop");
	cr_assert_eq(err.code, -EPERM, "the code is what the call returned");
	cr_assert_str_eq(err.name, "IncorrectInstanceState");
	cloud_clock_move(db, 10, 0);
	cr_assert_eq(cloud_act(db, CLOUD_STOP, id, 1, &out, &err), 0);
	cr_assert_eq(out.v[0].prev_state, CLOUD_RUNNING);
	cr_assert_eq(out.v[0].state, CLOUD_STOPPING);
	cloud_insts_free(&out);
	cr_assert_eq(cloud_act(db, CLOUD_STOP, id, 1, &out, &err), 0, "again: no error");
	cr_assert_eq(out.v[0].state, CLOUD_STOPPING);
	cloud_insts_free(&out);
	cloud_clock_move(db, 10, 0);
	cr_assert_eq(state_of(db, id[0]), CLOUD_STOPPED);
	assert_books(db);
	cr_assert_eq(cloud_act(db, CLOUD_START, id, 1, &out, &err), 0);
	cr_assert_eq(out.v[0].state, CLOUD_PENDING);
	cr_assert_eq(out.v[0].zone, r.insts.v[0].zone, "starts again in its own zone");
	cloud_insts_free(&out);
	cr_assert_eq(cloud_act(db, CLOUD_START, id, 1, &out, &err), 0);
	cloud_insts_free(&out);
	cr_assert_eq(cloud_act(db, CLOUD_TERMINATE, id, 1, &out, &err), 0);
	cr_assert_eq(out.v[0].state, CLOUD_SHUTTING_DOWN);
	cloud_insts_free(&out);
	cr_assert_eq(cloud_act(db, CLOUD_TERMINATE, id, 1, &out, &err), 0);
	cloud_insts_free(&out);
	cloud_clock_move(db, 10, 0);
	cr_assert_eq(state_of(db, id[0]), CLOUD_TERMINATED);
	cr_assert_eq(cloud_act(db, CLOUD_START, id, 1, &out, &err), -EPERM);
	assert_books(db);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

GRADED(inst, unknown_id_changes_nothing, 2, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 1);
	char *ids[] = {r.insts.v[0].id, "i-0000000000000bad"};
	struct cloud_insts out;
	struct vmlab_err err;

	cr_assert_eq(cloud_act(db, CLOUD_TERMINATE, ids, 2, &out, &err), -ENOENT);
	cr_assert_eq(err.code, -ENOENT, "the code is what the call returned");
	cr_assert_str_eq(err.name, "InvalidInstanceID.NotFound");
	cr_assert(strstr(err.msg, "i-0000000000000bad"));
	cr_assert_eq(state_of(db, ids[0]), CLOUD_PENDING, "all or nothing");
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

GRADED(inst, stopped_frees_the_host_terminated_expires, 2, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.2xlarge", "ap-southeast-1", 1);
	char *id[] = {r.insts.v[0].id};
	struct cloud_insts out;
	struct vmlab_err err;
	struct cloud_run_res r2;
	struct cloud_run_req q = {.type = "m5.2xlarge", .region = "ap-southeast-1", .min = 1, .max = 1};

	cloud_clock_move(db, 10, 0);
	cr_assert_eq(run_q(db, q, &r2, &err), -ENOSPC, "the only host is full");
	cr_assert_eq(cloud_act(db, CLOUD_STOP, id, 1, &out, &err), 0);
	cloud_insts_free(&out);
	cloud_clock_move(db, 10, 0);
	cr_assert_eq(run_q(db, q, &r2, &err), 0, "stopped holds no host: %s", err.msg);
	cr_assert_eq(cloud_act(db, CLOUD_START, id, 1, &out, &err), -ENOSPC,
		     "and may not find one again");
	cr_assert_eq(cloud_act(db, CLOUD_TERMINATE, id, 1, &out, &err), 0);
	cloud_insts_free(&out);
	cloud_clock_move(db, 10, 0);
	cr_assert_eq(listed(db), 2, "terminated stays listed for a while");
	cloud_clock_move(db, CLOUD_EXPIRE_S, 0);
	cr_assert_eq(listed(db), 1, "then disappears");
	cr_assert_eq(cloud_describe(db, id, 1, &out, &err), -ENOENT);
	assert_books(db);
	cloud_run_res_free(&r);
	cloud_run_res_free(&r2);
	cloud_db_close(db);
}

GRADED(inst, near_goes_to_the_closest_with_room, 2, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res res;
	struct vmlab_err err;
	struct cloud_run_req q = {.type = "m5.2xlarge", .near = "Chennai", .min = 2, .max = 2};
	struct cloud_fleet f;

	cr_assert_eq(cloud_db_load(db, &f), 0);
	cr_assert_eq(run_q(db, q, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.region, cloud_fleet_region(&f, "ap-south-1"));
	cloud_run_res_free(&res);
	q.min = q.max = 1;
	cr_assert_eq(run_q(db, q, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.region, cloud_fleet_region(&f, "ap-southeast-1"));
	cloud_run_res_free(&res);
	cr_assert_eq(run_q(db, q, &res, &err), -ENOSPC);
	q.type = "m9.huge";
	cr_assert_eq(run_q(db, q, &res, &err), -ENOENT);
	q.type = "t3.micro";
	q.region = "ap-south-1";
	cr_assert_eq(run_q(db, q, &res, &err), -EINVAL, "--near and --region together");
	cloud_fleet_free(&f);
	cloud_db_close(db);
}
