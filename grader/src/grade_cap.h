/*
 * grade_cap.h: capped capture of a stream a student's program writes.
 *
 * Keeps the first `head` bytes and the last `tail` bytes and counts what it
 * drops, so a test that prints a gigabyte costs the grader a few KiB and the
 * student still sees how the output began and how it ended.
 */
#ifndef GRADER_GRADE_CAP_H
#define GRADER_GRADE_CAP_H

#include <stddef.h>

struct grade_cap {
	char *head, *tail;          /* tail is a ring of tmax bytes */
	size_t hlen, hmax, tmax, tpos, tlen;
	unsigned long long total;   /* bytes offered, kept or not */
};

/* 0, or -ENOMEM. */
int grade_cap_init(struct grade_cap *c, size_t head, size_t tail);
void grade_cap_add(struct grade_cap *c, const char *buf, size_t n);
/* Bytes offered but not kept. */
unsigned long long grade_cap_dropped(const struct grade_cap *c);
/* The kept text, with a line naming the bytes left out between head and
 * tail; malloc'd and NUL-terminated, NULL on allocation failure. */
char *grade_cap_text(const struct grade_cap *c);
void grade_cap_free(struct grade_cap *c);

#endif /* GRADER_GRADE_CAP_H */
