/*
 * provision: how fast `cloud` provisions through its database, one instance
 * per transaction against batches of 10 and 100 per transaction, on a fleet
 * of 500 hosts (fleets/bench.json). Every transaction is durable (WAL,
 * synchronous=FULL): the cost of one is mostly the wait for the disk.
 *
 *   build/bench/provision FLEET.json DB-PATH [N]
 * prints instances per second for each batch size and the ratio to one at
 * a time (the baseline, measured in the same run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cloud_run.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	size_t n;

	if (!f) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Launches n instances, batch per call; returns instances per second. */
static double measure(const char *fleet, const char *path, size_t n, size_t batch)
{
	struct cloud_db *db;
	struct vmlab_err err;
	char wal[600], shm[600];

	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(path), unlink(wal), unlink(shm);
	if (cloud_db_open(path, fleet, &db, &err)) {
		fprintf(stderr, "provision: open %s: %s\n", path, err.msg);
		exit(1);
	}
	double t0 = now_s();
	for (size_t done = 0; done < n; done += batch) {
		struct cloud_run_req q = {.type = "t3.nano", .region = "us-east-1",
					  .min = batch, .max = batch, .policy = PART_WORST_FIT};
		struct cloud_run_res res;
		struct vmlab_err e = {0};
		int rc = cloud_run(db, &q, &res, &e);
		if (rc) {
			fprintf(stderr, "provision: run: %s %s\n", e.name ? e.name : "", e.msg);
			exit(1);
		}
		cloud_run_res_free(&res);
	}
	double dt = now_s() - t0;
	cloud_db_close(db);
	return (double)n / dt;
}

int main(int argc, char **argv)
{
	static const size_t batches[] = {1, 10, 100};
	size_t n = argc > 3 ? (size_t)atol(argv[3]) : 1000;
	double base = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: provision FLEET.json DB-PATH [N]\n");
		return 2;
	}
	const char *fleet = slurp(argv[1]);
	printf("%-24s %12s %8s\n", "instances per transaction", "instances/s", "ratio");
	for (size_t i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		double r = measure(fleet, argv[2], n, batches[i]);
		if (i == 0)
			base = r;
		printf("%-24zu %12.0f %7.1fx\n", batches[i], r, r / base);
	}
	return 0;
}
