/*
 * part_report: the plan for people (see part_report.h).
 *
 * The text report answers, in order: what the host is, who got what, who
 * got nothing and why, how much better the host is used than by one
 * application alone, and what is left that nobody can use.
 */
#include "part_report.h"
#include "part_size.h"

#include <errno.h>
#include <string.h>

/* The solution regions use it; a handout may not (so: unused allowed). */
__attribute__((unused)) static double ratio_of(uint64_t used, uint64_t cap)
{
	return cap ? (double)used / (double)cap : 0;
}

/*
 * The contract is in part_report.h. u is cleared, and stays 0 without a
 * request. Else the first request alone on the whole host: its vCPUs of
 * host.cpus, its mem of host.mem, its disk of host.disk, each capped at the
 * host's amount (so at most 1), with ratio_of (0 for a host without that
 * resource). Stage 02.3, README "Steps" 4.
 */
void part_util_before(const struct part_plan *pl, const struct part_reqs *rs,
		      struct part_util *u)
{
	const struct part_host *h = &pl->opts.host;

	memset(u, 0, sizeof(*u));
	if (rs->n == 0)
		return;
	/* >>> SOLUTION 02.3: the first request alone on the whole host. */
	const struct part_req *app = &rs->v[0];
	u->cpu = ratio_of(app->vcpus < h->cpus ? app->vcpus : h->cpus, h->cpus);
	u->mem = ratio_of(app->mem < h->mem ? app->mem : h->mem, h->mem);
	u->disk = ratio_of(app->disk < h->disk ? app->disk : h->disk, h->disk);
	/* === STUB
	(void)h;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_report.h. Everything placed (pl->used) against
 * the whole host, reserve included: used cpu_milli of host.cpus x 1000,
 * used mem of host.mem, used disk of host.disk, each with ratio_of.
 * Stage 02.3, README "Steps" 4.
 */
void part_util_after(const struct part_plan *pl, struct part_util *u)
{
	const struct part_host *h = &pl->opts.host;

	/* >>> SOLUTION 02.3: everything placed, against the whole host. */
	u->cpu = ratio_of(pl->used.cpu_milli, (uint64_t)h->cpus * 1000);
	u->mem = ratio_of(pl->used.mem, h->mem);
	u->disk = ratio_of(pl->used.disk, h->disk);
	/* === STUB
	(void)h;
	memset(u, 0, sizeof(*u));
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_report.h: the area of a server's lot in --dot.
 * The mean of two shares, with ratio_of: its vcpus x 1000 of all the
 * host's vCPU-milli (host.cpus x ratio_milli), and its mem of host.mem.
 * Stage 02.3, README "Steps" 4.
 */
double part_share(const struct part_plan *pl, uint32_t vcpus, uint64_t mem)
{
	/* >>> SOLUTION 02.3: the mean of its share of the pool's vCPUs (cores x ratio) and of the host's memory. */
	uint64_t cpu_cap = (uint64_t)pl->opts.host.cpus * pl->opts.ratio_milli;

	return (ratio_of((uint64_t)vcpus * 1000, cpu_cap) +
		ratio_of(mem, pl->opts.host.mem)) / 2;
	/* === STUB
	(void)pl;
	(void)vcpus;
	(void)mem;
	return 0;
	*/
	/* <<< SOLUTION */
}

static void header(FILE *f, const struct part_plan *pl)
{
	const struct part_opts *o = &pl->opts;
	char m[32], d[32], r[16];

	fprintf(f, "Host: %u CPUs, %s memory, %s disk", o->host.cpus,
		part_size_fmt(o->host.mem, m, sizeof(m)), part_size_fmt(o->host.disk, d, sizeof(d)));
	if (o->reserve.cpus || o->reserve.mem || o->reserve.disk)
		fprintf(f, "; kept for the host itself: %u CPU%s, %s memory, %s disk\n",
			o->reserve.cpus, o->reserve.cpus == 1 ? "" : "s",
			part_size_fmt(o->reserve.mem, m, sizeof(m)),
			part_size_fmt(o->reserve.disk, d, sizeof(d)));
	else
		fprintf(f, "; nothing kept for the host itself\n");
	fprintf(f, "Plan: %s, %s vCPU%s per core%s; %zu placed, %zu rejected\n\n",
		part_policy_name(o->policy), part_milli_fmt(o->ratio_milli, r, sizeof(r)),
		o->ratio_milli == 1000 ? "" : "s",
		o->ratio_milli == 1000 ? " (dedicated cores)" : " (shared cores)",
		pl->nvs, pl->nrej);
}

static void table(FILE *f, const struct part_plan *pl)
{
	char cpus[64], m[32], d[32], off[32];

	fprintf(f, "%-16s %5s  %-12s %10s %10s %12s %6s\n", "NAME", "VCPUS",
		"CPU IDS", "MEMORY", "DISK", "DISK OFFSET", "PIDS");
	for (size_t i = 0; i < pl->nvs; i++) {
		const struct part_vs *v = &pl->vs[i];

		part_cpulist(v->cpu, v->req.vcpus, cpus, sizeof(cpus));
		fprintf(f, "%-16s %5u  %-12s %10s %10s %12s %6u\n", v->req.name,
			v->req.vcpus, cpus, part_size_fmt(v->req.mem, m, sizeof(m)),
			v->req.disk ? part_size_fmt(v->req.disk, d, sizeof(d)) : "-",
			v->req.disk ? part_size_fmt(v->disk_off, off, sizeof(off)) : "-",
			v->req.pids);
	}
	if (pl->nrej)
		fprintf(f, "\nRejected (%zu):\n", pl->nrej);
	for (size_t i = 0; i < pl->nrej; i++)
		fprintf(f, "  %s\n", pl->rej[i].why);
}

static void util_row(FILE *f, const char *what, double before, double after)
{
	fprintf(f, "  %-8s %14.0f%% %22.0f%%\n", what, before * 100, after * 100);
}

static void utilization(FILE *f, const struct part_plan *pl,
			const struct part_reqs *rs)
{
	struct part_util b, a;
	char app[64];

	part_util_before(pl, rs, &b);
	part_util_after(pl, &a);
	snprintf(app, sizeof(app), "%s alone", rs->n ? rs->v[0].name : "nothing");
	fprintf(f, "\nUtilization of the host: one application alone leaves most of the plot idle;\n"
		   "dividing the host into virtual servers puts the rest to use.\n");
	fprintf(f, "  %-8s %15s %23s\n", "", app, "with the plan");
	util_row(f, "CPU", b.cpu, a.cpu);
	util_row(f, "memory", b.mem, a.mem);
	util_row(f, "disk", b.disk, a.disk);
	if (rs->n && b.cpu > 0)
		fprintf(f, "  One application: %u of %u CPUs = %.0f%% used; with %zu virtual servers: %s %s %u = %.0f%%.\n",
			rs->v[0].vcpus < pl->opts.host.cpus ? rs->v[0].vcpus : pl->opts.host.cpus,
			pl->opts.host.cpus, b.cpu * 100, pl->nvs,
			part_milli_fmt(pl->used.cpu_milli, app, sizeof(app)),
			a.cpu > 1 ? "vCPUs on" : "of", pl->opts.host.cpus, a.cpu * 100);
	if (a.cpu > 1) /* the allocation ratio: vCPUs promised, not cores */
		fprintf(f, "  CPU above 100%%: %s vCPUs share each core; when all are busy, each vCPU\n"
			   "  gets 1/%s of a core (its cpu.max).\n",
			part_milli_fmt(pl->opts.ratio_milli, app, sizeof(app)), app);
}

static void stranded(FILE *f, const struct part_plan *pl,
		     const struct part_reqs *rs)
{
	struct part_stranded st;
	char a[32], b[32], c[32];

	part_plan_stranded(pl, rs, &st);
	fprintf(f, "\nLeft: %s vCPUs, %s memory, %s disk.\n",
		part_milli_fmt(st.left.cpu_milli, a, sizeof(a)),
		part_size_fmt(st.left.mem, b, sizeof(b)),
		part_size_fmt(st.left.disk, c, sizeof(c)));
	if (!st.cpu_for && !st.mem_for && !st.disk_for) {
		fprintf(f, "Stranded: none (what is left is less than any request needs).\n");
		return;
	}
	fprintf(f, "Stranded (left, but no request shape can use it: another resource runs out first):\n");
	if (st.cpu_for)
		fprintf(f, "  CPU     %s vCPUs, for lack of %s\n",
			part_milli_fmt(st.stranded.cpu_milli, a, sizeof(a)), st.cpu_for);
	if (st.mem_for)
		fprintf(f, "  memory  %s, for lack of %s\n",
			part_size_fmt(st.stranded.mem, a, sizeof(a)), st.mem_for);
	if (st.disk_for)
		fprintf(f, "  disk    %s, for lack of %s\n",
			part_size_fmt(st.stranded.disk, a, sizeof(a)), st.disk_for);
}

int part_report_text(FILE *f, const struct part_plan *pl,
		     const struct part_reqs *rs)
{
	char s[32];

	header(f, pl);
	table(f, pl);
	utilization(f, pl, rs);
	stranded(f, pl, rs);
	if (pl->image_size)
		fprintf(f, "\nBacking disk image: %s, %s (%llu bytes); lab 03 boots a server on its\n"
			   "extent with vmm --disk %s:OFFSET:SIZE (each server's is in --json).\n",
			pl->image, part_size_fmt(pl->image_size, s, sizeof(s)),
			(unsigned long long)pl->image_size, pl->image);
	return ferror(f) ? -EIO : 0;
}
