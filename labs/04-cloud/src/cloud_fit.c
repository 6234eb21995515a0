/*
 * cloud_fit: scoring a host for an instance (see cloud_fit.h).
 *
 * A policy is a score: cloud_fit_choose() walks the hosts, keeps those
 * where the instance fits, and takes the lowest score (the lowest index on
 * a tie). cloud_place scores a whole zone the same way, as one big host.
 * Cost: O(n) per choice; first-fit stops at the first fit, best-fit at a
 * perfect one; no allocation.
 */
#include "cloud_fit.h"

#include <errno.h>
#include <string.h>

static const char *const names[] = {
	[PART_FIRST_FIT] = "first-fit",
	[PART_BEST_FIT] = "best-fit",
	[PART_WORST_FIT] = "worst-fit",
};

int cloud_fit_parse(const char *name, enum part_policy *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (name && strcmp(name, names[i]) == 0) {
			*out = (enum part_policy)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *cloud_fit_name(enum part_policy p)
{
	if ((unsigned)p >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[p];
}

/*
 * The contract is in cloud_fit.h.
 * Stage 04.2, README "Steps" 2.
 */
int cloud_fit_room(const struct part_res *free, const struct part_res *want)
{
	/* >>> SOLUTION 04.2: 1 only if want fits on CPU, memory and disk alike. */
	return want->cpu_milli <= free->cpu_milli && want->mem <= free->mem &&
	       want->disk <= free->disk;
	/* === STUB
	(void)free;
	(void)want;
	return 0;
	*/
	/* <<< SOLUTION */
}

/* >>> SOLUTION 04.2: The share of the host left after placing, averaged. */
/* (free - want) / cap on one resource: how much of the host stays free. */
static double left(uint64_t free, uint64_t cap, uint64_t want)
{
	return (double)(free - want) / (double)cap;
}

/* The mean of left() over the resources the host has (cap > 0), or 0. */
static double mean_left(const struct part_res *free, const struct part_res *cap,
			const struct part_res *want)
{
	double sum = 0;
	int n = 0;

	if (cap->cpu_milli) {
		sum += left(free->cpu_milli, cap->cpu_milli, want->cpu_milli);
		n++;
	}
	if (cap->mem) {
		sum += left(free->mem, cap->mem, want->mem);
		n++;
	}
	if (cap->disk) {
		sum += left(free->disk, cap->disk, want->disk);
		n++;
	}
	return n ? sum / n : 0;
}
/* === STUB
*/
/* <<< SOLUTION */

/*
 * The contract is in cloud_fit.h.
 * Stage 04.2, README "Steps" 2.
 */
double cloud_fit_score(enum part_policy p, const struct part_res *free,
		       const struct part_res *cap, const struct part_res *want)
{
	/* >>> SOLUTION 04.2: first-fit 0, best-fit (pack) the mean share left, worst-fit (spread) minus it. */
	switch (p) {
	case PART_BEST_FIT:
		return mean_left(free, cap, want); /* pack: the fullest host wins */
	case PART_WORST_FIT:
		return -mean_left(free, cap, want); /* spread: the emptiest wins */
	case PART_FIRST_FIT:
	default:
		return 0;
	}
	/* === STUB
	(void)p;
	(void)free;
	(void)cap;
	(void)want;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in cloud_fit.h.
 * Stage 04.2, README "Steps" 2.
 */
long cloud_fit_choose(enum part_policy p, const struct part_res *free,
		      const struct part_res *cap, size_t n,
		      const struct part_res *want)
{
	/* >>> SOLUTION 04.2: The fitting host with the lowest score, ties to the lowest index; -1 if none fits. */
	long best = -1;
	double best_score = 0;

	for (size_t i = 0; i < n; i++) {
		if (!cloud_fit_room(&free[i], want))
			continue;
		if (p == PART_FIRST_FIT)
			return (long)i; /* nothing can beat the first fit */
		double s = cloud_fit_score(p, &free[i], &cap[i], want);
		if (p == PART_BEST_FIT && s <= 0)
			return (long)i; /* a perfect fit: nothing left over */
		if (best < 0 || s < best_score) {
			best = (long)i;
			best_score = s;
		}
	}
	return best;
	/* === STUB
	(void)p;
	(void)free;
	(void)cap;
	(void)n;
	(void)want;
	return -1;
	*/
	/* <<< SOLUTION */
}
