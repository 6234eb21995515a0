/*
 * part_report: a plan, told three ways.
 *
 *   part_report_text()  for people: the host, a table of virtual servers,
 *                       the rejections with their reasons, utilization before
 *                       and after, stranded capacity;
 *   part_report_json()  the same facts for programs (and for `partition
 *                       apply`, which reads them back with part_plan_from_json);
 *   part_report_dot()   a Graphviz picture: the host as a plot of land, one
 *                       lot per virtual server, each lot's area its share.
 * The writers write to the stream they are given and return 0 or -errno
 * (-EIO if the stream failed); they never choose where output goes.
 */
#ifndef PART_REPORT_H
#define PART_REPORT_H

#include <stdio.h>

#include "part_plan.h"

/* Utilization of the host: used / capacity, per resource (0..1, or more
 * than 1 for CPU when vCPUs share cores). */
struct part_util {
	double cpu, mem, disk;
};

/*
 * Before: the whole host running one application the size of the first
 * request (the lesson's one house on the acre). After: every virtual server
 * of the plan. Both against the whole host, reserve included.
 */
void part_util_before(const struct part_plan *pl, const struct part_reqs *rs,
		      struct part_util *u);
void part_util_after(const struct part_plan *pl, struct part_util *u);

int part_report_text(FILE *f, const struct part_plan *pl,
		     const struct part_reqs *rs);
int part_report_dot(FILE *f, const struct part_plan *pl);

/* The lot's share of the host that the picture draws: mean of CPU and memory. */
double part_share(const struct part_plan *pl, uint32_t vcpus, uint64_t mem);

#endif /* PART_REPORT_H */
