/*
 * cloudtest.h: what the lab's tests share. A fresh database per test, in
 * build/scratch/, made from one of the fleets in fleets/; and the clock set
 * to 2026-01-01T00:00:00Z so that times and bills are exact.
 */
#ifndef CLOUD_TESTS_CLOUDTEST_H
#define CLOUD_TESTS_CLOUDTEST_H

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cloud_acct.h"
#include "cloud_run.h"

#define T0 1767225600LL /* 2026-01-01T00:00:00Z */

/*
 * Where the lab's files are, found when a test runs: the lab's folder is
 * the first one up from the test binary (build/tests/test_x, or
 * build/tests/hidden/test_x) that has fleets/, and the build folder the
 * one under it that holds the binary. No path is compiled in, so a test
 * still finds them after the lab's folder moves, and a copy of the lab
 * compiles to the same objects (a compiler cache then has them:
 * grader/README.md, "Checking the stages").
 */
static inline const char *lab_place(int build)
{
	static char lab[PATH_MAX], bld[PATH_MAX];
	char exe[PATH_MAX], try[PATH_MAX + 16];
	struct stat st;
	ssize_t n;

	if (!lab[0]) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		cr_assert(n > 0, "readlink /proc/self/exe: the test cannot find its lab's folder");
		exe[n] = '\0';
		for (int up = 0; up < 4 && !lab[0]; up++) {
			char *slash = strrchr(exe, '/');    /* exe: its parent folder */
			if (!slash || slash == exe)
				break;
			snprintf(bld, sizeof(bld), "%s", exe);
			*slash = '\0';
			snprintf(try, sizeof(try), "%s/fleets", exe);
			if (stat(try, &st) == 0 && S_ISDIR(st.st_mode))
				snprintf(lab, sizeof(lab), "%s", exe);
		}
		cr_assert(lab[0], "no fleets/ above this test binary: run it from the "
			  "lab's build/tests/ (make tests builds it there)");
	}
	return build ? bld : lab;
}

/* DIR/NAME.EXT in the lab's folder (the build folder when build), in one
 * of 4 static buffers. */
static inline const char *lab_file(int build, const char *dir, const char *name,
				   const char *ext)
{
	static char path[4][PATH_MAX + 64];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s/%s%s", lab_place(build), dir, name, ext);
	return path[i];
}

/* The lab's fleets/NAME.json. */
static inline const char *fleet_file(const char *name)
{
	return lab_file(0, "fleets", name, ".json");
}

/* The guest NAME.elf the build made (build/guest/). */
static inline const char *guest_file(const char *name)
{
	return lab_file(1, "guest", name, ".elf");
}

/* The tests' scratch folder, build/scratch/. */
static inline const char *scratch_dir(void)
{
	static char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/scratch", lab_place(1));
	return path;
}

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
	static char path[PATH_MAX + 128];

	mkdir(scratch_dir(), 0755);
	snprintf(path, sizeof(path), "%s/%s-%d.db", scratch_dir(), name, (int)getpid());
	for (const char *sfx = ""; sfx; sfx = *sfx ? NULL : "-wal") {
		char p[sizeof(path) + 8];
		snprintf(p, sizeof(p), "%s%s", path, sfx);
		unlink(p);
	}
	char shm[sizeof(path) + 8];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(shm);
	return path;
}

/* A new database with fleets/FLEET.json, the clock at T0. */
static inline struct cloud_db *fresh(const char *fleet)
{
	struct cloud_db *db;
	struct vmlab_err err;

	char *json = slurp(fleet_file(fleet));
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
