/*
 * lv_strs.h: a growable list of owned strings, kept NULL-terminated so that
 * it can serve directly as an argv.
 */
#ifndef LV_STRS_H
#define LV_STRS_H

#include <stdbool.h>
#include <stddef.h>

struct lv_strs {
	char **v;    /* v[n] == NULL whenever v != NULL */
	size_t n, cap;
};

/* Appends a copy of s. Returns 0 or -ENOMEM. */
int lv_strs_add(struct lv_strs *l, const char *s);

/* Appends a printf-formatted string. Returns 0 or -ENOMEM. */
int lv_strs_addf(struct lv_strs *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends a copy of s unless an equal string is already there. Returns 0 or -ENOMEM. */
int lv_strs_add_unique(struct lv_strs *l, const char *s);

bool lv_strs_has(const struct lv_strs *l, const char *s);

/* Frees every string and the array; l is empty and reusable afterwards. */
void lv_strs_free(struct lv_strs *l);

#endif
