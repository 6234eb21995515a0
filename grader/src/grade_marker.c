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

int grade_marker_stage(const char *s, int *lab, int *stage, size_t *len)
{
	size_t a = strspn(s, "0123456789");
	size_t b = a == 2 && s[2] == '.' ? strspn(s + 3, "0123456789") : 0;
	if (b == 0 || b > 3)
		return -EINVAL;
	*lab = (s[0] - '0') * 10 + (s[1] - '0');
	*stage = atoi(s + 3);
	*len = 3 + b;
	return 0;
}

/* Where the hint of a >>> line starts (past "SOLUTION NN.S:"), or NULL
 * when the stage is missing or malformed. */
static const char *hint_of(const char *l, int *lab, int *stage)
{
	const char *p = strstr(l, ">>> SOLUTION") + 12;
	size_t len;
	if (*p != ' ' || grade_marker_stage(p + 1, lab, stage, &len) ||
	    p[1 + len] != ':')
		return NULL;
	return p + 2 + len;
}

/* The hint becomes a comment of its own in the handout: it must not close
 * that comment early (live code in the handout) or hold marker text. */
static int hint_is_plain(const char *buf, size_t n)
{
	int lab, stage;
	const char *hint = hint_of(buf, &lab, &stage);
	size_t len = (size_t)(buf + n - 2 - hint);
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, hint);
	return !strstr(tmp, "*/") && !strstr(tmp, "/*") &&
	       !strstr(tmp, "SOLUTION") && !strstr(tmp, "=== STUB");
}

/* Which marker the line is: '>', '=', '<', 'c' (a lone close), 0 (none);
 * -1 when a marker text appears but not alone on its line, -2 when a >>>
 * marker has no stage. */
static int kind(const char *l, size_t n)
{
	char buf[512];
	int lab, stage;
	snprintf(buf, sizeof(buf), "%.*s", (int)n, l);
	n = strlen(buf); /* a longer line was cut to fit buf */
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	const char *b = body(buf);
	if (starts(buf, "/* >>> SOLUTION") && !hint_of(buf, &lab, &stage))
		return -2;
	if (starts(buf, "/* >>> SOLUTION"))
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

/* Does the region opened by line l keep its reference (stage <= upto)? */
static int kept(const char *l, const char *upto)
{
	int lab, stage, ulab, ustage;
	size_t len;
	if (!upto || grade_marker_stage(upto, &ulab, &ustage, &len))
		return 0;
	return hint_of(l, &lab, &stage) && lab == ulab && stage <= ustage;
}

/* Emit the TODO line for a >>> marker: its indent, its stage, its hint. */
static void todo(FILE *f, const char *l, size_t n)
{
	size_t ind = strspn(l, " \t");
	int lab, stage;
	const char *hint = hint_of(l, &lab, &stage);
	const char *end = l + n;
	while (end > hint && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	end -= 2;                       /* the closing star-slash */
	hint += strspn(hint, " ");
	while (end > hint && end[-1] == ' ')
		end--;
	fprintf(f, "%.*s/* TODO(student) %02d.%d: %.*s */\n", (int)ind, l, lab,
		stage, (int)(end - hint), hint);
}

/* Move *s on by a line of kind k: 0, or -EINVAL with err saying why. */
static int step(enum state *s, int k, struct vmlab_err *err)
{
	static const char *expect[] = {
		[CODE] = "a marker outside a region",
		[REFERENCE] = "expected /* === STUB before this marker",
		[STUB] = "expected a line */ closing the stub before this marker",
		[CLOSED] = "expected /* <<< SOLUTION */ after the stub",
	};
	enum state next = *s;
	if (k == -1)
		return vmlab_fail(err, -EINVAL,
				  "a solution marker must be alone on its line");
	if (k == -2)
		return vmlab_fail(err, -EINVAL, "a region names its stage: "
				  "/* >>> SOLUTION NN.S: hint */ "
				  "(NN.S: the stage of the tests it makes pass)");
	if (k == '>' && *s == CODE)
		next = REFERENCE;
	else if (k == '=' && *s == REFERENCE)
		next = STUB;
	else if (k == 'c' && *s == STUB)
		next = CLOSED;
	else if (k == '<' && *s == CLOSED)
		next = CODE;
	else if ((k == 'c' || k == 0) && *s != CLOSED)
		return 0;
	else if (k == 'c' || k == 0)
		return vmlab_fail(err, -EINVAL, "%s", expect[CLOSED]);
	else
		return vmlab_fail(err, -EINVAL, "%s", k == '>' && *s != CODE ?
				  "regions do not nest: >>> inside a region"
				  : expect[*s]);
	*s = next;
	return 0;
}

int grade_marker_strip(const char *text, const char *upto, char **out,
		       int *regions, int *line, struct vmlab_err *err)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	enum state s = CODE;
	int rc = 0, keep = 0;
	vmlab_err_clear(err);
	if (!f)
		return -ENOMEM;
	*regions = 0;
	*line = 0;
	for (const char *l = text; *l && !rc;) {
		size_t n = strcspn(l, "\n");
		int k = kind(l, n);
		enum state before = s;
		(*line)++;
		rc = step(&s, k, err);
		if (!rc && before == STUB && k == 0 && memmem(l, n, "*/", 2))
			rc = vmlab_fail(err, -EINVAL, "a stub must not contain */ "
					"(it sits in a comment)");
		if (!rc && k == '>' && (keep = kept(l, upto)) == 0) {
			todo(f, l, n);
			(*regions)++;
		} else if (!rc && before == s && (s == CODE ||
						(s == REFERENCE && keep) ||
						(s == STUB && !keep))) {
			fprintf(f, "%.*s\n", (int)n, l);
		}
		l += n + (l[n] == '\n');
	}
	if (!rc && s != CODE)
		rc = vmlab_fail(err, -EINVAL, "the file ends inside a solution region");
	fclose(f);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
