/*
 * cloud_place: where an instance goes. Two decisions, as a provider makes
 * them:
 *   which region  the one the user named, or the closest to them (by the
 *                 round-trip estimate of cloud_geo) that has room;
 *   which host    inside the region, first a zone, then a host in it, each
 *                 chosen with lab 02's policies (cloud_fit): spread =
 *                 worst-fit (the emptiest zone and host: even load, one
 *                 failure hits few), pack = best-fit (the fullest that
 *                 fits: fewer hosts powered, big holes kept for big types).
 * Everything works on a cloud_fleet in memory; cloud_inst wraps it in a
 * database transaction. Notes record each decision for `run --explain`.
 */
#ifndef CLOUD_PLACE_H
#define CLOUD_PLACE_H

#include "cloud_fleet.h"

/* A place a user is near: a region, a city, or coordinates. */
struct cloud_loc {
	char label[CLOUD_NAME_MAX + 16];
	double lat, lon;
	long region; /* the region at this place, or -1 */
};

/* One region as seen from a place. */
struct cloud_rank {
	size_t region;
	double km, floor_ms, rtt_ms;
	int measured; /* rtt_ms is a published measurement, not the model */
};

enum cloud_verdict {
	CLOUD_FITS,
	CLOUD_NO_CPU,
	CLOUD_NO_MEM,
	CLOUD_HOST_FAILED,
	CLOUD_OTHER_ZONE,
	CLOUD_NO_HOST_FITS, /* a zone: none of its hosts has room */
};

/* One line of --explain: a zone or a host considered for instance `pick`. */
struct cloud_note {
	unsigned pick;
	int is_zone;
	size_t idx; /* zone or host index */
	enum cloud_verdict verdict;
	double score; /* when it fits: lower wins */
	int chosen;
};

struct cloud_notes {
	struct cloud_note *v;
	size_t n, cap;
};

/* Parses "spread" or "pack" (or lab 02's names). Returns 0, or -EINVAL. */
int cloud_policy_parse(const char *name, enum part_policy *out);

/*
 * Resolves where a user is: a region code or name of f, a built-in city, or
 * "LAT,LON". Returns 0, -ENOENT (unknown name) or -EINVAL (bad coordinates).
 */
int cloud_place_locate(const struct cloud_fleet *f, const char *text,
		       struct cloud_loc *out);

/*
 * Fills out[0..f->nregions) with every region seen from loc, closest first
 * (by rtt_ms; a published measurement wins over the model).
 */
void cloud_place_rank(const struct cloud_fleet *f, const struct cloud_loc *loc,
		      struct cloud_rank *out);

/* How many instances of want fit in zone z / region r as hosts are now. */
size_t cloud_place_room_zone(const struct cloud_fleet *f, size_t z,
			     const struct part_res *want);
size_t cloud_place_room_region(const struct cloud_fleet *f, size_t r,
			       const struct part_res *want);

/*
 * The region for a request of at least min instances: the first of the n
 * ranked regions with room for min. Returns its index in f, or -ENOSPC.
 */
long cloud_place_region(const struct cloud_fleet *f,
			const struct cloud_rank *ranked, size_t n,
			const struct part_res *want, size_t min);

/*
 * Chooses a host for want in region r (only in zone z when z >= 0) under
 * policy p: a zone first, then a host in it. Does not change f. Appends
 * notes for instance `pick` when notes is not NULL. Returns the host's
 * index, -ENOSPC if nothing fits, or -ENOMEM.
 */
long cloud_place_one(const struct cloud_fleet *f, size_t r, long z,
		     enum part_policy p, const struct part_res *want,
		     struct cloud_notes *notes, unsigned pick);

/* Adds (sign 1) or removes (-1) want on host h. */
void cloud_place_charge(struct cloud_fleet *f, size_t h,
			const struct part_res *want, int sign);

void cloud_notes_free(struct cloud_notes *notes);

#endif /* CLOUD_PLACE_H */
