/*
 * test_part_fit: the three placement policies on small, hand-checked bins.
 */
#include "graded.h"
#include "part_fit.h"

#include <errno.h>

#define GIB (1024ULL * 1024 * 1024)

static const struct part_res cap[3] = {
	{8000, 16 * GIB, 100 * GIB},
	{8000, 16 * GIB, 100 * GIB},
	{8000, 16 * GIB, 100 * GIB},
};

/* Bin 0 half full, bin 1 nearly full, bin 2 empty. */
static const struct part_res freeb[3] = {
	{4000, 8 * GIB, 50 * GIB},
	{2000, 3 * GIB, 10 * GIB},
	{8000, 16 * GIB, 100 * GIB},
};

GRADED(part_fit, policy_names_round_trip, 1, "02.2 plan", 5)
{
	enum part_policy p;

	for (int i = PART_FIRST_FIT; i <= PART_WORST_FIT; i++) {
		cr_assert_eq(part_policy_parse(part_policy_name(i), &p), 0);
		cr_assert_eq(p, (enum part_policy)i);
	}
	cr_assert_eq(part_policy_parse("next-fit", &p), -EINVAL);
	cr_assert_eq(part_policy_parse("", &p), -EINVAL);
}

GRADED(part_fit, fits_needs_every_resource, 1, "02.2 plan", 5)
{
	struct part_res f = {2000, 4 * GIB, 10 * GIB};
	struct part_res exact = f;
	struct part_res cpu = {2001, 1, 1}, mem = {1, 4 * GIB + 1, 1},
			disk = {1, 1, 10 * GIB + 1};

	cr_assert(part_res_fits(&f, &exact), "an exact fit fits");
	cr_assert_not(part_res_fits(&f, &cpu));
	cr_assert_not(part_res_fits(&f, &mem));
	cr_assert_not(part_res_fits(&f, &disk));
}

GRADED(part_fit, first_fit_takes_first_with_room, 1, "02.2 plan", 5)
{
	struct part_res small = {1000, 1 * GIB, 1 * GIB};
	struct part_res mid = {3000, 4 * GIB, 20 * GIB};

	cr_assert_eq(part_fit_choose(PART_FIRST_FIT, freeb, cap, 3, &small), 0);
	cr_assert_eq(part_fit_choose(PART_FIRST_FIT, freeb + 1, cap + 1, 2, &small), 0);
	cr_assert_eq(part_fit_choose(PART_FIRST_FIT, freeb + 1, cap + 1, 2, &mid), 1);
}

GRADED(part_fit, best_fit_packs_the_tightest, 2, "02.2 plan", 5)
{
	struct part_res small = {1000, 1 * GIB, 1 * GIB};
	struct part_res mid = {3000, 4 * GIB, 20 * GIB};

	cr_assert_eq(part_fit_choose(PART_BEST_FIT, freeb, cap, 3, &small), 1);
	cr_assert_eq(part_fit_choose(PART_BEST_FIT, freeb, cap, 3, &mid), 0);
	cr_assert_lt(part_fit_score(PART_BEST_FIT, &freeb[1], &cap[1], &small),
		     part_fit_score(PART_BEST_FIT, &freeb[0], &cap[0], &small));
}

GRADED(part_fit, worst_fit_spreads_to_the_emptiest, 2, "02.2 plan", 5)
{
	struct part_res small = {1000, 1 * GIB, 1 * GIB};

	cr_assert_eq(part_fit_choose(PART_WORST_FIT, freeb, cap, 3, &small), 2);
	cr_assert_eq(part_fit_choose(PART_WORST_FIT, freeb, cap, 2, &small), 0);
}

GRADED(part_fit, none_fits_is_minus_one, 1, "02.2 plan", 5)
{
	struct part_res huge = {9000, 1, 1};

	for (int p = PART_FIRST_FIT; p <= PART_WORST_FIT; p++)
		cr_assert_eq(part_fit_choose(p, freeb, cap, 3, &huge), -1);
	cr_assert_eq(part_fit_choose(PART_BEST_FIT, freeb, cap, 0, &huge), -1);
}

GRADED(part_fit, ties_go_to_the_lowest_index, 1, "02.2 plan", 5)
{
	struct part_res same[3] = {{1000, GIB, GIB}, {1000, GIB, GIB}, {1000, GIB, GIB}};
	struct part_res want = {500, 1, 1};

	for (int p = PART_FIRST_FIT; p <= PART_WORST_FIT; p++)
		cr_assert_eq(part_fit_choose(p, same, same, 3, &want), 0);
}

GRADED(part_fit, resources_a_bin_lacks_are_ignored, 1, "02.2 plan", 5)
{
	/* CPU-only bins (cores), as lab 02 places vCPUs on cores. */
	struct part_res c[2] = {{4000, 0, 0}, {4000, 0, 0}};
	struct part_res f[2] = {{3000, 0, 0}, {1000, 0, 0}};
	struct part_res vcpu = {1000, 0, 0};

	cr_assert_eq(part_fit_choose(PART_BEST_FIT, f, c, 2, &vcpu), 1);
	cr_assert_eq(part_fit_choose(PART_WORST_FIT, f, c, 2, &vcpu), 0);
	cr_assert_float_eq(part_fit_score(PART_BEST_FIT, &f[0], &c[0], &vcpu),
			   0.5, 1e-9);
}
