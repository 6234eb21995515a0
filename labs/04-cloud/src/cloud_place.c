/*
 * cloud_place: choosing a region, a zone and a host (see cloud_place.h).
 *
 * A zone is scored as one big bin: the sum of its live hosts' free room
 * against the sum of their capacity, with cloud_fit_score(). It is a
 * candidate only if at least one of its hosts fits the request by itself.
 * The host is then cloud_fit_choose() over that zone's hosts. Cost per
 * decision: O(hosts in the region); nothing is kept between decisions.
 */
#include "cloud_place.h"
#include "cloud_geo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cloud_policy_parse(const char *name, enum part_policy *out)
{
	if (name && strcmp(name, "spread") == 0) {
		*out = PART_WORST_FIT;
		return 0;
	}
	if (name && strcmp(name, "pack") == 0) {
		*out = PART_BEST_FIT;
		return 0;
	}
	return cloud_fit_parse(name, out);
}

int cloud_place_locate(const struct cloud_fleet *f, const char *text,
		       struct cloud_loc *out)
{
	struct cloud_city c;
	int rc;

	out->region = -1;
	for (size_t r = 0; r < f->nregions; r++) {
		const struct cloud_region *g = &f->regions[r];
		if (strcmp(text, g->code) == 0 || strcasecmp(text, g->name) == 0 ||
		    strcasecmp(text, g->city) == 0) {
			snprintf(out->label, sizeof(out->label), "%s", g->city);
			out->lat = g->lat;
			out->lon = g->lon;
			out->region = (long)r;
			return 0;
		}
	}
	if ((rc = cloud_geo_find(text, &c)))
		return rc;
	snprintf(out->label, sizeof(out->label), "%s",
		 strcmp(c.name, "(coordinates)") ? c.name : text);
	out->lat = c.lat;
	out->lon = c.lon;
	return 0;
}

/*
 * Region r as seen from loc (stage 04.1, README "Why latency has a
 * floor" and "Steps" 1): { .region = r, .km = the great-circle distance
 * (cloud_geo_km) from loc to the region's city, .floor_ms = light's round
 * trip over it (cloud_geo_floor_ms), .rtt_ms = the estimate
 * (cloud_geo_estimate_ms) }. When loc is itself a region (loc->region >=
 * 0) and the pair has a published measurement (cloud_geo_measured_ms of
 * the two region codes returns 0), rtt_ms is that measurement and
 * .measured = 1.
 */
static struct cloud_rank rank_one(const struct cloud_fleet *f,
				  const struct cloud_loc *loc, size_t r)
{
	/* >>> SOLUTION 04.1: distance, floor and estimate; a measured pair between two regions wins */
	const struct cloud_region *g = &f->regions[r];
	struct cloud_rank k = {.region = r};

	k.km = cloud_geo_km(loc->lat, loc->lon, g->lat, g->lon);
	k.floor_ms = cloud_geo_floor_ms(k.km);
	k.rtt_ms = cloud_geo_estimate_ms(k.km);
	if (loc->region >= 0 &&
	    cloud_geo_measured_ms(f->regions[loc->region].code, g->code,
				  &k.rtt_ms) == 0)
		k.measured = 1;
	return k;
	/* === STUB
	(void)f;
	(void)loc;
	return (struct cloud_rank){.region = r};
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in cloud_place.h.
 * Stage 04.1, README "Steps" 1.
 */
void cloud_place_rank(const struct cloud_fleet *f, const struct cloud_loc *loc,
		      struct cloud_rank *out)
{
	/* >>> SOLUTION 04.1: every region's rank_one into out, sorted by rtt_ms; equal times keep the fleet's order */
	/* Insertion sort: stable, so equal times keep the fleet's order. */
	for (size_t i = 0; i < f->nregions; i++) {
		struct cloud_rank k = rank_one(f, loc, i);
		size_t j = i;
		for (; j > 0 && out[j - 1].rtt_ms > k.rtt_ms; j--)
			out[j] = out[j - 1];
		out[j] = k;
	}
	/* === STUB
	for (size_t i = 0; i < f->nregions; i++)
		out[i] = rank_one(f, loc, i);
	*/
	/* <<< SOLUTION */
}

/*
 * How many copies of want fit in free (stage 04.2, README "Placement and
 * its policies"): each dimension (cpu_milli, mem, disk) on its own, free
 * / want rounded down, the smallest of them; a dimension want does not
 * ask for (0) sets no limit, and when want asks for nothing the answer
 * is 0. Identical instances: a zone's room is the sum over its hosts.
 */
static size_t copies(const struct part_res *free, const struct part_res *want)
{
	/* >>> SOLUTION 04.2: the least of free / want over the dimensions want asks for; 0 if it asks for none */
	size_t n = SIZE_MAX;

	if (want->cpu_milli && free->cpu_milli / want->cpu_milli < n)
		n = free->cpu_milli / want->cpu_milli;
	if (want->mem && free->mem / want->mem < n)
		n = free->mem / want->mem;
	if (want->disk && free->disk / want->disk < n)
		n = free->disk / want->disk;
	return n == SIZE_MAX ? 0 : n;
	/* === STUB
	(void)free;
	(void)want;
	return 0;
	*/
	/* <<< SOLUTION */
}

size_t cloud_place_room_zone(const struct cloud_fleet *f, size_t z,
			     const struct part_res *want)
{
	const struct cloud_zone *zn = &f->zones[z];
	size_t n = 0;

	/* Identical instances: each host holds its own count, independently. */
	for (size_t h = zn->host0; h < zn->host0 + zn->nhosts; h++) {
		struct part_res free = cloud_host_free(&f->hosts[h]);
		n += copies(&free, want);
	}
	return n;
}

size_t cloud_place_room_region(const struct cloud_fleet *f, size_t r,
			       const struct part_res *want)
{
	const struct cloud_region *g = &f->regions[r];
	size_t n = 0;

	for (size_t z = g->zone0; z < g->zone0 + g->nzones; z++)
		n += cloud_place_room_zone(f, z, want);
	return n;
}

/*
 * The contract is in cloud_place.h.
 * Stage 04.2, README "Steps" 2.
 */
long cloud_place_region(const struct cloud_fleet *f,
			const struct cloud_rank *ranked, size_t n,
			const struct part_res *want, size_t min)
{
	/* >>> SOLUTION 04.2: the closest ranked region with room for min instances. */
	for (size_t i = 0; i < n; i++)
		if (cloud_place_room_region(f, ranked[i].region, want) >= min)
			return (long)ranked[i].region;
	return -ENOSPC;
	/* === STUB
	(void)f;
	(void)ranked;
	(void)n;
	(void)want;
	(void)min;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

static int note(struct cloud_notes *notes, struct cloud_note nt)
{
	if (!notes)
		return 0;
	if (notes->n == notes->cap) {
		size_t cap = notes->cap ? 2 * notes->cap : 32;
		struct cloud_note *v = realloc(notes->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		notes->v = v;
		notes->cap = cap;
	}
	notes->v[notes->n++] = nt;
	return 0;
}

void cloud_notes_free(struct cloud_notes *notes)
{
	free(notes->v);
	memset(notes, 0, sizeof(*notes));
}

/* Why a host cannot take want, or CLOUD_FITS. */
static enum cloud_verdict verdict(const struct cloud_host *h, long z,
				  const struct part_res *want)
{
	struct part_res free = cloud_host_free(h);

	if (z >= 0 && h->zone != (size_t)z)
		return CLOUD_OTHER_ZONE;
	if (h->failed)
		return CLOUD_HOST_FAILED;
	if (free.cpu_milli < want->cpu_milli)
		return CLOUD_NO_CPU;
	if (free.mem < want->mem)
		return CLOUD_NO_MEM;
	return CLOUD_FITS;
}

/*
 * Scores zone z as one bin into *score: the sums, over its live hosts
 * (failed ones skipped), of their free room (cloud_host_free) and of their
 * capacity, given to cloud_fit_score(p, &free, &cap, want); lower is better.
 * Returns 1 if some live host of z alone has room for want
 * (cloud_fit_room), else 0 with *score untouched. Stage 04.2, README
 * "Steps" 2.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int zone_score(const struct cloud_fleet *f, size_t z, enum part_policy p,
		      const struct part_res *want, double *score)
{
	/* >>> SOLUTION 04.2: sum free and cap over the zone's live hosts; fits if any one host has room */
	const struct cloud_zone *zn = &f->zones[z];
	struct part_res free = { 0 }, cap = { 0 };
	int fits = 0;

	for (size_t h = zn->host0; h < zn->host0 + zn->nhosts; h++) {
		const struct cloud_host *hp = &f->hosts[h];
		struct part_res fr = cloud_host_free(hp);
		if (hp->failed)
			continue;
		free.cpu_milli += fr.cpu_milli;
		free.mem += fr.mem;
		cap.cpu_milli += hp->cap.cpu_milli;
		cap.mem += hp->cap.mem;
		fits |= cloud_fit_room(&fr, want);
	}
	if (fits)
		*score = cloud_fit_score(p, &free, &cap, want);
	return fits;
	/* === STUB
	(void)f;
	(void)z;
	(void)p;
	(void)want;
	(void)score;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The zone the policy prefers in region r: of its zones (only z itself
 * when z >= 0) that fit (zone_score), the one with the lowest score, the
 * first on a tie. Returns the zone's index; -ENOSPC when none fits.
 * (--explain's notes are given: note_zones scores the zones again.)
 * Stage 04.2, README "Steps" 2.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static long pick_zone(const struct cloud_fleet *f, size_t r, long z,
		      enum part_policy p, const struct part_res *want)
{
	/* >>> SOLUTION 04.2: each zone of the region (or z) that fits, scored; keep the lowest, the first on a tie */
	const struct cloud_region *g = &f->regions[r];
	long best = -ENOSPC;
	double best_score = 0, s = 0;

	for (size_t i = g->zone0; i < g->zone0 + g->nzones; i++) {
		if (z >= 0 && (size_t)z != i)
			continue;
		if (zone_score(f, i, p, want, &s) == 1 && (best < 0 || s < best_score)) {
			best = (long)i;
			best_score = s;
		}
	}
	return best;
	/* === STUB
	(void)f;
	(void)r;
	(void)z;
	(void)p;
	(void)want;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* --explain: a note for every zone pick_zone looked at, in zone order. */
static int note_zones(const struct cloud_fleet *f, size_t r, long z,
		      enum part_policy p, const struct part_res *want,
		      struct cloud_notes *notes, unsigned pick, long chosen)
{
	const struct cloud_region *g = &f->regions[r];
	double s = 0;

	for (size_t i = g->zone0; i < g->zone0 + g->nzones && notes; i++) {
		if (z >= 0 && (size_t)z != i)
			continue;
		int fits = zone_score(f, i, p, want, &s) == 1;
		struct cloud_note nt = {
			.pick = pick, .is_zone = 1, .idx = i, .score = s,
			.verdict = fits ? CLOUD_FITS : CLOUD_NO_HOST_FITS,
			.chosen = (long)i == chosen,
		};
		if (note(notes, nt))
			return -ENOMEM;
	}
	return 0;
}

/*
 * The host of zone z the policy chooses for want: cloud_fit_choose over
 * the zone's hosts, each one's free room (cloud_host_free) and capacity in
 * arrays of their own. Returns the host's index in f->hosts; -ENOSPC when
 * none has room; -ENOMEM. Stage 04.2, README "Steps" 2.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static long pick_host(const struct cloud_fleet *f, size_t z, enum part_policy p,
		      const struct part_res *want)
{
	/* >>> SOLUTION 04.2: two arrays (room, cap) for the zone's hosts, cloud_fit_choose, index back into f->hosts */
	const struct cloud_zone *zn = &f->zones[z];
	struct part_res *room = malloc(zn->nhosts * sizeof(*room));
	struct part_res *cap = malloc(zn->nhosts * sizeof(*cap));
	long i = -ENOMEM;

	if (room && cap) {
		for (size_t k = 0; k < zn->nhosts; k++) {
			room[k] = cloud_host_free(&f->hosts[zn->host0 + k]);
			cap[k] = f->hosts[zn->host0 + k].cap;
		}
		i = cloud_fit_choose(p, room, cap, zn->nhosts, want);
		i = i < 0 ? -ENOSPC : (long)zn->host0 + i;
	}
	free(room);
	free(cap);
	return i;
	/* === STUB
	(void)f;
	(void)z;
	(void)p;
	(void)want;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* Notes for every host of region r: its verdict and, if it fits, its score. */
static int note_hosts(const struct cloud_fleet *f, size_t r, long z,
		      enum part_policy p, const struct part_res *want,
		      struct cloud_notes *notes, unsigned pick, long chosen)
{
	const struct cloud_region *g = &f->regions[r];
	size_t h0 = f->zones[g->zone0].host0;
	size_t h1 = f->zones[g->zone0 + g->nzones - 1].host0 +
		    f->zones[g->zone0 + g->nzones - 1].nhosts;

	for (size_t h = h0; h < h1 && notes; h++) {
		const struct cloud_host *hp = &f->hosts[h];
		struct part_res free = cloud_host_free(hp);
		enum cloud_verdict v = verdict(hp, z, want);
		double s = v == CLOUD_FITS ? cloud_fit_score(p, &free, &hp->cap, want) : 0;
		struct cloud_note nt = {
			.pick = pick, .idx = h, .verdict = v, .score = s,
			.chosen = (long)h == chosen,
		};
		if (note(notes, nt))
			return -ENOMEM;
	}
	return 0;
}

/*
 * The contract is in cloud_place.h.
 * Stage 04.2, README "Steps" 2.
 */
long cloud_place_one(const struct cloud_fleet *f, size_t r, long z,
		     enum part_policy p, const struct part_res *want,
		     struct cloud_notes *notes, unsigned pick)
{
	long zone, host;

	/* >>> SOLUTION 04.2: a zone by the policy, then a host in it by the policy. */
	zone = pick_zone(f, r, z, p, want);
	host = zone < 0 ? zone : pick_host(f, (size_t)zone, p, want);
	/* === STUB
	(void)p;
	(void)want;
	zone = host = -ENOSYS;
	*/
	/* <<< SOLUTION */
	if (note_zones(f, r, z, p, want, notes, pick, zone) ||
	    note_hosts(f, r, z, p, want, notes, pick, host))
		return -ENOMEM;
	return host;
}

void cloud_place_charge(struct cloud_fleet *f, size_t h,
			const struct part_res *want, int sign)
{
	struct cloud_host *hp = &f->hosts[h];

	if (sign > 0) {
		hp->used.cpu_milli += want->cpu_milli;
		hp->used.mem += want->mem;
	} else {
		hp->used.cpu_milli -= want->cpu_milli;
		hp->used.mem -= want->mem;
	}
}
