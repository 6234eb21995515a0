/*
 * part_plan: the planner (see part_plan.h for the model and invariants).
 *
 * For each request, in order: check that it fits the pool at all (vCPUs vs
 * cores, memory, CPU, disk, in that order, so the reason names the first
 * resource that runs out), then place its vCPUs one by one with the policy,
 * each on a core this server does not use yet. A request that fails half
 * way gives back what it took: a rejection leaves the plan as it was.
 */
#include "part_plan.h"
#include "part_size.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int check_opts(const struct part_opts *o, struct part_err *err)
{
	/* >>> SOLUTION 02.2: refuse a host without CPUs or memory, a reserve that leaves nothing, a ratio outside 1..64. */
	char a[32], b[32];

	if (o->host.cpus == 0 || o->host.mem == 0)
		return part_fail(err, -EINVAL, "the host has no CPUs or no memory (give --host cpus=N,mem=SIZE,disk=SIZE)");
	if (o->reserve.cpus >= o->host.cpus)
		return part_fail(err, -EINVAL, "the reserve keeps %u CPUs of the host's %u: none left to give",
			    o->reserve.cpus, o->host.cpus);
	if (o->reserve.mem >= o->host.mem)
		return part_fail(err, -EINVAL, "the reserve keeps %s of the host's %s memory: none left to give",
			    part_size_fmt(o->reserve.mem, a, sizeof(a)),
			    part_size_fmt(o->host.mem, b, sizeof(b)));
	if (o->reserve.disk > o->host.disk)
		return part_fail(err, -EINVAL, "the reserve keeps %s of disk, more than the host's %s",
			    part_size_fmt(o->reserve.disk, a, sizeof(a)),
			    part_size_fmt(o->host.disk, b, sizeof(b)));
	if (o->ratio_milli < 1000 || o->ratio_milli > PART_RATIO_MAX)
		return part_fail(err, -EINVAL, "the CPU ratio must be between 1 and %d", PART_RATIO_MAX / 1000);
	return 0;
	/* === STUB
	(void)o;
	(void)err;
	return 0;
	*/
	/* <<< SOLUTION */
}

/* Allocates the plan's arrays and sets up the pool. */
static int setup(struct part_plan *pl, const struct part_opts *o, size_t n)
{
	memset(pl, 0, sizeof(*pl));
	pl->opts = *o;
	pl->first_core = o->reserve.cpus;
	pl->ncores = o->host.cpus - o->reserve.cpus;
	pl->vs = calloc(n ? n : 1, sizeof(*pl->vs));
	pl->rej = calloc(n ? n : 1, sizeof(*pl->rej));
	pl->core_cap = calloc(pl->ncores, sizeof(*pl->core_cap));
	pl->core_free = calloc(pl->ncores, sizeof(*pl->core_free));
	if (!pl->vs || !pl->rej || !pl->core_cap || !pl->core_free)
		return -ENOMEM;
	/* >>> SOLUTION 02.2: each pool core takes ratio vCPUs; the pool is the host minus the reserve. */
	for (uint32_t i = 0; i < pl->ncores; i++)
		pl->core_cap[i].cpu_milli = pl->core_free[i].cpu_milli = o->ratio_milli;
	pl->pool.cpu_milli = (uint64_t)pl->ncores * o->ratio_milli;
	pl->pool.mem = o->host.mem - o->reserve.mem;
	pl->pool.disk = o->host.disk - o->reserve.disk;
	/* === STUB
	*/
	/* <<< SOLUTION */
	return 0;
}

void part_plan_free(struct part_plan *pl)
{
	for (size_t i = 0; i < pl->nvs; i++)
		free(pl->vs[i].cpu);
	free(pl->vs);
	free(pl->rej);
	free(pl->core_cap);
	free(pl->core_free);
	memset(pl, 0, sizeof(*pl));
}

static void reject(struct part_plan *pl, const struct part_req *r,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4), unused));

/* Records r as rejected; the reason starts with its name. */
static void reject(struct part_plan *pl, const struct part_req *r,
		   const char *fmt, ...)
{
	struct part_reject *j = &pl->rej[pl->nrej++];
	int n = snprintf(j->why, sizeof(j->why), "%s: ", r->name);
	va_list ap;

	j->req = *r;
	va_start(ap, fmt);
	vsnprintf(j->why + n, sizeof(j->why) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* For qsort of CPU ids (the planner's helpers, given with reject()). */
__attribute__((unused)) static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

char *part_cpulist(const uint32_t *cpu, uint32_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < n && off < len; i++) {
		uint32_t j = i;

		while (j + 1 < n && cpu[j + 1] == cpu[j] + 1)
			j++;
		int w = j > i ? snprintf(buf + off, len - off, "%s%u-%u", off ? "," : "", cpu[i], cpu[j])
			      : snprintf(buf + off, len - off, "%s%u", off ? "," : "", cpu[i]);
		off += w > 0 ? (size_t)w : 0;
		i = j;
	}
	return buf;
}

/* >>> SOLUTION 02.2: plan_one(pl, r, saved): reject() r with the first resource it lacks (vCPUs > cores, memory, CPU, disk); else place its vCPUs one per distinct core with part_fit_choose, giving all back if one fails; then record it and its 1 MiB-aligned disk extent. */
/*
 * Places n vCPUs, each on a different core chosen by the policy; writes the
 * core ids to cpu. Returns 0, or -ENOSPC having taken nothing.
 */
static int place_vcpus(struct part_plan *pl, uint32_t n, uint32_t *cpu,
		       uint64_t *saved)
{
	const struct part_res vcpu = {1000, 0, 0}; /* one vCPU = 1000 milli */
	uint32_t i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		/* Cores before full_below have no room: skip them. */
		uint32_t h = pl->full_below;
		long j = part_fit_choose(pl->opts.policy, pl->core_free + h,
					 pl->core_cap + h, pl->ncores - h, &vcpu);
		if (j < 0) {
			ret = -ENOSPC;
			break;
		}
		j += h;
		cpu[i] = (uint32_t)j;
		/* Hide the core from this server's next vCPUs: two vCPUs of
		 * one server on one core would not run in parallel. */
		saved[i] = pl->core_free[j].cpu_milli - 1000;
		pl->core_free[j].cpu_milli = 0;
	}
	for (uint32_t k = 0; k < i; k++)
		pl->core_free[cpu[k]].cpu_milli = saved[k] + (ret ? 1000 : 0);
	if (ret)
		return ret;
	while (pl->full_below < pl->ncores && pl->core_free[pl->full_below].cpu_milli < 1000)
		pl->full_below++;
	for (uint32_t k = 0; k < n; k++)
		cpu[k] += pl->first_core;
	qsort(cpu, n, sizeof(*cpu), cmp_u32);
	return 0;
}

static uint32_t cores_with_room(const struct part_plan *pl)
{
	uint32_t c = 0;

	for (uint32_t i = 0; i < pl->ncores; i++)
		c += pl->core_free[i].cpu_milli >= 1000;
	return c;
}

/* Where r's disk extent would start, and how much disk is left from there. */
static uint64_t disk_left(const struct part_plan *pl, uint64_t *off)
{
	uint64_t end = pl->image_size;
	uint64_t pad = (PART_DISK_ALIGN - end % PART_DISK_ALIGN) % PART_DISK_ALIGN;

	if (end > pl->pool.disk || pad > pl->pool.disk - end)
		return *off = end, 0;
	*off = end + pad;
	return pl->pool.disk - *off;
}

/* Returns 1 and sets why if r does not fit the pool; checks in order. */
static int misfit(struct part_plan *pl, const struct part_req *r, uint64_t *off)
{
	uint64_t cpu_left = pl->pool.cpu_milli - pl->used.cpu_milli;
	uint64_t mem_left = pl->pool.mem - pl->used.mem;
	uint64_t dleft = disk_left(pl, off);
	char a[32], b[32];

	if (r->vcpus > pl->ncores)
		reject(pl, r, "needs %u vCPUs, the host has %u cores to give (one vCPU per core at most)",
		       r->vcpus, pl->ncores); /* vcpus > ncores >= 1: plural */
	else if (r->mem > mem_left)
		reject(pl, r, "needs %s memory, %s left after %zu servers",
		       part_size_fmt(r->mem, a, sizeof(a)),
		       part_size_fmt(mem_left, b, sizeof(b)), pl->nvs);
	else if ((uint64_t)r->vcpus * 1000 > cpu_left)
		reject(pl, r, "needs %u vCPU%s, %s left after %zu servers", r->vcpus,
		       r->vcpus == 1 ? "" : "s", part_milli_fmt(cpu_left, b, sizeof(b)), pl->nvs);
	else if (r->disk > dleft)
		reject(pl, r, "needs %s disk, %s left after %zu servers",
		       part_size_fmt(r->disk, a, sizeof(a)),
		       part_size_fmt(dleft, b, sizeof(b)), pl->nvs);
	else
		return 0;
	return 1;
}

/* Places r or rejects it. Returns 0 or -ENOMEM. */
static int plan_one(struct part_plan *pl, const struct part_req *r,
		    uint64_t *saved)
{
	uint64_t off = 0;
	uint32_t *cpu;

	if (misfit(pl, r, &off))
		return 0;
	if (!(cpu = malloc(r->vcpus * sizeof(*cpu))))
		return -ENOMEM;
	if (place_vcpus(pl, r->vcpus, cpu, saved) < 0) {
		free(cpu);
		reject(pl, r, "needs %u vCPU%s on different cores, %u cores have room for one more after %zu servers",
		       r->vcpus, r->vcpus == 1 ? "" : "s", cores_with_room(pl), pl->nvs);
		return 0;
	}
	pl->vs[pl->nvs++] = (struct part_vs){*r, cpu, r->disk ? off : 0};
	pl->used.cpu_milli += (uint64_t)r->vcpus * 1000;
	pl->used.mem += r->mem;
	pl->used.disk += r->disk;
	if (r->disk)
		pl->image_size = off + r->disk;
	return 0;
}
/* === STUB
*/
/* <<< SOLUTION */

int part_plan_make(struct part_plan *pl, const struct part_opts *o,
		   const struct part_reqs *rs, struct part_err *err)
{
	uint64_t *saved = NULL;
	int e = check_opts(o, err);

	memset(pl, 0, sizeof(*pl));
	if (e)
		return e;
	if (setup(pl, o, rs->n) || !(saved = malloc(PART_VCPUS_MAX * sizeof(*saved)))) {
		e = part_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	/* >>> SOLUTION 02.2: each request in order: placed (plan_one) or rejected. */
	for (size_t i = 0; i < rs->n && !e; i++)
		e = plan_one(pl, &rs->v[i], saved);
	if (e)
		part_fail(err, e, "out of memory");
	/* === STUB
	(void)rs;
	e = part_fail(err, -ENOSYS, "the planner is not written yet (part_plan_make)");
	*/
	/* <<< SOLUTION */
out:
	free(saved);
	return e;
}

/* >>> SOLUTION 02.3: helpers for part_plan_stranded: how many more copies of a shape fit in what is left, and which resource stops them. */
/* How many more copies of s fit in left; *bind names the resource that stops it. */
static uint64_t copies(const struct part_res *left, const struct part_res *s,
		       const char **bind)
{
	uint64_t k = left->cpu_milli / s->cpu_milli;

	*bind = "CPU";
	if (left->mem / s->mem < k)
		k = left->mem / s->mem, *bind = "memory";
	if (s->disk && left->disk / s->disk < k)
		k = left->disk / s->disk, *bind = "disk";
	return k;
}

/* Keeps the smaller leftover of one resource, and why it stays idle. */
static void keep_min(uint64_t rest, uint64_t *best, const char **for_,
		     const char *bind)
{
	if (rest < *best) {
		*best = rest;
		*for_ = bind;
	}
}
/* === STUB
*/
/* <<< SOLUTION */

void part_plan_stranded(const struct part_plan *pl, const struct part_reqs *rs,
			struct part_stranded *out)
{
	memset(out, 0, sizeof(*out));
	out->left.cpu_milli = pl->pool.cpu_milli - pl->used.cpu_milli;
	out->left.mem = pl->pool.mem - pl->used.mem;
	out->left.disk = pl->pool.disk - pl->used.disk;
	/* >>> SOLUTION 02.3: for each request shape, fill left with copies of it; what stays of a resource other than the one that ran out is stranded; keep the least over all shapes. */
	if (rs->n == 0) {
		out->stranded = out->left;
		out->cpu_for = out->mem_for = out->disk_for = "no request";
	} else {
		out->stranded = (struct part_res){UINT64_MAX, UINT64_MAX, UINT64_MAX};
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct part_req *r = &rs->v[i];
		struct part_res s = {(uint64_t)r->vcpus * 1000, r->mem, r->disk};
		const char *bind;
		uint64_t k = copies(&out->left, &s, &bind);

		/* What a shape leaves of the resource that stopped it is a
		 * remainder smaller than the shape, not stranded capacity. */
		keep_min(strcmp(bind, "CPU") ? out->left.cpu_milli - k * s.cpu_milli : 0,
			 &out->stranded.cpu_milli, &out->cpu_for, bind);
		keep_min(strcmp(bind, "memory") ? out->left.mem - k * s.mem : 0,
			 &out->stranded.mem, &out->mem_for, bind);
		keep_min(strcmp(bind, "disk") ? out->left.disk - k * s.disk : 0,
			 &out->stranded.disk, &out->disk_for, bind);
	}
	/* === STUB
	(void)rs;
	*/
	/* <<< SOLUTION */
	if (!out->stranded.cpu_milli)
		out->cpu_for = NULL;
	if (!out->stranded.mem)
		out->mem_for = NULL;
	if (!out->stranded.disk)
		out->disk_for = NULL;
}

uint64_t part_cpu_quota(uint32_t vcpus, uint64_t ratio_milli)
{
	/* >>> SOLUTION 02.2: vcpus x period / ratio, rounded up; 0 when dedicated. */
	if (ratio_milli <= 1000)
		return 0;
	return ((uint64_t)vcpus * PART_CPU_PERIOD * 1000 + ratio_milli - 1) / ratio_milli;
	/* === STUB
	(void)vcpus;
	(void)ratio_milli;
	return 0;
	*/
	/* <<< SOLUTION */
}
