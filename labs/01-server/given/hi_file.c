/*
 * hi_file: reading the small text files of /proc, /sys and /etc under a root.
 *
 * /proc files report a size of 0 and are generated as they are read, so
 * hi_file_load reads until end of file into a growing buffer instead of
 * trusting fstat; it reads regular files only (a FIFO or a device in a
 * captured tree is refused, never waited on). Numbers are parsed strictly: a value that does not fit in
 * 64 bits is refused with -ERANGE instead of wrapping.
 */
#include "hi_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hi_path(char *buf, size_t size, const char *root, const char *rel)
{
	size_t rl = strlen(root);
	int n;

	while (rl > 0 && root[rl - 1] == '/')
		rl--; /* "/" and "fixture/" both end up without the slash */
	while (*rel == '/')
		rel++;
	n = snprintf(buf, size, "%.*s/%s", (int)rl, root, rel);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int hi_root_is_live(const char *root)
{
	return root[strspn(root, "/")] == '\0' && root[0] == '/';
}

static int read_all(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *bigger;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	while ((r = read(fd, buf + n, cap - n - 1)) != 0) {
		if (r < 0) {
			int en = errno;
			if (en == EINTR)
				continue;
			free(buf);
			return -en;
		}
		n += (size_t)r;
		if (n + 1 < cap)
			continue;
		if (cap >= HI_FILE_MAX) {
			free(buf);
			return -EFBIG;
		}
		bigger = realloc(buf, cap *= 2);
		if (!bigger) {
			free(buf);
			return -ENOMEM;
		}
		buf = bigger;
	}
	while (n > 0 && buf[n - 1] == '\0')
		n--; /* device-tree strings end with a NUL */
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = n;
	return 0;
}

int hi_file_load(const char *root, const char *rel, char **out, size_t *len)
{
	char path[4096];
	struct stat st = {0};
	size_t dummy;
	int fd, err;

	err = hi_path(path, sizeof(path), root, rel);
	if (err)
		return err;
	/* O_NONBLOCK: a FIFO in a captured tree must not hang the open. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -ESPIPE;
		close(fd);
		return err;
	}
	err = read_all(fd, out, len ? len : &dummy);
	close(fd);
	return err;
}

int hi_file_line(const char *root, const char *rel, char *buf, size_t size)
{
	char *text;
	size_t len, n;
	int err = hi_file_load(root, rel, &text, &len);

	if (err)
		return err;
	n = strcspn(text, "\n");
	if (n == 0) {
		err = -ENODATA;
	} else if (n >= size) {
		err = -EFBIG;
	} else {
		memcpy(buf, text, n);
		buf[n] = 0;
	}
	free(text);
	return err;
}

int hi_file_u64(const char *root, const char *rel, uint64_t *out)
{
	char line[64];
	const char *end;
	int err = hi_file_line(root, rel, line, sizeof(line));

	if (err)
		return err;
	err = hi_parse_u64(line, &end, out);
	if (err)
		return err;
	end += strspn(end, " \t");
	return *end == '\0' ? 0 : -EINVAL;
}

int hi_parse_u64(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;

	s += strspn(s, " \t");
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	if (end)
		*end = s;
	return 0;
}

int hi_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return -ERANGE;
	*out = a * b;
	return 0;
}

int hi_lines_next(struct hi_lines *it)
{
	const char *nl;

	if (!it->next || *it->next == '\0')
		return 0;
	it->line = it->next;
	nl = strchr(it->line, '\n');
	it->complete = nl != NULL;
	it->len = nl ? (size_t)(nl - it->line) : strlen(it->line);
	it->next = nl ? nl + 1 : it->line + it->len;
	it->num++;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int hi_kv(const struct hi_lines *it, char *key, size_t ksize,
	  const char **val, size_t *vlen)
{
	const char *colon = memchr(it->line, ':', it->len);
	const char *end = it->line + it->len;
	size_t kl;

	if (!colon)
		return -EINVAL;
	kl = (size_t)(colon - it->line);
	while (kl > 0 && is_blank(it->line[kl - 1]))
		kl--;
	if (kl == 0 || kl >= ksize)
		return -EINVAL;
	memcpy(key, it->line, kl);
	key[kl] = '\0';
	for (colon++; colon < end && is_blank(*colon); colon++)
		;
	while (end > colon && is_blank(end[-1]))
		end--;
	*val = colon;
	*vlen = (size_t)(end - colon);
	return 0;
}
