/*
 * cli_cmds: one function per command of `cloud` (see cli.h). Each checks
 * its options, makes one library call (one transaction), and prints the
 * result with cloud_show (the user's view) or cloud_report (the provider's).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cli_regions(struct cloud_db *db, const struct opts *o)
{
	struct cloud_fleet f;
	struct cloud_loc loc;
	struct cloud_rank *ranked = NULL;
	int rc;

	cli_allow(o, "regions", "f");
	cli_load(db, &f);
	if (o->from) {
		if ((rc = cloud_place_locate(&f, o->from, &loc))) {
			cloud_fleet_free(&f);
			cli_die(EXIT_NOTFOUND, "regions: no place '%s': give a city (cloud cities), "
					   "a region, or LAT,LON in degrees", o->from);
		}
		if (!(ranked = calloc(f.nregions, sizeof(*ranked)))) {
			cloud_fleet_free(&f);
			cli_report("regions", -ENOMEM, NULL);
		}
		cloud_place_rank(&f, &loc, ranked);
	}
	rc = cloud_show_regions(stdout, &f, &loc, ranked, o->json);
	free(ranked);
	cloud_fleet_free(&f);
	return rc;
}

int cli_types(struct cloud_db *db, const struct opts *o)
{
	struct cloud_fleet f;
	long r;
	int rc;

	cli_allow(o, "types", "r");
	cli_load(db, &f);
	r = cloud_fleet_region(&f, o->region ? o->region : "us-east-1");
	if (r < 0 && o->region) {
		cloud_fleet_free(&f);
		cli_die(EXIT_NOTFOUND, "types: no region '%s' (cloud regions lists them)", o->region);
	}
	rc = cloud_show_types(stdout, &f, r < 0 ? 0 : (size_t)r, o->json);
	cloud_fleet_free(&f);
	return rc;
}

/* The counts: --count N, or --min-count/--max-count, or 1. */
static void run_counts(const struct opts *o, struct cloud_run_req *q)
{
	if (o->count && (o->min || o->max))
		cli_die(EXIT_USAGE, "run: --count or --min-count/--max-count, not both");
	q->min = (size_t)(o->count ? o->count : o->min ? o->min : 1);
	q->max = (size_t)(o->count ? o->count : o->max ? o->max : (long)q->min);
	if (q->max < q->min)
		cli_die(EXIT_USAGE, "run: --max-count %zu is below --min-count %zu", q->max, q->min);
}

int cli_run(struct cloud_db *db, const struct opts *o)
{
	struct cloud_run_req q = {.type = o->type, .region = o->region, .near = o->near,
				  .az = o->az, .token = o->token, .explain = o->explain};
	struct cloud_run_res res;
	struct vmlab_err err = {0};
	struct cloud_fleet f;
	int rc, booted = 0;

	cli_allow(o, "run", "trnzcmMkpxB");
	if (!o->type)
		cli_die(EXIT_USAGE, "run: which instance type? --type T (cloud types lists them)");
	run_counts(o, &q);
	if (cloud_policy_parse(o->policy ? o->policy : "spread", &q.policy))
		cli_die(EXIT_USAGE, "run: --policy is spread or pack, not '%s'", o->policy);
	/* The fleet (names, for the answer) before the launch: once it is
	 * committed, nothing but writing the answer may fail. */
	cli_load(db, &f);
	if ((rc = cloud_run(db, &q, &res, &err))) {
		cloud_fleet_free(&f);
		/* The library says "a region and/or a zone, or a place"; the
		 * flags are the command line's. */
		if (rc == -EINVAL && (o->near != NULL) + (o->region || o->az) != 1)
			cli_die(EXIT_USAGE, "run: InvalidParameterCombination: say where: "
					      "--region R and/or --az AZ, or --near PLACE");
		cli_report("run", rc, &err);
	}
	if (o->explain && !o->json)
		cloud_show_explain(stdout, &f, &res);
	rc = cloud_show_run(stdout, &f, &res, o->json);
	if (o->boot && !res.replayed)
		booted = cli_boot(db, &res.insts, &f, o->json);
	cloud_run_res_free(&res);
	cloud_fleet_free(&f);
	if (booted)
		cli_exit(booted);
	return rc;
}

int cli_describe(struct cloud_db *db, const struct opts *o)
{
	struct cloud_insts in;
	struct vmlab_err err = {0};
	struct cloud_fleet f;
	int rc;

	cli_allow(o, "describe", "");
	cli_vm_notice(db);
	if ((rc = cloud_describe(db, o->args + 1, (size_t)o->nargs - 1, &in, &err)))
		cli_report("describe", rc, &err);
	cli_load(db, &f);
	rc = cloud_show_insts(stdout, &f, &in, o->json);
	cloud_insts_free(&in);
	cloud_fleet_free(&f);
	return rc;
}

int cli_act(struct cloud_db *db, const struct opts *o, enum cloud_action a)
{
	const char *cmd = o->args[0];
	struct cloud_insts in;
	struct vmlab_err err = {0};
	int rc, ended = 0;

	cli_allow(o, cmd, "");
	if (o->nargs < 2)
		cli_die(EXIT_USAGE, "%s: which instances? give their IDs (cloud describe)", cmd);
	if ((rc = cloud_act(db, a, o->args + 1, (size_t)o->nargs - 1, &in, &err)))
		cli_report(cmd, rc, &err);
	if (a != CLOUD_START && (ended = cli_vm_end(db, o->args + 1, (size_t)o->nargs - 1))) {
		cloud_insts_free(&in);
		cli_exit(ended);
	}
	rc = cloud_show_changes(stdout, &in, o->json);
	if (a == CLOUD_START)
		ended = cli_vm_restart(db, &in, o->json);
	cloud_insts_free(&in);
	if (ended)
		cli_exit(ended);
	return rc;
}

int cli_hosts(struct cloud_db *db, const struct opts *o)
{
	struct cloud_insts in;
	struct vmlab_err err = {0};
	struct cloud_fleet f;
	long r = -1;
	int rc;

	cli_allow(o, "hosts", "r");
	if ((rc = cloud_describe(db, NULL, 0, &in, &err)))
		cli_report("hosts", rc, &err);
	cli_load(db, &f);
	if (o->region && (r = cloud_fleet_region(&f, o->region)) < 0) {
		cloud_insts_free(&in);
		cloud_fleet_free(&f);
		cli_die(EXIT_NOTFOUND, "hosts: no region '%s' (cloud regions lists them)", o->region);
	}
	rc = cloud_report_hosts(stdout, &f, &in, r, o->json);
	cloud_insts_free(&in);
	cloud_fleet_free(&f);
	return rc;
}

int cli_bill(struct cloud_db *db, const struct opts *o)
{
	struct vmlab_err err = {0};
	int rc;

	cli_allow(o, "bill", "P");
	if (o->provider) {
		struct cloud_provider p;
		if ((rc = cloud_acct_provider(db, &p, &err)))
			cli_report("bill", rc, &err);
		rc = cloud_report_provider(stdout, &p, o->json);
		cloud_provider_free(&p);
		return rc;
	}
	struct cloud_bill b;
	struct cloud_fleet f;
	if ((rc = cloud_acct_bill(db, &b, &err)))
		cli_report("bill", rc, &err);
	cli_load(db, &f);
	rc = cloud_show_bill(stdout, &f, &b, o->json);
	cloud_bill_free(&b);
	cloud_fleet_free(&f);
	return rc;
}

int cli_map(struct cloud_db *db, const struct opts *o)
{
	struct cloud_insts in;
	struct vmlab_err err = {0};
	struct cloud_fleet f;
	int rc;

	cli_allow(o, "map", "");
	if (o->json)
		cli_die(EXIT_USAGE, "map: it draws in Graphviz's language (--dot), not JSON");
	if ((rc = cloud_describe(db, NULL, 0, &in, &err)))
		cli_report("map", rc, &err);
	cli_load(db, &f);
	rc = cloud_report_dot(stdout, &f, &in);
	cloud_insts_free(&in);
	cloud_fleet_free(&f);
	return rc;
}

int cli_check(struct cloud_db *db, const struct opts *o)
{
	struct vmlab_err err;
	int rc;

	cli_allow(o, "check", "");
	if ((rc = cloud_db_verify(db, 0, &err)) == -EUCLEAN)
		cli_die(EXIT_DB, "check: the database is damaged (SQLite's integrity_check: %s): "
				 "restore it from a copy, or move it away and start a new one", err.msg);
	if (rc)
		cli_report("check", rc, NULL);
	if ((rc = cloud_acct_check(db, &err)) == -EUCLEAN)
		cli_die(EXIT_CHECK, "check: broken invariant: %s", err.msg);
	if (rc)
		cli_report("check", rc, NULL);
	printf("ok: SQLite's integrity check passes, every instance holds capacity on one host of its zone, every host's "
	       "usage is the sum of its instances, no host is over capacity\n");
	return 0;
}

static int64_t parse_time(const char *s)
{
	int64_t t;

	if (cloud_time_parse(s, &t))
		cli_die(EXIT_USAGE, "clock set: '%s' is not a time from 1970 to 9999: "
				"2026-01-01T00:00:00Z or seconds since 1970", s);
	return t;
}

static int64_t parse_duration(const char *s)
{
	int64_t d;

	if (cloud_duration_parse(s, &d))
		cli_die(EXIT_USAGE, "clock advance: '%s' is not a duration: 90, 90s, 15m, 2h, 1d", s);
	return d;
}

/* The clock is read before it moves, and the new time computed: once the
 * move is committed, nothing but writing the answer may fail. */
int cli_clock(struct cloud_db *db, const struct opts *o)
{
	const char *verb = o->nargs > 1 ? o->args[1] : "show";
	int64_t t, d;
	int fixed, rc;

	cli_allow(o, "clock", "");
	if ((rc = cloud_db_clock(db, &t, &fixed)))
		cli_report("clock", rc, NULL);
	if (strcmp(verb, "set") == 0 && o->nargs == 3) {
		t = parse_time(o->args[2]);
		rc = cloud_clock_move(db, t, 1), fixed = 1;
	} else if (strcmp(verb, "advance") == 0 && o->nargs == 3) {
		d = parse_duration(o->args[2]);
		if (t > CLOUD_TIME_MAX - d) /* never wraps: refused, nothing written */
			cli_die(EXIT_USAGE, "clock advance: %s would pass 9999-12-31T23:59:59Z, the "
					"clock's last time: set an earlier time first (cloud clock set)",
				o->args[2]);
		rc = cloud_clock_move(db, d, 0), t += d, fixed = 1;
	} else if (strcmp(verb, "wall") == 0 && o->nargs == 2) {
		rc = cloud_clock_move(db, 0, -1), t = (int64_t)time(NULL), fixed = 0;
	} else if (strcmp(verb, "show") != 0 || o->nargs > 2) {
		cli_die(EXIT_USAGE, "clock: show, set TIME, advance DURATION or wall");
	}
	if (rc)
		cli_report("clock", rc, NULL);
	return cloud_show_clock(stdout, t, fixed, o->json);
}


/* fail-host, fail-az: the provider's view of what moved. */
int cli_fail(struct cloud_db *db, const struct opts *o, int zone)
{
	const char *cmd = o->args[0];
	struct cloud_moves m;
	struct vmlab_err err = {0};
	struct cloud_fleet f;
	char what[96];
	int rc;

	cli_allow(o, cmd, "");
	if (o->nargs != 2)
		cli_die(EXIT_USAGE, "%s: which %s? (cloud hosts lists them)", cmd,
			zone ? "zone" : "host");
	cli_load(db, &f); /* before the change, as in cli_run */
	if ((rc = cloud_fail(db, o->args[1], zone, &m, &err))) {
		cloud_fleet_free(&f);
		cli_report(cmd, rc, &err);
	}
	snprintf(what, sizeof(what), "%s %s", zone ? "Zone" : "Host", o->args[1]);
	rc = cloud_report_moves(stdout, &f, &m, what, o->json);
	cloud_moves_free(&m);
	cloud_fleet_free(&f);
	return rc;
}

int cli_recover(struct cloud_db *db, const struct opts *o, int zone)
{
	const char *cmd = o->args[0];
	struct vmlab_err err = {0};
	int rc;

	cli_allow(o, cmd, "");
	if (o->nargs != 2)
		cli_die(EXIT_USAGE, "%s: which %s? (cloud hosts lists them)", cmd,
			zone ? "zone" : "host");
	if ((rc = cloud_recover(db, o->args[1], zone, &err)))
		cli_report(cmd, rc, &err);
	printf("%s %s is back in service.\n", zone ? "Zone" : "Host", o->args[1]);
	return 0;
}

int cli_simulate(const struct opts *o)
{
	struct cloud_sim_opts so = {.hosts = (size_t)o->hosts, .requests = (size_t)o->requests,
				    .seed = (uint64_t)(o->seed ? o->seed : 1), .scan = o->scan};
	struct cloud_sim_result r;
	struct cloud_fleet f;
	struct vmlab_err err;
	int rc;

	cli_allow(o, "simulate", "pHRSC");
	if (!o->hosts || !o->requests)
		cli_die(EXIT_USAGE, "simulate: give --hosts N and --requests M");
	if (cloud_policy_parse(o->policy ? o->policy : "spread", &so.policy))
		cli_die(EXIT_USAGE, "simulate: --policy is spread or pack, not '%s'", o->policy);
	if ((rc = cloud_fleet_parse(cloud_fleet_default_json(), &f, &err)))
		cli_die(EXIT_FLEET, "the built-in fleet: %s", err.msg);
	if ((rc = cloud_sim_run(&f, &so, &r))) {
		cloud_fleet_free(&f);
		cli_report("simulate", rc, NULL);
	}
	rc = cloud_report_sim(stdout, &so, &r, o->json);
	cloud_fleet_free(&f);
	return rc;
}
