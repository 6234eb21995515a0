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

/*
 * Refuses options that leave nothing to plan, with vmlab_fail(err, -EINVAL,
 * ...) and exactly these messages (the tests compare them; sizes printed
 * by part_size_fmt; no flag named: main adds "--host" where it is to
 * blame), checked in this order:
 *   no CPU or no memory: "the host has no CPUs or no memory"
 *   reserve.cpus >= host.cpus: "the reserve keeps %u CPUs of the host's %u:
 *     none left to give"
 *   reserve.mem >= host.mem: "the reserve keeps SIZE of the host's SIZE
 *     memory: none left to give"
 *   reserve.disk > host.disk (equal is fine: no disk to give): "the reserve
 *     keeps SIZE of disk, more than the host's SIZE"
 *   ratio_milli outside 1000..PART_RATIO_MAX: "the CPU ratio must be
 *     between 1 and 64"
 * Returns 0 or -EINVAL. Stage 02.2, README "Steps" 3.
 */
static int check_opts(const struct part_opts *o, struct vmlab_err *err)
{
	/* >>> SOLUTION 02.2: refuse a host without CPUs or memory, a reserve that leaves nothing, a ratio outside 1..64. */
	char a[32], b[32];

	if (o->host.cpus == 0 || o->host.mem == 0)
		return vmlab_fail(err, -EINVAL, "the host has no CPUs or no memory");
	if (o->reserve.cpus >= o->host.cpus)
		return vmlab_fail(err, -EINVAL, "the reserve keeps %u CPUs of the host's %u: none left to give",
			    o->reserve.cpus, o->host.cpus);
	if (o->reserve.mem >= o->host.mem)
		return vmlab_fail(err, -EINVAL, "the reserve keeps %s of the host's %s memory: none left to give",
			    part_size_fmt(o->reserve.mem, a, sizeof(a)),
			    part_size_fmt(o->host.mem, b, sizeof(b)));
	if (o->reserve.disk > o->host.disk)
		return vmlab_fail(err, -EINVAL, "the reserve keeps %s of disk, more than the host's %s",
			    part_size_fmt(o->reserve.disk, a, sizeof(a)),
			    part_size_fmt(o->host.disk, b, sizeof(b)));
	if (o->ratio_milli < 1000 || o->ratio_milli > PART_RATIO_MAX)
		return vmlab_fail(err, -EINVAL, "the CPU ratio must be between 1 and %d", PART_RATIO_MAX / 1000);
	return 0;
	/* === STUB
	(void)o;
	(void)err;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Allocates the plan's arrays and sets up the pool.
 * Stage 02.2, README "Steps" 3.
 */
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
	/* >>> SOLUTION 02.2: each pool core's cap and free cpu_milli is ratio_milli; pool cpu_milli = ncores x ratio_milli, mem and disk = host minus reserve */
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

/*
 * Places r's n vCPUs, each on a DIFFERENT pool core chosen by the policy:
 * part_fit_choose(pl->opts.policy, ...) over the cores' core_free/core_cap
 * (from index pl->full_below on: the cores before it have no room), wanting
 * one vCPU, {1000, 0, 0}. A chosen core is hidden from r's next vCPUs by
 * setting its free cpu_milli to 0; saved[i] keeps what it will have left
 * (its free minus 1000) so it can be restored. saved is scratch room for
 * PART_VCPUS_MAX values that part_plan_make allocates once and lends to
 * every request: no allocation per vCPU. When a vCPU finds no core, every
 * core taken so far gets its free back as it was and this is -ENOSPC
 * (nothing taken). On success the cores keep their saved values, full_below
 * moves past the cores now without room for one vCPU, and cpu[] holds host
 * CPU ids (pool index + pl->first_core), ascending.
 * Stage 02.2, README "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int place_vcpus(struct part_plan *pl, uint32_t n, uint32_t *cpu,
		       uint64_t *saved)
{
	/* >>> SOLUTION 02.2: one part_fit_choose per vCPU (zero the core, remember saved[i]); then restore all cores, the failed case adding back the 1000 it took */
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
	/* === STUB
	(void)pl;
	(void)n;
	(void)cpu;
	(void)saved;
	return -ENOSPC;
	*/
	/* <<< SOLUTION */
}

/* How many pool cores still have room for one more vCPU (1000 milli free),
 * for the rejection reason. Stage 02.2, README "Steps" 3. */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static uint32_t cores_with_room(const struct part_plan *pl)
{
	/* >>> SOLUTION 02.2: count the cores whose free cpu_milli is at least 1000 */
	uint32_t c = 0;

	for (uint32_t i = 0; i < pl->ncores; i++)
		c += pl->core_free[i].cpu_milli >= 1000;
	return c;
	/* === STUB
	(void)pl;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Where the next disk extent would start (*off): the image's end,
 * pl->image_size, rounded up to PART_DISK_ALIGN (1 MiB). Returns how much
 * of the pool's disk is left from there; 0 (with *off the unrounded end)
 * when the rounded start is already past the pool. Never wraps.
 * Stage 02.2, README "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static uint64_t disk_left(const struct part_plan *pl, uint64_t *off)
{
	/* >>> SOLUTION 02.2: the padding to the next 1 MiB boundary, a check that end and pad fit the pool, then the rest */
	uint64_t end = pl->image_size;
	uint64_t pad = (PART_DISK_ALIGN - end % PART_DISK_ALIGN) % PART_DISK_ALIGN;

	if (end > pl->pool.disk || pad > pl->pool.disk - end) {
		*off = end;
		return 0;
	}
	*off = end + pad;
	return pl->pool.disk - *off;
	/* === STUB
	(void)pl;
	*off = 0;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Does r fit what is left of the pool? Checks in this order and, at the
 * first resource that runs out, reject()s r with exactly this reason (the
 * tests compare the text; reject() prefixes "NAME: "; sizes by
 * part_size_fmt, CPU by part_milli_fmt; N is pl->nvs, servers placed so
 * far, always "servers", even after 1):
 *   vCPUs > pool cores: "needs %u vCPUs, the host has %u cores to give (one
 *     vCPU per core at most)"   (plural is right: vcpus > cores >= 1)
 *   memory: "needs SIZE memory, SIZE left after N servers"
 *   CPU (vcpus x 1000 milli): "needs %u vCPU%s, MILLI left after N
 *     servers", "vCPU" for 1 and "vCPUs" otherwise
 *   disk (disk_left, which also sets *off): "needs SIZE disk, SIZE left
 *     after N servers"
 * Returns 1 when r was rejected, 0 when it fits. Stage 02.2, README
 * "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int misfit(struct part_plan *pl, const struct part_req *r, uint64_t *off)
{
	/* >>> SOLUTION 02.2: what is left of CPU, memory and disk; one if/else chain in the order above */
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
	/* === STUB
	(void)pl;
	(void)r;
	*off = 0;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Places r or rejects it; saved is part_plan_make's scratch buffer for
 * place_vcpus (PART_VCPUS_MAX values, contents not kept between requests).
 * misfit() may reject r first. Else r's vCPUs go to cores (malloc'd cpu
 * array of r->vcpus ids, owned by the plan); when they do not fit on
 * distinct cores, r is rejected with exactly "needs %u vCPU%s on different
 * cores, %u cores have room for one more after %zu servers" (cores_with_room,
 * pl->nvs; "vCPU" for 1). A placed r is appended to pl->vs with its cpu
 * array and its extent offset (0 when it asks no disk), and pl->used grows
 * by vcpus x 1000, mem and disk; a disk extent moves pl->image_size to its
 * end. A rejection leaves the plan as it was. Returns 0 (placed or
 * rejected) or -ENOMEM. Stage 02.2, README "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int plan_one(struct part_plan *pl, const struct part_req *r,
		    uint64_t *saved)
{
	/* >>> SOLUTION 02.2: misfit, malloc the cpu array, place_vcpus (reject on failure, freeing it), then record r and its use */
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
	pl->vs[pl->nvs++] = (struct part_vs){ .req = *r, .cpu = cpu,
					      .disk_off = r->disk ? off : 0 };
	pl->used.cpu_milli += (uint64_t)r->vcpus * 1000;
	pl->used.mem += r->mem;
	pl->used.disk += r->disk;
	if (r->disk)
		pl->image_size = off + r->disk;
	return 0;
	/* === STUB
	(void)pl;
	(void)r;
	(void)saved;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_plan.h.
 * Stage 02.2, README "Steps" 3.
 */
int part_plan_make(struct part_plan *pl, const struct part_opts *o,
		   const struct part_reqs *rs, struct vmlab_err *err)
{
	uint64_t *saved = NULL;
	int e = check_opts(o, err);

	memset(pl, 0, sizeof(*pl));
	if (e)
		return e;
	if (setup(pl, o, rs->n) || !(saved = malloc(PART_VCPUS_MAX * sizeof(*saved)))) {
		e = vmlab_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	/* >>> SOLUTION 02.2: each request of rs in order through plan_one(pl, request, saved), stopping at an error, which is "out of memory" in err */
	for (size_t i = 0; i < rs->n && !e; i++)
		e = plan_one(pl, &rs->v[i], saved);
	if (e)
		vmlab_fail(err, e, "out of memory");
	/* === STUB
	(void)rs;
	e = vmlab_fail(err, -ENOSYS, "the planner is not written yet (part_plan_make)");
	*/
	/* <<< SOLUTION */
out:
	free(saved);
	return e;
}

/*
 * How many more copies of the shape s (cpu_milli, mem, disk; cpu_milli and
 * mem are never 0, disk may be) fit in left: the least of left / s over the
 * resources, disk only when s asks for some. *bind names the resource that
 * stops them: "CPU", "memory" or "disk" (exactly these words: the report
 * prints them), the first of that order on a tie. Stage 02.3, README
 * "Steps" 4.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static uint64_t copies(const struct part_res *left, const struct part_res *s,
		       const char **bind)
{
	/* >>> SOLUTION 02.3: start from CPU, then let memory and disk lower the count when they allow fewer copies */
	uint64_t k = left->cpu_milli / s->cpu_milli;

	*bind = "CPU";
	if (left->mem / s->mem < k) {
		k = left->mem / s->mem;
		*bind = "memory";
	}
	if (s->disk && left->disk / s->disk < k) {
		k = left->disk / s->disk;
		*bind = "disk";
	}
	return k;
	/* === STUB
	(void)left;
	(void)s;
	*bind = "CPU";
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Keeps the smaller leftover of one resource: when rest is below *best,
 * *best becomes rest and *for_ becomes bind (the resource that left it
 * idle). Stage 02.3, README "Steps" 4.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static void keep_min(uint64_t rest, uint64_t *best, const char **for_,
		     const char *bind)
{
	/* >>> SOLUTION 02.3: a strict comparison, then the two assignments */
	if (rest < *best) {
		*best = rest;
		*for_ = bind;
	}
	/* === STUB
	(void)rest;
	(void)best;
	(void)for_;
	(void)bind;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_plan.h. out->left is given. With no request,
 * everything left is stranded, each "for" being "no request". Else for
 * each request's shape (vcpus x 1000, mem, disk): k = copies(); what stays
 * of each OTHER resource than the one that stopped the copies (left minus
 * k x shape) is stranded; the one that stopped them strands 0 (its rest is
 * smaller than one shape). out->stranded keeps, per resource, the least
 * over all shapes (keep_min, starting from UINT64_MAX), and its "for" the
 * binding resource of that shape. Stage 02.3, README "Steps" 4.
 */
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

/*
 * The contract is in part_plan.h: the cgroup cpu.max quota (microseconds
 * per PART_CPU_PERIOD) of vcpus vCPUs at ratio_milli: vcpus x period x 1000
 * / ratio_milli, rounded UP; 0 ("max", no quota) when ratio_milli <= 1000
 * (dedicated cores need none). Stage 02.2, README "Steps" 3.
 */
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
