/*
 * hi_json: the same facts as the human report, as a JSON document (json-c).
 *
 * json-c's object functions take ownership of the values added to them, so
 * each builder returns one object and the caller adds it; a failed
 * allocation inside shows up as a missing member, never as a crash.
 * Unknown values are JSON null, never 0 or "".
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

static void add_str(struct json_object *o, const char *key, const char *s)
{
	add(o, key, s && s[0] ? json_object_new_string(s) : NULL);
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
	add(o, key, json_object_new_int64(v));
}

static void add_u64(struct json_object *o, const char *key, uint64_t v)
{
	add(o, key, json_object_new_uint64(v));
}

static void add_bool(struct json_object *o, const char *key, int v)
{
	add(o, key, json_object_new_boolean(v));
}

static struct json_object *os_json(const struct hi_os *os)
{
	struct json_object *o = json_object_new_object(), *load;

	add_str(o, "kernel", os->kernel);
	add_str(o, "release", os->release);
	add_str(o, "machine", os->machine);
	add_str(o, "distribution", os->distro);
	add_str(o, "hostname", os->hostname);
	add(o, "uptime_s",
	    os->uptime >= 0 ? json_object_new_double(os->uptime) : NULL);
	if (os->have_load) {
		load = json_object_new_array();
		for (int i = 0; i < 3; i++) {
			struct json_object *x =
				json_object_new_double(os->load[i]);

			json_object_array_add(load, x);
		}
		add(o, "load_average", load);
		add_int(o, "tasks_runnable", os->running);
		add_int(o, "tasks_total", os->tasks);
	}
	return o;
}

static struct json_object *caches_json(const struct hi_cpu *c)
{
	struct json_object *a = json_object_new_array(), *x;

	for (unsigned i = 0; i < c->ncache; i++) {
		char type[2] = { c->cache[i].type, '\0' };
		x = json_object_new_object();
		add_int(x, "level", c->cache[i].level);
		add_str(x, "type", type);
		add_u64(x, "size_bytes", c->cache[i].size);
		json_object_array_add(a, x);
	}
	return a;
}

static struct json_object *cpu_json(const struct hi_cpu *c)
{
	struct json_object *o = json_object_new_object();

	add_str(o, "model", c->info.model);
	add_str(o, "vendor", c->info.vendor);
	add_int(o, "logical_cpus", c->online);
	if (c->topo_source) {
		add_int(o, "sockets", c->topo.sockets);
		add_int(o, "cores_per_socket", c->topo.cores_per_socket);
		add_int(o, "threads_per_core", c->topo.threads_per_core);
		add_str(o, "topology_source", c->topo_source);
	}
	if (c->max_khz)
		add_u64(o, "max_mhz", c->max_khz / 1000);
	if (c->info.mhz)
		add_int(o, "current_mhz", c->info.mhz);
	add(o, "caches", caches_json(c));
	if (c->info.has_flags) {
		add_bool(o, "vmx", c->info.vmx);
		add_bool(o, "svm", c->info.svm);
		add_bool(o, "hypervisor_flag", c->info.hypervisor);
	}
	return o;
}

/* [{"node": 0, "cpus": "0-13,28-41", "memory_bytes": ...}], or null. */
static struct json_object *numa_json(const struct hi_numa *nu)
{
	struct json_object *a;

	if (nu->n == 0)
		return NULL;
	a = json_object_new_array();
	for (unsigned i = 0; i < nu->n; i++) {
		struct json_object *o = json_object_new_object();
		add_int(o, "node", nu->node[i].id);
		add_str(o, "cpus", nu->node[i].cpus);
		add_u64(o, "memory_bytes", nu->node[i].mem_bytes);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *mem_json(const struct hi_mem *m)
{
	struct json_object *o = json_object_new_object();

	add_u64(o, "total_bytes", m->total);
	add_u64(o, "used_bytes", m->used);
	add_u64(o, "available_bytes", m->available);
	add_u64(o, "free_bytes", m->free);
	add_u64(o, "swap_total_bytes", m->swap_total);
	add_u64(o, "swap_used_bytes", m->swap_used);
	add_u64(o, "hugepage_size_bytes", m->hugepage_size);
	return o;
}

static struct json_object *disk_json(const struct hi_disk *d)
{
	struct json_object *x = json_object_new_object();

	add_str(x, "name", d->name);
	add_u64(x, "size_bytes", d->size);
	add_bool(x, "rotational", d->rotational);
	add_bool(x, "removable", d->removable);
	add_str(x, "model", d->model);
	return x;
}

/* A filesystem; its sizes are null when statvfs did not run. */
static struct json_object *mount_json(const struct hi_mount *m)
{
	struct json_object *x = json_object_new_object();

	add_str(x, "mount_point", m->dir);
	add_str(x, "device", m->device);
	add_str(x, "type", m->fstype);
	add(x, "size_bytes", m->sized ? json_object_new_uint64(m->size) : NULL);
	add(x, "used_bytes", m->sized ? json_object_new_uint64(m->used) : NULL);
	add(x, "available_bytes",
	    m->sized ? json_object_new_uint64(m->avail) : NULL);
	return x;
}

static struct json_object *storage_json(const struct hi_storage *s)
{
	struct json_object *o = json_object_new_object(), *disks, *fss;

	disks = json_object_new_array();
	for (unsigned i = 0; i < s->ndisk; i++)
		json_object_array_add(disks, disk_json(&s->disk[i]));
	fss = json_object_new_array();
	for (unsigned i = 0; i < s->nmount; i++)
		json_object_array_add(fss, mount_json(&s->mount[i]));
	add(o, "disks", disks);
	add(o, "filesystems", fss);
	return o;
}

static struct json_object *iface_json(const struct hi_iface *ifc)
{
	struct json_object *x = json_object_new_object(), *addrs;
	char text[64];

	add_str(x, "name", ifc->name);
	add_str(x, "mac", ifc->mac);
	addrs = json_object_new_array();
	for (unsigned j = 0; j < ifc->naddr; j++) {
		snprintf(text, sizeof(text), "%s/%d", ifc->addr[j].text,
			 ifc->addr[j].prefix);
		json_object_array_add(addrs, json_object_new_string(text));
	}
	add(x, "addresses", addrs);
	return x;
}

static struct json_object *net_json(const struct hi_net *n)
{
	struct json_object *o = json_object_new_object(), *ifs;

	add_bool(o, "addresses_read", n->live);
	ifs = json_object_new_array();
	for (unsigned i = 0; i < n->n; i++)
		json_object_array_add(ifs, iface_json(&n->iface[i]));
	add(o, "interfaces", ifs);
	return o;
}

static struct json_object *virt_json(const struct hi_host *h)
{
	static const char *const kvm[] = { "not_checked", "absent",
					   "no_access",	  "bad_api",
					   "no_vm",	  "usable" };
	const struct hi_virt *v = &h->virt;
	struct json_object *o = json_object_new_object();
	char sentence[256];

	add_bool(o, "cpuid_checked", v->cpuid_checked);
	add(o, "cpuid_hypervisor", v->cpuid_checked
	    ? json_object_new_boolean(v->cpuid_hypervisor) : NULL);
	add_str(o, "signature", v->signature);
	add_str(o, "hypervisor", v->hypervisor);
	add_str(o, "dmi_vendor", v->dmi_vendor);
	add_str(o, "dmi_product", v->dmi_product);
	add_str(o, "board", v->board);
	add_str(o, "sys_hypervisor", v->xen);
	add_str(o, "pci_hypervisor", v->pci_hypervisor);
	add(o, "is_vm",
	    v->is_vm < 0 ? NULL : json_object_new_boolean(v->is_vm));
	add_str(o, "evidence", v->evidence);
	add_str(o, "kvm", kvm[v->kvm]);
	hi_virt_summary(v, &h->cpu.info, sentence, sizeof(sentence));
	add_str(o, "summary", sentence);
	return o;
}

static struct json_object *util_json(const struct hi_sample *s)
{
	struct json_object *o = json_object_new_object(), *per, *x;
	char sentence[256];

	add(o, "seconds", json_object_new_double(s->seconds));
	add_int(o, "cpus", s->cpus);
	add(o, "busy", json_object_new_double(s->busy));
	per = json_object_new_array();
	for (unsigned i = 0; i < s->ncpu; i++) {
		x = s->cpu_busy[i] < 0 ? NULL /* no tick seen: unknown */
				       : json_object_new_double(s->cpu_busy[i]);
		json_object_array_add(per, x);
	}
	add(o, "per_cpu_busy", per);
	add_u64(o, "memory_total_bytes", s->mem_total);
	add_u64(o, "memory_available_bytes", s->mem_available);
	hi_idle_sentence(s, sentence, sizeof(sentence));
	add_str(o, "summary", sentence);
	return o;
}

static struct json_object *warnings_json(const struct hi_diags *ds)
{
	struct json_object *a = json_object_new_array(), *x;

	for (unsigned i = 0; ds && i < ds->n; i++) {
		const struct hi_diag *d = &ds->d[i];
		x = json_object_new_object();
		add_str(x, "file", d->file);
		add(x, "line", d->line ? json_object_new_int64(d->line) : NULL);
		add_str(x, "error", strerror(-d->err.code));
		add_str(x, "message", d->err.msg);
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
	add_str(o, "root", h->root);
	add_bool(o, "live", h->live);
	if (want & HI_SEC_OS)
		add(o, "os", os_json(&h->os));
	if (want & HI_SEC_CPU) {
		struct json_object *cpu = cpu_json(&h->cpu);
		add(cpu, "numa_nodes", numa_json(&h->numa));
		add(o, "cpu", cpu);
	}
	if (want & HI_SEC_MEM)
		add(o, "memory", ok & HI_SEC_MEM ? mem_json(&h->mem) : NULL);
	if (want & HI_SEC_STORAGE)
		add(o, "storage", storage_json(&h->storage));
	if (want & HI_SEC_NET)
		add(o, "network", net_json(&h->net));
	if (want & HI_SEC_VIRT)
		add(o, "virtualization", virt_json(h));
	if (want & HI_SEC_UTIL)
		add(o, "utilization",
		    ok & HI_SEC_UTIL ? util_json(&h->sample) : NULL);
	add(o, "warnings", warnings_json(ds));
	return o;
}
