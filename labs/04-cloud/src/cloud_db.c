/*
 * cloud_db: opening, creating and checking the database; the clock; loading
 * the fleet (see cloud_db.h).
 *
 * Tables: region, zone, host, itype (the fleet, written once); instance (one
 * row per instance ever launched, host NULL when it holds none); period (one
 * row per running stretch, for the bill); request (client tokens); meta
 * (clock, epoch). host.used_* is kept equal to the sum of the instances
 * holding that host, in the same transaction that changes either.
 */
#include "cloud_db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cloud_db {
	sqlite3 *sq;
};

static const char schema[] =
	"CREATE TABLE region(idx INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL,"
	"  name TEXT NOT NULL, city TEXT NOT NULL, lat REAL, lon REAL,"
	"  price_factor REAL NOT NULL);"
	"CREATE TABLE zone(idx INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	"  region INTEGER NOT NULL REFERENCES region);"
	"CREATE TABLE host(idx INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	"  zone INTEGER NOT NULL REFERENCES zone, cap_cpu INTEGER NOT NULL,"
	"  cap_mem INTEGER NOT NULL, used_cpu INTEGER NOT NULL DEFAULT 0,"
	"  used_mem INTEGER NOT NULL DEFAULT 0, cost_uusd INTEGER NOT NULL,"
	"  failed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE itype(idx INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	"  vcpus INTEGER NOT NULL, mem INTEGER NOT NULL, base_uusd INTEGER NOT NULL);"
	"CREATE TABLE instance(seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,"
	"  reservation TEXT NOT NULL, type TEXT NOT NULL,"
	"  region INTEGER NOT NULL, zone INTEGER NOT NULL, host INTEGER,"
	"  state INTEGER NOT NULL, since INTEGER NOT NULL,"
	"  launched INTEGER NOT NULL, uusd INTEGER NOT NULL,"
	"  cpu INTEGER NOT NULL, mem INTEGER NOT NULL,"
	"  impaired INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX instance_host ON instance(host);"
	"CREATE INDEX instance_reservation ON instance(reservation);"
	"CREATE TABLE period(instance INTEGER NOT NULL REFERENCES instance,"
	"  host INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER);"
	"CREATE INDEX period_instance ON period(instance);"
	"CREATE TABLE request(token TEXT PRIMARY KEY, params TEXT NOT NULL,"
	"  reservation TEXT NOT NULL);"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value);";

int cloud_db_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EBADMSG;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	default:
		return -EIO;
	}
}

sqlite3 *cloud_db_sqlite(struct cloud_db *db)
{
	return db->sq;
}

int cloud_db_exec(struct cloud_db *db, const char *sql)
{
	return cloud_db_errno(sqlite3_exec(db->sq, sql, NULL, NULL, NULL));
}

int cloud_db_begin(struct cloud_db *db)
{
	return cloud_db_exec(db, "BEGIN IMMEDIATE");
}

int cloud_db_commit(struct cloud_db *db)
{
	return cloud_db_exec(db, "COMMIT");
}

void cloud_db_rollback(struct cloud_db *db)
{
	/* Fails harmlessly when no transaction is open. */
	sqlite3_exec(db->sq, "ROLLBACK", NULL, NULL, NULL);
}

/* The single integer a query returns into *v. Returns 0 or -errno. */
static int query_int(struct cloud_db *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

/* A meta value: 0 and *v, -ENOENT if unset (NULL), or -errno. */
static int meta_get(struct cloud_db *db, const char *key, int64_t *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->sq, "SELECT value FROM meta WHERE key = ?",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? -ENOENT : cloud_db_errno(rc);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Sets a meta value; unset (NULL) when set is 0. */
static int meta_put(struct cloud_db *db, const char *key, int64_t v, int set)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		db->sq, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1,
		&st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (set)
		sqlite3_bind_int64(st, 2, v);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return cloud_db_errno(rc);
}

int cloud_db_clock(struct cloud_db *db, int64_t *t, int *fixed)
{
	int rc = meta_get(db, "clock", t);

	*fixed = rc == 0;
	if (rc == -ENOENT) {
		*t = (int64_t)time(NULL);
		rc = 0;
	}
	return rc;
}

int cloud_db_now(struct cloud_db *db, int64_t *now)
{
	int fixed;

	return cloud_db_clock(db, now, &fixed);
}

int cloud_db_clock_set(struct cloud_db *db, int64_t t, int fixed)
{
	int64_t n;
	int rc = meta_put(db, "clock", t, fixed);

	/* Setting the clock on a fleet nobody has used yet starts its service
	 * there, so that the provider's costs count from the same moment. */
	if (!rc && fixed && !(rc = query_int(db, "SELECT count(*) FROM instance", &n)) &&
	    n == 0)
		rc = meta_put(db, "epoch", t, 1);
	return rc;
}

int cloud_db_epoch(struct cloud_db *db, int64_t *t)
{
	return meta_get(db, "epoch", t);
}

void cloud_db_close(struct cloud_db *db)
{
	if (db) {
		sqlite3_close(db->sq);
		free(db);
	}
}

/* Writes the fleet's regions, zones, hosts and types. Returns 0 or -errno. */
static int store_fleet(struct cloud_db *db, const struct cloud_fleet *f)
{
	sqlite3_stmt *st[4] = {NULL};
	static const char *const sql[4] = {
		"INSERT INTO region VALUES (?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO zone VALUES (?, ?, ?)",
		("INSERT INTO host(idx, name, zone, cap_cpu, cap_mem, cost_uusd)"
		 " VALUES (?, ?, ?, ?, ?, ?)"),
		"INSERT INTO itype VALUES (?, ?, ?, ?, ?)",
	};
	int rc = SQLITE_OK;

	for (int i = 0; i < 4 && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v2(db->sq, sql[i], -1, &st[i], NULL);
	for (size_t i = 0; i < f->nregions && rc == SQLITE_OK; i++) {
		const struct cloud_region *r = &f->regions[i];
		sqlite3_bind_int64(st[0], 1, (int64_t)i);
		sqlite3_bind_text(st[0], 2, r->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st[0], 3, r->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st[0], 4, r->city, -1, SQLITE_STATIC);
		sqlite3_bind_double(st[0], 5, r->lat);
		sqlite3_bind_double(st[0], 6, r->lon);
		sqlite3_bind_double(st[0], 7, r->price_factor);
		rc = sqlite3_step(st[0]) == SQLITE_DONE ? sqlite3_reset(st[0]) : SQLITE_ERROR;
	}
	for (size_t i = 0; i < f->nzones && rc == SQLITE_OK; i++) {
		sqlite3_bind_int64(st[1], 1, (int64_t)i);
		sqlite3_bind_text(st[1], 2, f->zones[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[1], 3, (int64_t)f->zones[i].region);
		rc = sqlite3_step(st[1]) == SQLITE_DONE ? sqlite3_reset(st[1]) : SQLITE_ERROR;
	}
	for (size_t i = 0; i < f->nhosts && rc == SQLITE_OK; i++) {
		const struct cloud_host *h = &f->hosts[i];
		sqlite3_bind_int64(st[2], 1, (int64_t)i);
		sqlite3_bind_text(st[2], 2, h->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[2], 3, (int64_t)h->zone);
		sqlite3_bind_int64(st[2], 4, (int64_t)h->cap.cpu_milli);
		sqlite3_bind_int64(st[2], 5, (int64_t)h->cap.mem);
		sqlite3_bind_int64(st[2], 6, (int64_t)h->cost_uusd);
		rc = sqlite3_step(st[2]) == SQLITE_DONE ? sqlite3_reset(st[2]) : SQLITE_ERROR;
	}
	for (size_t i = 0; i < f->ntypes && rc == SQLITE_OK; i++) {
		const struct cloud_type *t = &f->types[i];
		sqlite3_bind_int64(st[3], 1, (int64_t)i);
		sqlite3_bind_text(st[3], 2, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[3], 3, t->vcpus);
		sqlite3_bind_int64(st[3], 4, (int64_t)t->mem);
		sqlite3_bind_int64(st[3], 5, (int64_t)t->base_uusd);
		rc = sqlite3_step(st[3]) == SQLITE_DONE ? sqlite3_reset(st[3]) : SQLITE_ERROR;
	}
	if (rc != SQLITE_OK)
		rc = sqlite3_errcode(db->sq);
	for (int i = 0; i < 4; i++)
		sqlite3_finalize(st[i]);
	return cloud_db_errno(rc);
}

/* Creates the schema and stores the fleet, inside the open transaction. */
static int create(struct cloud_db *db, const char *fleet_json, struct vmlab_err *err)
{
	struct cloud_fleet f;
	char sql[96];
	int rc = cloud_fleet_parse(fleet_json ? fleet_json : cloud_fleet_default_json(),
				   &f, err);

	/* The built-in fleet is valid (test_fleet checks it): an error in it
	 * can only be json-c running out of memory, which leaves a null where
	 * a value was. */
	if (rc == -EINVAL && !fleet_json) {
		vmlab_err_clear(err);
		rc = -ENOMEM;
	}
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 CLOUD_DB_APP_ID, CLOUD_DB_VERSION);
	if (!(rc = cloud_db_exec(db, schema)) && !(rc = cloud_db_exec(db, sql)) &&
	    !(rc = store_fleet(db, &f)))
		rc = meta_put(db, "epoch", (int64_t)time(NULL), 1);
	cloud_fleet_free(&f);
	return rc;
}

/*
 * Is this file ours? 1 if it is, 0 if it is empty (a new database), or
 * -errno: -EMEDIUMTYPE (another program's), -EPROTO (too new), -EBADMSG.
 * Stage 04.3, README "Steps" 3.
 */
static int whose(struct cloud_db *db)
{
	/* >>> SOLUTION 04.3: read application_id, user_version and the table count. */
	int64_t app, version, tables;
	int rc;

	if ((rc = query_int(db, "PRAGMA application_id", &app)) ||
	    (rc = query_int(db, "PRAGMA user_version", &version)) ||
	    (rc = query_int(db, "SELECT count(*) FROM sqlite_master", &tables)))
		return rc;
	if (app == 0 && version == 0 && tables == 0)
		return 0;
	if (app != CLOUD_DB_APP_ID)
		return -EMEDIUMTYPE;
	if (version > CLOUD_DB_VERSION)
		return -EPROTO;
	if (version < 1)
		return -EBADMSG;
	return 1;
	/* === STUB
	(void)db;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* SQLite's report on one line, without its "*** in database main ***". */
static void one_line(char *msg)
{
	static const char head[] = "*** in database main ***";
	size_t n = strlen(head);

	if (strncmp(msg, head, n) == 0)
		memmove(msg, msg + n + (msg[n] != '\0'), strlen(msg + n) + (msg[n] == '\0'));
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

int cloud_db_verify(struct cloud_db *db, int quick, struct vmlab_err *err)
{
	const char *pragma = quick ? "quick_check" : "integrity_check";
	char msg[sizeof(err->msg)] = "";
	sqlite3_stmt *st;
	const unsigned char *first;
	int rc = sqlite3_prepare_v2(db->sq, quick ? "PRAGMA quick_check(1)" :
					       "PRAGMA integrity_check(1)", -1, &st, NULL);

	vmlab_err_clear(err);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		first = sqlite3_column_text(st, 0);
		snprintf(msg, sizeof(msg), "%s", first ? (const char *)first : "(no answer)");
		rc = first && strcmp((const char *)first, "ok") == 0 ? 0 : -EUCLEAN;
		one_line(msg);
	} else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
		snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db->sq));
		rc = -EUCLEAN; /* too damaged to even list what is wrong */
	} else {
		rc = cloud_db_errno(rc);
	}
	sqlite3_finalize(st);
	if (rc == -EUCLEAN)
		vmlab_fail_named(err, rc, pragma, "%s", msg);
	return rc;
}

/* Settings every connection needs; journal mode only once the file is ours. */
static int configure(struct cloud_db *db)
{
	sqlite3_busy_timeout(db->sq, CLOUD_DB_BUSY_MS);
	return cloud_db_exec(db, "PRAGMA journal_mode = WAL;"
				 "PRAGMA synchronous = FULL;"
				 "PRAGMA foreign_keys = ON");
}

/* Checks the file, and creates the schema if it is new: one transaction. */
static int prepare(struct cloud_db *db, const char *fleet_json, struct vmlab_err *err)
{
	int rc = whose(db);

	if (rc < 0)
		return rc;
	/* A damaged database is never written to: SQLite's quick check first. */
	if (rc == 1 && (rc = cloud_db_verify(db, 1, err)))
		return rc;
	if ((rc = configure(db)) || (rc = cloud_db_begin(db)))
		return rc;
	/* Another process may have created it while we waited for the lock. */
	if ((rc = whose(db)) == 0)
		rc = create(db, fleet_json, err);
	else if (rc == 1)
		rc = fleet_json ? -EEXIST : 0;
	if (rc == 0)
		rc = cloud_db_commit(db);
	if (rc)
		cloud_db_rollback(db);
	return rc;
}

int cloud_db_open(const char *path, const char *fleet_json,
		  struct cloud_db **out, struct vmlab_err *err)
{
	struct cloud_db *db = calloc(1, sizeof(*db));
	int rc;

	vmlab_err_clear(err);
	if (!db)
		return -ENOMEM;
	rc = sqlite3_open_v2(path, &db->sq, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			     NULL);
	if (rc != SQLITE_OK) {
		int en = sqlite3_system_errno(db->sq);
		rc = en ? -en : cloud_db_errno(rc);
		goto fail;
	}
	sqlite3_busy_timeout(db->sq, CLOUD_DB_BUSY_MS);
	if ((rc = prepare(db, fleet_json, err)))
		goto fail;
	*out = db;
	return 0;
fail:
	cloud_db_close(db);
	return rc;
}

/* Counts the rows of table into *n; returns calloc'd room for them, or
 * NULL with *rc set. */
static void *alloc_rows(struct cloud_db *db, const char *table, size_t size,
			size_t *n, int *rc)
{
	char sql[64];
	int64_t k;
	void *v;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if ((*rc = query_int(db, sql, &k)))
		return NULL;
	*n = (size_t)k;
	v = calloc(k ? (size_t)k : 1, size);
	*rc = v ? 0 : -ENOMEM;
	return v;
}

static void copy_text(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", s ? (const char *)s : "");
}

/* One row of each fleet table into f; rows come in idx order from 0. */
static void load_row(struct cloud_fleet *f, int table, size_t i, sqlite3_stmt *st)
{
	if (table == 0) {
		struct cloud_region *r = &f->regions[i];
		copy_text(r->code, sizeof(r->code), st, 1);
		copy_text(r->name, sizeof(r->name), st, 2);
		copy_text(r->city, sizeof(r->city), st, 3);
		r->lat = sqlite3_column_double(st, 4);
		r->lon = sqlite3_column_double(st, 5);
		r->price_factor = sqlite3_column_double(st, 6);
	} else if (table == 1) {
		struct cloud_zone *z = &f->zones[i];
		copy_text(z->name, sizeof(z->name), st, 1);
		z->region = (size_t)sqlite3_column_int64(st, 2);
	} else if (table == 2) {
		struct cloud_host *h = &f->hosts[i];
		copy_text(h->name, sizeof(h->name), st, 1);
		h->zone = (size_t)sqlite3_column_int64(st, 2);
		h->cap.cpu_milli = (uint64_t)sqlite3_column_int64(st, 3);
		h->cap.mem = (uint64_t)sqlite3_column_int64(st, 4);
		h->used.cpu_milli = (uint64_t)sqlite3_column_int64(st, 5);
		h->used.mem = (uint64_t)sqlite3_column_int64(st, 6);
		h->cost_uusd = (uint64_t)sqlite3_column_int64(st, 7);
		h->failed = sqlite3_column_int(st, 8);
	} else {
		struct cloud_type *t = &f->types[i];
		copy_text(t->name, sizeof(t->name), st, 1);
		t->vcpus = (unsigned)sqlite3_column_int64(st, 2);
		t->mem = (uint64_t)sqlite3_column_int64(st, 3);
		t->base_uusd = (uint64_t)sqlite3_column_int64(st, 4);
	}
}

static int load_table(struct cloud_db *db, struct cloud_fleet *f, int table,
		      size_t n)
{
	static const char *const sql[4] = {
		"SELECT * FROM region ORDER BY idx", "SELECT * FROM zone ORDER BY idx",
		"SELECT * FROM host ORDER BY idx", "SELECT * FROM itype ORDER BY idx",
	};
	sqlite3_stmt *st;
	size_t i = 0;
	int rc = sqlite3_prepare_v2(db->sq, sql[table], -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < n)
		if (sqlite3_column_int64(st, 0) == (int64_t)i)
			load_row(f, table, i++, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cloud_db_errno(rc);
	return i == n ? 0 : -EBADMSG; /* idx must run 0..n-1 */
}

/* Rebuilds the contiguous ranges (zone0/nzones, host0/nhosts) from the rows. */
static int link_fleet(struct cloud_fleet *f)
{
	for (size_t z = 0; z < f->nzones; z++) {
		struct cloud_region *r;
		if (f->zones[z].region >= f->nregions)
			return -EBADMSG;
		r = &f->regions[f->zones[z].region];
		if (r->nzones == 0)
			r->zone0 = z;
		else if (r->zone0 + r->nzones != z)
			return -EBADMSG;
		r->nzones++;
	}
	for (size_t h = 0; h < f->nhosts; h++) {
		struct cloud_zone *z;
		if (f->hosts[h].zone >= f->nzones)
			return -EBADMSG;
		z = &f->zones[f->hosts[h].zone];
		if (z->nhosts == 0)
			z->host0 = h;
		else if (z->host0 + z->nhosts != h)
			return -EBADMSG;
		z->nhosts++;
	}
	return 0;
}

int cloud_db_load(struct cloud_db *db, struct cloud_fleet *f)
{
	int rc;

	memset(f, 0, sizeof(*f));
	if (!(f->regions = alloc_rows(db, "region", sizeof(*f->regions),
				      &f->nregions, &rc)) ||
	    !(f->zones = alloc_rows(db, "zone", sizeof(*f->zones), &f->nzones, &rc)) ||
	    !(f->hosts = alloc_rows(db, "host", sizeof(*f->hosts), &f->nhosts, &rc)) ||
	    !(f->types = alloc_rows(db, "itype", sizeof(*f->types), &f->ntypes, &rc)))
		goto fail;
	if ((rc = load_table(db, f, 0, f->nregions)) ||
	    (rc = load_table(db, f, 1, f->nzones)) ||
	    (rc = load_table(db, f, 2, f->nhosts)) ||
	    (rc = load_table(db, f, 3, f->ntypes)) || (rc = link_fleet(f)))
		goto fail;
	return 0;
fail:
	cloud_fleet_free(f);
	return rc;
}
