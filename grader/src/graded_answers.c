/*
 * graded_answers.c: a lab's answers.txt, read for the tests that grade it
 * (graded_answers.h). Linked into every test binary with the harness.
 */
#include "graded_answers.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The answer part of a line, normalised into buf. 0 or -ENOSPC. */
static int normalise(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && *s != '\n'; s++) {
		if (isspace((unsigned char)*s) || strchr(",_()%", *s))
			continue;
		if (n + 1 >= size)
			return -ENOSPC;
		buf[n++] = (char)tolower((unsigned char)*s);
	}
	buf[n] = '\0';
	return 0;
}

int graded_answer(const char *file, const char *q, char *buf, size_t size)
{
	FILE *f = fopen(file, "r");
	char line[512];
	size_t len = strlen(q);
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (rc == -ENOENT && fgets(line, sizeof(line), f)) {
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, q, len) || p[len] != ':')
			continue;
		rc = normalise(p + len + 1, buf, size);
		if (rc == 0 && !buf[0])
			rc = -ENOENT;      /* "Q3:" with nothing after it: not answered */
	}
	fclose(f);
	return rc;
}

void graded_expect_answer(const char *q, const char *want)
{
	char got[128];
	int rc = graded_answer("answers.txt", q, got, sizeof(got));

	cr_assert_neq(rc, -ENOENT, "%s: no answer in answers.txt (a line '%s: ...')", q, q);
	cr_assert_eq(rc, 0, "%s: reading answers.txt: error %d", q, rc);
	cr_expect_str_eq(got, want, "%s: not the expected answer (README, \"Predict, then check\")", q);
}
