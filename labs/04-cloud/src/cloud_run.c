/*
 * cloud_run: RunInstances (see cloud_run.h). The order of a call:
 * BEGIN, settle, client token (replay or mismatch), resolve the request
 * against the fleet, choose the region, place each instance on a copy of
 * the hosts in memory, then write the instances and the hosts' new usage,
 * and COMMIT. Nothing is written unless every step succeeded.
 */
#include "cloud_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The request as a string: equal strings mean equal requests. */
static void params(const struct cloud_run_req *q, char *buf, size_t len)
{
	snprintf(buf, len, "type=%s region=%s near=%s az=%s min=%zu max=%zu policy=%s",
		 q->type, q->region ? q->region : "", q->near ? q->near : "",
		 q->az ? q->az : "", q->min, q->max, cloud_fit_name(q->policy));
}

/*
 * The parameters and reservation stored for token: 0, or -ENOENT when the
 * token was never used, or -errno.
 */
static int token_find(struct cloud_db *db, const char *token, char *params,
		      size_t plen, char *reservation, size_t rlen)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				    "SELECT params, reservation FROM request WHERE token = ?",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(params, plen, "%s", sqlite3_column_text(st, 0));
		snprintf(reservation, rlen, "%s", sqlite3_column_text(st, 1));
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? -ENOENT : cloud_db_errno(rc);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Remembers that token, with these params, made reservation: 0 or -errno. */
static int token_save(struct cloud_db *db, const char *token, const char *params,
		      const char *reservation)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				    "INSERT INTO request VALUES (?, ?, ?)", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, params, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reservation, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

/* Appends " name (n)," to buf for every zone of region r (regions = 0) or
 * every region (regions = 1) that has room for want, except skip. */
static void list_room(const struct cloud_fleet *f, const struct part_res *want,
		      int regions, long r, long skip, char *buf, size_t len)
{
	size_t n = regions ? f->nregions : f->regions[r].nzones;
	size_t at = strlen(buf), listed = 0;

	for (size_t i = 0; i < n && at < len; i++) {
		size_t idx = regions ? i : f->regions[r].zone0 + i;
		size_t room = regions ? cloud_place_room_region(f, idx, want)
				      : cloud_place_room_zone(f, idx, want);
		if ((long)idx == skip || room == 0)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s %s (%zu)",
				       listed++ ? "," : "",
				       regions ? f->regions[idx].code : f->zones[idx].name,
				       room);
	}
	if (!listed && at < len)
		snprintf(buf + at, len - at, " none");
}

/*
 * InsufficientInstanceCapacity for min x type t in region r (-1: no
 * region had room) or zone z (or -1), naming the zones and regions with
 * room. Returns -ENOSPC.
 */
static int no_room(const struct cloud_fleet *f, size_t t, size_t min, long r,
		   long z, const struct cloud_run_res *res, struct vmlab_err *err)
{
	struct part_res want = cloud_fleet_want(f, t);
	char zones[192] = "", regions[320] = "";
	if (r < 0 && res->nranked == 1) /* the one region asked for */
		r = (long)res->ranked[0].region;
	const char *where = z >= 0 ? f->zones[z].name
			    : r >= 0 ? f->regions[r].code : "any region";

	if (z >= 0)
		list_room(f, &want, 0, r, z, zones, sizeof(zones));
	list_room(f, &want, 1, r, r, regions, sizeof(regions));
	if (z >= 0)
		return vmlab_fail_named(err, -ENOSPC, "InsufficientInstanceCapacity",
					"not enough capacity for %zu x %s in %s. Other zones"
					" of %s with room:%s. Other regions with room:%s",
					min, f->types[t].name, where, f->regions[r].code,
					zones, regions);
	return vmlab_fail_named(err, -ENOSPC, "InsufficientInstanceCapacity",
				"not enough capacity for %zu x %s in %s. %segions with room:%s",
				min, f->types[t].name, where, r >= 0 ? "Other r" : "R",
				regions);
}

/* Where the request may go: *t the type, *z the zone or -1, and the regions
 * in the order to try them in res->ranked (res->nranked). */
static int resolve(const struct cloud_fleet *f, const struct cloud_run_req *q,
		   long *t, long *z, struct cloud_run_res *res,
		   struct vmlab_err *err)
{
	struct cloud_loc loc;
	long r = -1;

	if ((*t = cloud_fleet_type(f, q->type)) < 0)
		return vmlab_fail_named(err, -ENOENT, "InvalidParameterValue",
					"no instance type '%s' (`cloud types` lists them)", q->type);
	if ((q->near != NULL) + (q->region != NULL || q->az != NULL) != 1)
		return vmlab_fail_named(err, -EINVAL, "InvalidParameterCombination",
					"say where: a region and/or a zone, or a place to be near");
	if (q->region && (r = cloud_fleet_region(f, q->region)) < 0)
		return vmlab_fail_named(err, -ENOENT, "InvalidParameterValue",
					"no region '%s' (`cloud regions` lists them)", q->region);
	*z = -1;
	if (q->az && (*z = cloud_fleet_zone(f, q->az)) < 0)
		return vmlab_fail_named(err, -ENOENT, "InvalidParameterValue",
					"no availability zone '%s' (`cloud hosts` lists them)", q->az);
	if (*z >= 0 && r >= 0 && f->zones[*z].region != (size_t)r)
		return vmlab_fail_named(err, -EINVAL, "InvalidParameterCombination",
					"zone %s is not in region %s", q->az, q->region);
	if (*z >= 0)
		r = (long)f->zones[*z].region;
	if (q->near && cloud_place_locate(f, q->near, &loc))
		return vmlab_fail_named(err, -ENOENT, "InvalidParameterValue",
					"no place '%s': give a city (`cloud cities`), a region or LAT,LON",
					q->near);
	res->ranked = calloc(f->nregions, sizeof(*res->ranked));
	res->room = calloc(f->nregions, sizeof(*res->room));
	if (!res->ranked || !res->room)
		return -ENOMEM;
	if (q->near) {
		cloud_place_rank(f, &loc, res->ranked);
		res->nranked = f->nregions;
	} else {
		res->ranked[0] = (struct cloud_rank){.region = (size_t)r};
		res->nranked = 1;
	}
	return 0;
}

/* Writes instance k of the reservation, on host h. */
static int write_inst(struct cloud_db *db, const struct cloud_fleet *f,
		      size_t t, long h, int64_t now, int64_t seq,
		      struct cloud_run_res *res)
{
	const struct cloud_host *hp = &f->hosts[h];
	struct cloud_inst in = {.state = CLOUD_PENDING, .prev_state = -1, .host = h,
				.zone = hp->zone, .region = f->zones[hp->zone].region,
				.launched = now, .since = now};
	sqlite3_stmt *st;
	int rc;

	cloud_inst_id((uint64_t)seq, in.id);
	snprintf(in.reservation, sizeof(in.reservation), "%s", res->reservation);
	snprintf(in.type, sizeof(in.type), "%s", f->types[t].name);
	in.uusd = cloud_fleet_price(f, t, in.region);
	in.want = cloud_fleet_want(f, t);
	rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				"INSERT INTO instance(seq, id, reservation, type, region, zone,"
				" host, state, since, launched, uusd, cpu, mem)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, in.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, in.reservation, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, in.type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)in.region);
	sqlite3_bind_int64(st, 6, (int64_t)in.zone);
	sqlite3_bind_int64(st, 7, h);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, (int64_t)in.uusd);
	sqlite3_bind_int64(st, 11, (int64_t)in.want.cpu_milli);
	sqlite3_bind_int64(st, 12, (int64_t)in.want.mem);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc = cloud_db_errno(rc)) || (rc = cloud_inst_charge(db, h, &in.want, 1)))
		return rc;
	struct cloud_inst *v = realloc(res->insts.v, (res->insts.n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	res->insts.v = v;
	v[res->insts.n++] = in;
	return 0;
}

static int next_seq(struct cloud_db *db, int64_t *seq)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				    "SELECT coalesce(max(seq), 0) + 1 FROM instance", -1,
				    &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	rc = sqlite3_step(st);
	*seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cloud_db_errno(rc);
}

/* Places up to q->max instances in region r; hosts[] receives them. */
static long place_all(struct cloud_fleet *f, const struct cloud_run_req *q,
		      size_t t, size_t r, long z, long *hosts,
		      struct cloud_run_res *res)
{
	struct part_res want = cloud_fleet_want(f, t);
	size_t k = 0;

	for (; k < q->max; k++) {
		long h = cloud_place_one(f, r, z, q->policy, &want,
					 q->explain ? &res->notes : NULL, (unsigned)k);
		if (h == -ENOSPC)
			break;
		if (h < 0)
			return h;
		cloud_place_charge(f, (size_t)h, &want, 1);
		hosts[k] = h;
	}
	return (long)k;
}

/*
 * All or nothing (stage 04.3, README "Steps" 3 and "The program"): places
 * up to q->max instances of type t in region r (-1 when no ranked region
 * has room for q->min), in zone z (or -1: any zone), with place_all on the
 * in-memory copy f, then writes them. Fewer than q->min placed: nothing is
 * written and the answer is no_room(f, t, q->min, r, z, res, err), which
 * returns -ENOSPC with err's name "InsufficientInstanceCapacity". Else the
 * k placed instances are written, instance i (0 <= i < k) by write_inst
 * with the sequence number seq + i, seq from next_seq; the reservation's
 * id is cloud_reservation_id(seq, res->reservation), written before the
 * first instance. The caller holds one transaction (cloud_run) and rolls
 * it back on any error, so a write failing half-way leaves nothing either.
 * Returns 0, -ENOSPC, -ENOMEM or place_all's or a write's -errno.
 */
static int launch_in(struct cloud_db *db, struct cloud_fleet *f,
		     const struct cloud_run_req *q, size_t t, long r, long z,
		     int64_t now, struct cloud_run_res *res, struct vmlab_err *err)
{
	/* >>> SOLUTION 04.3: place on the copy; fewer than min: no_room, write nothing; else one seq, the reservation, every instance */
	long *hosts = calloc(q->max, sizeof(*hosts)), k;
	int64_t seq = 0;
	int rc;

	if (!hosts)
		return -ENOMEM;
	k = r < 0 ? 0 : place_all(f, q, t, (size_t)r, z, hosts, res);
	if (k < 0)
		rc = (int)k;
	else if ((size_t)k < q->min)
		rc = no_room(f, t, q->min, r, z, res, err);
	else if (!(rc = next_seq(db, &seq)))
		cloud_reservation_id((uint64_t)seq, res->reservation);
	for (long i = 0; !rc && i < k; i++)
		rc = write_inst(db, f, t, hosts[i], now, seq + i, res);
	free(hosts);
	return rc;
	/* === STUB
	(void)db; (void)f; (void)q; (void)t; (void)r; (void)z; (void)now; (void)res; (void)err;
	(void)place_all; (void)no_room; (void)next_seq; (void)write_inst;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* Chooses the region (res->region), then launch_in. */
static int launch(struct cloud_db *db, struct cloud_fleet *f,
		  const struct cloud_run_req *q, int64_t now,
		  struct cloud_run_res *res, struct vmlab_err *err)
{
	long t = -1, z = -1, r;
	int rc;

	if ((rc = resolve(f, q, &t, &z, res, err)))
		return rc;
	struct part_res want = cloud_fleet_want(f, (size_t)t);
	for (size_t i = 0; i < res->nranked; i++)
		res->room[i] = z >= 0 ? cloud_place_room_zone(f, (size_t)z, &want)
				      : cloud_place_room_region(f, res->ranked[i].region, &want);
	r = cloud_place_region(f, res->ranked, res->nranked, &want, z >= 0 ? 1 : q->min);
	if (r < 0 && r != -ENOSPC)
		return (int)r;
	res->region = r;
	return launch_in(db, f, q, (size_t)t, r, z, now, res, err);
}

/*
 * The client token (stage 04.5, README "Steps" 5 and "The program"):
 * without q->token, just launch(db, f, q, now, res, err). With one, look
 * it up (token_find) and compare its stored parameters with this
 * request's, as the text params(q, ...) writes (512 bytes hold it):
 *  - never used: launch, and when that succeeds token_save(db, q->token,
 *    the params text, res->reservation); return what failed, else 0;
 *  - used with the same text: launch nothing; set res->replayed = 1, copy
 *    the stored reservation into res->reservation and fill res->insts
 *    with its instances as they are now: cloud_inst_select(db, "WHERE
 *    reservation = ? ORDER BY seq", res->reservation, now, &res->insts);
 *  - used with other text: vmlab_fail_named(err, -EEXIST,
 *    "IdempotentParameterMismatch", "the client token '%s' was used with
 *    other parameters", q->token), so -EEXIST.
 * Returns 0 or -errno (token_find's, launch's, token_save's).
 */
static int run_once(struct cloud_db *db, struct cloud_fleet *f,
		    const struct cloud_run_req *q, int64_t now,
		    struct cloud_run_res *res, struct vmlab_err *err)
{
	/* >>> SOLUTION 04.5: no token: launch; a new one: launch and save it; a known one: replay or mismatch */
	char want[512], had[512];
	int rc;

	if (!q->token)
		return launch(db, f, q, now, res, err);
	params(q, want, sizeof(want));
	rc = token_find(db, q->token, had, sizeof(had), res->reservation,
			sizeof(res->reservation));
	if (rc == -ENOENT) {
		if (!(rc = launch(db, f, q, now, res, err)))
			rc = token_save(db, q->token, want, res->reservation);
		return rc;
	}
	if (rc)
		return rc;
	if (strcmp(want, had))
		return vmlab_fail_named(err, -EEXIST, "IdempotentParameterMismatch",
					"the client token '%s' was used with other parameters",
					q->token);
	res->replayed = 1;
	return cloud_inst_select(db, "WHERE reservation = ? ORDER BY seq",
				 res->reservation, now, &res->insts);
	/* === STUB
	(void)params;
	(void)token_find;
	(void)token_save;
	return launch(db, f, q, now, res, err);
	*/
	/* <<< SOLUTION */
}

int cloud_run(struct cloud_db *db, const struct cloud_run_req *q,
	      struct cloud_run_res *res, struct vmlab_err *err)
{
	struct cloud_fleet f = {0};
	int64_t now;
	int rc;

	memset(res, 0, sizeof(*res));
	res->region = -1;
	if (q->min < 1 || q->max < q->min || q->max > 1000)
		return vmlab_fail_named(err, -EINVAL, "InvalidParameterValue",
					"counts must satisfy 1 <= min <= max <= 1000");
	if ((rc = cloud_tx_begin(db, &now, err)))
		return rc;
	if ((rc = cloud_db_load(db, &f)))
		cloud_tx_fail(db, err, rc);
	else
		rc = run_once(db, &f, q, now, res, err);
	if (rc && err && !err->code)
		cloud_tx_fail(db, err, rc);
	cloud_fleet_free(&f);
	rc = cloud_tx_finish(db, rc, err);
	if (rc)
		cloud_run_res_free(res);
	return rc;
}

void cloud_run_res_free(struct cloud_run_res *res)
{
	cloud_insts_free(&res->insts);
	cloud_notes_free(&res->notes);
	free(res->ranked);
	free(res->room);
	res->ranked = NULL;
	res->room = NULL;
	res->nranked = 0;
}
