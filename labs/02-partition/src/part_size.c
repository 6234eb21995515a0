/*
 * part_size: parsing and printing sizes in binary units (see part_size.h).
 *
 * A number is read as a whole part and up to three decimals, kept as an
 * integer count of thousandths; the unit then multiplies it. Both steps
 * check for overflow before multiplying, so "16777216T" (2^64) is refused
 * instead of becoming 0.
 */
#include "part_size.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* >>> SOLUTION 02.1: checked arithmetic and the number reader. */
/* *r = a * b, or 0 if that does not fit in 64 bits. */
static int mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (a && b > UINT64_MAX / a)
		return 0;
	*r = a * b;
	return 1;
}

static int add_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b > UINT64_MAX - a)
		return 0;
	*r = a + b;
	return 1;
}

/*
 * Reads digits[.ddd] at *sp: the whole part and the decimals as thousandths
 * (".5" is 500), and moves *sp past them. Returns 0, -EINVAL or -ERANGE.
 */
static int read_num(const char **sp, uint64_t *whole, uint64_t *frac,
		    const char **why)
{
	const char *s = *sp;
	int nfrac = 0;

	*whole = *frac = 0;
	if (*s == '-') {
		*why = "must not be negative";
		return -EINVAL;
	}
	if (!isdigit((unsigned char)*s)) {
		*why = "is not a number";
		return -EINVAL;
	}
	for (; isdigit((unsigned char)*s); s++) {
		if (!mul_ok(*whole, 10, whole) ||
		    !add_ok(*whole, (uint64_t)(*s - '0'), whole)) {
			*why = "is too large";
			return -ERANGE;
		}
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, nfrac++) {
			if (nfrac == 3) {
				*why = "has more than three decimals";
				return -EINVAL;
			}
			*frac = *frac * 10 + (uint64_t)(*s - '0');
		}
		if (nfrac == 0) {
			*why = "is not a number";
			return -EINVAL;
		}
	}
	for (; nfrac < 3; nfrac++)
		*frac *= 10;
	*sp = s;
	return 0;
}

/* The multiplier of a unit suffix, or 0 if unknown. */
static uint64_t unit_of(const char *u)
{
	static const struct {
		const char *name;
		uint64_t mult;
	} units[] = {
		{"", 1},
		{"B", 1},
		{"K", PART_KIB}, {"KiB", PART_KIB},
		{"M", PART_MIB}, {"MiB", PART_MIB},
		{"G", PART_GIB}, {"GiB", PART_GIB},
		{"T", PART_TIB}, {"TiB", PART_TIB},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(u, units[i].name) == 0)
			return units[i].mult;
	return 0;
}
/* === STUB
*/
/* <<< SOLUTION */

int part_size_parse(const char *s, uint64_t *out, const char **why)
{
	/* >>> SOLUTION 02.1: whole x unit + decimals x unit / 1000, exact or refused. */
	uint64_t whole, frac, mult, bytes;
	int err = read_num(&s, &whole, &frac, why);

	if (err)
		return err;
	mult = unit_of(s);
	if (mult == 0) {
		*why = "has an unknown unit (use K, M, G or T)";
		return -EINVAL;
	}
	/* frac < 1000 and mult <= 2^40, so frac * mult cannot overflow. */
	if (frac * mult % 1000) {
		*why = "is not a whole number of bytes";
		return -EINVAL;
	}
	if (!mul_ok(whole, mult, &bytes) || !add_ok(bytes, frac * mult / 1000, out)) {
		*why = "is too large (the limit is 16 EiB)";
		return -ERANGE;
	}
	return 0;
	/* === STUB
	(void)s;
	(void)out;
	*why = "cannot be read yet (part_size_parse is not written)";
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int part_milli_parse(const char *s, uint64_t *out, const char **why)
{
	/* >>> SOLUTION 02.1: digits and up to three decimals, nothing after. */
	uint64_t whole, frac;
	int err = read_num(&s, &whole, &frac, why);

	if (err)
		return err;
	if (*s) {
		*why = "is not a number";
		return -EINVAL;
	}
	if (!mul_ok(whole, 1000, &whole) || !add_ok(whole, frac, out)) {
		*why = "is too large";
		return -ERANGE;
	}
	return 0;
	/* === STUB
	(void)s;
	(void)out;
	*why = "cannot be read yet (part_milli_parse is not written)";
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int part_count_parse(const char *s, uint64_t max, uint64_t *out,
		     const char **why)
{
	/* >>> SOLUTION 02.1: digits only, at least 1, at most max (checked before it can wrap). */
	uint64_t v = 0;

	if (*s == '-') {
		*why = "must not be negative";
		return -EINVAL;
	}
	if (!isdigit((unsigned char)*s)) {
		*why = "is not a whole number";
		return -EINVAL;
	}
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max) {
			*why = "is too large";
			return -ERANGE;
		}
	}
	if (*s) {
		*why = "is not a whole number";
		return -EINVAL;
	}
	if (v == 0) {
		*why = "must be at least 1";
		return -EINVAL;
	}
	*out = v;
	return 0;
	/* === STUB
	(void)s;
	(void)max;
	(void)out;
	*why = "cannot be read yet (part_count_parse is not written)";
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

char *part_size_fmt(uint64_t bytes, char *buf, size_t len)
{
	/* >>> SOLUTION 02.1: the largest binary unit that keeps a whole part >= 1, one decimal rounded down. */
	static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	int u = 0;
	uint64_t div = 1;

	while (u < 6 && bytes / div >= 1024) {
		div *= 1024;
		u++;
	}
	uint64_t whole = bytes / div;
	/* One decimal, rounded down; (bytes % div) * 10 < 2^64 since div <= 2^60. */
	uint64_t tenth = (bytes % div) * 10 / div;

	if (tenth)
		snprintf(buf, len, "%llu.%llu %s", (unsigned long long)whole,
			 (unsigned long long)tenth, names[u]);
	else
		snprintf(buf, len, "%llu %s", (unsigned long long)whole, names[u]);
	return buf;
	/* === STUB
	snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	return buf;
	*/
	/* <<< SOLUTION */
}

char *part_milli_fmt(uint64_t milli, char *buf, size_t len)
{
	uint64_t frac = milli % 1000;
	int n = snprintf(buf, len, "%llu", (unsigned long long)(milli / 1000));

	if (frac && n > 0 && (size_t)n < len) {
		char f[5];

		snprintf(f, sizeof(f), ".%03llu", (unsigned long long)frac);
		for (int i = 3; i > 0 && f[i] == '0'; i--)
			f[i] = '\0';
		snprintf(buf + n, len - (size_t)n, "%s", f);
	}
	return buf;
}
