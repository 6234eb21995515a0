/*
 * cloud_sim: the placement logic at data-centre scale, in memory (part 2).
 *
 * A generated fleet of identical hosts (the fleet's default model, 48 vCPUs
 * and 192 GiB), a seeded random stream of requests drawn evenly from the
 * instance catalog, each placed on one host by a policy through the index
 * (cloud_index) or, for comparison, the plain scan (cloud_fit_choose). The
 * same seed gives the same result, decision for decision.
 */
#ifndef CLOUD_SIM_H
#define CLOUD_SIM_H

#include "cloud_fleet.h"

struct cloud_sim_opts {
	size_t hosts, requests;
	enum part_policy policy;
	uint64_t seed;
	int scan; /* 1: cloud_fit_choose over every host instead of the index */
};

struct cloud_sim_result {
	size_t placed, rejected;
	size_t hosts_used;   /* hosts holding at least one instance */
	size_t lower_bound;  /* max over resources of ceil(demand / host capacity) */
	double seconds;      /* time spent deciding and updating */
	uint64_t stranded_cpu, stranded_mem; /* free on used hosts, too little of
					      * the other resource to use it */
	uint64_t cap_cpu, cap_mem;           /* the whole fleet's */
	uint64_t checksum;   /* of every decision: equal runs give equal sums */
};

/*
 * Runs the simulation with the types of catalog (a parsed fleet). Returns
 * 0, -EINVAL (no hosts, no types) or -ENOMEM.
 */
int cloud_sim_run(const struct cloud_fleet *catalog, const struct cloud_sim_opts *o,
		  struct cloud_sim_result *r);

#endif /* CLOUD_SIM_H */
