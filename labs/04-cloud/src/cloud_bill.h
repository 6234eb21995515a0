/*
 * cloud_bill: the billing arithmetic, EC2's on-demand rules.
 *
 * Compute is charged per second of running, with a minimum of 60 seconds
 * each time an instance starts running; nothing while it is pending,
 * stopping, stopped or terminated. Prices are per hour in micro-dollars
 * (µ$); a charge is rounded to the nearest µ$ once per running period.
 * Pure functions: cloud_inst feeds them the periods from the database.
 */
#ifndef CLOUD_BILL_H
#define CLOUD_BILL_H

#include <stdint.h>

#define CLOUD_BILL_MIN_S 60

/*
 * The seconds billed for one running period that began at start and ended
 * at end (or is still running at end = now): at least CLOUD_BILL_MIN_S. A
 * period whose end is before its start (a clock set back) bills the minimum.
 */
int64_t cloud_bill_seconds(int64_t start, int64_t end);

/* What secs seconds cost at uusd_hour µ$ per hour, in µ$, rounded. */
uint64_t cloud_bill_cost(uint64_t uusd_hour, int64_t secs);

/*
 * The provider's side: the share of a host's capacity (cap, in any unit)
 * that was allocated on average over elapsed seconds, given the sum of
 * allocation × seconds (busy). 0 when nothing elapsed.
 */
double cloud_bill_utilization(double busy, double cap, int64_t elapsed);

#endif /* CLOUD_BILL_H */
