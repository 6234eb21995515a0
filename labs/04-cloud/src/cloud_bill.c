/*
 * cloud_bill: per-second billing with a minimum (see cloud_bill.h).
 * Integer arithmetic throughout, so that a bill is exact and the same on
 * every machine: 1 hour of a $0.096/h instance is 96,000 µ$, never
 * 95,999.99.
 */
#include "cloud_bill.h"

/*
 * The contract is in cloud_bill.h.
 * Stage 04.4, README "Steps" 4.
 */
int64_t cloud_bill_seconds(int64_t start, int64_t end)
{
	/* >>> SOLUTION 04.4: the running time, but never under the minimum. */
	int64_t secs = end > start ? end - start : 0;

	return secs < CLOUD_BILL_MIN_S ? CLOUD_BILL_MIN_S : secs;
	/* === STUB
	(void)start;
	(void)end;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in cloud_bill.h.
 * Stage 04.4, README "Steps" 4.
 */
uint64_t cloud_bill_cost(uint64_t uusd_hour, int64_t secs)
{
	/* >>> SOLUTION 04.4: price per hour * seconds / 3600, rounded half up. */
	if (secs <= 0)
		return 0;
	return (uusd_hour * (uint64_t)secs + 1800) / 3600;
	/* === STUB
	(void)uusd_hour;
	(void)secs;
	return 0;
	*/
	/* <<< SOLUTION */
}

double cloud_bill_utilization(double busy, double cap, int64_t elapsed)
{
	if (elapsed <= 0 || cap <= 0)
		return 0;
	return busy / (cap * (double)elapsed);
}
