/*
 * part_fit: the placement policies (see part_fit.h).
 *
 * A policy is a score: part_fit_choose() walks every bin, keeps those where
 * the request fits, and takes the lowest score (the lowest index on a tie).
 *   first-fit  score 0 for every bin, so the tie rule picks the first one;
 *   best-fit   the share of the bin that would be left, averaged over the
 *              resources the bin has: the tightest bin wins (packs);
 *   worst-fit  minus that share: the emptiest bin wins (spreads).
 * Cost: O(n) per choice (first-fit stops at the first fit, best-fit at a
 * perfect one); no allocation.
 */
#include "part_fit.h"

#include <errno.h>
#include <string.h>

static const char *const names[] = {
	[PART_FIRST_FIT] = "first-fit",
	[PART_BEST_FIT] = "best-fit",
	[PART_WORST_FIT] = "worst-fit",
};

int part_policy_parse(const char *name, enum part_policy *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (name && strcmp(name, names[i]) == 0) {
			*out = (enum part_policy)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *part_policy_name(enum part_policy p)
{
	if ((unsigned)p >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[p];
}

/*
 * The contract is in part_fit.h.
 * Stage 02.2, README "Steps" 2.
 */
int part_res_fits(const struct part_res *free, const struct part_res *want)
{
	/* >>> SOLUTION 02.2: want fits only if it fits on all three resources. */
	return want->cpu_milli <= free->cpu_milli && want->mem <= free->mem &&
	       want->disk <= free->disk;
	/* === STUB
	(void)free;
	(void)want;
	return 0;
	*/
	/* <<< SOLUTION */
}

/* The share of one resource a bin keeps after placing want: (free - want)
 * / cap, between 0 and 1 (the caller checked that want fits and cap > 0).
 * Stage 02.2, README "Steps" 2. */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static double left_share(uint64_t free, uint64_t cap, uint64_t want)
{
	/* >>> SOLUTION 02.2: one division, in double */
	return (double)(free - want) / (double)cap;
	/* === STUB
	(void)free;
	(void)cap;
	(void)want;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The mean of left_share over the resources the bin has (cap not 0: a core
 * has only cpu_milli), 0 for a bin with none. Best-fit prefers the bin this
 * leaves emptiest-handed, worst-fit the one it leaves roomiest.
 * Stage 02.2, README "Steps" 2.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static double mean_left(const struct part_res *free, const struct part_res *cap,
			const struct part_res *want)
{
	/* >>> SOLUTION 02.2: sum and count the shares of cpu_milli, mem and disk where cap has them */
	double sum = 0;
	int n = 0;

	if (cap->cpu_milli) {
		sum += left_share(free->cpu_milli, cap->cpu_milli, want->cpu_milli);
		n++;
	}
	if (cap->mem) {
		sum += left_share(free->mem, cap->mem, want->mem);
		n++;
	}
	if (cap->disk) {
		sum += left_share(free->disk, cap->disk, want->disk);
		n++;
	}
	return n ? sum / n : 0;
	/* === STUB
	(void)free;
	(void)cap;
	(void)want;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_fit.h; lower is better. First-fit: 0 for every
 * bin (the order decides). Best-fit: mean_left (the tightest fit wins).
 * Worst-fit: minus mean_left (the roomiest bin wins).
 * Stage 02.2, README "Steps" 2.
 */
double part_fit_score(enum part_policy p, const struct part_res *free,
		      const struct part_res *cap, const struct part_res *want)
{
	/* >>> SOLUTION 02.2: first-fit 0; best-fit the share left; worst-fit minus it. */
	switch (p) {
	case PART_BEST_FIT:
		return mean_left(free, cap, want);
	case PART_WORST_FIT:
		return -mean_left(free, cap, want);
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
 * The contract is in part_fit.h. Among the bins where part_res_fits, the
 * one with the lowest part_fit_score; a tie goes to the lowest index; -1
 * when none fits. First-fit returns the first bin that fits without
 * scoring the rest, and best-fit stops at a perfect fit (score <= 0):
 * nothing beats it (the planner's speed depends on both).
 * Stage 02.2, README "Steps" 2.
 */
long part_fit_choose(enum part_policy p, const struct part_res *free,
		     const struct part_res *cap, size_t n,
		     const struct part_res *want)
{
	/* >>> SOLUTION 02.2: the fitting bin with the lowest score; ties to the lowest index. */
	long best = -1;
	double best_score = 0;

	for (size_t i = 0; i < n; i++) {
		if (!part_res_fits(&free[i], want))
			continue;
		/* First-fit's whole point: stop looking at the first fit. */
		if (p == PART_FIRST_FIT)
			return (long)i;
		double s = part_fit_score(p, &free[i], &cap[i], want);
		/* Nothing beats a perfect fit (no room left): stop there. */
		if (p == PART_BEST_FIT && s <= 0)
			return (long)i;
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
