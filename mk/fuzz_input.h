/*
 * fuzz_input.h: what every libFuzzer target of vmlab shares (mk/fuzz.mk).
 *
 * libFuzzer hands a target raw bytes; vmlab's parsers read C strings. A
 * file read from disk (hi_file_load, the grader's readers) ends at its
 * first NUL for a string parser, so the bytes are copied into a fresh
 * allocation of exactly size + 1: any read past the end is an ASan report.
 */
#ifndef VMLAB_FUZZ_INPUT_H
#define VMLAB_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd NUL-terminated copy of data; aborts when out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Splits s in two at its first "\n--\n" (the second part, or NULL). */
static inline char *fuzz_split(char *s)
{
	char *cut = strstr(s, "\n--\n");

	if (!cut)
		return NULL;
	cut[1] = '\0';
	return cut + 4;
}

/* A property a target checks: abort (a libFuzzer finding) when false. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

#endif /* VMLAB_FUZZ_INPUT_H */
