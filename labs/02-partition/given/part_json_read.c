/*
 * part_json_read: a plan file back into a plan (see part_json.h).
 *
 * Read with jansson (part_json_load): a key given twice in one object, or a
 * "\u0000" in a string, is refused with its line and column, never read as
 * the last one or a name cut short. Then every field the plan needs is
 * checked (type and range), and the plan against what part_plan_make
 * guarantees, so that `apply` never acts on a half-understood plan: a plan
 * is read whole or refused. No json-c here: the two libraries share two
 * symbol names (part_req.c). The messages say what is wrong, not how to
 * make a plan: that is main's, which knows the command line.
 */
#include "part_json.h"
#include "part_report.h"
#include "part_size.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-negative integer field of o, at most max. Returns 0 or -EINVAL. */
static int get_u64(const json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return -EINVAL;
	json_int_t x = json_integer_value(v);
	if (x < 0 || (uint64_t)x > max)
		return -EINVAL;
	*out = (uint64_t)x;
	return 0;
}

static int read_host(const json_t *root, const char *key, struct part_host *h)
{
	const json_t *o = json_object_get(root, key);
	uint64_t c;

	if (!json_is_object(o) || get_u64(o, "cpus", PART_HOST_CPUS_MAX, &c) ||
	    get_u64(o, "mem", INT64_MAX, &h->mem) || get_u64(o, "disk", INT64_MAX, &h->disk))
		return -EINVAL;
	h->cpus = (uint32_t)c;
	return 0;
}

/* One server of the plan into v (v->cpu allocated). Returns 0, -EINVAL
 * (a field missing or out of range) or -ENOMEM. */
static int read_server(const struct part_plan *pl, const json_t *o, struct part_vs *v)
{
	const json_t *name = json_object_get(o, "name"), *ids = json_object_get(o, "cpu_ids");
	uint64_t x;

	/* No NUL inside: json_loads refused "\u0000". */
	if (!json_is_string(name) || json_string_length(name) >= PART_NAME_MAX)
		return -EINVAL;
	strcpy(v->req.name, json_string_value(name));
	if (!part_name_ok(v->req.name) || !json_is_array(ids))
		return -EINVAL;
	size_t n = json_array_size(ids);
	if (n == 0 || n > PART_VCPUS_MAX)
		return -EINVAL;
	if (!(v->cpu = calloc(n, sizeof(*v->cpu))))
		return -ENOMEM; /* out of memory exits 5, never 2 (bad input) */
	v->req.vcpus = (uint32_t)n;
	for (size_t k = 0; k < n; k++) {
		const json_t *e = json_array_get(ids, k);
		json_int_t id = json_integer_value(e);
		if (!json_is_integer(e) || id < 0 || id >= pl->opts.host.cpus)
			return -EINVAL;
		v->cpu[k] = (uint32_t)id;
	}
	if (get_u64(o, "mem", INT64_MAX, &v->req.mem) || v->req.mem == 0 ||
	    get_u64(o, "disk", INT64_MAX, &v->req.disk) ||
	    get_u64(o, "disk_offset", INT64_MAX - v->req.disk, &v->disk_off) ||
	    get_u64(o, "pids", 4194304, &x) || x == 0)
		return -EINVAL;
	v->req.pids = (uint32_t)x;
	return 0;
}

static int read_servers(struct part_plan *pl, const json_t *arr, struct vmlab_err *err)
{
	size_t n = json_array_size(arr);
	struct part_reqs names = {0};
	int e = 0;

	if (!(pl->vs = calloc(n ? n : 1, sizeof(*pl->vs))))
		return vmlab_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n && !e; i++) {
		struct part_vs *v = &pl->vs[pl->nvs++];

		if ((e = read_server(pl, json_array_get(arr, i), v)) == -ENOMEM)
			vmlab_fail(err, e, "out of memory");
		else if (e)
			e = vmlab_fail(err, -EINVAL, "servers[%zu] is missing a field or has one out of range", i);
		else
			v->req.line = (unsigned)i, e = part_reqs_add(&names, &v->req, err);
	}
	if (!e && (e = part_reqs_check_unique(&names, err)) == -EEXIST)
		e = vmlab_fail(err, -EINVAL, "a server name appears twice");
	part_reqs_free(&names);
	return e;
}

/*
 * Checking a plan read back against what part_plan_make guarantees
 * (part_plan.h), so that a plan edited by hand cannot have apply fence two
 * servers onto one dedicated CPU, overlap their disks, or promise memory
 * the host does not have.
 */
static int impossible(struct vmlab_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int impossible(struct vmlab_err *err, const char *fmt, ...)
{
	char what[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return vmlab_fail(err, -ERANGE, "an impossible plan (edited by hand?): %s", what);
}

/* Each vCPU on a pool core (not the reserve's), no core over the ratio. */
static int check_cores(const struct part_plan *pl, struct vmlab_err *err)
{
	uint32_t *load = calloc(pl->opts.host.cpus ? pl->opts.host.cpus : 1, sizeof(*load));
	int e = 0;

	if (!load)
		return vmlab_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < pl->nvs && !e; i++) {
		const struct part_vs *v = &pl->vs[i];

		for (uint32_t k = 0; k < v->req.vcpus && !e; k++) {
			uint32_t c = v->cpu[k]; /* < host.cpus: read_server checked */

			if (c < pl->opts.reserve.cpus)
				e = impossible(err, "%s uses CPU %u, which the reserve keeps for the host",
					       v->req.name, c);
			else if (k && c <= v->cpu[k - 1])
				e = impossible(err, "%s's cpu_ids are not distinct and ascending", v->req.name);
			else if ((uint64_t)++load[c] * 1000 > pl->opts.ratio_milli)
				e = impossible(err, "CPU %u holds more vCPUs than the CPU ratio allows "
					       "(%s's is one too many; dedicated CPUs go to one server)",
					       c, v->req.name);
		}
	}
	free(load);
	return e;
}

struct extent {
	uint64_t off, end;
	const char *name;
};

static int by_offset(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Disk extents inside the image, none overlapping another. */
static int check_disks(const struct part_plan *pl, struct vmlab_err *err)
{
	struct extent *x = calloc(pl->nvs ? pl->nvs : 1, sizeof(*x));
	size_t n = 0;
	int e = 0;

	if (!x)
		return vmlab_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < pl->nvs; i++)
		if (pl->vs[i].req.disk) /* off + disk <= INT64_MAX: read_server checked */
			x[n++] = (struct extent){pl->vs[i].disk_off,
						 pl->vs[i].disk_off + pl->vs[i].req.disk,
						 pl->vs[i].req.name};
	qsort(x, n, sizeof(*x), by_offset);
	for (size_t i = 0; i < n && !e; i++)
		if (x[i].end > pl->image_size)
			e = impossible(err, "%s's disk ends at byte %llu, past the image's %llu bytes",
				       x[i].name, (unsigned long long)x[i].end,
				       (unsigned long long)pl->image_size);
		else if (i && x[i].off < x[i - 1].end)
			e = impossible(err, "the disks of %s and %s overlap", x[i - 1].name, x[i].name);
	free(x);
	return e;
}

/* A reserve that leaves something, and memory within what it leaves. */
static int check_memory(const struct part_plan *pl, struct vmlab_err *err)
{
	const struct part_host *h = &pl->opts.host, *r = &pl->opts.reserve;
	uint64_t left;

	if (r->cpus >= h->cpus || r->mem >= h->mem || r->disk > h->disk)
		return impossible(err, "its reserve leaves nothing of its host");
	left = h->mem - r->mem;
	for (size_t i = 0; i < pl->nvs; i++) {
		if (pl->vs[i].req.mem > left)
			return impossible(err, "its servers (up to %s) need more memory than its host's "
					  "%llu bytes less the reserve", pl->vs[i].req.name,
					  (unsigned long long)(h->mem - r->mem));
		left -= pl->vs[i].req.mem;
	}
	return 0;
}

/* The disk image's path: a string with no control character (nor NUL). */
static int read_image(struct part_plan *pl, const json_t *img)
{
	if (!json_is_string(img) || json_string_length(img) == 0 ||
	    json_string_length(img) >= sizeof(pl->image))
		return -EINVAL;
	strcpy(pl->image, json_string_value(img));
	for (const char *p = pl->image; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -EINVAL;
	return 0;
}

int part_json_read(struct part_plan *pl, const char *text,
		   struct vmlab_err *err)
{
	json_t *root, *arr;
	int e;

	memset(pl, 0, sizeof(*pl));
	if ((e = part_json_load(text, &root, err))) {
		if (err && strlen(err->msg) > 150) /* jansson's words, cut as ever */
			err->msg[150] = '\0';
		return e;
	}
	arr = json_object_get(root, "servers");
	if (read_host(root, "host", &pl->opts.host) || read_host(root, "reserve", &pl->opts.reserve) ||
	    get_u64(root, "cpu_ratio_milli", PART_RATIO_MAX, &pl->opts.ratio_milli) ||
	    pl->opts.ratio_milli < 1000 || get_u64(root, "image_size", INT64_MAX, &pl->image_size))
		e = vmlab_fail(err, -EINVAL, "host, reserve, cpu_ratio_milli or image_size missing or out of range");
	else if (read_image(pl, json_object_get(root, "image")))
		e = vmlab_fail(err, -EINVAL, "no image path, or one with a NUL or control character");
	else if (!json_is_array(arr))
		e = vmlab_fail(err, -EINVAL, "no servers list");
	else if (!(e = read_servers(pl, arr, err)) && !(e = check_memory(pl, err)) &&
		 !(e = check_cores(pl, err)))
		e = check_disks(pl, err);
	json_decref(root);
	return e;
}
