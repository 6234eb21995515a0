/*
 * graded.h: a Criterion test that carries its own rubric entry.
 *
 *   GRADED(suite, name, points, "NN.S stage title", timeout_s [, .init = f ...])
 *   GRADED_HIDDEN(...)   the same, shown to students only after the due date
 *   GRADED_BONUS(...)    an optional test: its points are a bonus, outside
 *                        the lab's total (grader/README.md, "Bonus tests")
 *
 * The grader reads points, stage and visibility back from the test binary
 * (`test_x --rubric`, see grader/README.md), so the rubric cannot drift from
 * the tests. Every graded test has a timeout: Criterion 2.4.1 never times out
 * a test that declares none, and the grader kills whatever outlives it.
 *
 * The body runs inside a wrapper that tells the grader it reached its end:
 * Criterion counts a test that calls exit(0) half-way as passed, the grader
 * does not. Test binaries link grader/build/libgraded.a (mk/lab.mk).
 *
 * cr_assert_eq and cr_expect_eq(a, b [, fmt, ...]) are Criterion's, with the values in the
 * message: "<fmt or a>: got -38 (-ENOSYS: not written yet), expected 0".
 * A return code is shown as its errno name and meaning when it looks like
 * one (-1..-133 where b is written -E..., or is 0 and a is a call, or a
 * call returned -ENOSYS, which the stubs do).
 * Each side is evaluated once, in the type `1 ? a : b` gives both, so the
 * comparison is the one C makes for a == b.
 */
#ifndef GRADER_GRADED_H
#define GRADER_GRADED_H

#include <criterion/criterion.h>
#include <stdio.h>

/* Called by the wrapper when a graded test body returns normally. */
void graded_done(const char *suite, const char *name);

/* kind: "" or "bonus " (graded_main.c reads it back). */
#define GRADED_DESC_(kind, points, stage, vis) \
	"vmlab " kind "points=" #points " visibility=" vis " stage=" stage

#define GRADED_TEST_(suite, name, kind, points, stage, timeout_s, vis, ...) \
	static void graded_body_##suite##_##name(void);                     \
	Test(suite, name, .timeout = (timeout_s),                           \
	     .description = GRADED_DESC_(kind, points, stage, vis),         \
	     ##__VA_ARGS__)                                                 \
	{                                                                   \
		graded_body_##suite##_##name();                             \
		graded_done(#suite, #name);                                 \
	}                                                                   \
	static void graded_body_##suite##_##name(void)

#define GRADED(suite, name, points, stage, timeout_s, ...)                 \
	GRADED_TEST_(suite, name, "", points, stage, timeout_s, "visible",  \
		     ##__VA_ARGS__)

#define GRADED_HIDDEN(suite, name, points, stage, timeout_s, ...)          \
	GRADED_TEST_(suite, name, "", points, stage, timeout_s,             \
		     "after_due_date", ##__VA_ARGS__)

#define GRADED_BONUS(suite, name, points, stage, timeout_s, ...)           \
	GRADED_TEST_(suite, name, "bonus ", points, stage, timeout_s,       \
		     "visible", ##__VA_ARGS__)

/* One side of a failed cr_assert_eq, for its message. */
struct graded_val {
	char kind;              /* 'i' signed, 'u' unsigned, 'd' floating, 'p' pointer */
	long long i;
	unsigned long long u;
	long double d;
	const void *p;
};
static inline struct graded_val graded_val_i(long long v)
{
	return (struct graded_val){ .kind = 'i', .i = v };
}
static inline struct graded_val graded_val_u(unsigned long long v)
{
	return (struct graded_val){ .kind = 'u', .u = v };
}
static inline struct graded_val graded_val_d(long double v)
{
	return (struct graded_val){ .kind = 'd', .d = v };
}
static inline struct graded_val graded_val_p(const volatile void *v)
{
	return (struct graded_val){ .kind = 'p', .p = (const void *)v };
}
#define GRADED_VAL_(x) _Generic((x),                                          \
	_Bool: graded_val_u, unsigned char: graded_val_u,                     \
	unsigned short: graded_val_u, unsigned int: graded_val_u,             \
	unsigned long: graded_val_u, unsigned long long: graded_val_u,        \
	char: graded_val_i, signed char: graded_val_i, short: graded_val_i,   \
	int: graded_val_i, long: graded_val_i, long long: graded_val_i,       \
	float: graded_val_d, double: graded_val_d, long double: graded_val_d, \
	default: graded_val_p)(x)

/* snprintf, out of the compiler's sight (a test's message may be cut). */
void graded_fmt(char *buf, unsigned n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Writes the message of a failed cr_assert_eq into buf (size n): user is
 * the test's own message (" " first, may be just that), a and b the
 * sides as written and as valued. */
void graded_eq_message(char *buf, unsigned n, const char *user,
		       const char *a_text, const char *b_text,
		       struct graded_val a, struct graded_val b);

#define GRADED_EQ_(fail, At, Bt, A, B, ...)                                       \
	do {                                                                  \
		__typeof__(1 ? (A) : (B)) graded_a_ = (A), graded_b_ = (B);   \
		if (!(graded_a_ == graded_b_)) {                              \
			char graded_u_[512], graded_m_[1024];                 \
			graded_fmt(graded_u_, sizeof(graded_u_), " " __VA_ARGS__); \
			graded_eq_message(graded_m_, sizeof(graded_m_),       \
					  graded_u_, At, Bt,                  \
					  GRADED_VAL_(graded_a_),             \
					  GRADED_VAL_(graded_b_));            \
			fail("%s", graded_m_);                                \
		}                                                             \
	} while (0)
#undef cr_assert_eq
#undef cr_expect_eq
/* The sides as written (#A here: one level down, EINVAL would be 22). */
#define cr_assert_eq(A, B, ...) \
	GRADED_EQ_(cr_assert_fail, #A, #B, A, B, __VA_ARGS__)
#define cr_expect_eq(A, B, ...) \
	GRADED_EQ_(cr_expect_fail, #A, #B, A, B, __VA_ARGS__)

#endif /* GRADER_GRADED_H */
