/*
 * part_size: the numbers a partition plan is written in.
 *
 * Sizes use binary units: K = 2^10, M = 2^20, G = 2^30, T = 2^40 bytes
 * (also written KiB, MiB, GiB, TiB; a bare number is bytes). A size may
 * have up to three decimals ("1.5G"); the result is exact or refused, never
 * wrapped around: every multiplication is checked against 2^64 - 1.
 * Ratios ("1.5") are read into thousandths.
 *
 * On error the parsers return -EINVAL (not a valid number or unit) or
 * -ERANGE (too large) and fill err (vmlab_err.h; NULL: only the code):
 * err->code the same -errno, err->msg a sentence saying what is wrong
 * ("is too large"), which the caller prints after the value.
 */
#ifndef PART_SIZE_H
#define PART_SIZE_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab_err.h"

#define PART_KIB (1ULL << 10)
#define PART_MIB (1ULL << 20)
#define PART_GIB (1ULL << 30)
#define PART_TIB (1ULL << 40)

/* Reads "4G", "512M", "1.5T", "100" (bytes). Returns 0, -EINVAL or -ERANGE. */
int part_size_parse(const char *s, uint64_t *out, struct vmlab_err *err);

/* Reads "2", "1.5", "0.25" into thousandths (1500). Returns 0 or -errno. */
int part_milli_parse(const char *s, uint64_t *out, struct vmlab_err *err);

/* Reads a whole number in [1, max]. Returns 0, -EINVAL or -ERANGE. */
int part_count_parse(const char *s, uint64_t max, uint64_t *out,
		     struct vmlab_err *err);

/*
 * Writes bytes for people: "4 GiB", "1.5 GiB", "512 MiB", "100 B" (one
 * decimal at most, rounded down). Returns buf.
 */
char *part_size_fmt(uint64_t bytes, char *buf, size_t len);

/* Writes thousandths as "1", "1.5", "0.25". Returns buf. */
char *part_milli_fmt(uint64_t milli, char *buf, size_t len);

#endif /* PART_SIZE_H */
