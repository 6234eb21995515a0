/*
 * grade_subs.c: the submissions in a batch's folder (grade_subs.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

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
		struct stat st;
		s->is_link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
		s->is_dir = !s->is_link && grade_tree_isdir(p);
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

/* Under dir, a fresh tmpfs that shows only keep (one of dir's entries). */
static int hide_but(const char *dir, const char *keep)
{
	int fd = keep ? open(keep, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1, rc = 0;
	char from[64], *to = NULL;
	if (keep && fd < 0)
		return -errno;
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") != 0)
		rc = -errno;
	if (!rc && fd >= 0) {
		to = grade_text_fmt("%s/%s", dir, strrchr(keep, '/') + 1);
		snprintf(from, sizeof(from), "/proc/self/fd/%d", fd);
		rc = !to ? -ENOMEM : mkdir(to, 0700) ? -errno
		     : mount(from, to, NULL, MS_BIND | MS_REC, NULL) ? -errno : 0;
	}
	if (fd >= 0)
		close(fd);
	free(to);
	return rc;
}

/* Is a beneath b (or b itself)? */
static int beneath(const char *a, const char *b)
{
	char *x = realpath(a, NULL), *y = realpath(b, NULL);
	size_t n = y ? strlen(y) : 0;
	int in = x && y && !strncmp(x, y, n) && (x[n] == '/' || !x[n]);
	free(x);
	free(y);
	return in;
}

int grade_subs_seal(const char *const *dirs, const char *const *keep, size_t n)
{
	int rc = 0;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -errno;
	for (size_t i = 0; !rc && i < n; i++) {
		int nested = 0;
		for (size_t k = 0; k < n; k++)
			nested |= k != i && beneath(dirs[k], dirs[i]);
		if (!nested && dirs[i])      /* hiding it would hide another */
			rc = hide_but(dirs[i], keep[i]);
	}
	return rc;
}
