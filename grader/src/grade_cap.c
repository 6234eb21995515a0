/*
 * grade_cap.c: head + tail capture (grade_cap.h).
 *
 * The head fills first; after that every byte goes through the tail ring,
 * which overwrites its oldest byte. Nothing is reallocated after init.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade_cap.h"

int grade_cap_init(struct grade_cap *c, size_t head, size_t tail)
{
	memset(c, 0, sizeof(*c));
	c->head = malloc(head + 1);
	c->tail = malloc(tail + 1);
	if (!c->head || !c->tail) {
		grade_cap_free(c);
		return -ENOMEM;
	}
	c->hmax = head;
	c->tmax = tail;
	return 0;
}

void grade_cap_add(struct grade_cap *c, const char *buf, size_t n)
{
	c->total += n;
	size_t h = c->hmax - c->hlen < n ? c->hmax - c->hlen : n;
	memcpy(c->head + c->hlen, buf, h);
	c->hlen += h;
	buf += h;
	n -= h;
	if (c->tmax == 0)
		return;
	if (n > c->tmax) {          /* only the last tmax bytes can survive */
		buf += n - c->tmax;
		n = c->tmax;
	}
	for (size_t i = 0; i < n; i++) {
		c->tail[c->tpos] = buf[i];
		c->tpos = (c->tpos + 1) % c->tmax;
	}
	c->tlen = c->tlen + n > c->tmax ? c->tmax : c->tlen + n;
}

unsigned long long grade_cap_dropped(const struct grade_cap *c)
{
	return c->total - c->hlen - c->tlen;
}

char *grade_cap_text(const struct grade_cap *c)
{
	char note[96] = "";
	unsigned long long drop = grade_cap_dropped(c);
	if (drop)
		snprintf(note, sizeof(note),
			 "\n[... %llu bytes of output left out ...]\n", drop);
	char *s = malloc(c->hlen + strlen(note) + c->tlen + 1);
	if (!s)
		return NULL;
	memcpy(s, c->head, c->hlen);
	size_t n = c->hlen;
	memcpy(s + n, note, strlen(note));
	n += strlen(note);
	size_t start = (c->tpos + c->tmax - c->tlen) % (c->tmax ? c->tmax : 1);
	for (size_t i = 0; i < c->tlen; i++)
		s[n++] = c->tail[(start + i) % c->tmax];
	s[n] = '\0';
	return s;
}

void grade_cap_free(struct grade_cap *c)
{
	free(c->head);
	free(c->tail);
	c->head = c->tail = NULL;
}
