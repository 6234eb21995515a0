/*
 * cloud_inst: run, stop, start, terminate, describe (see cloud_inst.h).
 *
 * Each call: BEGIN IMMEDIATE, settle what the clock has made due, load what
 * it needs, decide in memory, write, COMMIT. Any error rolls the whole call
 * back. Capacity is charged to host.used_* in the same transaction as the
 * instance row that holds it, so the two can never disagree on disk.
 */
#include "cloud_inst.h"
#include "cloud_time.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cloud_state_name(int state)
{
	switch (state) {
	case CLOUD_PENDING: return "pending";
	case CLOUD_RUNNING: return "running";
	case CLOUD_SHUTTING_DOWN: return "shutting-down";
	case CLOUD_TERMINATED: return "terminated";
	case CLOUD_STOPPING: return "stopping";
	case CLOUD_STOPPED: return "stopped";
	default: return "unknown";
	}
}

int cloud_tx_fail(struct cloud_db *db, struct vmlab_err *err, int rc)
{
	return vmlab_fail_named(err, rc, "DatabaseError", "%s",
				sqlite3_errmsg(cloud_db_sqlite(db)));
}

/* splitmix64: sequence numbers become ids that look random but repeat. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void cloud_inst_id(uint64_t seq, char *out)
{
	snprintf(out, CLOUD_ID_MAX, "i-0%016" PRIx64, mix(seq));
}

void cloud_reservation_id(uint64_t seq, char *out)
{
	snprintf(out, CLOUD_ID_MAX, "r-0%016" PRIx64, mix(~seq));
}

void cloud_insts_free(struct cloud_insts *insts)
{
	free(insts->v);
	memset(insts, 0, sizeof(*insts));
}

/* Runs sql with :now bound. Returns 0 or -errno. */
static int exec_now(struct cloud_db *db, const char *sql, int64_t now)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db), sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":now"), now);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":t"), CLOUD_TRANSITION_S);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

int cloud_settle(struct cloud_db *db, int64_t now)
{
	static const char *const steps[] = {
		/* pending -> running: billing starts when it runs. */
		"INSERT INTO period(instance, host, start)"
		"  SELECT seq, host, since + :t FROM instance"
		"  WHERE state = 0 AND since + :t <= :now",
		"UPDATE instance SET state = 16, since = since + :t"
		"  WHERE state = 0 AND since + :t <= :now",
		/* stopping -> stopped, shutting-down -> terminated: the host's
		 * capacity comes back. */
		"UPDATE host SET"
		"  used_cpu = used_cpu - (SELECT coalesce(sum(cpu), 0) FROM instance i"
		"    WHERE i.host = host.idx AND i.state IN (32, 64) AND i.since + :t <= :now),"
		"  used_mem = used_mem - (SELECT coalesce(sum(mem), 0) FROM instance i"
		"    WHERE i.host = host.idx AND i.state IN (32, 64) AND i.since + :t <= :now)",
		"UPDATE instance SET state = CASE state WHEN 64 THEN 80 ELSE 48 END,"
		"  since = since + :t, host = NULL"
		"  WHERE state IN (32, 64) AND since + :t <= :now",
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !rc; i++)
		rc = exec_now(db, steps[i], now);
	return rc;
}

int cloud_tx_begin(struct cloud_db *db, int64_t *now, struct vmlab_err *err)
{
	int rc;

	vmlab_err_clear(err);
	if ((rc = cloud_db_begin(db)))
		return cloud_tx_fail(db, err, rc);
	if ((rc = cloud_db_now(db, now)) || (rc = cloud_settle(db, *now))) {
		cloud_tx_fail(db, err, rc);
		cloud_db_rollback(db);
	}
	return rc;
}

int cloud_tx_finish(struct cloud_db *db, int rc, struct vmlab_err *err)
{
	if (rc == 0 && (rc = cloud_db_commit(db)))
		cloud_tx_fail(db, err, rc);
	if (rc)
		cloud_db_rollback(db);
	return rc;
}

#define INST_COLS                                                              \
	"SELECT id, reservation, type, state, region, zone, host, launched,"  \
	" since, uusd, cpu, mem, impaired, seq FROM instance "

static void read_inst(sqlite3_stmt *st, struct cloud_inst *in)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->id, sizeof(in->id), "%s", sqlite3_column_text(st, 0));
	snprintf(in->reservation, sizeof(in->reservation), "%s",
		 sqlite3_column_text(st, 1));
	snprintf(in->type, sizeof(in->type), "%s", sqlite3_column_text(st, 2));
	in->state = in->prev_state = sqlite3_column_int(st, 3);
	in->region = (size_t)sqlite3_column_int64(st, 4);
	in->zone = (size_t)sqlite3_column_int64(st, 5);
	in->host = sqlite3_column_type(st, 6) == SQLITE_NULL
			   ? -1 : (long)sqlite3_column_int64(st, 6);
	in->launched = sqlite3_column_int64(st, 7);
	in->since = sqlite3_column_int64(st, 8);
	in->uusd = (uint64_t)sqlite3_column_int64(st, 9);
	in->want.cpu_milli = (uint64_t)sqlite3_column_int64(st, 10);
	in->want.mem = (uint64_t)sqlite3_column_int64(st, 11);
	in->impaired = sqlite3_column_int(st, 12);
}

static int push(struct cloud_insts *out, const struct cloud_inst *in)
{
	struct cloud_inst *v = realloc(out->v, (out->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	out->v = v;
	out->v[out->n++] = *in;
	return 0;
}

int cloud_inst_select(struct cloud_db *db, const char *where, const char *arg,
			int64_t now, struct cloud_insts *out)
{
	char sql[512];
	sqlite3_stmt *st;
	struct cloud_inst in;
	int rc;

	snprintf(sql, sizeof(sql), INST_COLS "%s", where);
	rc = sqlite3_prepare_v2(cloud_db_sqlite(db), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	int k = sqlite3_bind_parameter_index(st, ":expired");
	if (k)
		sqlite3_bind_int64(st, k, now - CLOUD_EXPIRE_S);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_inst(st, &in);
		if ((rc = push(out, &in)))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rc < 0 ? rc : cloud_db_errno(rc);
}

int cloud_describe(struct cloud_db *db, char *const *ids, size_t n,
		   struct cloud_insts *out, struct vmlab_err *err)
{
	int64_t now;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cloud_tx_begin(db, &now, err)))
		return rc;
	if (n == 0 && (rc = cloud_inst_select(db, "WHERE " CLOUD_LISTED " ORDER BY seq", NULL,
					 now, out)))
		cloud_tx_fail(db, err, rc);
	for (size_t i = 0; i < n && !rc; i++) {
		size_t had = out->n;
		if ((rc = cloud_inst_select(db, "WHERE id = ? AND " CLOUD_LISTED, ids[i], now, out)))
			cloud_tx_fail(db, err, rc);
		else if (out->n == had)
			rc = vmlab_fail_named(err, -ENOENT, "InvalidInstanceID.NotFound",
					      "the instance ID '%s' does not exist", ids[i]);
	}
	rc = cloud_tx_finish(db, rc, err);
	if (rc)
		cloud_insts_free(out);
	return rc;
}

int cloud_clock_move(struct cloud_db *db, int64_t t, int set)
{
	int64_t now;
	int rc;

	if ((rc = cloud_tx_begin(db, &now, NULL)))
		return rc;
	/* Within 0..CLOUD_TIME_MAX, checked without overflowing: never wraps. */
	if (set > 0 && (t < 0 || t > CLOUD_TIME_MAX))
		rc = -EINVAL;
	else if (set == 0 && (t < 0 || now > CLOUD_TIME_MAX - t))
		rc = -EINVAL;
	else if (set < 0)
		rc = cloud_db_clock_set(db, 0, 0);
	else
		rc = cloud_db_clock_set(db, set ? t : now + t, 1);
	if (!rc && !(rc = cloud_db_now(db, &now)))
		rc = cloud_settle(db, now);
	return cloud_tx_finish(db, rc, NULL);
}

int cloud_inst_charge(struct cloud_db *db, long host, const struct part_res *want,
		      int sign)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				    "UPDATE host SET used_cpu = used_cpu + ?1,"
				    " used_mem = used_mem + ?2 WHERE idx = ?3",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_int64(st, 1, sign * (int64_t)want->cpu_milli);
	sqlite3_bind_int64(st, 2, sign * (int64_t)want->mem);
	sqlite3_bind_int64(st, 3, host);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

/* Moves an instance to state at now, onto host (-1: keep the one it has). */
static int set_state(struct cloud_db *db, struct cloud_inst *in, int state,
		     int64_t now, long host)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		cloud_db_sqlite(db),
		"UPDATE instance SET state = ?1, since = ?2,"
		" host = CASE WHEN ?3 >= 0 THEN ?3 ELSE host END WHERE id = ?4;",
		-1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, host);
	sqlite3_bind_text(st, 4, in->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	in->state = state;
	if (host >= 0)
		in->host = host;
	return cloud_db_errno(rc);
}

/* Ends the instance's running period at now: the meter stops. */
static int end_period(struct cloud_db *db, const struct cloud_inst *in,
		      int64_t now)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		cloud_db_sqlite(db),
		"UPDATE period SET end = ?1 WHERE end IS NULL AND instance ="
		" (SELECT seq FROM instance WHERE id = ?2)",
		-1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, in->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

static int wrong_state(struct vmlab_err *err, const struct cloud_inst *in,
		       const char *verb)
{
	return vmlab_fail_named(err, -EPERM, "IncorrectInstanceState",
				"the instance '%s' is %s: it cannot be %s", in->id,
				cloud_state_name(in->state), verb);
}

/* start: a host in the instance's own zone, as at launch (spread). */
static int start_one(struct cloud_db *db, struct cloud_fleet *f,
		     struct cloud_inst *in, int64_t now, struct vmlab_err *err)
{
	long h = cloud_place_one(f, in->region, (long)in->zone, PART_WORST_FIT,
				 &in->want, NULL, 0);
	int rc;

	if (h == -ENOSPC)
		return vmlab_fail_named(err, -ENOSPC, "InsufficientInstanceCapacity",
					"no host in %s has room to start %s (%s) again",
					f->zones[in->zone].name, in->id, in->type);
	if (h < 0)
		return (int)h;
	cloud_place_charge(f, (size_t)h, &in->want, 1);
	if ((rc = cloud_inst_charge(db, h, &in->want, 1)))
		return rc;
	return set_state(db, in, CLOUD_PENDING, now, h);
}

/*
 * One action on one instance, EC2's state machine (stage 04.3, README
 * "Steps" 3 and "The program"); in is the instance as it is now (settled).
 * Asking for the state it is in, or on its way to, is no error: 0, nothing
 * changes. Else:
 *  - CLOUD_STOP: only a running instance: end_period (the meter stops),
 *    then set_state(db, in, CLOUD_STOPPING, now, -1);
 *  - CLOUD_START: only a stopped one: start_one (a host in its own zone,
 *    then pending; it returns the capacity error itself);
 *  - CLOUD_TERMINATE: any other state; a running instance's period ends
 *    first (end_period), then set_state(..., CLOUD_SHUTTING_DOWN, now, -1).
 * A stop or a start in any other state is wrong_state(err, in, "stopped")
 * or wrong_state(err, in, "started"): -EPERM, IncorrectInstanceState, "the
 * instance 'ID' is pending: it cannot be stopped". Returns 0 or -errno.
 * settle (given) finishes stopping, shutting-down and pending 10 s later.
 */
static int act_one(struct cloud_db *db, struct cloud_fleet *f,
		   enum cloud_action a, struct cloud_inst *in, int64_t now,
		   struct vmlab_err *err)
{
	/* >>> SOLUTION 04.3: already there (or on the way): 0; stop a running one, start a stopped one, terminate any other */
	int s = in->state, rc;

	if (a == CLOUD_STOP) {
		if (s == CLOUD_STOPPING || s == CLOUD_STOPPED)
			return 0; /* already done: idempotent */
		if (s != CLOUD_RUNNING)
			return wrong_state(err, in, "stopped");
		if ((rc = end_period(db, in, now)))
			return rc;
		return set_state(db, in, CLOUD_STOPPING, now, -1);
	}
	if (a == CLOUD_START) {
		if (s == CLOUD_PENDING || s == CLOUD_RUNNING)
			return 0;
		if (s != CLOUD_STOPPED)
			return wrong_state(err, in, "started");
		return start_one(db, f, in, now, err);
	}
	if (s == CLOUD_SHUTTING_DOWN || s == CLOUD_TERMINATED)
		return 0;
	if (s == CLOUD_RUNNING && (rc = end_period(db, in, now)))
		return rc;
	return set_state(db, in, CLOUD_SHUTTING_DOWN, now, -1);
	/* === STUB
	(void)db; (void)f; (void)a; (void)in; (void)now; (void)err;
	(void)end_period; (void)set_state; (void)wrong_state; (void)start_one;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int cloud_act(struct cloud_db *db, enum cloud_action a, char *const *ids,
	      size_t n, struct cloud_insts *out, struct vmlab_err *err)
{
	struct cloud_fleet f = {0};
	int64_t now;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cloud_tx_begin(db, &now, err)))
		return rc;
	if ((rc = cloud_db_load(db, &f)))
		cloud_tx_fail(db, err, rc);
	for (size_t i = 0; i < n && !rc; i++) {
		size_t had = out->n;
		if ((rc = cloud_inst_select(db, "WHERE id = ? AND " CLOUD_LISTED,
					    ids[i], now, out)))
			cloud_tx_fail(db, err, rc);
		else if (out->n == had)
			rc = vmlab_fail_named(err, -ENOENT, "InvalidInstanceID.NotFound",
					      "the instance ID '%s' does not exist", ids[i]);
		else if ((rc = act_one(db, &f, a, &out->v[had], now, err)) && err &&
			 !err->code)
			cloud_tx_fail(db, err, rc);
	}
	cloud_fleet_free(&f);
	rc = cloud_tx_finish(db, rc, err);
	if (rc)
		cloud_insts_free(out);
	return rc;
}
