/*
 * test_db: the state on disk. Versioned and recognisable; a damaged or
 * foreign file refused without a crash and without being touched; state
 * that survives reopening, SIGKILL at any moment, and several processes
 * provisioning at once.
 */
#define _GNU_SOURCE /* memmem */
#include "graded.h"
#include "cloudtest.h"
#include "cloud_time.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static int64_t pragma(struct cloud_db *db, const char *sql)
{
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_prepare_v2(cloud_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int reopen(const char *path, const char *fleet, struct cloud_db **db)
{
	return cloud_db_open(path, fleet, db, NULL);
}

GRADED(db, new_database_is_versioned_and_ours, 1, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");

	cr_assert_eq(pragma(db, "PRAGMA user_version"), CLOUD_DB_VERSION);
	cr_assert_eq(pragma(db, "PRAGMA application_id"), CLOUD_DB_APP_ID);
	cr_assert_eq(pragma(db, "SELECT count(*) FROM host"), 5);
	cloud_db_close(db);
}

GRADED(db, state_survives_reopening, 1, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 3);
	struct cloud_insts in;
	struct vmlab_err err;
	char path[PATH_MAX + 128];

	snprintf(path, sizeof(path), "%s", scratch("tiny"));
	cloud_db_close(db);
	/* scratch() removed the file: make it again, close, reopen. */
	db = fresh("tiny");
	cloud_run_res_free(&r);
	r = run_in(db, "m5.large", "ap-south-1", 3);
	cloud_db_close(db);
	cr_assert_eq(reopen(path, NULL, &db), 0);
	cr_assert_eq(cloud_describe(db, NULL, 0, &in, &err), 0);
	cr_assert_eq(in.n, 3);
	cr_assert_str_eq(in.v[2].id, r.insts.v[2].id);
	int64_t now;
	cr_assert_eq(cloud_db_now(db, &now), 0);
	cr_assert_eq(now, T0, "the clock is part of the state");
	cloud_insts_free(&in);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}

static void write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
}

GRADED(db, garbage_is_refused_and_left_alone, 2, "04.3 state", 10)
{
	const char *path = scratch("garbage");
	char junk[4096], back[4096];
	struct cloud_db *db;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	write_file(path, junk, sizeof(junk));
	cr_assert_eq(reopen(path, NULL, &db), -EBADMSG);
	int fd = open(path, O_RDONLY);
	cr_assert_eq(read(fd, back, sizeof(back)), (ssize_t)sizeof(back));
	close(fd);
	cr_assert_eq(memcmp(junk, back, sizeof(junk)), 0, "the file was not touched");
	/* A database cut short is damaged too: keep only its first 100 bytes. */
	db = fresh("tiny");
	cloud_db_close(db);
	char whole[PATH_MAX + 64], cut[PATH_MAX + 32], head[100];
	snprintf(whole, sizeof(whole), "%s/tiny-%d.db", scratch_dir(), (int)getpid());
	fd = open(whole, O_RDONLY);
	cr_assert_eq(read(fd, head, sizeof(head)), (ssize_t)sizeof(head));
	close(fd);
	snprintf(cut, sizeof(cut), "%s/cut.db", scratch_dir());
	path = cut;
	write_file(path, head, sizeof(head));
	cr_assert_eq(reopen(path, NULL, &db), -EBADMSG);
	unlink(path);
}

/* The file offset of the first page of table name (pages count from 1). */
static off_t page_of(struct cloud_db *db, const char *name)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT rootpage FROM sqlite_master WHERE name = '%s'", name);
	return (off_t)((pragma(db, sql) - 1) * pragma(db, "PRAGMA page_size"));
}

static char *read_all(const char *path, size_t *n)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	char *buf;

	cr_assert(fd >= 0 && fstat(fd, &st) == 0);
	*n = (size_t)st.st_size;
	cr_assert_not_null(buf = malloc(*n + 1));
	cr_assert_eq(read(fd, buf, *n), (ssize_t)*n);
	close(fd);
	return buf;
}

/* A real database with three instances, closed (its log checkpointed). */
static void made_with_three(char *path, size_t len, off_t *instance, off_t *host_idx)
{
	struct cloud_db *db = fresh("tiny");
	struct cloud_run_res r = run_in(db, "m5.large", "ap-south-1", 3);

	cloud_run_res_free(&r);
	*instance = page_of(db, "instance");
	*host_idx = page_of(db, "host");
	snprintf(path, len, "%s/tiny-%d.db", scratch_dir(), (int)getpid());
	cloud_db_close(db);
}

/* A damaged page (SQLite's quick check fails): refused, not a byte written. */
GRADED(db, damaged_page_is_refused_untouched, 0, "04.3 state", 10)
{
	char path[PATH_MAX + 128], type = 0x42; /* not a b-tree page type */
	off_t instance, host;
	struct cloud_db *db;
	size_t n, m;

	made_with_three(path, sizeof(path), &instance, &host);
	int fd = open(path, O_WRONLY);
	cr_assert_eq(pwrite(fd, &type, 1, instance), 1);
	close(fd);
	char *before = read_all(path, &n);
	struct vmlab_err err;
	cr_assert_eq(cloud_db_open(path, NULL, &db, &err), -EUCLEAN,
		     "a file that fails PRAGMA quick_check is refused");
	cr_assert_eq(err.code, -EUCLEAN, "the code is what the call returned");
	cr_assert(strstr(err.msg, "Page"), "err says what SQLite found: %s", err.msg);
	char *after = read_all(path, &m);
	cr_assert(n == m && memcmp(before, after, n) == 0, "the file was not touched");
	free(before);
	free(after);
}

/* A row its index does not hold: quick_check passes, integrity_check not. */
GRADED(db, index_out_of_step_is_found, 0, "04.3 state", 10)
{
	char path[PATH_MAX + 128];
	struct vmlab_err err;
	off_t instance, host;
	struct cloud_db *db;
	size_t n;

	made_with_three(path, sizeof(path), &instance, &host);
	char *bytes = read_all(path, &n);
	char *name = memmem(bytes + host, n - (size_t)host, "ap-south-1a-h", 13);
	cr_assert_not_null(name, "a host name in the host table's page");
	name[13] = 'X'; /* the table says ...-hX1, its UNIQUE index ...-h01 */
	int fd = open(path, O_WRONLY);
	cr_assert_eq(pwrite(fd, name, 14, name - bytes), 14);
	close(fd);
	free(bytes);
	cr_assert_eq(reopen(path, NULL, &db), 0, "quick_check does not read indexes");
	cr_assert_eq(cloud_db_verify(db, 0, &err), -EUCLEAN);
	cr_assert(strstr(err.msg, "missing from index"), "%s", err.msg);
	cloud_db_close(db);
}

GRADED(db, foreign_sqlite_is_refused, 1, "04.3 state", 10)
{
	const char *path = scratch("foreign");
	sqlite3 *sq;
	struct cloud_db *db;

	cr_assert_eq(sqlite3_open(path, &sq), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(sq, "CREATE TABLE notes(t TEXT)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
	cr_assert_eq(reopen(path, NULL, &db), -EMEDIUMTYPE);
	cr_assert_eq(sqlite3_open(path, &sq), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(sq, "SELECT * FROM notes", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(sq, "SELECT * FROM host", NULL, NULL, NULL), SQLITE_OK,
		      "no tables of ours were added");
	sqlite3_close(sq);
}

GRADED(db, newer_schema_and_second_fleet_are_refused, 1, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	char path[PATH_MAX + 128];

	snprintf(path, sizeof(path), "%s/tiny-%d.db", scratch_dir(), (int)getpid());
	struct cloud_db *db2;
	cr_assert_eq(reopen(path, "{}", &db2), -EEXIST, "--fleet only for a new database");
	cr_assert_eq(cloud_db_exec(db, "PRAGMA user_version = 99"), 0);
	cloud_db_close(db);
	cr_assert_eq(reopen(path, NULL, &db), -EPROTO);
}

GRADED(db, clock_set_advance_wall, 1, "04.3 state", 10)
{
	struct cloud_db *db = fresh("tiny");
	int64_t t;
	int fixed;

	/* How people write times and durations (cloud_time). */
	cr_assert_eq(cloud_time_parse("2026-01-01T00:00:00Z", &t), 0);
	cr_assert_eq(t, T0);
	cr_assert_eq(cloud_time_parse("1767225600", &t), 0);
	cr_assert_eq(t, T0);
	cr_assert_eq(cloud_time_parse("yesterday", &t), -EINVAL);
	cr_assert_eq(cloud_duration_parse("15m", &t), 0);
	cr_assert_eq(t, 900);
	cr_assert_eq(cloud_duration_parse("2h", &t), 0);
	cr_assert_eq(t, 7200);
	cr_assert_eq(cloud_duration_parse("1w", &t), -EINVAL);

	cr_assert_eq(cloud_db_clock(db, &t, &fixed), 0);
	cr_assert(fixed);
	cr_assert_eq(t, T0);
	cr_assert_eq(cloud_clock_move(db, 90, 0), 0);
	cr_assert_eq(cloud_db_clock(db, &t, &fixed), 0);
	cr_assert_eq(t, T0 + 90);
	/* The wall clock: between the times read before and after, however slow. */
	int64_t before = (int64_t)time(NULL);
	cr_assert_eq(cloud_clock_move(db, 0, -1), 0);
	cr_assert_eq(cloud_db_clock(db, &t, &fixed), 0);
	cr_assert(!fixed);
	cr_assert(t >= before && t <= (int64_t)time(NULL), "wall clock %lld, read between %lld and now",
		  (long long)t, (long long)before);
	cloud_db_close(db);
}

/*
 * One random operation, as a user at the command line might do. Returns 'r'
 * for a run that launched instances (committed by then), 'o' otherwise.
 */
static char random_op(struct cloud_db *db, unsigned *seed)
{
	static const char *const regions[] = {"ap-south-1", "us-east-2", "eu-west-1"};
	static const char *const types[] = {"t3.micro", "m5.large", "m5.2xlarge"};
	struct vmlab_err err;
	int k = rand_r(seed) % 10;

	if (k < 5) {
		struct cloud_run_req q = {.type = types[rand_r(seed) % 3],
					  .region = regions[rand_r(seed) % 3],
					  .min = 1, .max = 1 + (size_t)(rand_r(seed) % 3),
					  .policy = rand_r(seed) % 2 ? PART_WORST_FIT : PART_BEST_FIT};
		struct cloud_run_res res;
		if (cloud_run(db, &q, &res, &err) == 0) {
			cloud_run_res_free(&res);
			return 'r';
		}
	} else if (k < 9) {
		struct cloud_insts in, out;
		if (cloud_describe(db, NULL, 0, &in, &err) || in.n == 0)
			return 'o';
		char *id = in.v[rand_r(seed) % in.n].id;
		if (cloud_act(db, (enum cloud_action)(k - 5) % 3, &id, 1, &out, &err) == 0)
			cloud_insts_free(&out);
		cloud_insts_free(&in);
	} else {
		cloud_clock_move(db, 1 + rand_r(seed) % 20, 0);
	}
	return 'o';
}

/*
 * A child that does random operations until it is killed, writing one byte
 * to fd after each (its progress: the parent kills by progress, not by a
 * guess of how fast this machine is).
 */
static void churn(const char *path, unsigned seed, int fd)
{
	struct cloud_db *db;

	if (reopen(path, NULL, &db))
		_exit(100);
	for (;;) {
		char c = random_op(db, &seed);
		if (write(fd, &c, 1) != 1)
			_exit(101);
	}
}

/* Reads k progress bytes of a churning child; returns the launches among them. */
static int await_ops(int fd, int k)
{
	int runs = 0;

	for (int i = 0; i < k; i++) {
		char c;
		cr_assert_eq(read(fd, &c, 1), 1, "the child died after %d operations", i);
		runs += c == 'r';
	}
	return runs;
}

/*
 * Each round the child is killed once it has done k operations (k random),
 * then after a random delay of 0-2 ms: inside whatever operation comes next,
 * however busy the machine is.
 */
GRADED(db, sigkill_at_any_moment_loses_nothing, 4, "04.3 state", 60)
{
	struct cloud_db *db = fresh("default");
	char path[PATH_MAX + 128];
	unsigned seed = 2026;
	int ops = 0, runs = 0;

	snprintf(path, sizeof(path), "%s/default-%d.db", scratch_dir(), (int)getpid());
	cloud_db_close(db);
	for (int round = 0; round < 40; round++) {
		int p[2], k = 1 + rand_r(&seed) % 4;
		cr_assert_eq(pipe(p), 0);
		pid_t pid = fork();
		cr_assert(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			churn(path, seed + (unsigned)round, p[1]);
		}
		close(p[1]);
		runs += await_ops(p[0], k);
		ops += k;
		struct timespec ts = {0, (long)(rand_r(&seed) % 2000) * 1000L};
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		close(p[0]);
		int status;
		waitpid(pid, &status, 0);
		cr_assert(WIFSIGNALED(status), "the child was killed, not exited (%d)", status);
		cr_assert_eq(reopen(path, NULL, &db), 0, "reopens after a kill");
		assert_books(db);
		cloud_db_close(db);
	}
	cr_assert_eq(reopen(path, NULL, &db), 0);
	int64_t n = pragma(db, "SELECT count(*) FROM instance");
	cr_assert_geq(n, runs, "every launch reported done is kept (%lld rows, %d launches)",
		      (long long)n, runs);
	cr_assert_geq(runs, 20, "enough happened to mean something (%d launches in %d operations)",
		      runs, ops);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(cloud_db_sqlite(db), "PRAGMA integrity_check", -1, &st, NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	cloud_db_close(db);
}

/* A child that tries tries runs of count instances; exits with its successes. */
static void provision(const char *path, const char *type, const char *region,
		      int tries, size_t count)
{
	struct cloud_db *db;
	int ok = 0;

	if (reopen(path, NULL, &db))
		_exit(100);
	for (int i = 0; i < tries; i++) {
		struct cloud_run_req q = {.type = type, .region = region, .min = count,
					  .max = count, .policy = PART_WORST_FIT};
		struct cloud_run_res res;
		struct vmlab_err err;
		int rc = cloud_run(db, &q, &res, &err);
		if (rc == 0) {
			ok++;
			cloud_run_res_free(&res);
		} else if (rc != -ENOSPC) {
			_exit(101);
		}
	}
	cloud_db_close(db);
	_exit(ok);
}

/* Starts n provisioning children at once; returns their total successes. */
static int race(const char *path, int n, const char *type, const char *region,
		int tries, size_t count)
{
	pid_t pids[8];
	int total = 0;

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		cr_assert(pids[i] >= 0);
		if (pids[i] == 0)
			provision(path, type, region, tries, count);
	}
	for (int i = 0; i < n; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) <= tries,
			  "child %d failed (status %d)", i, status);
		total += WEXITSTATUS(status);
	}
	return total;
}

GRADED(db, concurrent_provisioning_is_exact, 4, "04.3 state", 60)
{
	struct cloud_db *db = fresh("tiny");
	char path[PATH_MAX + 128];

	snprintf(path, sizeof(path), "%s/tiny-%d.db", scratch_dir(), (int)getpid());
	/* ap-south-1 holds 8 m5.large; 4 processes ask 6 times each. */
	int won = race(path, 4, "m5.large", "ap-south-1", 6, 1);
	cr_assert_eq(won, 8, "exactly the room there was: %d", won);
	cr_assert_eq(pragma(db, "SELECT count(*) FROM instance"), 8);
	cr_assert_eq(pragma(db, "SELECT count(*) FROM host WHERE used_cpu > cap_cpu"
				" OR used_mem > cap_mem"), 0);
	assert_books(db);
	/* Another region, room for 4 t3.micro: 8 requests, 4 land, none twice. */
	won = race(path, 4, "t3.micro", "ap-southeast-1", 2, 1);
	cr_assert_eq(won, 4);
	cr_assert_eq(pragma(db, "SELECT count(DISTINCT id) FROM instance"), 12);
	assert_books(db);
	cloud_db_close(db);
}
