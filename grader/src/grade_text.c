/*
 * grade_text.c: sanitising and formatting helpers (grade_text.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade_text.h"

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0. Rejects
 * overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;
	if (s[0] < 0x80)
		return 1;
	else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp == 0xfffe || cp == 0xffff)   /* not allowed in XML */
		return 0;
	return len;
}

char *grade_text_clean(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(u + i, n - i);
		if (len == 1 && u[i] < 0x20 && u[i] != '\n' && u[i] != '\t')
			len = 0;
		if (len == 1 && u[i] == 0x7f)
			len = 0;
		if (len == 0) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return out;
}

char *grade_text_escape(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	char *out = malloc(4 * n + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(u + i, n - i);
		unsigned c = u[i];
		if (len == 2 && c == 0xc2 && u[i + 1] < 0xa0)   /* C1: U+0080-U+009F */
			c = u[i + 1];
		else if (len == 1 && (c >= 0x20 || c == '\n' || c == '\t') && c != 0x7f)
			c = 0;
		else if (len > 1)
			c = 0;
		if (len == 0) {
			out[o++] = '?';
			i++;
		} else if (c) {
			o += (size_t)sprintf(out + o, "\\x%02x", c);
			i += len;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	out[o] = '\0';
	return out;
}

char *grade_text_shquote(const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_./=,:+@%-";
	size_t n = strlen(s), o = 0;
	char *out = malloc(4 * n + 3);
	if (!out)
		return NULL;
	if (n && strspn(s, plain) == n) {
		memcpy(out, s, n + 1);
		return out;
	}
	out[o++] = '\'';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else {
			out[o++] = *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
		}
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}

char *grade_text_xml(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static char *vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

char *grade_text_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(fmt, ap);
	va_end(ap);
	return s;
}

int grade_text_cat(char **s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *add = vfmt(fmt, ap);
	va_end(ap);
	if (!add)
		return -ENOMEM;
	size_t a = *s ? strlen(*s) : 0, b = strlen(add);
	char *n = realloc(*s, a + b + 1);
	if (!n) {
		free(add);
		return -ENOMEM;
	}
	memcpy(n + a, add, b + 1);
	free(add);
	*s = n;
	return 0;
}

int grade_text_has_word(const char *list, const char *word, const char *seps)
{
	size_t n = strlen(word);
	for (const char *p = list; *p; p += strcspn(p, seps), p += *p != '\0') {
		if (!strncmp(p, word, n) && (p[n] == '\0' || strchr(seps, p[n])))
			return 1;
	}
	return 0;
}

char *grade_text_read(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *buf = malloc(max + 1);
	size_t n = buf ? fread(buf, 1, max, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}
