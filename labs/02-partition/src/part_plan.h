/*
 * part_plan: dividing one host among virtual servers.
 *
 * The host keeps a reserve for itself (its lowest CPU ids, some memory and
 * disk), the rest is the pool. Requests are taken in order; each one either
 * gets concrete resources or is rejected with the reason, and the rest go on:
 *   CPU     vCPUs on distinct cores: core ids from the pool; a core takes
 *           ratio vCPUs (ratio 1 = dedicated cores, 4 = four vCPUs share
 *           each core, a cloud's CPU allocation ratio). Which core gets the
 *           next vCPU is the policy's choice (part_fit_choose over cores).
 *   memory  a fixed amount (never overcommitted);
 *   disk    an extent [offset, offset + size) of one backing image, aligned
 *           to 1 MiB, extents in request order and never overlapping.
 * Invariants after part_plan_make(): no core holds more than ratio vCPUs,
 * with ratio 1 no core is given twice, memory and disk placed never exceed
 * the pool. Cost: each vCPU scans the cores that still have room, so
 * first-fit, which fills cores from the front, stays fast; worst-fit, which
 * keeps every core partly free, scans them all: O(vCPUs x cores).
 */
#ifndef PART_PLAN_H
#define PART_PLAN_H

#include "part_fit.h"
#include "part_req.h"

#define PART_RATIO_MAX 64000      /* at most 64 vCPUs per core */
#define PART_DISK_ALIGN PART_MIB  /* extents start on 1 MiB boundaries */

struct part_opts {
	struct part_host host, reserve;
	uint64_t ratio_milli;     /* vCPUs per core, in thousandths (1000..64000) */
	enum part_policy policy;
};

struct part_vs {                  /* one placed virtual server */
	struct part_req req;
	uint32_t *cpu;            /* req.vcpus core ids, ascending */
	uint64_t disk_off;        /* its extent in the backing image */
};

struct part_reject {
	struct part_req req;
	char why[160];            /* "web3: needs 8 GiB memory, ..." */
};

struct part_plan {
	struct part_opts opts;
	struct part_vs *vs;
	size_t nvs;
	struct part_reject *rej;
	size_t nrej;
	uint32_t first_core, ncores;  /* the pool's cores: first_core.. */
	struct part_res *core_cap, *core_free; /* per pool core, cpu_milli only */
	uint32_t full_below;      /* pool cores [0, full_below) have no room left */
	struct part_res pool;     /* what the reserve leaves, cpu in vCPU-milli */
	struct part_res used;     /* what was placed */
	uint64_t image_size;      /* end of the last extent: the image's size */
	char image[256];          /* the backing image's path (set by the caller) */
};

/*
 * Plans rs on o. Returns 0 (some requests may be in pl->rej), -EINVAL with
 * err->msg if the options make no sense (reserve >= host, bad ratio), or
 * -ENOMEM. pl is always safe to pass to part_plan_free().
 */
int part_plan_make(struct part_plan *pl, const struct part_opts *o,
		   const struct part_reqs *rs, struct vmlab_err *err);

void part_plan_free(struct part_plan *pl);

/*
 * Stranded capacity: what is left that no request shape in rs can use,
 * because another resource runs out first. stranded.cpu_milli is vCPU-milli
 * idle for lack of memory or disk (cpu_for names which), and so on.
 */
struct part_stranded {
	struct part_res left;      /* the pool minus what was placed */
	struct part_res stranded;  /* of left, unusable by any shape */
	const char *cpu_for, *mem_for, *disk_for; /* "memory", "CPU", ... or NULL */
};
void part_plan_stranded(const struct part_plan *pl, const struct part_reqs *rs,
			struct part_stranded *out);

/*
 * The cpu.max quota (microseconds per 100000 us period) for vcpus vCPUs on
 * shared cores: each vCPU is entitled to 1/ratio of a core. 0 means no
 * limit (dedicated cores, ratio 1: the cpuset alone is the limit).
 */
#define PART_CPU_PERIOD 100000
uint64_t part_cpu_quota(uint32_t vcpus, uint64_t ratio_milli);

/* Writes the core ids as a cpuset list: "1-4,7". Returns buf. */
char *part_cpulist(const uint32_t *cpu, uint32_t n, char *buf, size_t len);

#endif /* PART_PLAN_H */
