/*
 * cloud_fail: servers and buildings fail (lab 04, part 2).
 *
 * Failing a host (or every host of a zone) marks it failed, so placement
 * skips it, and moves each instance that held capacity on it to another
 * host of the same region with room, chosen by the spread policy (the zone
 * may change). An instance that finds no room stays where it was, marked
 * impaired, until its host recovers. One transaction: either every move
 * happens or none. The instance's running period follows it, so its bill
 * does not restart (no second 60-second minimum for the provider's fault).
 */
#ifndef CLOUD_FAIL_H
#define CLOUD_FAIL_H

#include "cloud_inst.h"

struct cloud_move {
	char id[CLOUD_ID_MAX];
	long from, to; /* hosts; to = -1: impaired, nothing had room */
};

struct cloud_moves {
	struct cloud_move *v;
	size_t n;
};

/*
 * Fails host name (zone = 0) or every host of zone name (zone = 1) and
 * moves what they held. Returns 0, or -ENOENT (no such host or zone) with
 * err filled, or another -errno.
 */
int cloud_fail(struct cloud_db *db, const char *name, int zone,
	       struct cloud_moves *out, struct vmlab_err *err);

/*
 * Brings host name (or every host of zone name) back; the impaired
 * instances on it are healthy again. Returns 0 or -errno.
 */
int cloud_recover(struct cloud_db *db, const char *name, int zone,
		  struct vmlab_err *err);

void cloud_moves_free(struct cloud_moves *m);

#endif /* CLOUD_FAIL_H */
