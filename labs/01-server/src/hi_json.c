/*
 * hi_json: the same facts as the human report, as a JSON document (json-c).
 *
 * json-c's object functions take ownership of the values added to them,
 * so each builder returns one object and the caller adds it; a failed
 * allocation inside shows up as a missing member, never as a crash.
 */
#include "hi_json.h"

#include "hi_diag.h"
#include "hi_host.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static struct json_object *os_json(const struct hi_os *os)
{
	struct json_object *o = json_object_new_object(), *load;

	add(o, "kernel", str_or_null(os->kernel));
	add(o, "release", str_or_null(os->release));
	add(o, "machine", str_or_null(os->machine));
	add(o, "distribution", str_or_null(os->distro));
	add(o, "hostname", str_or_null(os->hostname));
	add(o, "uptime_s", os->uptime >= 0 ? json_object_new_double(os->uptime) : NULL);
	if (os->have_load) {
		load = json_object_new_array();
		for (int i = 0; i < 3; i++)
			json_object_array_add(load, json_object_new_double(os->load[i]));
		add(o, "load_average", load);
		add(o, "tasks_runnable", json_object_new_int64(os->running));
		add(o, "tasks_total", json_object_new_int64(os->tasks));
	}
	return o;
}

static struct json_object *cpu_json(const struct hi_cpu *c)
{
	struct json_object *o = json_object_new_object(), *caches, *x;

	add(o, "model", str_or_null(c->info.model));
	add(o, "vendor", str_or_null(c->info.vendor));
	add(o, "logical_cpus", json_object_new_int64(c->online));
	if (c->topo_source) {
		add(o, "sockets", json_object_new_int64(c->topo.sockets));
		add(o, "cores_per_socket", json_object_new_int64(c->topo.cores_per_socket));
		add(o, "threads_per_core", json_object_new_int64(c->topo.threads_per_core));
		add(o, "topology_source", json_object_new_string(c->topo_source));
	}
	if (c->max_khz)
		add(o, "max_mhz", json_object_new_int64((int64_t)(c->max_khz / 1000)));
	if (c->info.mhz)
		add(o, "current_mhz", json_object_new_int64(c->info.mhz));
	caches = json_object_new_array();
	for (unsigned i = 0; i < c->ncache; i++) {
		char type[2] = { c->cache[i].type, 0 };
		x = json_object_new_object();
		add(x, "level", json_object_new_int64(c->cache[i].level));
		add(x, "type", json_object_new_string(type));
		add(x, "size_bytes", json_object_new_uint64(c->cache[i].size));
		json_object_array_add(caches, x);
	}
	add(o, "caches", caches);
	if (c->info.has_flags) {
		add(o, "vmx", json_object_new_boolean(c->info.vmx));
		add(o, "svm", json_object_new_boolean(c->info.svm));
		add(o, "hypervisor_flag", json_object_new_boolean(c->info.hypervisor));
	}
	return o;
}

static struct json_object *mem_json(const struct hi_mem *m)
{
	struct json_object *o = json_object_new_object();

	add(o, "total_bytes", json_object_new_uint64(m->total));
	add(o, "used_bytes", json_object_new_uint64(m->used));
	add(o, "available_bytes", json_object_new_uint64(m->available));
	add(o, "free_bytes", json_object_new_uint64(m->free));
	add(o, "swap_total_bytes", json_object_new_uint64(m->swap_total));
	add(o, "swap_used_bytes", json_object_new_uint64(m->swap_used));
	add(o, "hugepage_size_bytes", json_object_new_uint64(m->hugepage_size));
	return o;
}

static struct json_object *storage_json(const struct hi_storage *s)
{
	struct json_object *o = json_object_new_object(), *disks, *fss, *x;

	disks = json_object_new_array();
	for (unsigned i = 0; i < s->ndisk; i++) {
		x = json_object_new_object();
		add(x, "name", json_object_new_string(s->disk[i].name));
		add(x, "size_bytes", json_object_new_uint64(s->disk[i].size));
		add(x, "rotational", json_object_new_boolean(s->disk[i].rotational));
		add(x, "removable", json_object_new_boolean(s->disk[i].removable));
		add(x, "model", str_or_null(s->disk[i].model));
		json_object_array_add(disks, x);
	}
	fss = json_object_new_array();
	for (unsigned i = 0; i < s->nmount; i++) {
		const struct hi_mount *m = &s->mount[i];
		x = json_object_new_object();
		add(x, "mount_point", json_object_new_string(m->dir));
		add(x, "device", json_object_new_string(m->device));
		add(x, "type", json_object_new_string(m->fstype));
		add(x, "size_bytes", m->sized ? json_object_new_uint64(m->size) : NULL);
		add(x, "used_bytes", m->sized ? json_object_new_uint64(m->used) : NULL);
		add(x, "available_bytes", m->sized ? json_object_new_uint64(m->avail) : NULL);
		json_object_array_add(fss, x);
	}
	add(o, "disks", disks);
	add(o, "filesystems", fss);
	return o;
}

static struct json_object *net_json(const struct hi_net *n)
{
	struct json_object *o = json_object_new_object(), *ifs, *x, *addrs;
	char text[64];

	add(o, "addresses_read", json_object_new_boolean(n->live));
	ifs = json_object_new_array();
	for (unsigned i = 0; i < n->n; i++) {
		const struct hi_iface *ifc = &n->iface[i];
		x = json_object_new_object();
		add(x, "name", json_object_new_string(ifc->name));
		add(x, "mac", str_or_null(ifc->mac));
		addrs = json_object_new_array();
		for (unsigned j = 0; j < ifc->naddr; j++) {
			snprintf(text, sizeof(text), "%s/%d", ifc->addr[j].text,
				 ifc->addr[j].prefix);
			json_object_array_add(addrs, json_object_new_string(text));
		}
		add(x, "addresses", addrs);
		json_object_array_add(ifs, x);
	}
	add(o, "interfaces", ifs);
	return o;
}

static struct json_object *virt_json(const struct hi_host *h)
{
	static const char *const kvm[] = { "not_checked", "absent", "no_access",
					   "bad_api", "no_vm", "usable" };
	const struct hi_virt *v = &h->virt;
	struct json_object *o = json_object_new_object();
	char sentence[256];

	add(o, "cpuid_checked", json_object_new_boolean(v->cpuid_checked));
	add(o, "cpuid_hypervisor", v->cpuid_checked ? json_object_new_boolean(v->cpuid_hypervisor) : NULL);
	add(o, "signature", str_or_null(v->signature));
	add(o, "hypervisor", str_or_null(v->hypervisor));
	add(o, "dmi_vendor", str_or_null(v->dmi_vendor));
	add(o, "dmi_product", str_or_null(v->dmi_product));
	add(o, "board", str_or_null(v->board));
	add(o, "is_vm", v->is_vm < 0 ? NULL : json_object_new_boolean(v->is_vm));
	add(o, "evidence", str_or_null(v->evidence));
	add(o, "kvm", json_object_new_string(kvm[v->kvm]));
	hi_virt_summary(v, &h->cpu.info, sentence, sizeof(sentence));
	add(o, "summary", json_object_new_string(sentence));
	return o;
}

static struct json_object *util_json(const struct hi_sample *s)
{
	struct json_object *o = json_object_new_object(), *per;
	char sentence[256];

	add(o, "seconds", json_object_new_double(s->seconds));
	add(o, "cpus", json_object_new_int64(s->cpus));
	add(o, "busy", json_object_new_double(s->busy));
	per = json_object_new_array();
	for (unsigned i = 0; i < s->ncpu; i++)
		json_object_array_add(per, s->cpu_busy[i] < 0 ? NULL
					   : json_object_new_double(s->cpu_busy[i]));
	add(o, "per_cpu_busy", per);
	add(o, "memory_total_bytes", json_object_new_uint64(s->mem_total));
	add(o, "memory_available_bytes", json_object_new_uint64(s->mem_available));
	hi_idle_sentence(s, sentence, sizeof(sentence));
	add(o, "summary", json_object_new_string(sentence));
	return o;
}

static struct json_object *warnings_json(const struct hi_diags *ds)
{
	struct json_object *a = json_object_new_array(), *x;

	for (unsigned i = 0; ds && i < ds->n; i++) {
		x = json_object_new_object();
		add(x, "file", json_object_new_string(ds->d[i].file));
		add(x, "line", ds->d[i].line ? json_object_new_int64(ds->d[i].line) : NULL);
		add(x, "error", json_object_new_string(strerror(-ds->d[i].err)));
		add(x, "message", json_object_new_string(ds->d[i].what));
		json_object_array_add(a, x);
	}
	return a;
}

struct json_object *hi_json_host(const struct hi_host *h,
				 const struct hi_diags *ds)
{
	struct json_object *o = json_object_new_object();
	unsigned want = h->sections, ok = h->ok;

	if (!o)
		return NULL;
	add(o, "root", json_object_new_string(h->root));
	add(o, "live", json_object_new_boolean(h->live));
	if (want & HI_SEC_OS)
		add(o, "os", os_json(&h->os));
	if (want & HI_SEC_CPU)
		add(o, "cpu", cpu_json(&h->cpu));
	if (want & HI_SEC_MEM)
		add(o, "memory", ok & HI_SEC_MEM ? mem_json(&h->mem) : NULL);
	if (want & HI_SEC_STORAGE)
		add(o, "storage", storage_json(&h->storage));
	if (want & HI_SEC_NET)
		add(o, "network", net_json(&h->net));
	if (want & HI_SEC_VIRT)
		add(o, "virtualization", virt_json(h));
	if (want & HI_SEC_UTIL)
		add(o, "utilization", ok & HI_SEC_UTIL ? util_json(&h->sample) : NULL);
	add(o, "warnings", warnings_json(ds));
	return o;
}
