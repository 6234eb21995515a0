/*
 * cloud_report: the provider's view as tables, JSON and Graphviz (see
 * cloud_report.h). Allocation is what instances hold (their type's vCPUs
 * and memory), not what they happen to use this second: a provider sells
 * reservations.
 */
#include "cloud_report.h"
#include "cloud_show.h"

#include <errno.h>
#include <inttypes.h>

#define GIB (1024.0 * 1024 * 1024)

struct alloc {
	uint64_t cpu, cpu_cap, mem, mem_cap;
	size_t ninst;
};

static void add_host(struct alloc *a, const struct cloud_host *h)
{
	a->cpu += h->used.cpu_milli;
	a->cpu_cap += h->cap.cpu_milli;
	a->mem += h->used.mem;
	a->mem_cap += h->cap.mem;
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

/* One table row: name (indented), vCPUs and memory used of capacity. */
static void row(FILE *out, int indent, const char *name, const struct alloc *a,
		const char *tail)
{
	char cpu[48], mem[64];

	snprintf(cpu, sizeof(cpu), "%" PRIu64 "/%" PRIu64, a->cpu / 1000, a->cpu_cap / 1000);
	snprintf(mem, sizeof(mem), "%.0f/%.0f GiB", (double)a->mem / GIB,
		 (double)a->mem_cap / GIB);
	fprintf(out, "%*s%-*s %9s %4.0f%% %15s %4.0f%%  %s\n", indent, "", 22 - indent,
		name, cpu, pct(a->cpu, a->cpu_cap), mem, pct(a->mem, a->mem_cap), tail);
}

/* The instances on host h, "i-0... i-0... (+3 more)". */
static void host_insts(const struct cloud_insts *in, size_t h, char *buf,
		       size_t len)
{
	size_t n = 0, at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < in->n; i++) {
		if (in->v[i].host != (long)h)
			continue;
		if (n++ < 3 && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", n > 1 ? " " : "",
					       in->v[i].id);
	}
	if (n > 3 && at < len)
		snprintf(buf + at, len - at, " (+%zu more)", n - 3);
}

static json_object *host_json(const struct cloud_fleet *f,
			      const struct cloud_insts *in, size_t h)
{
	const struct cloud_host *hp = &f->hosts[h];
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "Host", json_object_new_string(hp->name));
	json_object_object_add(o, "Zone", json_object_new_string(f->zones[hp->zone].name));
	json_object_object_add(o, "Failed", json_object_new_boolean(hp->failed));
	json_object_object_add(o, "CpuMilli", json_object_new_int64((int64_t)hp->cap.cpu_milli));
	json_object_object_add(o, "CpuMilliUsed", json_object_new_int64((int64_t)hp->used.cpu_milli));
	json_object_object_add(o, "MemBytes", json_object_new_int64((int64_t)hp->cap.mem));
	json_object_object_add(o, "MemBytesUsed", json_object_new_int64((int64_t)hp->used.mem));
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].host == (long)h)
			json_object_array_add(a, json_object_new_string(in->v[i].id));
	json_object_object_add(o, "Instances", a);
	return o;
}

static void region_rows(FILE *out, const struct cloud_fleet *f,
			const struct cloud_insts *in, size_t r)
{
	const struct cloud_region *g = &f->regions[r];
	struct alloc ra = {0};
	char name[80], list[160];

	for (size_t z = g->zone0; z < g->zone0 + g->nzones; z++)
		for (size_t h = f->zones[z].host0; h < f->zones[z].host0 + f->zones[z].nhosts; h++)
			add_host(&ra, &f->hosts[h]);
	snprintf(name, sizeof(name), "%s (%s)", g->code, g->name);
	row(out, 0, name, &ra, "");
	for (size_t z = g->zone0; z < g->zone0 + g->nzones; z++) {
		const struct cloud_zone *zn = &f->zones[z];
		struct alloc za = {0};
		for (size_t h = zn->host0; h < zn->host0 + zn->nhosts; h++)
			add_host(&za, &f->hosts[h]);
		row(out, 2, zn->name, &za, "");
		for (size_t h = zn->host0; h < zn->host0 + zn->nhosts; h++) {
			struct alloc ha = {0};
			add_host(&ha, &f->hosts[h]);
			host_insts(in, h, list, sizeof(list));
			row(out, 4, f->hosts[h].name, &ha,
			    f->hosts[h].failed ? "FAILED" : list);
		}
	}
}

int cloud_report_hosts(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_insts *in, long r, int json)
{
	if (json) {
		json_object *a = json_object_new_array();
		for (size_t h = 0; h < f->nhosts; h++)
			if (r < 0 || f->zones[f->hosts[h].zone].region == (size_t)r)
				json_object_array_add(a, host_json(f, in, h));
		return cloud_show_json(out, a);
	}
	fprintf(out, "%-22s %9s %5s %15s %5s  %s\n", "REGION / ZONE / HOST", "VCPUS", "",
		"MEMORY", "", "INSTANCES");
	for (size_t i = 0; i < f->nregions; i++)
		if (r < 0 || (size_t)r == i)
			region_rows(out, f, in, i);
	return ferror(out) ? -EIO : 0;
}

/* "$1.2345" or "-$1.2345". */
static const char *signed_money(uint64_t plus, uint64_t minus, char *buf, size_t len)
{
	char m[32];

	if (plus >= minus)
		return cloud_fmt_money(plus - minus, buf, len);
	snprintf(buf, len, "-%s", cloud_fmt_money(minus - plus, m, sizeof(m)));
	return buf;
}

static void money_row(FILE *out, const char *name, size_t ninst, double util,
		      uint64_t revenue, uint64_t cost)
{
	char r[32], c[32], m[32];

	fprintf(out, "%-22s %9zu %8.1f%% %10s %10s %11s\n", name, ninst, 100 * util,
		cloud_fmt_money(revenue, r, sizeof(r)), cloud_fmt_money(cost, c, sizeof(c)),
		signed_money(revenue, cost, m, sizeof(m)));
}

static json_object *provider_json(const struct cloud_provider *p)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "ElapsedSeconds", json_object_new_int64(p->elapsed));
	for (size_t h = 0; h < p->f.nhosts; h++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "Host", json_object_new_string(p->f.hosts[h].name));
		json_object_object_add(x, "Instances", json_object_new_int64((int64_t)p->hosts[h].ninst));
		json_object_object_add(x, "CpuUtilization", json_object_new_double(p->hosts[h].util));
		json_object_object_add(x, "RevenueMicroUSD", json_object_new_int64((int64_t)p->hosts[h].revenue));
		json_object_object_add(x, "CostMicroUSD", json_object_new_int64((int64_t)p->hosts[h].cost));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "Hosts", a);
	json_object_object_add(o, "RevenueMicroUSD", json_object_new_int64((int64_t)p->revenue));
	json_object_object_add(o, "CostMicroUSD", json_object_new_int64((int64_t)p->cost));
	return o;
}

/* The share of a host's vCPUs that must be sold for it to pay for itself,
 * at the average price per vCPU-second sold so far (0 if nothing sold). */
static double breakeven(const struct cloud_provider *p)
{
	double busy = 0, cap = 0, cost = 0;

	for (size_t h = 0; h < p->f.nhosts; h++) {
		busy += p->hosts[h].util * (double)p->f.hosts[h].cap.cpu_milli *
			(double)p->elapsed;
		cap += (double)p->f.hosts[h].cap.cpu_milli;
		cost += (double)p->hosts[h].cost;
	}
	if (busy <= 0 || p->revenue == 0)
		return 0;
	/* revenue per milli-CPU-second, against cost per milli-CPU-second */
	return (cost / (cap * (double)p->elapsed)) / ((double)p->revenue / busy);
}

int cloud_report_provider(FILE *out, const struct cloud_provider *p, int json)
{
	size_t idle = 0;
	uint64_t idle_cost = 0;
	double util = 0, cap = 0;
	char d[32], t[32];

	if (json)
		return cloud_show_json(out, provider_json(p));
	fprintf(out, "The provider's books, %s since the fleet went into service (%s):\n",
		cloud_fmt_dur(p->elapsed, d, sizeof(d)), cloud_fmt_time(p->now - p->elapsed, t, sizeof(t)));
	fprintf(out, "%-22s %9s %9s %10s %10s %11s\n", "HOST", "INSTANCES", "VCPU UTIL",
		"REVENUE", "COST", "MARGIN");
	for (size_t h = 0; h < p->f.nhosts; h++) {
		const struct cloud_host_acct *a = &p->hosts[h];
		util += a->util * (double)p->f.hosts[h].cap.cpu_milli;
		cap += (double)p->f.hosts[h].cap.cpu_milli;
		if (a->ninst == 0 && a->revenue == 0) {
			idle++;
			idle_cost += a->cost;
			continue;
		}
		money_row(out, p->f.hosts[h].name, a->ninst, a->util, a->revenue, a->cost);
	}
	if (idle) {
		snprintf(d, sizeof(d), "%zu idle hosts", idle);
		money_row(out, d, 0, 0, 0, idle_cost);
	}
	size_t ninst = 0;
	for (size_t h = 0; h < p->f.nhosts; h++)
		ninst += p->hosts[h].ninst;
	money_row(out, "TOTAL", ninst, cap > 0 ? util / cap : 0, p->revenue, p->cost);
	if (breakeven(p) > 0)
		fprintf(out, "At the prices sold so far, a host pays for itself once %.0f%% of "
			     "its vCPUs are rented:\nthe more tenants share a server, the "
			     "cheaper each one's slice can be.\n", 100 * breakeven(p));
	return ferror(out) ? -EIO : 0;
}

/* Graphviz ids may not hold '-' or '.' unquoted: every name is quoted. */
int cloud_report_dot(FILE *out, const struct cloud_fleet *f,
		     const struct cloud_insts *in)
{
	fprintf(out, "graph cloud {\n\trankdir=LR;\n\tnode [shape=box, fontsize=10];\n");
	for (size_t r = 0; r < f->nregions; r++) {
		const struct cloud_region *g = &f->regions[r];
		fprintf(out, "\tsubgraph \"cluster_%s\" {\n\t\tlabel=\"%s (%s)\";\n",
			g->code, g->code, g->name);
		for (size_t z = g->zone0; z < g->zone0 + g->nzones; z++) {
			const struct cloud_zone *zn = &f->zones[z];
			fprintf(out, "\t\tsubgraph \"cluster_%s\" {\n\t\t\tlabel=\"%s\";"
				     " style=dashed;\n", zn->name, zn->name);
			for (size_t h = zn->host0; h < zn->host0 + zn->nhosts; h++) {
				const struct cloud_host *hp = &f->hosts[h];
				fprintf(out, "\t\t\t\"%s\" [label=\"%s\\n%" PRIu64 "/%" PRIu64
					     " vCPUs\"%s];\n", hp->name, hp->name,
					hp->used.cpu_milli / 1000, hp->cap.cpu_milli / 1000,
					hp->failed ? ", color=red" : "");
			}
			fprintf(out, "\t\t}\n");
		}
		fprintf(out, "\t}\n");
	}
	for (size_t i = 0; i < in->n; i++) {
		if (in->v[i].host < 0)
			continue;
		fprintf(out, "\t\"%s\" [shape=ellipse, label=\"%s\\n%s\"];\n", in->v[i].id,
			in->v[i].id, in->v[i].type);
		fprintf(out, "\t\"%s\" -- \"%s\";\n", f->hosts[in->v[i].host].name, in->v[i].id);
	}
	fprintf(out, "}\n");
	return ferror(out) ? -EIO : 0;
}

int cloud_report_moves(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_moves *m, const char *what, int json)
{
	size_t moved = 0;

	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < m->n; i++) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "InstanceId", json_object_new_string(m->v[i].id));
			json_object_object_add(o, "From", json_object_new_string(f->hosts[m->v[i].from].name));
			json_object_object_add(o, "To", m->v[i].to < 0 ? NULL
				: json_object_new_string(f->hosts[m->v[i].to].name));
			json_object_array_add(a, o);
		}
		return cloud_show_json(out, a);
	}
	for (size_t i = 0; i < m->n; i++)
		moved += m->v[i].to >= 0;
	fprintf(out, "%s failed: %zu instances moved, %zu impaired (they found no room in the region).\n",
		what, moved, m->n - moved);
	if (m->n)
		fprintf(out, "%-20s %-18s %s\n", "INSTANCE", "FROM", "TO");
	for (size_t i = 0; i < m->n; i++)
		fprintf(out, "%-20s %-18s %s\n", m->v[i].id, f->hosts[m->v[i].from].name,
			m->v[i].to >= 0 ? f->hosts[m->v[i].to].name : "- (impaired)");
	return ferror(out) ? -EIO : 0;
}

int cloud_report_sim(FILE *out, const struct cloud_sim_opts *o,
		     const struct cloud_sim_result *r, int json)
{
	double rate = r->seconds > 0 ? (double)(r->placed + r->rejected) / r->seconds : 0;
	double over = r->lower_bound ? 100.0 * ((double)r->hosts_used / (double)r->lower_bound - 1) : 0;

	if (json) {
		json_object *j = json_object_new_object();
		json_object_object_add(j, "Hosts", json_object_new_int64((int64_t)o->hosts));
		json_object_object_add(j, "Requests", json_object_new_int64((int64_t)o->requests));
		json_object_object_add(j, "Policy", json_object_new_string(cloud_fit_name(o->policy)));
		json_object_object_add(j, "Seed", json_object_new_int64((int64_t)o->seed));
		json_object_object_add(j, "Method", json_object_new_string(o->scan ? "scan" : "index"));
		json_object_object_add(j, "Placed", json_object_new_int64((int64_t)r->placed));
		json_object_object_add(j, "Rejected", json_object_new_int64((int64_t)r->rejected));
		json_object_object_add(j, "DecisionsPerSecond", json_object_new_double(rate));
		json_object_object_add(j, "HostsUsed", json_object_new_int64((int64_t)r->hosts_used));
		json_object_object_add(j, "LowerBound", json_object_new_int64((int64_t)r->lower_bound));
		json_object_object_add(j, "StrandedCpuMilli", json_object_new_int64((int64_t)r->stranded_cpu));
		json_object_object_add(j, "StrandedMemBytes", json_object_new_int64((int64_t)r->stranded_mem));
		json_object_object_add(j, "Checksum", json_object_new_int64((int64_t)(r->checksum >> 1)));
		return cloud_show_json(out, j);
	}
	fprintf(out, "%zu hosts of 48 vCPUs and 192 GiB, %zu requests, %s, seed %llu, %s\n",
		o->hosts, o->requests, cloud_fit_name(o->policy), (unsigned long long)o->seed,
		o->scan ? "plain scan" : "index");
	fprintf(out, "placed %zu, rejected %zu\n", r->placed, r->rejected);
	fprintf(out, "decisions per second: %.0f (%.3f s)\n", rate, r->seconds);
	fprintf(out, "hosts used: %zu; lower bound %zu (%+.1f%%)\n", r->hosts_used,
		r->lower_bound, over);
	fprintf(out, "stranded on used hosts: %.1f%% of vCPUs, %.1f%% of memory\n",
		r->cap_cpu ? 100.0 * (double)r->stranded_cpu / (double)r->cap_cpu : 0,
		r->cap_mem ? 100.0 * (double)r->stranded_mem / (double)r->cap_mem : 0);
	fprintf(out, "checksum of the decisions: %016llx\n", (unsigned long long)r->checksum);
	return ferror(out) ? -EIO : 0;
}
