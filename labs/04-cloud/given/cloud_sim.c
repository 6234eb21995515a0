/*
 * cloud_sim: placement at scale (see cloud_sim.h). The host model is the
 * default fleet's; the requests are uniform over the catalog, which asks
 * for about 3.5 GiB per vCPU against the hosts' 4: both resources matter.
 */
#include "cloud_sim.h"
#include "cloud_index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOST_CPU 48000ULL
#define HOST_MEM (192ULL << 30)

/* xorshift64*: small, fast, and the same everywhere for a seed. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One decision: the host for want, by index or by scan; -1 if none. */
static long decide(struct cloud_index *ix, const struct cloud_sim_opts *o,
		   struct part_res *room, const struct part_res *cap,
		   const struct part_res *want)
{
	if (!o->scan)
		return cloud_index_choose(ix, o->policy, want);
	return cloud_fit_choose(o->policy, room, cap, o->hosts, want);
}

/* Hosts used, the lower bound and stranded room, from the final state. */
static void tally(const struct cloud_fleet *c, const struct part_res *room,
		  size_t n, uint64_t dcpu, uint64_t dmem, struct cloud_sim_result *r)
{
	uint64_t min_cpu = UINT64_MAX, min_mem = UINT64_MAX;

	for (size_t t = 0; t < c->ntypes; t++) {
		struct part_res w = cloud_fleet_want(c, t);
		min_cpu = w.cpu_milli < min_cpu ? w.cpu_milli : min_cpu;
		min_mem = w.mem < min_mem ? w.mem : min_mem;
	}
	for (size_t h = 0; h < n; h++) {
		if (room[h].cpu_milli == HOST_CPU && room[h].mem == HOST_MEM)
			continue;
		r->hosts_used++;
		if (room[h].mem < min_mem)
			r->stranded_cpu += room[h].cpu_milli;
		if (room[h].cpu_milli < min_cpu)
			r->stranded_mem += room[h].mem;
	}
	size_t by_cpu = (size_t)((dcpu + HOST_CPU - 1) / HOST_CPU);
	size_t by_mem = (size_t)((dmem + HOST_MEM - 1) / HOST_MEM);
	r->lower_bound = by_cpu > by_mem ? by_cpu : by_mem;
	r->cap_cpu = HOST_CPU * n;
	r->cap_mem = HOST_MEM * n;
}

int cloud_sim_run(const struct cloud_fleet *c, const struct cloud_sim_opts *o,
		  struct cloud_sim_result *r)
{
	struct part_res *room = malloc(o->hosts * sizeof(*room) + 1);
	struct part_res *cap = malloc(o->hosts * sizeof(*cap) + 1);
	uint64_t seed = o->seed ? o->seed : 1, dcpu = 0, dmem = 0;
	struct cloud_index *ix = NULL;
	int rc = -ENOMEM;

	memset(r, 0, sizeof(*r));
	if (!o->hosts || !c->ntypes)
		rc = -EINVAL;
	else if (room && cap) {
		for (size_t h = 0; h < o->hosts; h++)
			room[h] = cap[h] = (struct part_res){HOST_CPU, HOST_MEM, 0};
		struct part_res classes[CLOUD_INDEX_CLASSES];
		size_t nc = c->ntypes < CLOUD_INDEX_CLASSES ? c->ntypes : CLOUD_INDEX_CLASSES;
		for (size_t t = 0; t < nc; t++)
			classes[t] = cloud_fleet_want(c, t);
		ix = o->scan ? NULL : cloud_index_new(cap, room, o->hosts, classes, nc);
		rc = o->scan || ix ? 0 : -ENOMEM;
	}
	double t0 = now_s();
	for (size_t i = 0; i < o->requests && !rc; i++) {
		struct part_res w = cloud_fleet_want(c, (size_t)(next(&seed) % c->ntypes));
		long h = decide(ix, o, room, cap, &w);
		if (h < 0) {
			r->rejected++;
			continue;
		}
		room[h].cpu_milli -= w.cpu_milli;
		room[h].mem -= w.mem;
		if (ix)
			cloud_index_set(ix, (size_t)h, &room[h]);
		r->placed++;
		r->checksum = r->checksum * 1000003 + (uint64_t)h;
		dcpu += w.cpu_milli;
		dmem += w.mem;
	}
	r->seconds = now_s() - t0;
	if (!rc)
		tally(c, room, o->hosts, dcpu, dmem, r);
	cloud_index_free(ix);
	free(room);
	free(cap);
	return rc;
}
