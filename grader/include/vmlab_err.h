/*
 * vmlab_err.h: the one way vmlab's code says what went wrong.
 *
 * Every lab and the grader follow it:
 *
 *   - A function that can fail returns 0 (or a count, or a pointer) on
 *     success and a negative errno on failure: -EINVAL, -ENOMEM, -ENOENT...
 *     The caller decides from that number, never from text.
 *   - When the number alone would not tell a person what to fix, the
 *     function also fills the struct vmlab_err its caller passed: the same
 *     code, a symbolic name where the subject has one (an ioctl's, an AWS
 *     error code's), and one line of text. A caller that wants only the
 *     code passes NULL.
 *   - Library code never prints, never exits, and never names a
 *     command-line flag: it does not know how it was called. main turns
 *     err.code into an exit code, prefixes the program's name and, where a
 *     flag was to blame, names the flag.
 *
 * Header-only, so that a lab needs no extra library to link.
 */
#ifndef VMLAB_ERR_H
#define VMLAB_ERR_H

#include <stdarg.h>
#include <stdio.h>

struct vmlab_err {
	int code;          /* 0, or the negative errno the function returned */
	const char *name;  /* a static name ("KVM_CREATE_VM"), or NULL */
	char msg[512];     /* one line, no newline, no program name */
};

/* Empties e (NULL: nothing to do). */
static inline void vmlab_err_clear(struct vmlab_err *e)
{
	if (e) {
		e->code = 0;
		e->name = NULL;
		e->msg[0] = '\0';
	}
}

/*
 * Fills e (NULL: only returns) with code, name (a static string, or NULL)
 * and the message fmt makes of ap, and returns code. For a function that
 * takes a format of its own and passes it on.
 */
static inline int vmlab_vfail(struct vmlab_err *e, int code, const char *name,
			      const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static inline int vmlab_vfail(struct vmlab_err *e, int code, const char *name,
			      const char *fmt, va_list ap)
{
	if (e) {
		e->code = code;
		e->name = name;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	}
	return code;
}

/*
 * Fills e (NULL: only returns) with code and the printf-style message, and
 * returns code, so a failure reads as one statement:
 *
 *	return vmlab_fail(err, -EINVAL, "line %u: no '='", line);
 */
static inline int vmlab_fail(struct vmlab_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int vmlab_fail(struct vmlab_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmlab_vfail(e, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

/*
 * vmlab_fail with a symbolic name: the failed call ("KVM_RUN"), the
 * domain's error code ("InsufficientInstanceCapacity"). name must outlive
 * e: a string literal.
 */
static inline int vmlab_fail_named(struct vmlab_err *e, int code,
				   const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int vmlab_fail_named(struct vmlab_err *e, int code,
				   const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmlab_vfail(e, code, name, fmt, ap);
	va_end(ap);
	return code;
}

#endif /* VMLAB_ERR_H */
