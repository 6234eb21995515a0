/*
 * cloud_db: the provider's state in one SQLite file.
 *
 * Every command is one transaction (cloud_db_begin: BEGIN IMMEDIATE, so two
 * processes never both decide from the same free room); a process killed at
 * any point leaves the last committed state, never half an operation
 * (SQLite's write-ahead log, synchronous=FULL). Other processes wait up to
 * CLOUD_DB_BUSY_MS for the lock. The file carries an application id (so a
 * foreign SQLite file is refused, not scribbled on) and a schema version
 * (PRAGMA user_version).
 *
 * The clock: the wall clock, or a time stored in the database that
 * `cloud clock set|advance` moves, so tests and demonstrations can bill an
 * hour without waiting one.
 */
#ifndef CLOUD_DB_H
#define CLOUD_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "cloud_fleet.h"
#include "vmlab_err.h"

#define CLOUD_DB_APP_ID 0x766d3034 /* "vm04" */
#define CLOUD_DB_VERSION 1
#define CLOUD_DB_BUSY_MS 10000

struct cloud_db;

/*
 * Opens the database at path, creating it with the fleet in fleet_json (the
 * default fleet if NULL) when it is new. Returns 0, or:
 *   -EBADMSG     not an SQLite file, or a damaged one
 *   -EUCLEAN     ours, but it fails SQLite's quick check (what, in err);
 *                nothing was written to it
 *   -EMEDIUMTYPE an SQLite file that belongs to another program
 *   -EPROTO      made by a newer version of cloud (schema too new)
 *   -EEXIST      fleet_json given but the database already has a fleet
 *   -EINVAL      fleet_json is not a valid fleet (the reason in err)
 *   -EBUSY       locked by another process for too long
 *   -EACCES, -EROFS, -ENOENT, -EIO, -ENOMEM  from the file system
 * err (if not NULL) is filled for -EUCLEAN and -EINVAL: the code, the line.
 */
int cloud_db_open(const char *path, const char *fleet_json,
		  struct cloud_db **out, struct vmlab_err *err);

void cloud_db_close(struct cloud_db *db);

/*
 * SQLite's own check of the file: PRAGMA quick_check when quick (pages and
 * records), else integrity_check (also every index against its table).
 * Returns 0, -EUCLEAN (damaged: the first problem in err's line, its name
 * the pragma's) or -errno.
 */
int cloud_db_verify(struct cloud_db *db, int quick, struct vmlab_err *err);

/* The connection, for modules that run their own SQL. */
sqlite3 *cloud_db_sqlite(struct cloud_db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return 0 or -errno. */
int cloud_db_begin(struct cloud_db *db);
int cloud_db_commit(struct cloud_db *db);
void cloud_db_rollback(struct cloud_db *db);

/* Maps an SQLite result code to -errno (0 for SQLITE_OK/ROW/DONE). */
int cloud_db_errno(int sqlite_rc);

/* Runs SQL with no results. Returns 0 or -errno. */
int cloud_db_exec(struct cloud_db *db, const char *sql);

/* Now, in seconds since 1970: the stored clock if set, else the wall. */
int cloud_db_now(struct cloud_db *db, int64_t *now);

/* The clock: *fixed = 1 and *t when set, else *fixed = 0 and the wall. */
int cloud_db_clock(struct cloud_db *db, int64_t *t, int *fixed);

/* Sets the stored clock (fixed = 1) or returns to the wall (fixed = 0).
 * Setting it before any instance was launched moves the epoch there too. */
int cloud_db_clock_set(struct cloud_db *db, int64_t t, int fixed);

/* When the fleet went into service (its database was created). */
int cloud_db_epoch(struct cloud_db *db, int64_t *t);

/*
 * Loads the fleet with each host's current allocation into *f (free it
 * with cloud_fleet_free). Returns 0 or -errno.
 */
int cloud_db_load(struct cloud_db *db, struct cloud_fleet *f);

#endif /* CLOUD_DB_H */
