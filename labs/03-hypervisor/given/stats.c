/*
 * stats: exit counts and times, and the ring of recent exits.
 *
 * The ring overwrites its oldest entry: entry seq lives at seq % cap.
 */
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

void stats_add(struct stats *st, uint32_t reason, uint64_t ns_run,
	       uint64_t ns_vmm)
{
	unsigned r = reason < STATS_REASONS ? reason : STATS_REASONS - 1;

	st->exits++;
	st->count[r]++;
	st->ns_run[r] += ns_run;
	st->ns_vmm[r] += ns_vmm;
}

uint64_t stats_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int trace_init(struct trace *t, unsigned cap)
{
	t->cap = cap;
	t->seq = 0;
	t->ring = NULL;
	if (cap == 0)
		return 0;
	t->ring = calloc(cap, sizeof(*t->ring));
	return t->ring ? 0 : -ENOMEM;
}

void trace_free(struct trace *t)
{
	free(t->ring);
	t->ring = NULL;
	t->cap = 0;
}

void trace_add(struct trace *t, const struct trace_ent *e)
{
	if (t->cap == 0)
		return;
	t->ring[t->seq % t->cap] = *e;
	t->ring[t->seq % t->cap].seq = t->seq + 1;
	t->seq++;
}

unsigned trace_len(const struct trace *t)
{
	return t->seq < t->cap ? (unsigned)t->seq : t->cap;
}

const struct trace_ent *trace_get(const struct trace *t, unsigned i)
{
	uint64_t first = t->seq - trace_len(t);

	return &t->ring[(first + i) % t->cap];
}
