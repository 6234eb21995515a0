/*
 * cloud_inst: instances, with EC2's semantics, one database transaction per
 * call.
 *
 * Lifecycle (state codes as EC2 reports them):
 *   pending (0) -> running (16) -> stopping (64) -> stopped (80)
 *   any but terminated -> shutting-down (32) -> terminated (48)
 * pending, stopping and shutting-down last CLOUD_TRANSITION_S seconds of the
 * clock; every call first settles the transitions that are due. An
 * instance holds capacity on its host while pending, running, stopping or
 * shutting-down; stopped and terminated ones hold none (a stopped instance
 * starts again on whichever host of its zone has room). Terminated ones
 * stay listed CLOUD_EXPIRE_S seconds, then only the bill remembers them.
 *
 * Errors follow vmlab_err.h: a call returns 0 or a negative errno and,
 * given a struct vmlab_err, fills it: code the same -errno (cloud's exit
 * code comes from it), name EC2's error code (what the user reads), msg
 * one line:
 *   -ENOSPC  InsufficientInstanceCapacity (the message names where room is)
 *   -EEXIST  IdempotentParameterMismatch
 *   -ENOENT  InvalidInstanceID.NotFound, InvalidParameterValue (type,
 *            region, zone, place)
 *   -EPERM   IncorrectInstanceState
 *   -EINVAL  InvalidParameterCombination, InvalidParameterValue (counts)
 *   other    DatabaseError (SQLite's message)
 */
#ifndef CLOUD_INST_H
#define CLOUD_INST_H

#include "cloud_db.h"
#include "cloud_place.h"
#include "vmlab_err.h"

enum cloud_state {
	CLOUD_PENDING = 0,
	CLOUD_RUNNING = 16,
	CLOUD_SHUTTING_DOWN = 32,
	CLOUD_TERMINATED = 48,
	CLOUD_STOPPING = 64,
	CLOUD_STOPPED = 80,
};

#define CLOUD_TRANSITION_S 10
#define CLOUD_EXPIRE_S 3600
#define CLOUD_ID_MAX 24

/* The state's name ("running"), or "unknown". */
const char *cloud_state_name(int state);

/* One instance as the database holds it (host is the provider's secret). */
struct cloud_inst {
	char id[CLOUD_ID_MAX], reservation[CLOUD_ID_MAX];
	char type[CLOUD_NAME_MAX];
	int state, prev_state; /* prev_state: before this call (stop/start/...) */
	size_t region, zone;
	long host; /* -1 when it holds none */
	int64_t launched, since;
	uint64_t uusd; /* price per hour, fixed at launch */
	struct part_res want;
	int impaired;
};

struct cloud_insts {
	struct cloud_inst *v;
	size_t n;
};

enum cloud_action { CLOUD_STOP, CLOUD_START, CLOUD_TERMINATE };

/*
 * Stops, starts or terminates the n instances ids: all of them or none.
 * Asking for the state an instance is already in (or going to) changes
 * nothing and is no error. out receives each with prev_state and state.
 */
int cloud_act(struct cloud_db *db, enum cloud_action a, char *const *ids,
	      size_t n, struct cloud_insts *out, struct vmlab_err *err);

/* The instances ids (all listed ones when n is 0), oldest first. */
int cloud_describe(struct cloud_db *db, char *const *ids, size_t n,
		   struct cloud_insts *out, struct vmlab_err *err);

/* Moves the clock (set = 1: to t; set = 0: by t seconds) or returns to the
 * wall clock (t ignored, set = -1), settling what falls due. Returns 0, or
 * -EINVAL (nothing changed) when the new time would be outside
 * 0..CLOUD_TIME_MAX, or a database error. */
int cloud_clock_move(struct cloud_db *db, int64_t t, int set);

/*
 * Settles the transitions due at now, inside an open transaction: pending
 * becomes running, stopping stopped, shutting-down terminated.
 */
int cloud_settle(struct cloud_db *db, int64_t now);

void cloud_insts_free(struct cloud_insts *insts);

/*
 * For the modules built on this one (cloud_run, cloud_acct).
 * cloud_tx_begin: BEGIN IMMEDIATE, read the clock into *now, settle.
 * cloud_tx_finish: COMMIT if rc is 0, else ROLLBACK; returns the outcome.
 * cloud_tx_fail: fills err (if not NULL) for a database failure: code rc,
 *   name "DatabaseError", SQLite's message; returns rc.
 * cloud_inst_select: appends to out the instances "SELECT ... FROM
 *   instance <where>" finds, with ? bound to arg and :expired to the time
 *   before which terminated instances are no longer listed.
 */
int cloud_tx_begin(struct cloud_db *db, int64_t *now, struct vmlab_err *err);
int cloud_tx_finish(struct cloud_db *db, int rc, struct vmlab_err *err);
int cloud_tx_fail(struct cloud_db *db, struct vmlab_err *err, int rc);
int cloud_inst_select(struct cloud_db *db, const char *where, const char *arg,
		      int64_t now, struct cloud_insts *out);
/* Adds (sign 1) or removes (-1) want on host in the database. */
int cloud_inst_charge(struct cloud_db *db, long host, const struct part_res *want,
		      int sign);

/* Still listed: not terminated, or terminated less than CLOUD_EXPIRE_S ago. */
#define CLOUD_LISTED "(state != 48 OR since > :expired)"


/* The instance id for sequence number seq: "i-0" and 16 hex digits. */
void cloud_inst_id(uint64_t seq, char *out);

/* The reservation id for a request whose first instance is seq. */
void cloud_reservation_id(uint64_t seq, char *out);

#endif /* CLOUD_INST_H */
