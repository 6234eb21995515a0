/*
 * grade_board.c: scoreboard, failures and rubric listing (grade_board.h).
 */
#include <stdlib.h>
#include <string.h>

#include "grade_board.h"

#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RED    "\033[31m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

static const char *shade(int got, int max, int colour)
{
	if (!colour)
		return "";
	return got == max ? GREEN : got == 0 ? RED : YELLOW;
}

static void score_line(FILE *f, int indent, const char *label, int got,
		       int max, int colour)
{
	int pct = max ? (int)(100.0 * got / max + 0.5) : 100;
	fprintf(f, "%*s%-*s %s%4d / %-4d %3d%%%s\n", indent, "", 44 - indent,
		label, shade(got, max, colour), got, max, pct, colour ? RESET : "");
}

static void indent(FILE *f, const char *text, const char *pad)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		fprintf(f, "%s%.*s%s\n", pad, n > 200 ? 200 : (int)n, text,
			n > 200 ? " [...]" : "");
		text += n + (text[n] == '\n');
	}
}

static void lab_board(FILE *f, const struct grade_lab *l, int colour)
{
	char label[128];
	snprintf(label, sizeof(label), "lab %s%s%s", l->name,
		 l->where && strcmp(l->where, "host") ? " (in " : "",
		 l->where && strcmp(l->where, "host") ? l->where : "");
	if (l->where && strcmp(l->where, "host"))
		strncat(label, ")", sizeof(label) - strlen(label) - 1);
	fprintf(f, "%s", colour ? BOLD : "");
	score_line(f, 0, label, grade_rubric_points(&l->r, 1),
		   grade_rubric_points(&l->r, 0), 0);
	fprintf(f, "%s", colour ? RESET : "");
	for (size_t i = 0; i < l->r.n;) {         /* sorted by stage */
		const char *stage = l->r.t[i].stage;
		int got = 0, max = 0;
		for (; i < l->r.n && !strcmp(l->r.t[i].stage, stage); i++) {
			max += l->r.t[i].points;
			got += l->r.t[i].passed ? l->r.t[i].points : 0;
		}
		score_line(f, 2, stage, got, max, colour);
	}
	if (l->problem) {
		size_t n = strcspn(l->problem, "\n");
		fprintf(f, "  %s!%s %.*s\n", colour ? RED : "", colour ? RESET : "",
			(int)n, l->problem);
		indent(f, l->problem + n + (l->problem[n] == '\n'), "    ");
	}
}

void grade_board_print(FILE *f, const struct grade_lab *labs, size_t n,
		       int colour)
{
	int got = 0, max = 0;
	for (size_t i = 0; i < n; i++) {
		lab_board(f, &labs[i], colour);
		got += grade_rubric_points(&labs[i].r, 1);
		max += grade_rubric_points(&labs[i].r, 0);
	}
	fprintf(f, "%s", colour ? BOLD : "");
	score_line(f, 0, "total", got, max, colour);
	fprintf(f, "%s", colour ? RESET : "");
}

/* The last `lines` lines of text. */
static const char *tail_lines(const char *text, int lines)
{
	const char *p = text + strlen(text);
	while (p > text && lines >= 0) {
		p--;
		if (*p == '\n')
			lines--;
	}
	return p == text ? p : p + 1;
}

/* A lab whose every test failed for the lab's one problem (labvm gave no
 * results, say): one message, not the same one per test. */
static int never_ran(const struct grade_lab *l)
{
	if (!l->built || !l->problem || !l->r.n || !l->r.t[0].rerun)
		return 0;
	for (size_t k = 0; k < l->r.n; k++)
		if (l->r.t[k].passed || !l->r.t[k].message ||
		    strcmp(l->r.t[k].message, l->problem))
			return 0;
	return 1;
}

void grade_board_failures(FILE *f, const struct grade_lab *labs, size_t n,
			  int colour)
{
	for (size_t i = 0; i < n; i++) {
		const struct grade_lab *l = &labs[i];
		if (l->build_failed && l->build_log) {
			fprintf(f, "\n%s%s: the build failed%s; the end of its output:\n",
				colour ? RED : "", l->rel, colour ? RESET : "");
			indent(f, tail_lines(l->build_log, 25), "  | ");
			continue;
		}
		if (never_ran(l)) {
			fprintf(f, "\n%s%s: no test ran%s; every one failed with:\n",
				colour ? RED : "", l->rel, colour ? RESET : "");
			indent(f, l->problem, "  ");
			fprintf(f, "  rerun: %s\n", l->r.t[0].rerun);
			continue;
		}
		for (size_t k = 0; l->built && k < l->r.n; k++) {
			const struct grade_test *t = &l->r.t[k];
			if (t->passed)
				continue;
			fprintf(f, "\n%sFAIL%s %s %s/%s (%d pt)\n", colour ? RED : "",
				colour ? RESET : "", t->stage, t->suite, t->name,
				t->points);
			indent(f, t->message, "  ");
			if (t->output && *t->output)
				indent(f, tail_lines(t->output, 8), "  > ");
			if (t->rerun)
				fprintf(f, "  rerun: %s\n", t->rerun);
		}
	}
}

void grade_board_list(FILE *f, const struct grade_lab *labs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct grade_lab *l = &labs[i];
		fprintf(f, "lab %s: %d points%s\n", l->name,
			grade_rubric_points(&l->r, 0), l->needs_kvm ? ", needs /dev/kvm" : "");
		for (size_t k = 0; k < l->r.n; k++) {
			const struct grade_test *t = &l->r.t[k];
			char what[300];
			snprintf(what, sizeof(what), "%s/%s", t->suite, t->name);
			fprintf(f, "  %-24s %-44s %3d pt %4gs%s\n", t->stage, what,
				t->points, t->timeout, t->hidden ? "  hidden" : "");
		}
		if (l->problem)
			fprintf(f, "  ! %s\n", l->problem);
	}
}

/* The labs' tests are shared, not copied: only the arrays are freed. */
char *grade_board_visible(const struct grade_lab *labs, size_t n)
{
	struct grade_lab *v = calloc(n ? n : 1, sizeof(*v));
	char *board = NULL;
	size_t len = 0;
	int hidden = 0;
	for (size_t i = 0; v && i < n; i++) {
		v[i] = labs[i];
		v[i].r.t = calloc(labs[i].r.n ? labs[i].r.n : 1, sizeof(*v[i].r.t));
		v[i].r.n = 0;
		for (size_t k = 0; v[i].r.t && k < labs[i].r.n; k++) {
			if (labs[i].r.t[k].hidden)
				hidden = 1;
			else
				v[i].r.t[v[i].r.n++] = labs[i].r.t[k];
		}
	}
	FILE *f = v ? open_memstream(&board, &len) : NULL;
	if (f) {
		grade_board_print(f, v, n, 0);
		grade_board_failures(f, v, n, 0);
		if (hidden)
			fputs("\n(Hidden tests are graded too: their results show after "
			      "the due date.)\n", f);
		fclose(f);
	}
	for (size_t i = 0; v && i < n; i++)
		free(v[i].r.t);
	free(v);
	return board;
}
