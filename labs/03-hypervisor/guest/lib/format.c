/*
 * format.c: a small vsnprintf for a guest that has no C library.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%; length l, ll, z; a width with
 * an optional 0 flag. Output is always NUL-terminated; the return value is
 * the length the whole output would have had, as C's snprintf.
 */
#include "guest.h"

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->n)
		o->buf[o->len] = c;
	o->len++;
}

static void number(struct out *o, uint64_t v, unsigned base, int neg,
		   int width, char pad, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		put(o, '-');
	for (int w = i; w < width; w++)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (i)
		put(o, tmp[--i]);
}

/* The argument for length modifier len (0 int, 1 long, 2 long long). */
static uint64_t arg(va_list *ap, int len, int is_signed, int *neg)
{
	int64_t s;

	if (!is_signed)
		return len == 0 ? va_arg(*ap, unsigned) :
		       len == 1 ? va_arg(*ap, unsigned long) :
				  va_arg(*ap, unsigned long long);
	s = len == 0 ? va_arg(*ap, int) :
	    len == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
	*neg = s < 0;
	return *neg ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
}

static const char *conv(struct out *o, const char *f, va_list *ap)
{
	char pad = ' ';
	int width = 0, len = 0, neg = 0;

	if (*f == '0')
		pad = '0', f++;
	while (*f >= '0' && *f <= '9')
		width = width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z') /* z: size_t, a long here */
		len++, f++;
	switch (*f) {
	case 'd': case 'i': {
		uint64_t v = arg(ap, len > 2 ? 2 : len, 1, &neg);

		number(o, v, 10, neg, width, pad, 0);
		break;
	}
	case 'u': number(o, arg(ap, len > 2 ? 2 : len, 0, &neg), 10, 0, width, pad, 0); break;
	case 'x': number(o, arg(ap, len > 2 ? 2 : len, 0, &neg), 16, 0, width, pad, 0); break;
	case 'X': number(o, arg(ap, len > 2 ? 2 : len, 0, &neg), 16, 0, width, pad, 1); break;
	case 'p':
		put(o, '0'), put(o, 'x');
		number(o, (uintptr_t)va_arg(*ap, void *), 16, 0, width, pad, 0);
		break;
	case 'c': put(o, (char)va_arg(*ap, int)); break;
	case 's': {
		const char *s = va_arg(*ap, const char *);

		for (s = s ? s : "(null)"; *s; s++)
			put(o, *s);
		break;
	}
	case '%': put(o, '%'); break;
	default: put(o, '%'); put(o, *f); break;
	}
	return *f ? f + 1 : f;
}

int guest_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct out o = {buf, n, 0};
	va_list cp;

	va_copy(cp, ap);
	while (*fmt) {
		if (*fmt != '%')
			put(&o, *fmt++);
		else
			fmt = conv(&o, fmt + 1, &cp);
	}
	va_end(cp);
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	return (int)o.len;
}
