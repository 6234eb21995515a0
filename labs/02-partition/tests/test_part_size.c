/*
 * test_part_size: binary units, decimals, and sizes that would overflow.
 */
#include "graded.h"
#include "part_size.h"

#include <errno.h>
#include <string.h>

static uint64_t size_ok(const char *s)
{
	const char *why = NULL;
	uint64_t v = 0;

	cr_assert_eq(part_size_parse(s, &v, &why), 0, "%s: %s", s, why ? why : "");
	return v;
}

static int size_err(const char *s, const char **why)
{
	uint64_t v = 12345;
	int e = part_size_parse(s, &v, why);

	cr_assert_eq(v, 12345, "%s: the output is untouched on error", s);
	return e;
}

GRADED(part_size, binary_units, 2, "02.1 sizes", 5)
{
	cr_assert_eq(size_ok("100"), 100);
	cr_assert_eq(size_ok("1K"), 1024);
	cr_assert_eq(size_ok("4M"), 4ULL << 20);
	cr_assert_eq(size_ok("4G"), 4ULL << 30);
	cr_assert_eq(size_ok("2T"), 2ULL << 40);
	cr_assert_eq(size_ok("8GiB"), 8ULL << 30);
	cr_assert_eq(size_ok("512B"), 512);
}

GRADED(part_size, decimals_are_exact, 1, "02.1 sizes", 5)
{
	cr_assert_eq(size_ok("1.5G"), 3ULL << 29);
	cr_assert_eq(size_ok("0.25K"), 256);
	cr_assert_eq(size_ok("0.5T"), 1ULL << 39);
}

GRADED(part_size, unknown_units_are_refused, 1, "02.1 sizes", 5)
{
	const char *why = NULL;

	cr_assert_eq(size_err("4X", &why), -EINVAL);
	cr_assert(strstr(why, "unit"), "why: %s", why);
	cr_assert_eq(size_err("4GB", &why), -EINVAL, "GB is not a binary unit here");
	cr_assert_eq(size_err("4 G", &why), -EINVAL);
	cr_assert_eq(size_err("4g", &why), -EINVAL);
}

GRADED(part_size, negative_and_empty_are_refused, 1, "02.1 sizes", 5)
{
	const char *why = NULL;

	cr_assert_eq(size_err("-1G", &why), -EINVAL);
	cr_assert(strstr(why, "negative"), "why: %s", why);
	cr_assert_eq(size_err("", &why), -EINVAL);
	cr_assert_eq(size_err("G", &why), -EINVAL);
	cr_assert_eq(size_err("1.", &why), -EINVAL);
	cr_assert_eq(size_err("0.1", &why), -EINVAL, "0.1 bytes is not whole");
	cr_assert_eq(size_err("1.2345G", &why), -EINVAL);
}

GRADED(part_size, overflow_is_refused_not_wrapped, 2, "02.1 sizes", 5)
{
	const char *why = NULL;

	cr_assert_eq(size_ok("16777215T"), 16777215ULL << 40);
	cr_assert_eq(size_err("16777216T", &why), -ERANGE, "2^64 wraps to 0");
	cr_assert_eq(size_err("18446744073709551616", &why), -ERANGE);
	cr_assert_eq(size_err("99999999999999999999999G", &why), -ERANGE);
	cr_assert_eq(size_ok("18446744073709551615"), UINT64_MAX);
	cr_assert_eq(size_err("17179869184G", &why), -ERANGE);
}

GRADED(part_size, ratios_in_thousandths, 1, "02.1 sizes", 5)
{
	const char *why = NULL;
	uint64_t m = 0;

	cr_assert_eq(part_milli_parse("1", &m, &why), 0);
	cr_assert_eq(m, 1000);
	cr_assert_eq(part_milli_parse("1.5", &m, &why), 0);
	cr_assert_eq(m, 1500);
	cr_assert_eq(part_milli_parse("0.125", &m, &why), 0);
	cr_assert_eq(m, 125);
	cr_assert_eq(part_milli_parse("2x", &m, &why), -EINVAL);
	cr_assert_eq(part_milli_parse("-2", &m, &why), -EINVAL);
}

GRADED(part_size, counts, 1, "02.1 sizes", 5)
{
	const char *why = NULL;
	uint64_t c = 0;

	cr_assert_eq(part_count_parse("12", 100, &c, &why), 0);
	cr_assert_eq(c, 12);
	cr_assert_eq(part_count_parse("0", 100, &c, &why), -EINVAL);
	cr_assert_eq(part_count_parse("101", 100, &c, &why), -ERANGE);
	cr_assert_eq(part_count_parse("99999999999999999999999", 100, &c, &why), -ERANGE);
	cr_assert_eq(part_count_parse("1.5", 100, &c, &why), -EINVAL);
}

GRADED(part_size, printing_for_people, 1, "02.1 sizes", 5)
{
	char b[32];

	cr_assert_str_eq(part_size_fmt(4ULL << 30, b, sizeof(b)), "4 GiB");
	cr_assert_str_eq(part_size_fmt(3ULL << 29, b, sizeof(b)), "1.5 GiB");
	cr_assert_str_eq(part_size_fmt(1023, b, sizeof(b)), "1023 B");
	cr_assert_str_eq(part_size_fmt(1024 + 1023, b, sizeof(b)), "1.9 KiB");
	cr_assert_str_eq(part_size_fmt(UINT64_MAX, b, sizeof(b)), "15.9 EiB");
	cr_assert_str_eq(part_milli_fmt(1500, b, sizeof(b)), "1.5");
	cr_assert_str_eq(part_milli_fmt(250, b, sizeof(b)), "0.25");
	cr_assert_str_eq(part_milli_fmt(4000, b, sizeof(b)), "4");
}
