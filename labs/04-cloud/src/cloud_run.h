/*
 * cloud_run: launching instances, EC2's RunInstances.
 *
 * One region per request: the one named, or the closest to --near that has
 * room for min-count (cloud_place_region). Within it each instance gets a
 * zone and a host by the policy (cloud_place_one). min-count is
 * all-or-nothing: fewer fit and nothing is launched, and the error says
 * which zones and regions still have room. A client token makes the call
 * idempotent: the same token with the same parameters returns the first
 * call's instances; with other parameters it is an error.
 */
#ifndef CLOUD_RUN_H
#define CLOUD_RUN_H

#include "cloud_inst.h"

struct cloud_run_req {
	const char *type;
	const char *region; /* a region code, or NULL */
	const char *near;   /* a place (cloud_place_locate), or NULL */
	const char *az;     /* a zone, or NULL */
	const char *token;  /* a client token, or NULL */
	size_t min, max;
	enum part_policy policy;
	int explain; /* fill notes and ranked */
};

struct cloud_run_res {
	char reservation[CLOUD_ID_MAX];
	long region;
	int replayed; /* the token's earlier answer, nothing new launched */
	struct cloud_insts insts;
	struct cloud_notes notes;  /* --explain: every zone and host considered */
	struct cloud_rank *ranked; /* --explain with --near: regions by latency */
	size_t *room;              /* ... and how many fit in each of them */
	size_t nranked;
};

/*
 * Launches between min and max instances: all of them in one region, the
 * given one or the closest to req->near with room for min. Fewer than min
 * fit: nothing is launched. Returns 0, or -errno with err filled.
 */
int cloud_run(struct cloud_db *db, const struct cloud_run_req *req,
	      struct cloud_run_res *res, struct vmlab_err *err);
void cloud_run_res_free(struct cloud_run_res *res);

#endif /* CLOUD_RUN_H */
