/*
 * part_json: plans to JSON and back (see part_json.h).
 *
 * Writing builds a json-c tree; reading walks one, checking every field it
 * needs (type and range) so that `apply` never acts on a half-understood
 * plan: a plan is read whole or refused.
 */
#include "part_json.h"
#include "part_report.h"
#include "part_size.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Building a tree: json-c returns NULL when an allocation fails, and
 * json_object_object_add() on a NULL object is an assertion (abort). Each
 * builder takes a sticky *ok: a NULL where a value was wanted clears it,
 * and part_json_plan() then returns no plan rather than one with holes.
 */
static struct json_object *add(bool *ok, struct json_object *o, const char *key,
			       struct json_object *v)
{
	if (!o || !v || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		*ok = false;
	}
	return o;
}

/* Adds v, or null where want is false (an absent field, not a failure). */
static void add_opt(bool *ok, struct json_object *o, const char *key, bool want,
		    struct json_object *v)
{
	if (want) {
		add(ok, o, key, v);
		return;
	}
	json_object_put(v);
	if (!o || json_object_object_add(o, key, NULL) != 0)
		*ok = false;
}

static void push(bool *ok, struct json_object *arr, struct json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		*ok = false;
	}
}

static struct json_object *res_json(bool *ok, uint32_t cpus, uint64_t mem, uint64_t disk)
{
	struct json_object *o = json_object_new_object();

	add(ok, o, "cpus", json_object_new_int64(cpus));
	add(ok, o, "mem", json_object_new_int64((int64_t)mem));
	add(ok, o, "disk", json_object_new_int64((int64_t)disk));
	return o;
}

static struct json_object *server_json(bool *ok, const struct part_plan *pl,
				       const struct part_vs *v)
{
	/* >>> SOLUTION 02.3: name, vCPUs, cpu_ids and their cpuset list, cpu_max (null when dedicated), mem, disk, disk_offset, vmm_disk (image:offset:size, absent without disk), pids */
	struct json_object *o = json_object_new_object(), *ids = json_object_new_array();
	uint64_t quota = part_cpu_quota(v->req.vcpus, pl->opts.ratio_milli);
	char buf[512];

	add(ok, o, "name", json_object_new_string(v->req.name));
	add(ok, o, "vcpus", json_object_new_int64(v->req.vcpus));
	for (uint32_t k = 0; k < v->req.vcpus; k++)
		push(ok, ids, json_object_new_int64(v->cpu[k]));
	add(ok, o, "cpu_ids", ids);
	add(ok, o, "cpuset", json_object_new_string(part_cpulist(v->cpu, v->req.vcpus, buf, sizeof(buf))));
	snprintf(buf, sizeof(buf), "%llu %d", (unsigned long long)quota, PART_CPU_PERIOD);
	add_opt(ok, o, "cpu_max", quota, json_object_new_string(buf));
	add(ok, o, "mem", json_object_new_int64((int64_t)v->req.mem));
	add(ok, o, "disk", json_object_new_int64((int64_t)v->req.disk));
	add(ok, o, "disk_offset", json_object_new_int64((int64_t)v->disk_off));
	snprintf(buf, sizeof(buf), "%s:%llu:%llu", pl->image, (unsigned long long)v->disk_off,
		 (unsigned long long)v->req.disk);
	add_opt(ok, o, "vmm_disk", v->req.disk, json_object_new_string(buf));
	add(ok, o, "pids", json_object_new_int64(v->req.pids));
	return o;
	/* === STUB
	struct json_object *o = json_object_new_object();

	(void)pl;
	add(ok, o, "name", json_object_new_string(v->req.name));
	return o;
	*/
	/* <<< SOLUTION */
}

static struct json_object *util_json(bool *ok, const struct part_util *u)
{
	struct json_object *o = json_object_new_object();

	add(ok, o, "cpu", json_object_new_double(u->cpu));
	add(ok, o, "mem", json_object_new_double(u->mem));
	add(ok, o, "disk", json_object_new_double(u->disk));
	return o;
}

/* A string field that may be absent (null). */
static void add_str(bool *ok, struct json_object *o, const char *key, const char *s)
{
	add_opt(ok, o, key, s != NULL, s ? json_object_new_string(s) : NULL);
}

static struct json_object *stranded_json(bool *ok, const struct part_plan *pl,
					 const struct part_reqs *rs)
{
	struct json_object *o = json_object_new_object();
	struct part_stranded st;

	part_plan_stranded(pl, rs, &st);
	add(ok, o, "left_vcpus", json_object_new_double((double)st.left.cpu_milli / 1000));
	add(ok, o, "left_mem", json_object_new_int64((int64_t)st.left.mem));
	add(ok, o, "left_disk", json_object_new_int64((int64_t)st.left.disk));
	add(ok, o, "vcpus", json_object_new_double((double)st.stranded.cpu_milli / 1000));
	add_str(ok, o, "vcpus_for_lack_of", st.cpu_for);
	add(ok, o, "mem", json_object_new_int64((int64_t)st.stranded.mem));
	add_str(ok, o, "mem_for_lack_of", st.mem_for);
	add(ok, o, "disk", json_object_new_int64((int64_t)st.stranded.disk));
	add_str(ok, o, "disk_for_lack_of", st.disk_for);
	return o;
}

struct json_object *part_json_plan(const struct part_plan *pl,
				   const struct part_reqs *rs)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vs = json_object_new_array(), *rej = json_object_new_array();
	struct json_object *util = json_object_new_object();
	struct part_util before, after;
	bool ok = true;

	add(&ok, o, "host", res_json(&ok, pl->opts.host.cpus, pl->opts.host.mem, pl->opts.host.disk));
	add(&ok, o, "reserve",
	    res_json(&ok, pl->opts.reserve.cpus, pl->opts.reserve.mem, pl->opts.reserve.disk));
	add(&ok, o, "policy", json_object_new_string(part_policy_name(pl->opts.policy)));
	add(&ok, o, "cpu_ratio", json_object_new_double((double)pl->opts.ratio_milli / 1000));
	add(&ok, o, "cpu_ratio_milli", json_object_new_int64((int64_t)pl->opts.ratio_milli));
	add(&ok, o, "image", json_object_new_string(pl->image));
	add(&ok, o, "image_size", json_object_new_int64((int64_t)pl->image_size));
	for (size_t i = 0; i < pl->nvs; i++)
		push(&ok, vs, server_json(&ok, pl, &pl->vs[i]));
	add(&ok, o, "servers", vs);
	for (size_t i = 0; i < pl->nrej; i++) {
		struct json_object *r = json_object_new_object();

		add(&ok, r, "name", json_object_new_string(pl->rej[i].req.name));
		add(&ok, r, "reason", json_object_new_string(pl->rej[i].why));
		push(&ok, rej, r);
	}
	add(&ok, o, "rejected", rej);
	part_util_before(pl, rs, &before);
	part_util_after(pl, &after);
	add_str(&ok, util, "one_app", rs->n ? rs->v[0].name : NULL);
	add(&ok, util, "before", util_json(&ok, &before));
	add(&ok, util, "after", util_json(&ok, &after));
	add(&ok, o, "utilization", util);
	add(&ok, o, "stranded", stranded_json(&ok, pl, rs));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

char *part_json_text(struct json_object *plan)
{
	const int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_object *copy = NULL;
	const char *a = json_object_to_json_string_ext(plan, flags), *b = NULL;
	char *text = NULL;

	/*
	 * json-c 0.16's printer carries on without the bytes when its buffer
	 * cannot grow; two printings into separate buffers (the plan's and a
	 * deep copy's) agree only if neither lost any.
	 */
	if (a && json_object_deep_copy(plan, &copy, NULL) == 0)
		b = json_object_to_json_string_ext(copy, flags);
	if (b && strcmp(a, b) == 0)
		text = strdup(a);
	json_object_put(copy);
	return text;
}

/* Reading back. */

static int bad(struct part_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct part_err *err, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err->msg, sizeof(err->msg), "not a plan from `partition plan --json`: ");

	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A non-negative integer field of o, at most max. Returns 0 or -EINVAL. */
static int get_u64(struct json_object *o, const char *key, uint64_t max,
		   uint64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -EINVAL;
	int64_t x = json_object_get_int64(v);
	if (x < 0 || (uint64_t)x > max)
		return -EINVAL;
	*out = (uint64_t)x;
	return 0;
}

static int read_host(struct json_object *root, const char *key,
		     struct part_host *h)
{
	struct json_object *o;
	uint64_t c;

	if (!json_object_object_get_ex(root, key, &o) ||
	    get_u64(o, "cpus", PART_HOST_CPUS_MAX, &c) ||
	    get_u64(o, "mem", INT64_MAX, &h->mem) || get_u64(o, "disk", INT64_MAX, &h->disk))
		return -EINVAL;
	h->cpus = (uint32_t)c;
	return 0;
}

/* One server of the plan into v (v->cpu allocated). */
static int read_server(const struct part_plan *pl, struct json_object *o,
		       struct part_vs *v)
{
	struct json_object *name, *ids;
	uint64_t x;

	if (!json_object_object_get_ex(o, "name", &name) || !json_object_is_type(name, json_type_string) ||
	    snprintf(v->req.name, sizeof(v->req.name), "%s", json_object_get_string(name)) >= PART_NAME_MAX ||
	    strlen(v->req.name) != (size_t)json_object_get_string_len(name) || /* "a\u0000b" */
	    !part_name_ok(v->req.name))
		return -EINVAL;
	if (!json_object_object_get_ex(o, "cpu_ids", &ids) || !json_object_is_type(ids, json_type_array))
		return -EINVAL;
	size_t n = json_object_array_length(ids);
	if (n == 0 || n > PART_VCPUS_MAX || !(v->cpu = calloc(n, sizeof(*v->cpu))))
		return -EINVAL;
	v->req.vcpus = (uint32_t)n;
	for (size_t k = 0; k < n; k++) {
		struct json_object *e = json_object_array_get_idx(ids, k);
		int64_t id = json_object_get_int64(e);
		if (!json_object_is_type(e, json_type_int) || id < 0 || id >= pl->opts.host.cpus)
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

static int read_servers(struct part_plan *pl, struct json_object *arr,
			struct part_err *err)
{
	size_t n = json_object_array_length(arr);
	struct part_reqs names = {0};
	int e = 0;

	if (!(pl->vs = calloc(n ? n : 1, sizeof(*pl->vs))))
		return -ENOMEM;
	for (size_t i = 0; i < n && !e; i++) {
		struct part_vs *v = &pl->vs[pl->nvs++];

		if (read_server(pl, json_object_array_get_idx(arr, i), v))
			e = bad(err, "servers[%zu] is missing a field or has one out of range", i);
		else
			v->req.line = (unsigned)i, e = part_reqs_add(&names, &v->req, err);
	}
	if (!e && (e = part_reqs_check_unique(&names, err)) == -EEXIST)
		e = bad(err, "a server name appears twice");
	part_reqs_free(&names);
	return e;
}

/*
 * Checking a plan read back against what part_plan_make guarantees
 * (part_plan.h), so that a plan edited by hand cannot have apply fence two
 * servers onto one dedicated CPU, overlap their disks, or promise memory
 * the host does not have.
 */
static int impossible(struct part_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int impossible(struct part_err *err, const char *fmt, ...)
{
	va_list ap;
	size_t n = (size_t)snprintf(err->msg, sizeof(err->msg), "an impossible plan (edited by hand?): ");

	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, "; make it again with partition plan --json");
	return -EINVAL;
}

/* Each vCPU on a pool core (not the reserve's), no core over the ratio. */
static int check_cores(const struct part_plan *pl, struct part_err *err)
{
	uint32_t *load = calloc(pl->opts.host.cpus ? pl->opts.host.cpus : 1, sizeof(*load));
	int e = 0;

	if (!load)
		return part_fail(err, -ENOMEM, "out of memory");
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
static int check_disks(const struct part_plan *pl, struct part_err *err)
{
	struct extent *x = calloc(pl->nvs ? pl->nvs : 1, sizeof(*x));
	size_t n = 0;
	int e = 0;

	if (!x)
		return part_fail(err, -ENOMEM, "out of memory");
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
static int check_memory(const struct part_plan *pl, struct part_err *err)
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

int part_json_read(struct part_plan *pl, const char *text,
		   struct part_err *err)
{
	struct json_object *root = json_tokener_parse(text), *arr, *img;
	int e;

	memset(pl, 0, sizeof(*pl));
	if (!root)
		return bad(err, "not valid JSON");
	if (read_host(root, "host", &pl->opts.host) || read_host(root, "reserve", &pl->opts.reserve) ||
	    get_u64(root, "cpu_ratio_milli", PART_RATIO_MAX, &pl->opts.ratio_milli) ||
	    pl->opts.ratio_milli < 1000 || get_u64(root, "image_size", INT64_MAX, &pl->image_size))
		e = bad(err, "host, reserve, cpu_ratio_milli or image_size missing or out of range");
	else if (!json_object_object_get_ex(root, "image", &img) || !json_object_is_type(img, json_type_string) ||
		 snprintf(pl->image, sizeof(pl->image), "%s", json_object_get_string(img)) >= (int)sizeof(pl->image) ||
		 !pl->image[0] || strlen(pl->image) != (size_t)json_object_get_string_len(img) ||
		 strcspn(pl->image, "\x01\x02\x03\x04\x05\x06\x07\x08\t\n\v\f\r\x0e\x0f"
			 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f") !=
			 strlen(pl->image))
		e = bad(err, "no image path, or one with a NUL or control character");
	else if (!json_object_object_get_ex(root, "servers", &arr) ||
		 !json_object_is_type(arr, json_type_array))
		e = bad(err, "no servers list");
	else if (!(e = read_servers(pl, arr, err)) && !(e = check_memory(pl, err)) &&
		 !(e = check_cores(pl, err)))
		e = check_disks(pl, err);
	json_object_put(root);
	return e;
}
