/*
 * cloud_index: placement at data-centre scale (part 2).
 *
 * cloud_fit_choose() scans every host: O(n) per decision, fine for a region
 * of a few servers, too slow for 100,000. This index keeps the hosts at the
 * leaves of a binary tree whose inner nodes hold bounds over their subtree
 * (the most free vCPUs and memory, the largest and smallest share free, the
 * largest and smallest capacity). A choice is a left-to-right search that
 * skips any subtree that cannot fit the request or cannot beat the best
 * host found so far. It returns a host the scan could have returned: the
 * same score within 1e-12, not always the same index among equals. An update
 * after placing is O(log n).
 */
#ifndef CLOUD_INDEX_H
#define CLOUD_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "cloud_fit.h"

struct cloud_index;

#define CLOUD_INDEX_CLASSES 64

/* Builds an index over n hosts with capacity cap[i] and free room free[i]
 * (copied), for requests that are mostly one of the nclasses classes (the
 * catalog's types; at most CLOUD_INDEX_CLASSES are used, other requests
 * still work, more slowly). Returns NULL when out of memory. */
struct cloud_index *cloud_index_new(const struct part_res *cap,
				    const struct part_res *free, size_t n,
				    const struct part_res *classes, size_t nclasses);
void cloud_index_free(struct cloud_index *ix);

/* The host policy p chooses for want (as cloud_fit_choose would), or -1. */
long cloud_index_choose(const struct cloud_index *ix, enum part_policy p,
			const struct part_res *want);

/* Sets host i's free room (after placing on it or releasing). */
void cloud_index_set(struct cloud_index *ix, size_t i, const struct part_res *free);

/* Host i's free room now. */
struct part_res cloud_index_get(const struct cloud_index *ix, size_t i);

#endif /* CLOUD_INDEX_H */
