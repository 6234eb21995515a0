/*
 * cloud_report: the provider's view. Hosts, what runs on each and how full
 * it is, zone by zone and region by region; what each host earns against
 * what it costs; and the whole fleet as a Graphviz picture. A customer
 * never sees any of this (cloud_show is their view).
 */
#ifndef CLOUD_REPORT_H
#define CLOUD_REPORT_H

#include <stdio.h>

#include "cloud_acct.h"
#include "cloud_fail.h"
#include "cloud_sim.h"

/*
 * The hosts of region r (all regions if r < 0) with their allocation and
 * the instances (in) that hold each. Returns 0 or -EIO.
 */
int cloud_report_hosts(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_insts *in, long r, int json);

/* Revenue, cost and utilization per host (hosts never used: one line). */
int cloud_report_provider(FILE *out, const struct cloud_provider *p, int json);

/* Regions, zones, hosts and instances as a Graphviz graph. */
int cloud_report_dot(FILE *out, const struct cloud_fleet *f,
		     const struct cloud_insts *in);

/* What a failure did: each instance moved (from, to) or impaired. */
int cloud_report_moves(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_moves *m, const char *what, int json);

/* What simulate found: speed, hosts used against the bound, stranded room. */
int cloud_report_sim(FILE *out, const struct cloud_sim_opts *o,
		     const struct cloud_sim_result *r, int json);

#endif /* CLOUD_REPORT_H */
