/*
 * part_fit: choosing a bin for a request, the placement policies of lab 02.
 *
 * A bin is anything with a capacity in CPU, memory and disk: a host's free
 * pool in lab 02, a physical host in a zone in lab 04 (which uses these
 * types but scores hosts with its own cloud_fit.c, never this module's
 * code). CPU is counted in thousandths of a CPU so that an allocation ratio
 * (vCPUs sharing cores) stays in integers.
 *
 * Policies: first-fit takes the first bin with room (fast, fills the front);
 * best-fit the bin left with the least room (packs, fewer bins used);
 * worst-fit the bin left with the most room (spreads, even load).
 */
#ifndef PART_FIT_H
#define PART_FIT_H

#include <stddef.h>
#include <stdint.h>

struct part_res {
	uint64_t cpu_milli; /* 1000 = one whole CPU */
	uint64_t mem;       /* bytes */
	uint64_t disk;      /* bytes */
};

enum part_policy { PART_FIRST_FIT, PART_BEST_FIT, PART_WORST_FIT };

/* Parses "first-fit", "best-fit" or "worst-fit". Returns 0, or -EINVAL. */
int part_policy_parse(const char *name, enum part_policy *out);

/* The policy's name as part_policy_parse() reads it. */
const char *part_policy_name(enum part_policy p);

/* Returns 1 if want fits in free on every resource, else 0. */
int part_res_fits(const struct part_res *free, const struct part_res *want);

/*
 * Scores placing want into a bin of capacity cap with free room left:
 * lower is better under the policy. Only meaningful when want fits.
 */
double part_fit_score(enum part_policy p, const struct part_res *free,
		      const struct part_res *cap, const struct part_res *want);

/*
 * Chooses among n bins (free[i] of cap[i]) the one the policy prefers for
 * want; ties go to the lowest index. Returns its index, or -1 if none fits.
 */
long part_fit_choose(enum part_policy p, const struct part_res *free,
		     const struct part_res *cap, size_t n,
		     const struct part_res *want);

#endif /* PART_FIT_H */
