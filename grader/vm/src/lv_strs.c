/*
 * lv_strs.c: a growable list of owned strings (see lv_strs.h).
 * Lookups are linear: labvm's lists hold tens to a few thousand entries.
 */
#define _GNU_SOURCE
#include "lv_strs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Takes ownership of s (freed on failure). */
static int push(struct lv_strs *l, char *s)
{
	if (!s)
		return -ENOMEM;
	if (l->n + 1 >= l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return 0;
}

int lv_strs_add(struct lv_strs *l, const char *s)
{
	return push(l, strdup(s));
}

int lv_strs_addf(struct lv_strs *l, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return push(l, n < 0 ? NULL : s);
}

bool lv_strs_has(const struct lv_strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

int lv_strs_add_unique(struct lv_strs *l, const char *s)
{
	return lv_strs_has(l, s) ? 0 : lv_strs_add(l, s);
}

void lv_strs_free(struct lv_strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
