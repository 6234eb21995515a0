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

/* *r = a * b and 1, or 0 (and *r untouched) when the product does not fit in
 * 64 bits: test before multiplying. Stage 02.1, README "Steps" 1. */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	/* >>> SOLUTION 02.1: a * b overflows exactly when a is not 0 and b > UINT64_MAX / a */
	if (a && b > UINT64_MAX / a)
		return 0;
	*r = a * b;
	return 1;
	/* === STUB
	(void)a;
	(void)b;
	(void)r;
	return 0;
	*/
	/* <<< SOLUTION */
}

/* *r = a + b and 1, or 0 (and *r untouched) when the sum does not fit in
 * 64 bits. Stage 02.1, README "Steps" 1. */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int add_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	/* >>> SOLUTION 02.1: a + b overflows exactly when b > UINT64_MAX - a */
	if (b > UINT64_MAX - a)
		return 0;
	*r = a + b;
	return 1;
	/* === STUB
	(void)a;
	(void)b;
	(void)r;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Reads digits[.ddd] at *sp: *whole the whole part, *frac the decimals as
 * thousandths (".5" is 500, ".25" 250), and moves *sp past them (only on
 * success). Nothing is skipped: no blanks, no sign. On error err->msg
 * gets exactly one of these texts, err->code the -errno beside it (the
 * caller prints "NAME: VALUE MSG"; the tests compare it; err may be NULL):
 *   a leading '-': "must not be negative"               -EINVAL
 *   no digit first, or '.' without a digit after it:
 *                  "is not a number"                    -EINVAL
 *   a fourth decimal: "has more than three decimals"    -EINVAL
 *   a whole part over 64 bits: "is too large"           -ERANGE
 * Returns 0 or the -errno above. Stage 02.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int read_num(const char **sp, uint64_t *whole, uint64_t *frac,
		    struct vmlab_err *err)
{
	/* >>> SOLUTION 02.1: the sign and first-digit checks, the digits with mul_ok and add_ok, then up to three decimals, scaled to thousandths */
	const char *s = *sp;
	int nfrac = 0;

	*whole = *frac = 0;
	if (*s == '-')
		return vmlab_fail(err, -EINVAL, "must not be negative");
	if (!isdigit((unsigned char)*s))
		return vmlab_fail(err, -EINVAL, "is not a number");
	for (; isdigit((unsigned char)*s); s++) {
		if (!mul_ok(*whole, 10, whole) ||
		    !add_ok(*whole, (uint64_t)(*s - '0'), whole)) {
			return vmlab_fail(err, -ERANGE, "is too large");
		}
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, nfrac++) {
			if (nfrac == 3)
					return vmlab_fail(err, -EINVAL,
						  "has more than three decimals");
			*frac = *frac * 10 + (uint64_t)(*s - '0');
		}
		if (nfrac == 0)
			return vmlab_fail(err, -EINVAL, "is not a number");
	}
	for (; nfrac < 3; nfrac++)
		*frac *= 10;
	*sp = s;
	return 0;
	/* === STUB
	(void)sp;
	*whole = *frac = 0;
	return vmlab_fail(err, -ENOSYS,
			  "cannot be read yet (read_num is not written)");
	*/
	/* <<< SOLUTION */
}

/*
 * The multiplier of a unit suffix (the whole rest of the string u), or 0
 * for an unknown one. Binary units, case matters: "" and "B" are 1, "K" and
 * "KiB" PART_KIB, "M"/"MiB" PART_MIB, "G"/"GiB" PART_GIB, "T"/"TiB"
 * PART_TIB. Stage 02.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static uint64_t unit_of(const char *u)
{
	/* >>> SOLUTION 02.1: a table of the ten names and multipliers, compared with strcmp */
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
	/* === STUB
	(void)u;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_size.h. read_num (its err passes on), then
 * unit_of on the rest. bytes = whole x unit + frac x unit / 1000, exactly.
 * Errors, with err->msg exactly:
 *   unknown unit: "has an unknown unit (use K, M, G or T)"      -EINVAL
 *   decimals that are no whole number of bytes ("1.5B"):
 *                 "is not a whole number of bytes"              -EINVAL
 *   over 64 bits: "is too large (the limit is 16 EiB)"          -ERANGE
 * Stage 02.1, README "Steps" 1.
 */
int part_size_parse(const char *s, uint64_t *out, struct vmlab_err *err)
{
	/* >>> SOLUTION 02.1: whole x unit + decimals x unit / 1000, exact or refused (frac x unit cannot overflow: frac < 1000, unit <= 2^40) */
	uint64_t whole, frac, mult, bytes;
	int e = read_num(&s, &whole, &frac, err);

	if (e)
		return e;
	mult = unit_of(s);
	if (mult == 0)
		return vmlab_fail(err, -EINVAL,
				  "has an unknown unit (use K, M, G or T)");
	/* frac < 1000 and mult <= 2^40, so frac * mult cannot overflow. */
	if (frac * mult % 1000)
		return vmlab_fail(err, -EINVAL, "is not a whole number of bytes");
	if (!mul_ok(whole, mult, &bytes) || !add_ok(bytes, frac * mult / 1000, out))
		return vmlab_fail(err, -ERANGE,
				  "is too large (the limit is 16 EiB)");
	return 0;
	/* === STUB
	(void)s;
	(void)out;
	return vmlab_fail(err, -ENOSYS,
			  "cannot be read yet (part_size_parse is not written)");
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_size.h. A CPU amount such as "1.5": read_num
 * (its err passes on), then nothing may follow ("is not a number",
 * -EINVAL); *out is in thousandths, and over 64 bits is "is too large",
 * -ERANGE. Stage 02.1, README "Steps" 1.
 */
int part_milli_parse(const char *s, uint64_t *out, struct vmlab_err *err)
{
	/* >>> SOLUTION 02.1: digits and up to three decimals, nothing after. */
	uint64_t whole, frac;
	int e = read_num(&s, &whole, &frac, err);

	if (e)
		return e;
	if (*s)
		return vmlab_fail(err, -EINVAL, "is not a number");
	if (!mul_ok(whole, 1000, &whole) || !add_ok(whole, frac, out))
		return vmlab_fail(err, -ERANGE, "is too large");
	return 0;
	/* === STUB
	(void)s;
	(void)out;
	return vmlab_fail(err, -ENOSYS,
			  "cannot be read yet (part_milli_parse is not written)");
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_size.h. Digits only, from 1 to max.
 * err->msg exactly: a leading '-' "must not be negative"; no digit first, or
 * anything after the digits, "is not a whole number"; 0 "must be at least
 * 1" (all -EINVAL); above max "is too large" (-ERANGE: compare with max
 * after each digit, before the value can wrap). Stage 02.1, README "Steps" 1.
 */
int part_count_parse(const char *s, uint64_t max, uint64_t *out,
		     struct vmlab_err *err)
{
	/* >>> SOLUTION 02.1: digits only, at least 1, at most max (checked before it can wrap). */
	uint64_t v = 0;

	if (*s == '-')
		return vmlab_fail(err, -EINVAL, "must not be negative");
	if (!isdigit((unsigned char)*s))
		return vmlab_fail(err, -EINVAL, "is not a whole number");
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return vmlab_fail(err, -ERANGE, "is too large");
	}
	if (*s)
		return vmlab_fail(err, -EINVAL, "is not a whole number");
	if (v == 0)
		return vmlab_fail(err, -EINVAL, "must be at least 1");
	*out = v;
	return 0;
	/* === STUB
	(void)s;
	(void)max;
	(void)out;
	return vmlab_fail(err, -ENOSYS,
			  "cannot be read yet (part_count_parse is not written)");
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in part_size.h. The largest unit of B, KiB, MiB, GiB,
 * TiB, PiB, EiB that keeps the whole part >= 1, then one decimal ROUNDED
 * DOWN, left out when it is 0: "512 B", "1 KiB", "1.5 GiB", "1023.9 MiB"
 * (the tests and reports show this text). Returns buf.
 * Stage 02.1, README "Steps" 1.
 */
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
