/*
 * grade_subs.c: the submissions in a batch's folder (grade_subs.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grade_subs.h"
#include "grade_text.h"
#include "grade_tree.h"

void grade_subs_id(const char *name, char *id, size_t size)
{
	static const char *const sfx[] = { ".tar.gz", ".tgz", ".tar.xz", ".txz",
		".tar.bz2", ".tar.zst", ".tar", ".zip", NULL };
	size_t n = strlen(name);
	for (int i = 0; sfx[i]; i++) {
		size_t k = strlen(sfx[i]);
		if (n > k && !strcasecmp(name + n - k, sfx[i])) {
			n -= k;
			break;
		}
	}
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || strchr("._+@-", c);
		id[i] = ok && !(i == 0 && strchr(".+@-", c)) ? c : '_';
	}
	id[n] = '\0';
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct grade_sub *)a)->id,
		      ((const struct grade_sub *)b)->id);
}

int grade_subs_list(const char *dir, const char *out, struct grade_sub **subs,
		    size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	*subs = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = grade_text_fmt("%s/%s", dir, e->d_name);
		struct grade_sub *grown = p ? realloc(*subs, (*n + 1) * sizeof(*grown)) : NULL;
		if (!grown) {
			free(p);
			closedir(d);
			return -ENOMEM;
		}
		*subs = grown;
		if (grade_tree_same(p, out)) {
			free(p);
			continue;
		}
		struct grade_sub *s = &(*subs)[(*n)++];
		memset(s, 0, sizeof(*s));
		s->path = p;
		s->is_dir = grade_tree_isdir(p);
		grade_subs_id(e->d_name, s->id, sizeof(s->id));
	}
	closedir(d);
	if (*n)
		qsort(*subs, *n, sizeof(**subs), by_id);
	for (size_t i = 1; i < *n; i++)
		(*subs)[i].dup = !strcmp((*subs)[i].id, (*subs)[i - 1].id);
	return *n ? 0 : -ENOENT;
}

void grade_subs_free(struct grade_sub *subs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(subs[i].path);
	free(subs);
}
