/*
 * cloud_fail: failing and recovering hosts (see cloud_fail.h). The order of
 * a failure: BEGIN, settle, mark the hosts failed (in memory and on disk),
 * then for each instance on them, oldest first: take its capacity off the
 * failed host, place it again in its region, and move it or mark it
 * impaired. COMMIT.
 */
#include "cloud_fail.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hosts a name covers: [*h0, *h1). Returns 0, or -ENOENT. */
static int host_range(const struct cloud_fleet *f, const char *name, int zone,
		      size_t *h0, size_t *h1)
{
	long i = zone ? cloud_fleet_zone(f, name) : cloud_fleet_host(f, name);

	if (i < 0)
		return -ENOENT;
	*h0 = zone ? f->zones[i].host0 : (size_t)i;
	*h1 = zone ? f->zones[i].host0 + f->zones[i].nhosts : (size_t)i + 1;
	return 0;
}

static int run_sql(struct cloud_db *db, const char *sql, int64_t a, int64_t b,
		   int64_t c, const char *id)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db), sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int64(st, 3, c);
	if (id)
		sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

static int push_move(struct cloud_moves *m, const struct cloud_inst *in, long to)
{
	struct cloud_move *v = realloc(m->v, (m->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	m->v = v;
	v = &m->v[m->n++];
	snprintf(v->id, sizeof(v->id), "%s", in->id);
	v->from = in->host;
	v->to = to;
	return 0;
}

/*
 * Moves instance in off its failed host (stage 04.6, README "When a host
 * or a zone fails"): a new host anywhere in its own region, by spread,
 * cloud_place_one(f, in->region, -1, PART_WORST_FIT, &in->want, NULL, 0)
 * (failed hosts never fit). None has room (-ENOSPC): set its impaired
 * flag ("UPDATE instance SET impaired = 1 WHERE id = ?4" by run_sql) and
 * leave it where it is. Else move its usage: cloud_place_charge and
 * cloud_inst_charge, -1 on the old host and +1 on the new, then its host,
 * zone and impaired = 0 in the instance row, and its open billing period's
 * host. Either way the given tail records the move (to = -1: impaired).
 * Returns 0 or -errno.
 */
static int evacuate(struct cloud_db *db, struct cloud_fleet *f,
		    const struct cloud_inst *in, struct cloud_moves *out)
{
	long to = -1; /* its new host; -1: impaired */

	/* >>> SOLUTION 04.6: place it again in its region (spread); no room: impaired. */
	int rc;

	to = cloud_place_one(f, in->region, -1, PART_WORST_FIT, &in->want, NULL, 0);
	if (to == -ENOSPC) {
		rc = run_sql(db, "UPDATE instance SET impaired = 1 WHERE id = ?4", 0, 0, 0, in->id);
		return rc ? rc : push_move(out, in, -1);
	}
	if (to < 0)
		return (int)to;
	cloud_place_charge(f, (size_t)in->host, &in->want, -1);
	cloud_place_charge(f, (size_t)to, &in->want, 1);
	if ((rc = cloud_inst_charge(db, in->host, &in->want, -1)) ||
	    (rc = cloud_inst_charge(db, to, &in->want, 1)) ||
	    (rc = run_sql(db, "UPDATE instance SET host = ?1, zone = ?2, impaired = 0"
			      " WHERE id = ?4", to, (int64_t)f->hosts[to].zone, 0, in->id)) ||
	    (rc = run_sql(db, "UPDATE period SET host = ?1 WHERE end IS NULL AND instance ="
			      " (SELECT seq FROM instance WHERE id = ?4)", to, 0, 0, in->id)))
		return rc;
	/* === STUB
	(void)db;
	(void)f;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
	return push_move(out, in, to);
}

/* Marks hosts [h0, h1) failed (or not) in memory and on disk. */
static int mark(struct cloud_db *db, struct cloud_fleet *f, size_t h0, size_t h1,
		int failed)
{
	for (size_t h = h0; h < h1; h++)
		f->hosts[h].failed = failed;
	return run_sql(db, "UPDATE host SET failed = ?1 WHERE idx >= ?2 AND idx < ?3",
		       failed, (int64_t)h0, (int64_t)h1, NULL);
}

/*
 * Fails hosts [h0, h1) and moves what they held (stage 04.6, README "When
 * a host or a zone fails"): first mark every one of them failed (mark(db,
 * f, h0, h1, 1)), so that no instance moves onto a host of the same
 * failing zone; then select the instances on them, oldest first
 * (cloud_inst_select with "WHERE host >= H0 AND host < H1 ORDER BY seq"
 * and no argument), and evacuate each in that order, each move seeing
 * the room the previous ones took. out gets one entry per instance.
 * Returns 0 or the first -errno (the caller rolls everything back).
 */
static int fail_hosts(struct cloud_db *db, struct cloud_fleet *f, size_t h0,
		      size_t h1, int64_t now, struct cloud_moves *out)
{
	/* >>> SOLUTION 04.6: mark them all failed first; then evacuate their instances, oldest first */
	struct cloud_insts on = {0};
	char where[96];
	int rc;

	if ((rc = mark(db, f, h0, h1, 1)))
		return rc;
	snprintf(where, sizeof(where), "WHERE host >= %zu AND host < %zu ORDER BY seq", h0, h1);
	if ((rc = cloud_inst_select(db, where, NULL, now, &on)))
		return rc;
	for (size_t i = 0; i < on.n && !rc; i++)
		rc = evacuate(db, f, &on.v[i], out);
	cloud_insts_free(&on);
	return rc;
	/* === STUB
	(void)db; (void)f; (void)h0; (void)h1; (void)now; (void)out;
	(void)mark; (void)evacuate;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int cloud_fail(struct cloud_db *db, const char *name, int zone,
	       struct cloud_moves *out, struct vmlab_err *err)
{
	struct cloud_fleet f = {0};
	size_t h0, h1;
	int64_t now;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cloud_tx_begin(db, &now, err)))
		return rc;
	if ((rc = cloud_db_load(db, &f)))
		cloud_tx_fail(db, err, rc);
	else if ((rc = host_range(&f, name, zone, &h0, &h1)))
		vmlab_fail_named(err, rc, "InvalidParameterValue", "no %s '%s' (cloud hosts lists them)",
				 zone ? "zone" : "host", name);
	else if ((rc = fail_hosts(db, &f, h0, h1, now, out)))
		cloud_tx_fail(db, err, rc);
	cloud_fleet_free(&f);
	rc = cloud_tx_finish(db, rc, err);
	if (rc)
		cloud_moves_free(out);
	return rc;
}

int cloud_recover(struct cloud_db *db, const char *name, int zone,
		  struct vmlab_err *err)
{
	struct cloud_fleet f = {0};
	size_t h0, h1;
	int64_t now;
	int rc;

	if ((rc = cloud_tx_begin(db, &now, err)))
		return rc;
	if ((rc = cloud_db_load(db, &f)))
		cloud_tx_fail(db, err, rc);
	else if ((rc = host_range(&f, name, zone, &h0, &h1)))
		vmlab_fail_named(err, rc, "InvalidParameterValue", "no %s '%s' (cloud hosts lists them)",
				 zone ? "zone" : "host", name);
	else if ((rc = mark(db, &f, h0, h1, 0)) ||
		 (rc = run_sql(db, "UPDATE instance SET impaired = 0 WHERE host >= ?2 AND"
				   " host < ?3", 0, (int64_t)h0, (int64_t)h1, NULL)))
		cloud_tx_fail(db, err, rc);
	cloud_fleet_free(&f);
	return cloud_tx_finish(db, rc, err);
}

void cloud_moves_free(struct cloud_moves *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
