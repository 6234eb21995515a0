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
#include <sys/socket.h>

#define LABEL "  %-18s"

void hi_fmt_bytes(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
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
		snprintf(buf, size, "%llu d %llu h", t / 86400, t % 86400 / 3600);
}

static void row(FILE *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void row(FILE *f, const char *label, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, LABEL, label);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
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
	row(f, "Kernel", "%s%s%s%s", os->kernel[0] ? os->kernel : "unknown",
	    os->machine[0] ? " (" : "", os->machine, os->machine[0] ? ")" : "");
	row(f, "Distribution", "%s", os->distro[0] ? os->distro : "unknown");
	row(f, "Hostname", "%s", os->hostname[0] ? os->hostname : "unknown");
	if (os->uptime >= 0) {
		hi_fmt_duration(os->uptime, up, sizeof(up));
		row(f, "Uptime", "%s", up);
	}
	if (os->have_load)
		row(f, "Load average", "%.2f %.2f %.2f (1, 5, 15 min; %u of %u "
		    "tasks runnable)", os->load[0], os->load[1], os->load[2],
		    os->running, os->tasks);
}

static void caches_text(FILE *f, const struct hi_cpu *c)
{
	char size[32];

	if (c->ncache == 0)
		return;
	fprintf(f, LABEL, "Caches");
	for (unsigned i = 0; i < c->ncache; i++) {
		hi_fmt_bytes(c->cache[i].size, size, sizeof(size));
		fprintf(f, "%sL%u%s %s", i ? ", " : "", c->cache[i].level,
			c->cache[i].type == 'd' ? "d" : c->cache[i].type == 'i' ? "i" : "",
			size);
	}
	fprintf(f, " (as CPU 0 sees them)\n");
}

static void cpu_text(FILE *f, const struct hi_host *h)
{
	const struct hi_cpu *c = &h->cpu;
	const struct hi_topology *t = &c->topo;

	fprintf(f, "\nCPU\n");
	row(f, "Model", "%s", c->info.model[0] ? c->info.model : "unknown");
	if (c->info.vendor[0])
		row(f, "Vendor", "%s", c->info.vendor);
	row(f, "Logical CPUs", "%u online", c->online);
	if (c->topo_source)
		row(f, "Topology", "%u %s x %u %s x %u %s (from %s)", t->sockets,
		    plural(t->sockets, "socket", "sockets"), t->cores_per_socket,
		    plural(t->cores_per_socket, "core", "cores"),
		    t->threads_per_core,
		    plural(t->threads_per_core, "thread", "threads"), c->topo_source);
	else
		row(f, "Topology", "unknown (no sysfs topology, no cpuinfo ids)");
	if (c->max_khz)
		row(f, "Frequency", "%llu MHz (maximum)",
		    (unsigned long long)(c->max_khz / 1000));
	else if (c->info.mhz)
		row(f, "Frequency", "%u MHz (current)", c->info.mhz);
	caches_text(f, c);
	if (c->info.has_flags)
		row(f, "Hardware virt.", "%s", c->info.vmx ? "yes: Intel VT-x (vmx)"
		    : c->info.svm ? "yes: AMD-V (svm)"
		    : "no vmx/svm flag (a hypervisor may hide it)");
	else if (!c->cpuinfo_ok)
		row(f, "Hardware virt.", "unknown (see the warnings)");
	else
		row(f, "Hardware virt.", "not listed in /proc/cpuinfo on this architecture");
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
	row(f, "Used", "%s (%.0f%%)", a, 100.0 * (double)m->used / (double)m->total);
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

static void storage_text(FILE *f, const struct hi_host *h)
{
	const struct hi_storage *s = &h->storage;
	char a[32], b[32], c[32];

	fprintf(f, "\nStorage\n  %-18s%-12s%s\n", "Disk", "Size", "Kind");
	for (unsigned i = 0; i < s->ndisk; i++) {
		const struct hi_disk *d = &s->disk[i];
		hi_fmt_bytes(d->size, a, sizeof(a));
		fprintf(f, "  %-18s%-12s%s%s%s%s\n", d->name, a,
			d->rotational ? "rotational" : "non-rotational",
			d->removable ? ", removable" : "", d->model[0] ? ", " : "",
			d->model);
	}
	fprintf(f, "  %-18s%-8s%-12s%-12s%-12s%s\n", "Filesystem", "Type", "Size",
		"Used", "Avail", "Device");
	for (unsigned i = 0; i < s->nmount; i++) {
		const struct hi_mount *m = &s->mount[i];
		if (m->sized) {
			hi_fmt_bytes(m->size, a, sizeof(a));
			hi_fmt_bytes(m->used, b, sizeof(b));
			hi_fmt_bytes(m->avail, c, sizeof(c));
		} else {
			strcpy(a, "-");
			strcpy(b, "-");
			strcpy(c, "-");
		}
		fprintf(f, "  %-18s%-8s%-12s%-12s%-12s%s\n", m->dir, m->fstype, a,
			b, c, m->device);
	}
	if (!h->live && s->nmount)
		fprintf(f, "  (sizes need statvfs on the live machine: not from a captured tree)\n");
}

static void net_text(FILE *f, const struct hi_host *h)
{
	const struct hi_net *n = &h->net;

	fprintf(f, "\nNetwork\n");
	for (unsigned i = 0; i < n->n; i++) {
		const struct hi_iface *ifc = &n->iface[i];
		fprintf(f, "  %-18s%s", ifc->name, ifc->mac[0] ? ifc->mac : "-");
		if (n->live)
			fprintf(f, "%*s", 19 - (int)strlen(ifc->mac[0] ? ifc->mac : "-"), "");
		for (unsigned j = 0; j < ifc->naddr; j++)
			fprintf(f, "%s%s/%d", j ? ", " : "", ifc->addr[j].text,
				ifc->addr[j].prefix);
		if (n->live && ifc->naddr == 0)
			fprintf(f, "%s", ifc->up ? "no address" : "down");
		fputc('\n', f);
	}
	if (!n->live)
		fprintf(f, "  (addresses need getifaddrs on the live machine: not from a captured tree)\n");
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

static void virt_text(FILE *f, const struct hi_host *h)
{
	const struct hi_virt *v = &h->virt;
	char sentence[256];

	fprintf(f, "\nVirtualization\n");
	if (!v->cpuid_checked)
		row(f, "CPUID hypervisor", "not checked (%s)",
		    h->live ? "not an x86 CPU" : "captured tree");
	else if (!v->cpuid_hypervisor)
		row(f, "CPUID hypervisor", "no (leaf 1, ECX bit 31 is clear)");
	else
		row(f, "CPUID hypervisor", "yes, signature \"%s\" (%s)", v->signature,
		    v->hypervisor ? v->hypervisor : "unknown hypervisor");
	if (v->dmi_vendor[0] || v->dmi_product[0])
		row(f, "DMI", "%s %s", v->dmi_vendor, v->dmi_product);
	if (v->board[0])
		row(f, "Board", "%s", v->board);
	row(f, "/dev/kvm", "%s", kvm_state(v));
	hi_virt_summary(v, &h->cpu.info, sentence, sizeof(sentence));
	fprintf(f, "  => %s\n", sentence);
}

static void util_text(FILE *f, const struct hi_host *h)
{
	const struct hi_sample *s = &h->sample;
	char sentence[256];
	unsigned shown = s->ncpu < 8 ? s->ncpu : 8;

	fprintf(f, "\nUtilization (sampled over %.1f s)\n", s->seconds);
	row(f, "All CPUs", "%5.1f%% busy", 100 * s->busy);
	for (unsigned i = 0; i < shown; i++) {
		char label[16];
		snprintf(label, sizeof(label), "cpu%u", i);
		if (s->cpu_busy[i] >= 0)
			row(f, label, "%5.1f%% busy", 100 * s->cpu_busy[i]);
	}
	if (s->ncpu > shown)
		row(f, "...", "%u more CPUs", s->ncpu - shown);
	hi_idle_sentence(s, sentence, sizeof(sentence));
	fprintf(f, "  => %s\n", sentence);
	if (s->busy < 0.5)
		fprintf(f, "  => Idle capacity is why virtualization exists: one "
			"server, split into virtual\n     machines, can serve "
			"several tenants instead of waiting for one.\n");
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
