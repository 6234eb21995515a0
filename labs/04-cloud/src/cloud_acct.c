/*
 * cloud_acct: bills, the provider's accounts, the invariants (see
 * cloud_acct.h). Bills are computed from the period table, one row per
 * running stretch; nothing is stored that could disagree with it.
 */
#include "cloud_acct.h"
#include "cloud_bill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Starts a new bill line for the instance in the current row. */
static int new_line(struct cloud_bill *b, sqlite3_stmt *st)
{
	struct cloud_bill_line *v = realloc(b->v, (b->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	b->v = v;
	v = &b->v[b->n++];
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", sqlite3_column_text(st, 0));
	snprintf(v->type, sizeof(v->type), "%s", sqlite3_column_text(st, 1));
	v->region = (size_t)sqlite3_column_int64(st, 2);
	v->state = sqlite3_column_int(st, 3);
	v->uusd = (uint64_t)sqlite3_column_int64(st, 4);
	return 0;
}

/*
 * One running stretch of the instance on bill line v, from start to end
 * (end = the bill's now while it still runs), stage 04.4, README "Steps"
 * 4: v->periods counts it, v->run_s adds the seconds it ran (0 when end
 * <= start), v->billed_s the seconds billed, cloud_bill_seconds (each
 * stretch has its own minimum: a stop and a start cost a new minute), and
 * v->cost its cost, cloud_bill_cost(v->uusd, billed). Returns that cost in
 * micro-dollars (the caller adds it to the bill's total).
 */
static uint64_t bill_stretch(struct cloud_bill_line *v, int64_t start, int64_t end)
{
	/* >>> SOLUTION 04.4: count the stretch, its seconds run and billed (its own minimum), its cost */
	int64_t billed = cloud_bill_seconds(start, end);
	uint64_t cost = cloud_bill_cost(v->uusd, billed);

	v->periods++;
	v->run_s += end > start ? end - start : 0;
	v->billed_s += billed;
	v->cost += cost;
	return cost;
	/* === STUB
	(void)v;
	(void)start;
	(void)end;
	return 0;
	*/
	/* <<< SOLUTION */
}

/* Adds the current row's running period (if any) to the last line. */
static void add_period(struct cloud_bill *b, sqlite3_stmt *st)
{
	int64_t start = sqlite3_column_int64(st, 5);
	int64_t end = sqlite3_column_type(st, 6) == SQLITE_NULL
			      ? b->now : sqlite3_column_int64(st, 6);

	if (sqlite3_column_type(st, 5) == SQLITE_NULL)
		return; /* never ran */
	b->total += bill_stretch(&b->v[b->n - 1], start, end);
}

int cloud_acct_bill(struct cloud_db *db, struct cloud_bill *out,
		    struct vmlab_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cloud_tx_begin(db, &out->now, err)))
		return rc;
	rc = sqlite3_prepare_v2(
		cloud_db_sqlite(db),
		"SELECT i.id, i.type, i.region, i.state, i.uusd, p.start, p.end, i.seq"
		" FROM instance i LEFT JOIN period p ON p.instance = i.seq"
		" ORDER BY i.seq, p.start",
		-1, &st, NULL);
	rc = cloud_db_errno(rc);
	int64_t last = -1;
	while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 7);
		rc = seq != last ? new_line(out, st) : 0;
		last = seq;
		if (!rc)
			add_period(out, st);
	}
	rc = rc == SQLITE_DONE ? 0 : rc < 0 ? rc : cloud_db_errno(rc);
	sqlite3_finalize(st);
	if (rc)
		cloud_tx_fail(db, err, rc);
	rc = cloud_tx_finish(db, rc, err);
	if (rc)
		cloud_bill_free(out);
	return rc;
}

void cloud_bill_free(struct cloud_bill *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* Revenue and vCPU-seconds sold, per host, from every running period. */
static int host_periods(struct cloud_db *db, struct cloud_provider *p,
			double *busy)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		cloud_db_sqlite(db),
		"SELECT p.host, i.uusd, i.cpu, p.start, p.end FROM period p"
		" JOIN instance i ON i.seq = p.instance",
		-1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t h = (size_t)sqlite3_column_int64(st, 0);
		int64_t start = sqlite3_column_int64(st, 3);
		int64_t end = sqlite3_column_type(st, 4) == SQLITE_NULL
				      ? p->now : sqlite3_column_int64(st, 4);
		uint64_t paid = cloud_bill_cost((uint64_t)sqlite3_column_int64(st, 1),
						cloud_bill_seconds(start, end));
		if (h >= p->f.nhosts)
			continue;
		p->hosts[h].revenue += paid;
		p->revenue += paid;
		if (end > start)
			busy[h] += (double)sqlite3_column_int64(st, 2) * (double)(end - start);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cloud_db_errno(rc);
}

static int host_counts(struct cloud_db *db, struct cloud_provider *p)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				    "SELECT host, count(*) FROM instance"
				    " WHERE host IS NOT NULL GROUP BY host",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t h = (size_t)sqlite3_column_int64(st, 0);
		if (h < p->f.nhosts)
			p->hosts[h].ninst = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cloud_db_errno(rc);
}

/* Each host's cost since the epoch, and its utilization. */
static void host_costs(struct cloud_provider *p, const double *busy)
{
	for (size_t h = 0; h < p->f.nhosts; h++) {
		struct cloud_host_acct *a = &p->hosts[h];
		a->cost = cloud_bill_cost(p->f.hosts[h].cost_uusd, p->elapsed);
		a->util = cloud_bill_utilization(busy[h],
						 (double)p->f.hosts[h].cap.cpu_milli,
						 p->elapsed);
		p->cost += a->cost;
	}
}

int cloud_acct_provider(struct cloud_db *db, struct cloud_provider *p,
			struct vmlab_err *err)
{
	double *busy = NULL;
	int64_t epoch = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = cloud_tx_begin(db, &p->now, err)))
		return rc;
	if (!(rc = cloud_db_load(db, &p->f)) && !(rc = cloud_db_epoch(db, &epoch))) {
		p->elapsed = p->now > epoch ? p->now - epoch : 0;
		p->hosts = calloc(p->f.nhosts + 1, sizeof(*p->hosts));
		busy = calloc(p->f.nhosts + 1, sizeof(*busy));
		rc = p->hosts && busy ? 0 : -ENOMEM;
	}
	if (!rc && !(rc = host_periods(db, p, busy)) && !(rc = host_counts(db, p)))
		host_costs(p, busy);
	free(busy);
	if (rc)
		cloud_tx_fail(db, err, rc);
	rc = cloud_tx_finish(db, rc, err);
	if (rc)
		cloud_provider_free(p);
	return rc;
}

void cloud_provider_free(struct cloud_provider *p)
{
	cloud_fleet_free(&p->f);
	free(p->hosts);
	memset(p, 0, sizeof(*p));
}

/* Each query counts the rows that break one invariant. */
static const struct {
	const char *what, *sql;
} invariants[] = {
	{"instances that hold capacity but no host (or the reverse)",
	 "SELECT count(*) FROM instance WHERE (state IN (0, 16, 64) AND host IS NULL)"
	 " OR (state IN (48, 80) AND host IS NOT NULL)"},
	{"instances on a host that does not exist or is in another zone",
	 "SELECT count(*) FROM instance i LEFT JOIN host h ON h.idx = i.host"
	 " WHERE i.host IS NOT NULL AND (h.idx IS NULL OR h.zone != i.zone)"},
	{"hosts whose usage is not the sum of their instances",
	 "SELECT count(*) FROM host h WHERE used_cpu != (SELECT coalesce(sum(cpu), 0)"
	 " FROM instance i WHERE i.host = h.idx) OR used_mem != (SELECT"
	 " coalesce(sum(mem), 0) FROM instance i WHERE i.host = h.idx)"},
	{"hosts over capacity",
	 "SELECT count(*) FROM host WHERE used_cpu > cap_cpu OR used_mem > cap_mem"
	 " OR used_cpu < 0 OR used_mem < 0"},
	{"running instances without exactly one open billing period",
	 "SELECT count(*) FROM instance i WHERE state = 16 AND (SELECT count(*)"
	 " FROM period p WHERE p.instance = i.seq AND p.end IS NULL) != 1"},
	{"open billing periods of instances that are not running",
	 "SELECT count(*) FROM period p JOIN instance i ON i.seq = p.instance"
	 " WHERE p.end IS NULL AND i.state != 16"},
};

int cloud_acct_check(struct cloud_db *db, struct vmlab_err *err)
{
	int rc = cloud_db_begin(db);

	vmlab_err_clear(err);
	for (size_t i = 0; !rc && i < sizeof(invariants) / sizeof(invariants[0]); i++) {
		sqlite3_stmt *st;
		if ((rc = cloud_db_errno(sqlite3_prepare_v2(cloud_db_sqlite(db),
							    invariants[i].sql, -1, &st,
							    NULL))))
			break;
		rc = sqlite3_step(st);
		int64_t bad = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		rc = cloud_db_errno(rc);
		sqlite3_finalize(st);
		if (!rc && bad)
			rc = vmlab_fail(err, -EUCLEAN, "%lld %s", (long long)bad,
					invariants[i].what);
	}
	cloud_db_rollback(db);
	return rc;
}
