/*
 * hi_cpu: the processor, from /sys/devices/system/cpu and /proc/cpuinfo.
 *
 * Two sources, on purpose. sysfs gives the topology the scheduler uses: one
 * directory per logical CPU, with the package (socket) and core it sits on.
 * /proc/cpuinfo (parsed in hi_cpuinfo.c) gives the names (model, vendor)
 * and the feature flags, and is the fallback for the topology. Here: the
 * kernel's CPU list format, counting sockets and cores from (package,
 * core) pairs, cache sizes, and hi_cpu_read, which puts it all together.
 * Formats: Documentation/ABI/stable/sysfs-devices-system-cpu,
 * Documentation/admin-guide/cputopology.rst.
 */
#include "hi_cpu.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The contract is in hi_cpu.h. "0-3,8-11\n": ranges "a-b" and single CPUs
 * "a", separated by commas, one optional newline at the end, nothing else.
 * Clear *count and, when set is not NULL, the whole bitmap ((nbits + 7) / 8
 * bytes) first: callers pass an uninitialised buffer. The kernel lists CPUs
 * in increasing order, once each: a range that runs backwards, or a CPU
 * that is not above the previous one, is -EINVAL; a missing number, "-" or
 * "," is -EINVAL; a number >= nbits (or over UINT64_MAX) is -ERANGE. Use
 * hi_parse_u64 (hi_file.h) for the numbers. Stage 01.1, README "Steps" 1.
 */
int hi_cpulist_parse(const char *s, uint8_t *set, unsigned nbits,
		     unsigned *count)
{
	/* >>> SOLUTION 01.1: clear, then one number or range per comma: check order and bound, mark each CPU in set, count it */
	uint64_t lo, hi, next = 0; /* the kernel lists CPUs in order, once */
	const char *p = s;
	int err;

	*count = 0;
	if (set)
		memset(set, 0, (nbits + 7) / 8);
	do {
		err = hi_parse_u64(p, &p, &lo);
		if (err)
			return err == -ERANGE ? err : -EINVAL;
		hi = lo;
		if (*p == '-' && (err = hi_parse_u64(p + 1, &p, &hi)))
			return err == -ERANGE ? err : -EINVAL;
		if (hi < lo || lo < next)
			return -EINVAL;
		if (hi >= nbits)
			return -ERANGE;
		next = hi + 1;
		for (uint64_t c = lo; c <= hi; c++) {
			if (set)
				set[c / 8] |= (uint8_t)(1u << (c % 8));
			(*count)++;
		}
	} while (*p++ == ',');
	p--;
	return *p == '\0' || (*p == '\n' && p[1] == '\0') ? 0 : -EINVAL;
	/* === STUB
	(void)s;
	(void)set;
	(void)nbits;
	*count = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * A comparison for qsort of struct hi_cpu_id: by package, then by core.
 * Returns < 0, 0 or > 0 like strcmp; never subtract unsigned ids (the
 * difference wraps). Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int id_cmp(const void *a, const void *b)
{
	/* >>> SOLUTION 01.1: compare the packages; when equal, compare the cores */
	const struct hi_cpu_id *x = a, *y = b;

	if (x->package != y->package)
		return x->package < y->package ? -1 : 1;
	return x->core < y->core ? -1 : x->core > y->core;
	/* === STUB
	(void)a;
	(void)b;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_cpu.h. Clears *out; n == 0 is -EINVAL. ids holds
 * one (package, core) pair per online CPU, in any order (sort them: ids may
 * be reordered). Core ids repeat in every package, so a core is a distinct
 * PAIR. sockets = distinct packages, cores_per_socket = cores / sockets,
 * threads_per_core = n / cores. Stage 01.1, README "Steps" 1.
 */
int hi_topology_count(struct hi_cpu_id *ids, unsigned n,
		      struct hi_topology *out)
{
	/* >>> SOLUTION 01.1: qsort with id_cmp, then one pass counting where the package changes and where the pair changes */
	unsigned packages = 0, cores = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return -EINVAL;
	qsort(ids, n, sizeof(ids[0]), id_cmp);
	for (unsigned i = 0; i < n; i++) {
		if (i == 0 || ids[i].package != ids[i - 1].package)
			packages++;
		if (i == 0 || id_cmp(&ids[i], &ids[i - 1]) != 0)
			cores++; /* core ids repeat in each package: pairs */
	}
	out->sockets = packages;
	out->cores_per_socket = cores / packages;
	out->threads_per_core = n / cores;
	return 0;
	/* === STUB
	(void)ids;
	(void)n;
	memset(out, 0, sizeof(*out));
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_cpu.h. sysfs writes cache sizes as "32K\n" or
 * "8M": a decimal number (hi_parse_u64), then K or M (powers of 1024), then
 * at most one newline. Returns 0 with *out in bytes; -EINVAL for no unit,
 * another unit or trailing text; -ERANGE when the bytes overflow (use
 * hi_mul_u64). Stage 01.1, README "Steps" 1.
 */
int hi_cache_size_parse(const char *s, uint64_t *out)
{
	/* >>> SOLUTION 01.1: the number, the unit letter, then the end of the string (or one newline) */
	const char *end;
	uint64_t v;
	int err = hi_parse_u64(s, &end, &v);

	if (err)
		return err;
	switch (*end) {
	case 'K':
		err = hi_mul_u64(v, 1024, out);
		break;
	case 'M':
		err = hi_mul_u64(v, 1024 * 1024, out);
		break;
	default:
		return -EINVAL;
	}
	end++;
	return err ? err : (*end == '\0' || !strcmp(end, "\n")) ? 0 : -EINVAL;
	/* === STUB
	(void)s;
	*out = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int hi_cpu_online(const char *root, unsigned *count)
{
	char line[4096];
	int err = hi_file_line(root, "sys/devices/system/cpu/online", line,
			       sizeof(line));

	*count = 0;
	return err ? err : hi_cpulist_parse(line, NULL, HI_CPU_MAX, count);
}

/* One topology id; some ARM kernels write -1 for "no package": call it 0. */
static int topo_id(const char *root, const char *rel, uint64_t *v)
{
	char line[32];
	int err = hi_file_line(root, rel, line, sizeof(line));

	if (!err && strcmp(line, "-1") == 0) {
		*v = 0;
		return 0;
	}
	return err ? err : hi_file_u64(root, rel, v);
}

/* CPU c's package and core, from its topology/ directory. */
static int cpu_id(const char *root, unsigned c, struct hi_cpu_id *id,
		  struct hi_diags *ds)
{
	const char *names[] = { "physical_package_id", "core_id" };
	unsigned *dst[] = { &id->package, &id->core };
	char rel[128];
	uint64_t v;
	int err;

	for (int i = 0; i < 2; i++) {
		snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%u/"
			 "topology/%s", c, names[i]);
		err = topo_id(root, rel, &v);
		if (!err && v > UINT32_MAX)
			err = -ERANGE;
		if (err && err != -ENOENT) /* no topology/: fall back quietly */
			hi_diag_add(ds, err, root, rel, 0,
				    "expected one number");
		if (err)
			return err;
		*dst[i] = (unsigned)v;
	}
	return 0;
}

/* Reads package and core id of every online CPU, then counts them. */
static int topology_sysfs(const char *root, const uint8_t *online,
			  struct hi_topology *out, struct hi_diags *ds)
{
	struct hi_cpu_id *ids = calloc(HI_CPU_MAX, sizeof(*ids));
	unsigned n = 0;
	int err = ids ? 0 : -ENOMEM;

	for (unsigned c = 0; !err && c < HI_CPU_MAX; c++)
		if (online[c / 8] & (1u << (c % 8)))
			err = cpu_id(root, c, &ids[n++], ds);
	if (!err)
		err = hi_topology_count(ids, n, out);
	free(ids);
	return err;
}

/* CPU 0's caches: cache/index<N>/{level,type,size}. */
static void caches_read(const char *root, struct hi_cpu *out,
			struct hi_diags *ds)
{
	const char *dir = "sys/devices/system/cpu/cpu0/cache";
	char rel[128], type[32], size[32];
	uint64_t level;

	for (unsigned i = 0; i < 16 && out->ncache < HI_CACHE_MAX; i++) {
		struct hi_cache *c = &out->cache[out->ncache];
		int err;

		/* A missing or odd index is skipped; memory running out is not. */
		snprintf(rel, sizeof(rel), "%s/index%u/level", dir, i);
		if (hi_diag_nomem(ds, root, rel, hi_file_u64(root, rel, &level)) ||
		    level == 0 || level > 4)
			continue;
		snprintf(rel, sizeof(rel), "%s/index%u/type", dir, i);
		if (hi_diag_nomem(ds, root, rel, hi_file_line(root, rel, type, sizeof(type))))
			continue;
		snprintf(rel, sizeof(rel), "%s/index%u/size", dir, i);
		err = hi_file_line(root, rel, size, sizeof(size));
		if (hi_diag_nomem(ds, root, rel, err))
			continue;
		if (err || hi_cache_size_parse(size, &c->size)) {
			hi_diag_add(ds, -EINVAL, root, rel, 1,
				    "expected a size such as \"32K\"");
			continue;
		}
		c->level = (unsigned)level;
		c->type = type[0] == 'D' ? 'd' : type[0] == 'I' ? 'i' : 'u';
		out->ncache++;
	}
}

/* The topology from /proc/cpuinfo, when sysfs has none. */
static int topology_cpuinfo(const struct hi_cpuinfo *ci, struct hi_topology *t)
{
	if (!ci->sockets || !ci->cores_per_socket || !ci->siblings ||
	    ci->siblings % ci->cores_per_socket)
		return -ENODATA;
	t->sockets = ci->sockets;
	t->cores_per_socket = ci->cores_per_socket;
	t->threads_per_core = ci->siblings / ci->cores_per_socket;
	return 0;
}

static void cpuinfo_read(const char *root, struct hi_cpu *out,
			 struct hi_diags *ds)
{
	const char *rel = "proc/cpuinfo";
	unsigned line;
	char *text;
	int err = hi_file_load(root, rel, &text, NULL);

	if (err) {
		hi_diag_add(ds, err, root, rel, 0, "cannot read the CPU model");
		return;
	}
	err = hi_cpuinfo_parse(text, &out->info, &line);
	free(text);
	out->cpuinfo_ok = err == 0;
	if (err == -ENOSYS)
		hi_diag_add(ds, err, root, rel, 0, "parser not written yet");
	else if (err == -ENODATA)
		hi_diag_add(ds, err, root, rel, 0, "no \"processor\" line");
	else if (err == -ERANGE)
		hi_diag_add(ds, err, root, rel, line, "number out of range");
	else if (err)
		hi_diag_add(ds, err, root, rel, line,
			    "expected \"key : value\" "
			    "(malformed or truncated line)");
}

/* The online CPUs as a bitmap and a count. Returns 0 or -errno. */
static int online_read(const char *root, uint8_t *online, unsigned *count,
		       struct hi_diags *ds)
{
	const char *rel = "sys/devices/system/cpu/online";
	char line[4096];
	int err = hi_file_line(root, rel, line, sizeof(line));

	if (err) {
		hi_diag_add(ds, err, root, rel, 0,
			    "cannot count the CPUs online");
		return err;
	}
	err = hi_cpulist_parse(line, online, HI_CPU_MAX, count);
	if (err)
		hi_diag_add(ds, err, root, rel, 1, "%s", err == -ENOSYS
			    ? "parser not written yet"
			    : "expected a CPU list such as \"0-3,8-11\"");
	return err;
}

int hi_cpu_read(const char *root, struct hi_cpu *out, struct hi_diags *ds)
{
	const char *freq =
		"sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
	uint8_t online[HI_CPU_MAX / 8];
	int err;

	memset(out, 0, sizeof(*out));
	cpuinfo_read(root, out, ds);
	if (online_read(root, online, &out->online, ds))
		out->online = out->info.processors; /* those are online */
	else if ((err = topology_sysfs(root, online, &out->topo, ds)) == 0)
		out->topo_source = "sysfs";
	else /* not a host without sysfs: say so */
		hi_diag_nomem(ds, root, "sys/devices/system/cpu", err);
	if (!out->topo_source && topology_cpuinfo(&out->info, &out->topo) == 0)
		out->topo_source = "/proc/cpuinfo";
	caches_read(root, out, ds);
	if (hi_diag_nomem(ds, root, freq, hi_file_u64(root, freq, &out->max_khz)))
		out->max_khz = 0; /* no cpufreq driver: common in VMs */
	if (out->online == 0)
		return -ENODATA;
	return out->info.model[0] || out->topo_source ? 0 : -ENODATA;
}
