/*
 * hi_report: the human report, aligned, in units people read.
 *
 * One section per heading, one fact per row: a label in a fixed column,
 * then the value. Where a number needs meaning, a sentence follows ("=>").
 * What the report could not learn it says, rather than print a zero.
 */
#include "hi_report.h"

#include "hi_host.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#define LABEL "  %-18s"
#define NOT_LIVE "not from a captured tree"

void hi_fmt_bytes(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "B",   "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	double v = (double)n;
	unsigned u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%llu B", (unsigned long long)n);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, size, "%.0f %s", v, units[u]); /* "32 KiB" */
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
}

void hi_fmt_duration(double s, char *buf, size_t size)
{
	unsigned long long t = (unsigned long long)s;

	if (t < 60)
		snprintf(buf, size, "%llu s", t);
	else if (t < 3600)
		snprintf(buf, size, "%llu min", t / 60);
	else if (t < 86400)
		snprintf(buf, size, "%llu h %llu min", t / 3600, t % 3600 / 60);
	else
		snprintf(buf, size, "%llu d %llu h", t / 86400,
			 t % 86400 / 3600);
}

static void row(FILE *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "  Label             value\n" */
static void row(FILE *f, const char *label, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, LABEL, label);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

static const char *or_unknown(const char *s)
{
	return s[0] ? s : "unknown";
}

static const char *plural(unsigned n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void os_text(FILE *f, const struct hi_host *h)
{
	const struct hi_os *os = &h->os;
	char up[32];

	fprintf(f, "\nOS\n");
	if (os->machine[0])
		row(f, "Kernel", "%s (%s)", or_unknown(os->kernel),
		    os->machine);
	else
		row(f, "Kernel", "%s", or_unknown(os->kernel));
	row(f, "Distribution", "%s", or_unknown(os->distro));
	row(f, "Hostname", "%s", or_unknown(os->hostname));
	if (os->uptime >= 0) {
		hi_fmt_duration(os->uptime, up, sizeof(up));
		row(f, "Uptime", "%s", up);
	}
	if (os->have_load)
		row(f, "Load average", "%.2f %.2f %.2f (1, 5, 15 min; "
		    "%u of %u tasks runnable)", os->load[0], os->load[1],
		    os->load[2], os->running, os->tasks);
}

static void caches_text(FILE *f, const struct hi_cpu *c)
{
	char size[32];

	if (c->ncache == 0)
		return;
	fprintf(f, LABEL, "Caches");
	for (unsigned i = 0; i < c->ncache; i++) {
		const struct hi_cache *k = &c->cache[i];
		const char *type = k->type == 'd' ? "d"
				 : k->type == 'i' ? "i" : "";

		hi_fmt_bytes(k->size, size, sizeof(size));
		fprintf(f, "%sL%u%s %s", i ? ", " : "", k->level, type, size);
	}
	fprintf(f, " (as CPU 0 sees them)\n");
}

static void topology_text(FILE *f, const struct hi_cpu *c)
{
	const struct hi_topology *t = &c->topo;

	if (!c->topo_source) {
		row(f, "Topology", "unknown (no sysfs topology, "
		    "no cpuinfo ids)");
		return;
	}
	row(f, "Topology", "%u %s x %u %s x %u %s (from %s)", t->sockets,
	    plural(t->sockets, "socket", "sockets"), t->cores_per_socket,
	    plural(t->cores_per_socket, "core", "cores"), t->threads_per_core,
	    plural(t->threads_per_core, "thread", "threads"), c->topo_source);
}

/* Whether the CPU offers hardware virtualization, as its flags say. */
static const char *hw_virt(const struct hi_cpu *c)
{
	if (c->info.vmx)
		return "yes: Intel VT-x (vmx)";
	if (c->info.svm)
		return "yes: AMD-V (svm)";
	if (c->info.has_flags)
		return "no vmx/svm flag (a hypervisor may hide it)";
	if (!c->cpuinfo_ok)
		return "unknown (see the warnings)";
	return "not listed in /proc/cpuinfo on this architecture";
}

/* "NUMA nodes  2: node0 CPUs 0-13,28-41 (64.0 GiB), node1 ..." */
static void numa_text(FILE *f, const struct hi_numa *nu)
{
	char line[512] = "", mem[32];
	size_t len = 0;

	if (nu->n == 0)
		return; /* not listed: nothing to say */
	for (unsigned i = 0; i < nu->n && len < sizeof(line); i++) {
		const struct hi_numa_node *n = &nu->node[i];
		hi_fmt_bytes(n->mem_bytes, mem, sizeof(mem));
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"%snode%u CPUs %s%s%s%s", i ? ", " : "", n->id,
					n->cpus[0] ? n->cpus : "none",
					n->mem_bytes ? " (" : "", n->mem_bytes ? mem : "",
					n->mem_bytes ? ")" : "");
	}
	row(f, "NUMA nodes", "%u: %s%s", nu->n + nu->more, line,
	    nu->more ? ", ..." : "");
}

static void cpu_text(FILE *f, const struct hi_host *h)
{
	const struct hi_cpu *c = &h->cpu;

	fprintf(f, "\nCPU\n");
	row(f, "Model", "%s", or_unknown(c->info.model));
	if (c->info.vendor[0])
		row(f, "Vendor", "%s", c->info.vendor);
	row(f, "Logical CPUs", "%u online", c->online);
	topology_text(f, c);
	if (c->max_khz)
		row(f, "Frequency", "%llu MHz (maximum)",
		    (unsigned long long)(c->max_khz / 1000));
	else if (c->info.mhz)
		row(f, "Frequency", "%u MHz (current)", c->info.mhz);
	caches_text(f, c);
	numa_text(f, &h->numa);
	row(f, "Hardware virt.", "%s", hw_virt(c));
}

static void mem_text(FILE *f, const struct hi_host *h)
{
	const struct hi_mem *m = &h->mem;
	char a[32], b[32];

	fprintf(f, "\nMemory\n");
	if (!(h->ok & HI_SEC_MEM)) {
		row(f, "Total", "unknown (see the warnings)");
		return;
	}
	hi_fmt_bytes(m->total, a, sizeof(a));
	row(f, "Total", "%s", a);
	hi_fmt_bytes(m->used, a, sizeof(a));
	row(f, "Used", "%s (%.0f%%)", a,
	    100.0 * (double)m->used / (double)m->total);
	hi_fmt_bytes(m->available, a, sizeof(a));
	row(f, "Available", "%s", a);
	if (m->swap_total) {
		hi_fmt_bytes(m->swap_total, a, sizeof(a));
		hi_fmt_bytes(m->swap_used, b, sizeof(b));
		row(f, "Swap", "%s, %s used", a, b);
	} else {
		row(f, "Swap", "none");
	}
	if (m->hugepage_size) {
		hi_fmt_bytes(m->hugepage_size, a, sizeof(a));
		row(f, "Huge page size", "%s", a);
	}
}

static void disk_text(FILE *f, const struct hi_disk *d)
{
	char size[32];

	hi_fmt_bytes(d->size, size, sizeof(size));
	fprintf(f, "  %-18s%-12s%s%s%s%s\n", d->name, size,
		d->rotational ? "rotational" : "non-rotational",
		d->removable ? ", removable" : "", d->model[0] ? ", " : "",
		d->model);
}

#define FS_ROW "  %-18s%-8s%-12s%-12s%-12s%s\n"

static void mount_text(FILE *f, const struct hi_mount *m)
{
	char a[32] = "-", b[32] = "-", c[32] = "-";

	if (m->sized) {
		hi_fmt_bytes(m->size, a, sizeof(a));
		hi_fmt_bytes(m->used, b, sizeof(b));
		hi_fmt_bytes(m->avail, c, sizeof(c));
	}
	fprintf(f, FS_ROW, m->dir, m->fstype, a, b, c, m->device);
}

static void storage_text(FILE *f, const struct hi_host *h)
{
	const struct hi_storage *s = &h->storage;

	fprintf(f, "\nStorage\n  %-18s%-12s%s\n", "Disk", "Size", "Kind");
	for (unsigned i = 0; i < s->ndisk; i++)
		disk_text(f, &s->disk[i]);
	fprintf(f, FS_ROW, "Filesystem", "Type", "Size", "Used", "Avail",
		"Device");
	for (unsigned i = 0; i < s->nmount; i++)
		mount_text(f, &s->mount[i]);
	if (!h->live && s->nmount)
		fprintf(f, "  (sizes need statvfs on the live machine: "
			NOT_LIVE ")\n");
}

static void iface_text(FILE *f, const struct hi_iface *ifc, int live)
{
	const char *mac = ifc->mac[0] ? ifc->mac : "-";

	fprintf(f, "  %-18s%s", ifc->name, mac);
	if (live) /* addresses follow the MAC, in their own column */
		fprintf(f, "%*s", 19 - (int)strlen(mac), "");
	for (unsigned j = 0; j < ifc->naddr; j++)
		fprintf(f, "%s%s/%d", j ? ", " : "", ifc->addr[j].text,
			ifc->addr[j].prefix);
	if (live && ifc->naddr == 0)
		fprintf(f, "%s", ifc->up ? "no address" : "down");
	fputc('\n', f);
}

static void net_text(FILE *f, const struct hi_host *h)
{
	const struct hi_net *n = &h->net;

	fprintf(f, "\nNetwork\n");
	for (unsigned i = 0; i < n->n; i++)
		iface_text(f, &n->iface[i], n->live);
	if (!n->live)
		fprintf(f, "  (addresses need getifaddrs on the live machine: "
			NOT_LIVE ")\n");
}

static const char *kvm_state(const struct hi_virt *v)
{
	switch (v->kvm) {
	case HI_KVM_USABLE:
		return "usable (API 12; a test VM was created and closed)";
	case HI_KVM_ABSENT:
		return "absent";
	case HI_KVM_NO_ACCESS:
		return "present, but this user may not open it";
	case HI_KVM_BAD_API:
		return "present, unknown API version";
	case HI_KVM_NO_VM:
		return "present, but KVM_CREATE_VM fails";
	default:
		return "not checked (captured tree)";
	}
}

static void cpuid_text(FILE *f, const struct hi_host *h)
{
	const struct hi_virt *v = &h->virt;
	const char *label = "CPUID hypervisor";

	if (!v->cpuid_checked)
		row(f, label, "not checked (%s)",
		    h->live ? "not an x86 CPU" : "captured tree");
	else if (!v->cpuid_hypervisor)
		row(f, label, "no (leaf 1, ECX bit 31 is clear)");
	else
		row(f, label, "yes, signature \"%s\" (%s)", v->signature,
		    v->hypervisor ? v->hypervisor : "unknown hypervisor");
}

static void virt_text(FILE *f, const struct hi_host *h)
{
	const struct hi_virt *v = &h->virt;
	char sentence[256];

	fprintf(f, "\nVirtualization\n");
	cpuid_text(f, h);
	if (v->dmi_vendor[0] || v->dmi_product[0])
		row(f, "DMI", "%s %s", v->dmi_vendor, v->dmi_product);
	if (v->board[0])
		row(f, "Board", "%s", v->board);
	if (v->xen[0])
		row(f, "/sys/hypervisor", "%s", v->xen);
	if (v->pci_hypervisor)
		row(f, "PCI devices", "%s (vendor id 0x%04x)", v->pci_hypervisor,
		    v->pci_vendor);
	row(f, "/dev/kvm", "%s", kvm_state(v));
	hi_virt_summary(v, &h->cpu.info, sentence, sizeof(sentence));
	fprintf(f, "  => %s\n", sentence);
}

/* The CPUs past the first few, summed up: the busiest and the idlest. */
static void more_cpus_text(FILE *f, const struct hi_sample *s, unsigned from)
{
	double lo = 1, hi = 0;

	for (unsigned i = from; i < s->ncpu; i++) {
		if (s->cpu_busy[i] < 0)
			continue; /* no tick seen */
		lo = s->cpu_busy[i] < lo ? s->cpu_busy[i] : lo;
		hi = s->cpu_busy[i] > hi ? s->cpu_busy[i] : hi;
	}
	row(f, "...", "%u more CPUs, from %.1f%% to %.1f%% busy",
	    s->ncpu - from, 100 * lo, 100 * hi);
}

static void util_text(FILE *f, const struct hi_host *h)
{
	const struct hi_sample *s = &h->sample;
	unsigned shown = s->ncpu < 8 ? s->ncpu : 8;
	char sentence[256], label[16];

	fprintf(f, "\nUtilization (sampled over %.1f s)\n", s->seconds);
	row(f, "All CPUs", "%5.1f%% busy", 100 * s->busy);
	for (unsigned i = 0; i < shown; i++) {
		snprintf(label, sizeof(label), "cpu%u", i);
		if (s->cpu_busy[i] >= 0)
			row(f, label, "%5.1f%% busy", 100 * s->cpu_busy[i]);
	}
	if (s->ncpu > shown)
		more_cpus_text(f, s, shown);
	hi_idle_sentence(s, sentence, sizeof(sentence));
	fprintf(f, "  => %s\n", sentence);
	if (s->busy < 0.5)
		fprintf(f, "  => Idle capacity is why virtualization exists: "
			"one server, split into virtual\n     machines, can "
			"serve several tenants instead of waiting for one.\n");
}

int hi_report_text(FILE *f, const struct hi_host *h)
{
	unsigned want = h->sections;

	fprintf(f, "hostinfo: %s%s%s\n", h->live ? "this machine" : h->root,
		h->os.hostname[0] ? ", " : "", h->os.hostname);
	if (want & HI_SEC_OS)
		os_text(f, h);
	if (want & HI_SEC_CPU)
		cpu_text(f, h);
	if (want & HI_SEC_MEM)
		mem_text(f, h);
	if (want & HI_SEC_STORAGE)
		storage_text(f, h);
	if (want & HI_SEC_NET)
		net_text(f, h);
	if (want & HI_SEC_VIRT)
		virt_text(f, h);
	if ((want & HI_SEC_UTIL) && (h->ok & HI_SEC_UTIL))
		util_text(f, h);
	return ferror(f) ? -EIO : 0;
}
