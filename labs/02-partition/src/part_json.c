/*
 * part_json: plans to JSON (see part_json.h); part_json_read.c reads them
 * back.
 *
 * Writing builds a json-c tree. Reading is jansson's, in a file of its own:
 * the two libraries share two symbol names, so no file includes both.
 */
#include "part_json.h"
#include "part_report.h"
#include "part_size.h"

#include <json-c/json.h>

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

/*
 * One virtual server of the plan as a JSON object, its keys in this order:
 * "name", "vcpus", "cpu_ids" (an array of host CPU ids), "cpuset" (the same
 * ids as a cpuset list, part_cpulist), "cpu_max" ("QUOTA PERIOD" from
 * part_cpu_quota, null when the quota is 0: its cores are its own),
 * "mem", "disk", "disk_offset", "vmm_disk" ("IMAGE:OFFSET:SIZE", null
 * without a disk) and "pids". Returns the object; a value json-c could not
 * make clears *ok (add, add_opt and push do that), and the caller then
 * drops the whole plan.
 * Stage 02.3, README "Steps" 4.
 */
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
