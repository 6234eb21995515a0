/*
 * cloud_fit: scoring a host for an instance, the rule behind spread and
 * pack (stage 04.2, with cloud_place).
 *
 * The words are lab 02's: a bin with a capacity and free room in CPU
 * (thousandths), memory and disk (struct part_res) and three policies
 * (enum part_policy), from lab 02's part_fit.h, an interface only: this lab
 * links none of lab 02's code, so its grade never depends on another
 * lab's. The scores are this lab's own:
 *   first-fit  every host scores 0: the first one with room wins;
 *   best-fit   (pack) the host left fullest wins: fewer hosts powered;
 *   worst-fit  (spread) the host left emptiest wins: even load.
 */
#ifndef CLOUD_FIT_H
#define CLOUD_FIT_H

#include <stddef.h>

#include "part_fit.h"

/* Parses "first-fit", "best-fit" or "worst-fit". Returns 0, or -EINVAL. */
int cloud_fit_parse(const char *name, enum part_policy *out);

/* The policy's name as cloud_fit_parse() reads it ("unknown" if none). */
const char *cloud_fit_name(enum part_policy p);

/* Returns 1 if want fits in free on every resource (CPU, memory, disk), else 0. */
int cloud_fit_room(const struct part_res *free, const struct part_res *want);

/*
 * Scores placing want on a host of capacity cap with free room: lower is
 * better under p. first-fit 0; best-fit the share of the host that would
 * be left, averaged over the resources the host has (cap > 0); worst-fit
 * minus that share. Only meaningful when want fits.
 */
double cloud_fit_score(enum part_policy p, const struct part_res *free,
		       const struct part_res *cap, const struct part_res *want);

/*
 * Chooses among n hosts (free[i] of cap[i]) the one p prefers for want:
 * the fitting host with the lowest score, ties to the lowest index.
 * Returns its index, or -1 if none fits.
 */
long cloud_fit_choose(enum part_policy p, const struct part_res *free,
		      const struct part_res *cap, size_t n,
		      const struct part_res *want);

#endif /* CLOUD_FIT_H */
