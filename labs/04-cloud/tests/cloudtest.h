/*
 * cloudtest.h: what the lab's tests share. A fresh database per test, in
 * build/scratch/, made from one of the fleets in fleets/; and the clock set
 * to 2026-01-01T00:00:00Z so that times and bills are exact.
 */
#ifndef CLOUD_TESTS_CLOUDTEST_H
#define CLOUD_TESTS_CLOUDTEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cloud_acct.h"
#include "cloud_run.h"

#define T0 1767225600LL /* 2026-01-01T00:00:00Z */

static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	cr_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return buf;
}

/* A scratch path unique to this test process: build/scratch/NAME-PID.db. */
static inline const char *scratch(const char *name)
{
	static char path[512];

	mkdir(CLOUD_SCRATCH, 0755);
	snprintf(path, sizeof(path), "%s/%s-%d.db", CLOUD_SCRATCH, name, (int)getpid());
	for (const char *sfx = ""; sfx; sfx = *sfx ? NULL : "-wal") {
		char p[600];
		snprintf(p, sizeof(p), "%s%s", path, sfx);
		unlink(p);
	}
	char shm[600];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(shm);
	return path;
}

/* A new database with fleets/FLEET.json, the clock at T0. */
static inline struct cloud_db *fresh(const char *fleet)
{
	char file[512];
	struct cloud_db *db;
	struct vmlab_err err;

	snprintf(file, sizeof(file), "%s/%s.json", CLOUD_FLEETS, fleet);
	char *json = slurp(file);
	int rc = cloud_db_open(scratch(fleet), json, &db, &err);
	free(json);
	cr_assert_eq(rc, 0, "cloud_db_open: %d %s", rc, err.msg);
	cr_assert_eq(cloud_clock_move(db, T0, 1), 0);
	return db;
}

/* Runs count instances of type in region; returns the result (asserts 0). */
static inline struct cloud_run_res run_in(struct cloud_db *db, const char *type,
					  const char *region, size_t count)
{
	struct cloud_run_req q = {.type = type, .region = region, .min = count,
				  .max = count, .policy = PART_WORST_FIT};
	struct cloud_run_res res;
	struct vmlab_err err = {0};
	int rc = cloud_run(db, &q, &res, &err);

	cr_assert_eq(rc, 0, "cloud_run: %d %s: %s", rc, err.name ? err.name : "", err.msg);
	return res;
}

/* The invariants hold (cloud_acct_check). */
static inline void assert_books(struct cloud_db *db)
{
	struct vmlab_err err;
	int rc = cloud_acct_check(db, &err);

	cr_assert_eq(rc, 0, "invariants broken (%d): %s", rc, err.msg);
}

#endif /* CLOUD_TESTS_CLOUDTEST_H */
