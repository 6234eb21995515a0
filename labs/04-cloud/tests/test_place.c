/*
 * test_place: choosing a region, a zone and a host, in memory, on the tiny
 * fleet (fleets/tiny.json): ap-south-1 has zones a and b with one 8-vCPU,
 * 32 GiB host each; ap-southeast-1 one such host; us-east-2 two 4-vCPU hosts.
 */
#include "graded.h"
#include "cloudtest.h"

#include <errno.h>

static struct cloud_fleet tiny(void)
{
	struct cloud_fleet f;
	struct vmlab_err err;
	char *json = slurp(fleet_file("tiny"));

	cr_assert_eq(cloud_fleet_parse(json, &f, &err), 0, "%s", err.msg);
	free(json);
	return f;
}

static struct part_res want_of(const struct cloud_fleet *f, const char *type)
{
	return cloud_fleet_want(f, (size_t)cloud_fleet_type(f, type));
}

/* Places and charges one instance; returns the host. */
static long place(struct cloud_fleet *f, const char *region, long z,
		  enum part_policy p, const struct part_res *w)
{
	long h = cloud_place_one(f, (size_t)cloud_fleet_region(f, region), z, p, w, NULL, 0);

	if (h >= 0)
		cloud_place_charge(f, (size_t)h, w, 1);
	return h;
}

GRADED(place, spread_alternates_zones, 2, "04.2 placement", 5)
{
	struct cloud_fleet f = tiny();
	struct part_res w = want_of(&f, "m5.large");
	long a = place(&f, "ap-south-1", -1, PART_WORST_FIT, &w);
	long b = place(&f, "ap-south-1", -1, PART_WORST_FIT, &w);

	cr_assert(a >= 0 && b >= 0);
	cr_assert_neq(f.hosts[a].zone, f.hosts[b].zone, "spread puts the second in the other zone");
	cloud_fleet_free(&f);
}

GRADED(place, pack_fills_one_host_first, 2, "04.2 placement", 5)
{
	struct cloud_fleet f = tiny();
	struct part_res w = want_of(&f, "m5.large");
	long first = place(&f, "ap-south-1", -1, PART_BEST_FIT, &w);

	for (int i = 1; i < 4; i++)
		cr_assert_eq(place(&f, "ap-south-1", -1, PART_BEST_FIT, &w), first,
			     "pack keeps filling the fullest host (%d)", i);
	/* That host is now full (4 x 2 vCPU = 8): the fifth goes elsewhere. */
	long next = place(&f, "ap-south-1", -1, PART_BEST_FIT, &w);
	cr_assert(next >= 0 && next != first);
	cloud_fleet_free(&f);
}

GRADED(place, zone_is_respected_and_full_is_enospc, 2, "04.2 placement", 5)
{
	struct cloud_fleet f = tiny();
	struct part_res w = want_of(&f, "m5.2xlarge");
	long z = cloud_fleet_zone(&f, "ap-south-1b");
	long h = place(&f, "ap-south-1", z, PART_WORST_FIT, &w);

	cr_assert(h >= 0);
	cr_assert_eq(f.hosts[h].zone, (size_t)z);
	cr_assert_eq(place(&f, "ap-south-1", z, PART_WORST_FIT, &w), -ENOSPC);
	cr_assert_eq(cloud_place_room_zone(&f, (size_t)z, &w), 0);
	cr_assert_eq(cloud_place_room_region(&f, (size_t)cloud_fleet_region(&f, "ap-south-1"), &w), 1);
	cloud_fleet_free(&f);
}

GRADED(place, memory_limits_too, 1, "04.2 placement", 5)
{
	struct cloud_fleet f = tiny();
	struct part_res w = want_of(&f, "r5.large"); /* 2 vCPUs, 16 GiB */
	size_t r = (size_t)cloud_fleet_region(&f, "ap-south-1");

	/* 32 GiB hosts hold two r5.large each though they have 8 vCPUs. */
	cr_assert_eq(cloud_place_room_region(&f, r, &w), 4);
	for (int i = 0; i < 4; i++)
		cr_assert_geq(place(&f, "ap-south-1", -1, PART_WORST_FIT, &w), 0);
	struct cloud_notes notes = {0};
	cr_assert_eq(cloud_place_one(&f, r, -1, PART_WORST_FIT, &w, &notes, 0), -ENOSPC);
	size_t mem_notes = 0;
	for (size_t i = 0; i < notes.n; i++)
		mem_notes += !notes.v[i].is_zone && notes.v[i].verdict == CLOUD_NO_MEM;
	cr_assert_eq(mem_notes, 2, "--explain says memory ruled both hosts out");
	cloud_notes_free(&notes);
	cloud_fleet_free(&f);
}

GRADED(place, failed_host_takes_nothing, 1, "04.2 placement", 5)
{
	struct cloud_fleet f = tiny();
	struct part_res w = want_of(&f, "t3.micro");

	f.hosts[cloud_fleet_host(&f, "ap-south-1a-h01")].failed = 1;
	for (int i = 0; i < 4; i++)
		cr_assert_eq(place(&f, "ap-south-1", -1, PART_WORST_FIT, &w),
			     cloud_fleet_host(&f, "ap-south-1b-h01"));
	cloud_fleet_free(&f);
}

GRADED(place, region_is_the_closest_with_room, 2, "04.2 placement", 5)
{
	struct cloud_fleet f = tiny();
	struct part_res w = want_of(&f, "m5.2xlarge");
	struct cloud_loc loc;
	struct cloud_rank k[3];

	cr_assert_eq(cloud_place_locate(&f, "Delhi", &loc), 0);
	cloud_place_rank(&f, &loc, k);
	cr_assert_eq(cloud_place_region(&f, k, 3, &w, 2), cloud_fleet_region(&f, "ap-south-1"));
	/* Three of them do not fit in Mumbai (two hosts): Singapore has one, Ohio
	 * none (4-vCPU hosts): no region can take three. */
	cr_assert_eq(cloud_place_region(&f, k, 3, &w, 3), -ENOSPC);
	place(&f, "ap-south-1", -1, PART_WORST_FIT, &w);
	place(&f, "ap-south-1", -1, PART_WORST_FIT, &w);
	cr_assert_eq(cloud_place_region(&f, k, 3, &w, 1), cloud_fleet_region(&f, "ap-southeast-1"),
		     "Mumbai is full: the next closest with room");
	cloud_fleet_free(&f);
}

/* Given code (the student writes none of it): checked, for no points. */
GRADED(place, policies_parse, 0, "04.2 placement", 5)
{
	enum part_policy p;

	cr_assert_eq(cloud_policy_parse("spread", &p), 0);
	cr_assert_eq(p, PART_WORST_FIT);
	cr_assert_eq(cloud_policy_parse("pack", &p), 0);
	cr_assert_eq(p, PART_BEST_FIT);
	cr_assert_eq(cloud_policy_parse("random", &p), -EINVAL);
}
