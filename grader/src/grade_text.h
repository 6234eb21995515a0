/*
 * grade_text.h: make untrusted bytes safe for reports.
 *
 * Student programs print anything: invalid UTF-8, NUL bytes, terminal escape
 * sequences. JSON (Gradescope) needs valid UTF-8 and XML 1.0 (JUnit) forbids
 * most control characters even escaped. Every string from a test passes
 * through grade_text_clean before it reaches a report.
 */
#ifndef GRADER_GRADE_TEXT_H
#define GRADER_GRADE_TEXT_H

#include <stddef.h>

/* A malloc'd copy of n bytes: valid UTF-8, each invalid byte and each control
 * character other than \n and \t replaced by '?'. NULL when out of memory. */
char *grade_text_clean(const char *s, size_t n);
/* A malloc'd copy of s safe on a terminal: each control character other
 * than \n and \t (ESC, CR, BS, DEL, the C1 range) as \xNN, each byte of
 * invalid UTF-8 as '?'. NULL when out of memory. */
char *grade_text_escape(const char *s);
/* A malloc'd word for sh: s as it is when it holds only characters sh
 * leaves alone, else in single quotes (each ' as '\''); control characters
 * become '?' (a glob in a Criterion filter; the line stays printable).
 * NULL when out of memory. */
char *grade_text_shquote(const char *s);
/* A malloc'd copy with & < > " ' as XML entities (input already clean). */
char *grade_text_xml(const char *s);
/* printf into a malloc'd string; NULL when out of memory. */
char *grade_text_fmt(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* Append printf output to *s (which may be NULL); 0 or -ENOMEM. */
int grade_text_cat(char **s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether list, words separated by any of seps, has word itself. */
int grade_text_has_word(const char *list, const char *word, const char *seps);
/* The first max bytes of the file at path, NUL-terminated, malloc'd; NULL
 * when it cannot be opened (or no memory). */
char *grade_text_read(const char *path, size_t max);

#endif /* GRADER_GRADE_TEXT_H */
