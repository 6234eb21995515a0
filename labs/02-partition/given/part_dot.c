/*
 * part_dot: the host as a plot of land (part_report_dot, see part_report.h).
 *
 * The lesson's picture: one acre, one house on half of it, the rest idle
 * until more houses are built. Here the plot is the host; each virtual
 * server is a lot whose area is its share of the host (the mean of its CPU
 * and memory shares), the host's own reserve is a grey lot, and what is
 * left is green. Layout "slice and dice": lots fill rows of about sqrt(n)
 * lots each; a row's height is its lots' total share, a lot's width its
 * share within the row, so every area is exact. Graphviz draws it as one
 * HTML-like table; a plan with very many servers groups the smallest ones.
 */
#include "part_report.h"
#include "part_size.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_PT 480.0       /* the plot is PLOT_PT x PLOT_PT points */
#define LOTS_MAX 120        /* more servers than this share one lot */

struct lot {
	char name[40];
	char detail[56];
	const char *color;
	double share;
};

static const char *const palette[] = {"#f4c28a", "#9cc3e6", "#e7a0a6", "#c4b0de",
				      "#f3e08a", "#a6d8c8", "#d8b49c", "#b8c8e8"};

/* Builds the lots: reserve, servers (the smallest grouped past LOTS_MAX), free land. */
static size_t make_lots(const struct part_plan *pl, struct lot *lots)
{
	const struct part_opts *o = &pl->opts;
	size_t n = 0, shown = pl->nvs > LOTS_MAX ? LOTS_MAX - 1 : pl->nvs;
	double used = 0, rest = 0;
	char m[32];

	/* The reserve holds whole cores, not vCPUs: its share of cores and memory. */
	lots[n] = (struct lot){"host itself", "", "#bbbbbb",
			       ((double)o->reserve.cpus / o->host.cpus +
				(double)o->reserve.mem / (double)o->host.mem) / 2};
	snprintf(lots[n].detail, sizeof(lots[n].detail), "%u CPU, %s", o->reserve.cpus,
		 part_size_fmt(o->reserve.mem, m, sizeof(m)));
	used += lots[n++].share;
	for (size_t i = 0; i < pl->nvs; i++) {
		const struct part_vs *v = &pl->vs[i];
		double s = part_share(pl, v->req.vcpus, v->req.mem);

		used += s;
		if (i >= shown) {
			rest += s;
			continue;
		}
		lots[n] = (struct lot){"", "", palette[i % 8], s};
		snprintf(lots[n].name, sizeof(lots[n].name), "%s", v->req.name);
		snprintf(lots[n++].detail, sizeof(lots[0].detail), "%u vCPU, %s",
			 v->req.vcpus, part_size_fmt(v->req.mem, m, sizeof(m)));
	}
	if (rest > 0) {
		lots[n] = (struct lot){"", "", "#dddddd", rest};
		snprintf(lots[n++].name, sizeof(lots[0].name), "%zu more servers", pl->nvs - shown);
	}
	lots[n] = (struct lot){"idle land", "", "#d9f0d3", used < 1 ? 1 - used : 0};
	return ++n;
}

/* Roughly how wide a 10-point text is, in points. */
static int text_pt(const char *s)
{
	return (int)strlen(s) * 6 + 8;
}

static void cell(FILE *f, const struct lot *l, double w, double h)
{
	int wi = (int)lround(w), hi = (int)lround(h);
	int name = wi >= text_pt(l->name) && hi >= 18;
	int detail = name && *l->detail && wi >= text_pt(l->detail) && hi >= 32;

	if (wi < 1 || hi < 1)
		return;
	/* A label only where it fits; the tooltip always names the lot. */
	fprintf(f, "      <TD WIDTH=\"%d\" HEIGHT=\"%d\" FIXEDSIZE=\"TRUE\" BGCOLOR=\"%s\" "
		   "BORDER=\"1\" TOOLTIP=\"%s %s (%.1f%%)\">%s%s%s</TD>\n",
		wi, hi, l->color, l->name, l->detail, l->share * 100, name ? l->name : "",
		detail ? "<BR/>" : "", detail ? l->detail : "");
}

static void rows(FILE *f, const struct lot *lots, size_t n)
{
	size_t per_row = (size_t)ceil(sqrt((double)n));
	double total = 0;

	for (size_t i = 0; i < n; i++)
		total += lots[i].share;
	for (size_t r = 0; r < n; r += per_row) {
		size_t end = r + per_row < n ? r + per_row : n;
		double row = 0;

		for (size_t i = r; i < end; i++)
			row += lots[i].share;
		if (row <= 0)
			continue;
		fprintf(f, "  <TR><TD BORDER=\"0\"><TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\"><TR>\n");
		for (size_t i = r; i < end; i++)
			cell(f, &lots[i], PLOT_PT * lots[i].share / row, PLOT_PT * row / total);
		fprintf(f, "  </TR></TABLE></TD></TR>\n");
	}
}

int part_report_dot(FILE *f, const struct part_plan *pl)
{
	struct lot *lots = calloc(LOTS_MAX + 3, sizeof(*lots));
	char m[32];

	if (!lots)
		return -ENOMEM;
	size_t n = make_lots(pl, lots);
	fprintf(f, "// partition plan --dot: render with  dot -Tsvg plan.dot -o plan.svg\n");
	fprintf(f, "digraph plot {\n  graph [label=\"The host as a plot of land: %u CPUs, %s; "
		   "%zu virtual servers, each lot sized by its share\", labelloc=t, fontname=Helvetica];\n",
		pl->opts.host.cpus, part_size_fmt(pl->opts.host.mem, m, sizeof(m)), pl->nvs);
	fprintf(f, "  node [shape=plain, fontname=Helvetica, fontsize=10];\n");
	fprintf(f, "  host [label=<<TABLE BORDER=\"2\" CELLSPACING=\"0\" CELLPADDING=\"0\">\n");
	rows(f, lots, n);
	fprintf(f, "  </TABLE>>];\n}\n");
	free(lots);
	return ferror(f) ? -EIO : 0;
}
