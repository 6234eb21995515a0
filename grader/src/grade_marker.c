/*
 * grade_marker.c: solution-marker stripping (grade_marker.h).
 *
 * A line-by-line state machine: CODE -> (>>>) REFERENCE -> (=== STUB) STUB
 * -> (*_/) CLOSED -> (<<<) CODE. Anything else at a marker is an error that
 * names the line, so a broken region is never half-handed out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade_marker.h"

enum state { CODE, REFERENCE, STUB, CLOSED };

/* The line with leading blanks skipped. */
static const char *body(const char *l)
{
	return l + strspn(l, " \t");
}

static int starts(const char *l, const char *word)
{
	return strncmp(body(l), word, strlen(word)) == 0;
}

/* The hint becomes a comment of its own in the handout: it must not close
 * that comment early (live code in the handout) or hold marker text. */
static int hint_is_plain(const char *buf, size_t n)
{
	const char *hint = strstr(buf, "SOLUTION:") + 9;
	size_t len = (size_t)(buf + n - 2 - hint);
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, hint);
	return !strstr(tmp, "*/") && !strstr(tmp, "/*") &&
	       !strstr(tmp, "SOLUTION") && !strstr(tmp, "=== STUB");
}

/* Which marker the line is: '>', '=', '<', 'c' (a lone close), 0 (none);
 * -1 when a marker text appears but not alone on its line. */
static int kind(const char *l, size_t n)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%.*s", (int)n, l);
	n = strlen(buf); /* a longer line was cut to fit buf */
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	const char *b = body(buf);
	if (starts(buf, "/* >>> SOLUTION:"))
		return n > 2 && !strcmp(buf + n - 2, "*/") && hint_is_plain(buf, n)
			       ? '>'
			       : -1;
	if (starts(buf, "/* === STUB"))
		return !strcmp(b, "/* === STUB") ? '=' : -1;
	if (starts(buf, "/* <<< SOLUTION"))
		return !strcmp(b, "/* <<< SOLUTION */") ? '<' : -1;
	if (!strcmp(b, "*/"))
		return 'c';
	if (strstr(buf, ">>> SOLUTION") || strstr(buf, "<<< SOLUTION") ||
	    strstr(buf, "=== STUB"))
		return -1;
	return 0;
}

/* Emit the TODO line for a >>> marker: its indent and its hint. */
static void todo(FILE *f, const char *l, size_t n)
{
	size_t ind = strspn(l, " \t");
	const char *hint = strstr(l, "SOLUTION:") + 9;
	const char *end = l + n;
	while (end > hint && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	end -= 2;                       /* the closing star-slash */
	hint += strspn(hint, " ");
	while (end > hint && end[-1] == ' ')
		end--;
	fprintf(f, "%.*s/* TODO(student): %.*s */\n", (int)ind, l,
		(int)(end - hint), hint);
}

static int step(enum state *s, int k, const char **why)
{
	static const char *expect[] = {
		[CODE] = "a marker outside a region",
		[REFERENCE] = "expected /* === STUB before this marker",
		[STUB] = "expected a line */ closing the stub before this marker",
		[CLOSED] = "expected /* <<< SOLUTION */ after the stub",
	};
	enum state next = *s;
	if (k == -1) {
		*why = "a solution marker must be alone on its line";
		return -EINVAL;
	}
	if (k == '>' && *s == CODE)
		next = REFERENCE;
	else if (k == '=' && *s == REFERENCE)
		next = STUB;
	else if (k == 'c' && *s == STUB)
		next = CLOSED;
	else if (k == '<' && *s == CLOSED)
		next = CODE;
	else if (k == 'c' || k == 0)
		return *s == CLOSED ? (*why = expect[CLOSED], -EINVAL) : 0;
	else {
		*why = k == '>' && *s != CODE ? "regions do not nest: >>> inside a region"
					      : expect[*s];
		return -EINVAL;
	}
	*s = next;
	return 0;
}

int grade_marker_strip(const char *text, char **out, int *regions, int *line,
		       const char **why)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	enum state s = CODE;
	int rc = 0;
	if (!f)
		return -ENOMEM;
	*regions = 0;
	*line = 0;
	for (const char *l = text; *l && !rc;) {
		size_t n = strcspn(l, "\n");
		int k = kind(l, n);
		enum state before = s;
		(*line)++;
		rc = step(&s, k, why);
		if (!rc && before == STUB && k == 0 && memmem(l, n, "*/", 2)) {
			*why = "a stub must not contain */ (it sits in a comment)";
			rc = -EINVAL;
		}
		if (!rc && k == '>')
			todo(f, l, n), (*regions)++;
		else if (!rc && before == CODE && s == CODE)
			fprintf(f, "%.*s\n", (int)n, l);
		else if (!rc && before == STUB && s == STUB)
			fprintf(f, "%.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
	if (!rc && s != CODE) {
		*why = "the file ends inside a solution region";
		rc = -EINVAL;
	}
	fclose(f);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
