/*
 * grade_board.c: scoreboard, failures and rubric listing (grade_board.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grade_board.h"
#include "grade_text.h"

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
	char *e = grade_text_escape(label);
	fprintf(f, "%*s%-*s %s%4d / %-4d %3d%%%s\n", indent, "", 44 - indent,
		e ? e : "?", shade(got, max, colour), got, max, pct, colour ? RESET : "");
	free(e);
}

/* The longest start of s, at most max bytes, that ends on a character. */
static size_t utf8_cut(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* n bytes of s, escaped for a terminal. */
static void put_esc(FILE *f, const char *s, size_t n)
{
	char *part = strndup(s, n), *e = part ? grade_text_escape(part) : NULL;
	fputs(e ? e : "?", f);
	free(e);
	free(part);
}

static void put_text(FILE *f, const char *s)
{
	put_esc(f, s ? s : "", s ? strlen(s) : 0);
}

/* Each line of text after pad, escaped; a line over LINE_MAX bytes loses
 * its middle, so that both ends ("expected ...", "got ...") stay. */
#define LINE_MAX_ 200
static void indent(FILE *f, const char *text, const char *pad)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		fputs(pad, f);
		if (n <= LINE_MAX_) {
			put_esc(f, text, n);
		} else {
			size_t head = utf8_cut(text, LINE_MAX_ / 2 - 10);
			size_t tail = n - LINE_MAX_ / 2 + 10;
			while (tail < n && ((unsigned char)text[tail] & 0xc0) == 0x80)
				tail++;
			put_esc(f, text, head);
			fprintf(f, " [... %zu bytes ...] ", tail - head);
			put_esc(f, text + tail, n - tail);
		}
		fputc('\n', f);
		text += n + (text[n] == '\n');
	}
}

/* "file:line:col: warning: what" lines of the build, not the tests'. */
static int is_warning(const char *line, size_t n)
{
	const char *w = memmem(line, n, ": warning: ", 11);
	return w && line[0] != ' ' && strncmp(line, "tests/", 6) &&
	       !memmem(line, n, "/tests/", 7) && !memmem(line, (size_t)(w - line), " ", 1);
}

/* The first warnings of a lab that built: feedback, not a zero. */
static void warnings(FILE *f, const struct grade_lab *l)
{
	int count = 0, shown = 0;
	for (const char *p = l->build_log; p && *p;) {
		size_t n = strcspn(p, "\n");
		count += is_warning(p, n);
		p += n + (p[n] == '\n');
	}
	if (!count)
		return;
	fprintf(f, "  warnings (%s%d; fix them, they cost nothing today):\n",
		count > 5 ? "the first 5 of " : "", count);
	for (const char *p = l->build_log; p && *p && shown < 5;) {
		size_t n = strcspn(p, "\n");
		if (is_warning(p, n)) {
			char *line = strndup(p, n);
			indent(f, line, "    ");
			free(line);
			shown++;
		}
		p += n + (p[n] == '\n');
	}
}

/* "LABEL  +got of max": bonus points, outside the total, never a share. */
static void bonus_line(FILE *f, int indent, const char *label, int got, int max,
		       int colour)
{
	char *e = grade_text_escape(label), plus[16];
	snprintf(plus, sizeof(plus), "+%d", got);
	fprintf(f, "%*s%-*s %s%4s of %d%s\n", indent, "", 44 - indent,
		e ? e : "?", colour && got ? GREEN : "", plus, max,
		colour && got ? RESET : "");
	free(e);
}

/* One line per stage of the ordinary tests (bonus 0) or of the bonus
 * tests (bonus 1, marked optional). The rubric is sorted by stage. */
static void stage_lines(FILE *f, const struct grade_lab *l, int bonus, int colour)
{
	for (size_t i = 0; i < l->r.n;) {
		const char *stage = l->r.t[i].stage;
		int got = 0, max = 0, any = 0;
		for (; i < l->r.n && !strcmp(l->r.t[i].stage, stage); i++) {
			if (!l->r.t[i].bonus != !bonus)
				continue;
			any = 1;
			max += l->r.t[i].points;
			got += l->r.t[i].passed ? l->r.t[i].points : 0;
		}
		char label[300];
		snprintf(label, sizeof(label), "%s%s", stage,
			 bonus ? " (bonus, optional)" : "");
		if (any && !bonus)
			score_line(f, 2, label, got, max, colour);
		else if (any)
			bonus_line(f, 2, label, got, max, colour);
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
	for (int bonus = 0; bonus < 2; bonus++)   /* the bonus tests last */
		stage_lines(f, l, bonus, colour);
	if (l->problem) {
		size_t n = strcspn(l->problem, "\n");
		fprintf(f, "  %s!%s ", colour ? RED : "", colour ? RESET : "");
		put_esc(f, l->problem, n);
		fputc('\n', f);
		indent(f, l->problem + n + (l->problem[n] == '\n'), "    ");
	}
	if (l->built)
		warnings(f, l);
}

void grade_board_print(FILE *f, const struct grade_lab *labs, size_t n,
		       int colour)
{
	int got = 0, max = 0, bgot = 0, bmax = 0;
	for (size_t i = 0; i < n; i++) {
		lab_board(f, &labs[i], colour);
		got += grade_rubric_points(&labs[i].r, 1);
		max += grade_rubric_points(&labs[i].r, 0);
		bgot += grade_rubric_bonus(&labs[i].r, 1);
		bmax += grade_rubric_bonus(&labs[i].r, 0);
	}
	fprintf(f, "%s", colour ? BOLD : "");
	score_line(f, 0, "total", got, max, colour);
	if (bmax)
		bonus_line(f, 0, "bonus (optional, on top of the total)", bgot,
			   bmax, 0);
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

/* Did t fail for the lab's one problem (labvm gave no results, say)? */
static int failed_for_lab(const struct grade_lab *l, const struct grade_test *t)
{
	return l->built && l->problem && !t->passed && t->message && t->rerun &&
	       !strcmp(t->message, l->problem);
}

/* How many of l's tests failed for its one problem: those get one
 * message, not the same one per test. */
static size_t never_ran(const struct grade_lab *l, const struct grade_test **one)
{
	size_t n = 0;
	for (size_t k = 0; k < l->r.n; k++)
		if (failed_for_lab(l, &l->r.t[k])) {
			*one = &l->r.t[k];
			n++;
		}
	return n;
}

/* `cd LAB && ` and, inside labvm, the labvm run that brings the lab (and
 * what else its tests use, GRADE_LABVM_IN) in; the tree's top as the
 * student's, relative to the lab. */
static int rerun_where(char **s, const struct grade_lab *l, int labvm)
{
	char *lab = grade_text_shquote(l->rel ? l->rel : ".");
	int rc = lab ? grade_text_cat(s, "cd %s && ", lab) : -ENOMEM;
	free(lab);
	if (rc || !labvm)
		return rc;
	size_t d = strlen(l->dir), r = strlen(l->rel);
	size_t top = d > r ? d - r : 0;         /* the tree's top, with its '/' */
	rc = grade_text_cat(s, "../../grader/labvm run --in \"$PWD\"");
	char *in = l->labvm_in ? strdup(l->labvm_in) : NULL, *save = NULL;
	for (char *w = in ? strtok_r(in, " \t", &save) : NULL; w && !rc;
	     w = strtok_r(NULL, " \t", &save)) {
		int mine = top && !strncmp(w, l->dir, top) && w[top];
		char *q = grade_text_shquote(mine ? w + top : w);
		rc = q ? grade_text_cat(s, " --in %s%s", mine ? "\"$PWD\"/../../" : "", q)
		       : -ENOMEM;
		free(q);
	}
	free(in);
	return rc ? rc : grade_text_cat(s, " -- ");
}

char *grade_board_rerun(const struct grade_lab *l, const struct grade_test *t)
{
	char *s = NULL, *name = grade_text_fmt("%s/%s", t->suite, t->name);
	char *path = grade_text_shquote(t->path), *filter = NULL, *prog = NULL;
	int rc = !name || !path ? -ENOMEM : 0, labvm = t->in_labvm;
	if (t->hidden)
		rc = grade_text_cat(&s, "hidden test (not in your tree)");
	else if (!rc && t->rerun && !strncmp(t->rerun, "grader/grade --lab ", 19))
		rc = grade_text_cat(&s, "%s", t->rerun);   /* the lab as a whole */
	else if (!rc && !(rc = rerun_where(&s, l, labvm)) && t->kind == GRADE_UNIT) {
		filter = grade_text_shquote(name);
		if (filter && filter[0] != '\'') {     /* always --filter='s/n' */
			char *q = grade_text_fmt("'%s'", filter);
			free(filter);
			filter = q;
		}
		rc = !filter ? -ENOMEM : grade_text_cat(&s, "%s --filter=%s", path, filter);
		if (!rc && t->message && !strncmp(t->message, "skipped", 7))
			rc = grade_text_cat(&s, " --verbose");  /* it says why */
	} else if (!rc) {
		prog = grade_text_shquote(l->prog ? l->prog : "");
		rc = !prog ? -ENOMEM : grade_text_cat(&s, "%sPROG=%s sh %s",
						      labvm ? "env " : "", prog, path);
	}
	free(name);
	free(path);
	free(filter);
	free(prog);
	if (rc) {
		free(s);
		return NULL;
	}
	return s;
}

static int is_id(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Adds to *names (", "-separated, once each) the identifiers quoted in a
 * compiler's message line: 'f', `f' or the Unicode quotes gcc uses. */
static void take_names(char **names, const char *line, size_t n)
{
	static const char *open[] = { "\u2018", "'", "`" };
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 3; k++) {
			size_t o = strlen(open[k]), len = 0;
			if (i + o > n || memcmp(line + i, open[k], o))
				continue;
			const char *id = line + i + o;
			while (id + len < line + n && is_id(id[len], len == 0))
				len++;
			if (!len || len > 64 || (*names && strlen(*names) > 300))
				continue;
			char *word = grade_text_fmt(", %.*s,", (int)len, id);
			char *all = grade_text_fmt(", %s,", *names ? *names : "");
			if (word && all && !strstr(all, word))
				grade_text_cat(names, "%s%.*s", *names ? ", " : "", (int)len, id);
			free(word);
			free(all);
		}
}

/* The build's output as a student may read it: the diagnostics about a
 * hidden test's source (its lines quoted by the compiler included) become
 * one line naming the functions involved. *hid is set when one was. */
char *grade_board_student_log(const char *log, int *hid)
{
	char *out = NULL, *names = NULL;
	int in_hidden = 0;
	*hid = 0;
	for (const char *p = log; p && *p;) {
		size_t n = strcspn(p, "\n");
		const char *bar = memchr(p, '|', n);
		int snippet = p[0] == ' ' && bar &&
			      strspn(p, " 0123456789") == (size_t)(bar - p);
		if (!snippet)
			in_hidden = memmem(p, n, "tests/hidden/", 13) != NULL;
		if (!in_hidden)
			grade_text_cat(&out, "%.*s\n", (int)n, p);
		else if (!snippet && (memmem(p, n, "error: ", 7) ||
				      memmem(p, n, "warning: ", 9) ||
				      memmem(p, n, "undefined reference", 19)))
			take_names(&names, p, n);    /* not "in expansion of macro" */
		*hid |= in_hidden;
		p += n + (p[n] == '\n');
	}
	/* Last, where the end of the output shown has it. */
	if (*hid)
		grade_text_cat(&out, "a hidden test did not compile against your code%s%s%s\n",
			       names ? " (functions involved: " : "", names ? names : "",
			       names ? ")" : "");
	free(names);
	return out;
}

static void build_failed(FILE *f, const struct grade_lab *l, int colour, int student)
{
	int hid = 0;
	char *log = student ? grade_board_student_log(l->build_log, &hid) : NULL;
	fprintf(f, "\n%s", colour ? RED : "");
	put_text(f, l->rel);
	fprintf(f, ": the build failed%s; the end of its output:\n", colour ? RESET : "");
	indent(f, tail_lines(student ? (log ? log : "") : l->build_log, 25), "  | ");
	free(log);
}

static void failed_test(FILE *f, const struct grade_lab *l,
			const struct grade_test *t, int colour)
{
	char *title = grade_text_fmt("%s %s/%s", t->stage, t->suite, t->name);
	char *rerun = grade_board_rerun(l, t);
	fprintf(f, "\n%sFAIL%s ", colour ? RED : "", colour ? RESET : "");
	put_text(f, title);
	fprintf(f, " (%d pt%s)\n", t->points, t->bonus ? ", optional bonus" : "");
	indent(f, t->message, "  ");
	if (t->output && *t->output)
		indent(f, tail_lines(t->output, 8), "  > ");
	if (rerun && t->hidden)
		fprintf(f, "  %s\n", rerun);
	else if (rerun)
		indent(f, rerun, "  rerun: ");
	free(title);
	free(rerun);
}

static void failures(FILE *f, const struct grade_lab *labs, size_t n, int colour,
		     int student)
{
	for (size_t i = 0; i < n; i++) {
		const struct grade_lab *l = &labs[i];
		if (l->build_failed && l->build_log) {
			build_failed(f, l, colour, student);
			continue;
		}
		const struct grade_test *one = NULL;
		size_t lost = never_ran(l, &one);
		if (lost) {
			fprintf(f, "\n%s", colour ? RED : "");
			put_text(f, l->rel);
			if (lost == l->r.n)
				fprintf(f, ": no test ran%s; every one failed with:\n",
					colour ? RESET : "");
			else
				fprintf(f, ": %zu of its %zu tests did not run%s; each "
					"failed with:\n", lost, l->r.n,
					colour ? RESET : "");
			indent(f, l->problem, "  ");
			indent(f, one->rerun, "  rerun: ");
		}
		for (size_t k = 0; l->built && k < l->r.n; k++)
			if (!l->r.t[k].passed && !failed_for_lab(l, &l->r.t[k]))
				failed_test(f, l, &l->r.t[k], colour);
	}
}

void grade_board_failures(FILE *f, const struct grade_lab *labs, size_t n,
			  int colour)
{
	failures(f, labs, n, colour, 0);
}

void grade_board_list(FILE *f, const struct grade_lab *labs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct grade_lab *l = &labs[i];
		int bonus = grade_rubric_bonus(&l->r, 0);
		fprintf(f, "lab %s: %d points", l->name, grade_rubric_points(&l->r, 0));
		if (bonus)
			fprintf(f, " (and %d bonus, optional)", bonus);
		fprintf(f, "%s\n", l->needs_kvm ? ", needs /dev/kvm" : "");
		for (size_t k = 0; k < l->r.n; k++) {
			const struct grade_test *t = &l->r.t[k];
			char what[300], line[400];
			snprintf(what, sizeof(what), "%s/%s", t->suite, t->name);
			snprintf(line, sizeof(line), "%-24s %-44s %3d pt %4gs%s", t->stage,
				 what, t->points, t->timeout, t->hidden ? "  hidden" :
				 t->bonus ? "  bonus (optional)" : "");
			indent(f, line, "  ");
		}
		if (l->problem)
			indent(f, l->problem, "  ! ");
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
		failures(f, v, n, 0, 1);
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
