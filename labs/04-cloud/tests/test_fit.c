/*
 * test_fit: scoring hosts (cloud_fit), without a fleet: room on every
 * resource, the three scores on hosts of different sizes, and the choice
 * with its tie rule.
 */
#include "graded.h"
#include "cloud_fit.h"

#include <criterion/criterion.h>
#include <errno.h>

#define GIB (1ull << 30)

/* A host of c CPUs and m GiB, no disk. */
static struct part_res host(uint64_t c, uint64_t m)
{
	return (struct part_res){.cpu_milli = c * 1000, .mem = m * GIB};
}

GRADED(fit, room_on_every_resource, 1, "04.2 placement", 5)
{
	struct part_res free = {.cpu_milli = 4000, .mem = 16 * GIB, .disk = 100};

	cr_assert_eq(cloud_fit_room(&free, &(struct part_res){4000, 16 * GIB, 100}), 1, "exactly full fits");
	cr_assert_eq(cloud_fit_room(&free, &(struct part_res){4001, 1, 0}), 0, "CPU");
	cr_assert_eq(cloud_fit_room(&free, &(struct part_res){1000, 16 * GIB + 1, 0}), 0, "memory");
	cr_assert_eq(cloud_fit_room(&free, &(struct part_res){1000, GIB, 101}), 0, "disk");
}

GRADED(fit, scores_are_the_share_left, 1, "04.2 placement", 5)
{
	struct part_res cap = host(8, 32), free = host(4, 8), want = host(2, 8);

	/* Left: 2 of 8 CPUs (0.25) and 0 of 32 GiB (0): a mean of 0.125. */
	cr_assert_float_eq(cloud_fit_score(PART_BEST_FIT, &free, &cap, &want), 0.125, 1e-9);
	cr_assert_float_eq(cloud_fit_score(PART_WORST_FIT, &free, &cap, &want), -0.125, 1e-9);
	cr_assert_float_eq(cloud_fit_score(PART_FIRST_FIT, &free, &cap, &want), 0, 1e-9);
}

GRADED(fit, choose_packs_spreads_and_breaks_ties_low, 2, "04.2 placement", 5)
{
	struct part_res cap[4] = {host(8, 32), host(8, 32), host(16, 64), host(8, 32)};
	struct part_res free[4] = {host(1, 4), host(4, 16), host(12, 48), host(4, 16)};
	struct part_res want = host(2, 8);

	cr_assert_eq(cloud_fit_choose(PART_FIRST_FIT, free, cap, 4, &want), 1, "host 0 is too full");
	cr_assert_eq(cloud_fit_choose(PART_BEST_FIT, free, cap, 4, &want), 1,
		     "pack: hosts 1 and 3 are left a quarter free, 1 comes first");
	cr_assert_eq(cloud_fit_choose(PART_WORST_FIT, free, cap, 4, &want), 2,
		     "spread: host 2 is left 10/16 free");
	cr_assert_eq(cloud_fit_choose(PART_WORST_FIT, free, cap, 4, &(struct part_res){host(13, 1).cpu_milli, 0, 0}),
		     -1, "nothing fits 13 CPUs");
	cr_assert_eq(cloud_fit_choose(PART_BEST_FIT, free, cap, 0, &want), -1, "no hosts");
}

GRADED(fit, names_parse_both_ways, 0, "04.2 placement", 5)
{
	enum part_policy p;

	for (int i = PART_FIRST_FIT; i <= PART_WORST_FIT; i++) {
		cr_assert_eq(cloud_fit_parse(cloud_fit_name((enum part_policy)i), &p), 0);
		cr_assert_eq(p, (enum part_policy)i);
	}
	cr_assert_eq(cloud_fit_parse("spread", &p), -EINVAL, "cloud_policy_parse knows spread");
	cr_assert_str_eq(cloud_fit_name((enum part_policy)7), "unknown");
}
