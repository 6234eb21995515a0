/*
 * test_bill: the billing arithmetic, then whole bills through the database:
 * per second, 60 s minimum per start, nothing while stopped, and the
 * provider's revenue equal to what the users pay.
 */
#include "graded.h"
#include "cloud_bill.h"
#include "cloudtest.h"

GRADED(bill, seconds_with_a_minimum, 2, "04.4 billing", 5)
{
	cr_assert_eq(cloud_bill_seconds(100, 130), 60, "30 s bills the 60 s minimum");
	cr_assert_eq(cloud_bill_seconds(100, 160), 60);
	cr_assert_eq(cloud_bill_seconds(100, 161), 61, "then per second");
	cr_assert_eq(cloud_bill_seconds(0, 3600), 3600);
	cr_assert_eq(cloud_bill_seconds(100, 100), 60, "started is started");
	cr_assert_eq(cloud_bill_seconds(200, 100), 60, "a clock set back");
}

GRADED(bill, cost_is_exact_in_micro_dollars, 2, "04.4 billing", 5)
{
	cr_assert_eq(cloud_bill_cost(96000, 3600), 96000, "an hour of $0.096/h");
	cr_assert_eq(cloud_bill_cost(96000, 60), 1600);
	cr_assert_eq(cloud_bill_cost(5200, 60), 87, "86.67 rounds to 87");
	cr_assert_eq(cloud_bill_cost(5200, 1), 1, "1.44 rounds to 1");
	cr_assert_eq(cloud_bill_cost(1800, 1), 1, "0.5 rounds up");
	cr_assert_eq(cloud_bill_cost(1799, 1), 0);
	cr_assert_eq(cloud_bill_cost(96000, 0), 0);
	cr_assert_eq(cloud_bill_cost(384000, 30 * 86400), 276480000, "a month of m5.2xlarge");
}

static struct cloud_bill bill_of(struct cloud_db *db)
{
	struct cloud_bill b;
	struct vmlab_err err = {0};

	cr_assert_eq(cloud_acct_bill(db, &b, &err), 0, "%s", err.msg);
	return b;
}

static void act(struct cloud_db *db, enum cloud_action a, char *id)
{
	struct cloud_insts out;
	struct vmlab_err err = {0};

	cr_assert_eq(cloud_act(db, a, &id, 1, &out, &err), 0, "%s", err.msg);
	cloud_insts_free(&out);
}

GRADED(bill, stopped_costs_nothing_restart_has_a_minimum, 3, "04.4 billing", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "us-east-2", 1); /* $0.096/h */
	char *id = r.insts.v[0].id;

	cloud_clock_move(db, CLOUD_TRANSITION_S, 0); /* pending is free */
	cloud_clock_move(db, 3600, 0);
	struct cloud_bill b = bill_of(db);
	cr_assert_eq(b.n, 1);
	cr_assert_eq(b.v[0].run_s, 3600);
	cr_assert_eq(b.total, 96000);
	cloud_bill_free(&b);
	act(db, CLOUD_STOP, id);
	cloud_clock_move(db, 7200, 0);
	b = bill_of(db);
	cr_assert_eq(b.total, 96000, "stopped: no compute charge");
	cloud_bill_free(&b);
	act(db, CLOUD_START, id);
	cloud_clock_move(db, CLOUD_TRANSITION_S + 30, 0);
	b = bill_of(db);
	cr_assert_eq(b.v[0].periods, 2);
	cr_assert_eq(b.v[0].billed_s, 3660, "30 s after a start bills 60");
	cr_assert_eq(b.total, 96000 + 1600);
	cloud_bill_free(&b);
	act(db, CLOUD_TERMINATE, id);
	cloud_clock_move(db, 86400, 0);
	b = bill_of(db);
	cr_assert_eq(b.total, 97600, "terminated: the meter stopped, the bill stays");
	cloud_bill_free(&b);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

GRADED(bill, price_is_the_regions, 1, "04.4 billing", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-southeast-1", 2); /* x1.25 */

	cloud_clock_move(db, CLOUD_TRANSITION_S + 1800, 0);
	struct cloud_bill b = bill_of(db);
	cr_assert_eq(b.v[0].uusd, 120000);
	cr_assert_eq(b.total, 2 * 60000, "half an hour each at $0.12/h");
	cloud_bill_free(&b);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

GRADED(bill, provider_revenue_matches_and_costs_accrue, 2, "04.4 billing", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "t3.micro", "ap-south-1", 3);
	struct cloud_provider p;
	struct vmlab_err err = {0};

	cloud_clock_move(db, 3600 - CLOUD_TRANSITION_S, 0);
	cloud_clock_move(db, CLOUD_TRANSITION_S, 0);
	struct cloud_bill b = bill_of(db);
	cr_assert_eq(cloud_acct_provider(db, &p, &err), 0);
	cr_assert_eq(p.revenue, b.total, "what users pay is what hosts earn");
	cr_assert_eq(p.elapsed, 3600);
	/* 5 hosts: three at $0.20/h, two at $0.10/h. */
	cr_assert_eq(p.cost, 3 * 200000 + 2 * 100000);
	size_t on = 0;
	for (size_t h = 0; h < p.f.nhosts; h++)
		on += p.hosts[h].ninst;
	cr_assert_eq(on, 3);
	/* 3 x 2 vCPUs for 3590 s, over two 8-vCPU hosts for 3600 s. */
	double util = 0;
	for (size_t h = 0; h < 2; h++)
		util += p.hosts[h].util * 8000;
	cr_assert_float_eq(util / 16000, 6.0 * 3590 / (16 * 3600), 1e-9);
	cloud_provider_free(&p);
	cloud_bill_free(&b);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}
