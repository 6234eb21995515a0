/*
 * test_part_size: binary units, decimals, and sizes that would overflow.
 */
#include "graded.h"
#include "part_size.h"

#include <errno.h>
#include <string.h>

static uint64_t size_ok(const char *s)
{
	struct vmlab_err err;
	uint64_t v = 0;

	vmlab_err_clear(&err);
	cr_assert_eq(part_size_parse(s, &v, &err), 0, "%s: %s", s, err.msg);
	return v;
}

/* The code part_size_parse returns for s; err gets the same code and the
 * sentence; the output is untouched. */
static int size_err(const char *s, struct vmlab_err *err)
{
	uint64_t v = 12345;
	int e;

	vmlab_err_clear(err);
	e = part_size_parse(s, &v, err);
	cr_assert_eq(v, 12345, "%s: the output is untouched on error", s);
	cr_assert_eq(err->code, e, "%s: err->code is the code returned", s);
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
	struct vmlab_err err;

	cr_assert_eq(size_err("4X", &err), -EINVAL);
	cr_assert_str_eq(err.msg, "has an unknown unit (use K, M, G or T)");
	cr_assert_eq(size_err("4GB", &err), -EINVAL, "GB is not a binary unit here");
	cr_assert_eq(size_err("4 G", &err), -EINVAL);
	cr_assert_eq(size_err("4g", &err), -EINVAL);
}

GRADED(part_size, negative_and_empty_are_refused, 1, "02.1 sizes", 5)
{
	struct vmlab_err err;

	cr_assert_eq(size_err("-1G", &err), -EINVAL);
	cr_assert_str_eq(err.msg, "must not be negative");
	cr_assert_eq(size_err("", &err), -EINVAL);
	cr_assert_eq(size_err("G", &err), -EINVAL);
	cr_assert_eq(size_err("1.", &err), -EINVAL);
	cr_assert_eq(size_err("0.1", &err), -EINVAL, "0.1 bytes is not whole");
	cr_assert_str_eq(err.msg, "is not a whole number of bytes");
	cr_assert_eq(size_err("1.2345G", &err), -EINVAL);
	cr_assert_str_eq(err.msg, "has more than three decimals");
}

GRADED(part_size, overflow_is_refused_not_wrapped, 2, "02.1 sizes", 5)
{
	struct vmlab_err err;

	cr_assert_eq(size_ok("16777215T"), 16777215ULL << 40);
	cr_assert_eq(size_err("16777216T", &err), -ERANGE, "2^64 wraps to 0");
	cr_assert_str_eq(err.msg, "is too large (the limit is 16 EiB)");
	cr_assert_eq(size_err("18446744073709551616", &err), -ERANGE);
	cr_assert_str_eq(err.msg, "is too large");
	cr_assert_eq(size_err("99999999999999999999999G", &err), -ERANGE);
	cr_assert_eq(size_ok("18446744073709551615"), UINT64_MAX);
	cr_assert_eq(size_err("17179869184G", &err), -ERANGE);
}

GRADED(part_size, ratios_in_thousandths, 1, "02.1 sizes", 5)
{
	struct vmlab_err err;
	uint64_t m = 0;

	cr_assert_eq(part_milli_parse("1", &m, &err), 0);
	cr_assert_eq(m, 1000);
	cr_assert_eq(part_milli_parse("1.5", &m, &err), 0);
	cr_assert_eq(m, 1500);
	cr_assert_eq(part_milli_parse("0.125", &m, &err), 0);
	cr_assert_eq(m, 125);
	cr_assert_eq(part_milli_parse("2x", &m, &err), -EINVAL);
	cr_assert_eq(err.code, -EINVAL);
	cr_assert_str_eq(err.msg, "is not a number");
	cr_assert_eq(part_milli_parse("-2", &m, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "must not be negative");
	cr_assert_eq(part_milli_parse("1.5", &m, NULL), 0, "err may be NULL");
	cr_assert_eq(part_milli_parse("x", &m, NULL), -EINVAL, "err may be NULL");
}

GRADED(part_size, counts, 1, "02.1 sizes", 5)
{
	struct vmlab_err err;
	uint64_t c = 0;

	cr_assert_eq(part_count_parse("12", 100, &c, &err), 0);
	cr_assert_eq(c, 12);
	cr_assert_eq(part_count_parse("0", 100, &c, &err), -EINVAL);
	cr_assert_eq(err.code, -EINVAL);
	cr_assert_str_eq(err.msg, "must be at least 1");
	cr_assert_eq(part_count_parse("101", 100, &c, &err), -ERANGE);
	cr_assert_eq(err.code, -ERANGE);
	cr_assert_str_eq(err.msg, "is too large");
	cr_assert_eq(part_count_parse("99999999999999999999999", 100, &c, &err), -ERANGE);
	cr_assert_eq(part_count_parse("1.5", 100, &c, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "is not a whole number");
	cr_assert_eq(part_count_parse("-1", 100, &c, NULL), -EINVAL, "err may be NULL");
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
