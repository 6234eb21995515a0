/*
 * lv_snap.c: the saved machine's file (see lv_snap.h).
 *
 * Readers only open and check a finished file; a new one is written under
 * another name and renamed into place, so a reader sees a whole snapshot or
 * none, and runs that restore at the same time share it read-only.
 */
#define _GNU_SOURCE
#include "lv_snap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "labvm-snapshot 1\n"

/* Four independent multiply-xor lanes over 8-byte words, then the tail. */
uint64_t lv_snap_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h[4] = { 1, 2, 3, 4 }, w, out = n;
	size_t i = 0;

	for (; i + 32 <= n; i += 32)
		for (int j = 0; j < 4; j++) {
			memcpy(&w, b + i + 8 * j, 8);
			h[j] = (h[j] ^ w) * k;
			h[j] ^= h[j] >> 29;
		}
	for (; i < n; i++)
		h[0] = (h[0] ^ b[i]) * k;
	for (int j = 0; j < 4; j++) {
		out = (out ^ h[j]) * k;
		out ^= out >> 31;
	}
	return out;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	return (h ^ lv_snap_hash(p, n)) * 0xff51afd7ed558ccdULL;
}

int lv_snap_key(char *const *argv, const char *const *files, size_t n, char key[17],
		struct vmlab_err *err)
{
	uint64_t h = mix(0, MAGIC, strlen(MAGIC));
	struct stat st;

	for (char *const *a = argv; *a; a++)
		h = mix(h, *a, strlen(*a) + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t id[5];
		if (stat(files[i], &st) != 0)
			return vmlab_fail_named(err, -errno, "stat", "%s", files[i]);
		id[0] = st.st_dev;
		id[1] = st.st_ino;
		id[2] = (uint64_t)st.st_size;
		id[3] = (uint64_t)st.st_mtim.tv_sec;
		id[4] = (uint64_t)st.st_mtim.tv_nsec;
		h = mix(h, files[i], strlen(files[i]) + 1);
		h = mix(h, id, sizeof(id));
	}
	snprintf(key, 17, "%016llx", (unsigned long long)h);
	return 0;
}

/* The hash of fd's bytes after the header (size of them). */
static int hash_stream(int fd, off_t size, uint64_t *sum)
{
	void *m;

	if (size <= 0)
		return -EBADMSG;
	m = mmap(NULL, (size_t)size + LV_SNAP_HEADER, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	*sum = lv_snap_hash((char *)m + LV_SNAP_HEADER, (size_t)size);
	munmap(m, (size_t)size + LV_SNAP_HEADER);
	return 0;
}

static int check(int fd, const char *key)
{
	char head[256] = "", want_key[17] = "";
	unsigned long long size = 0, sum = 0;
	uint64_t got;
	struct stat st;
	int rc;

	if (pread(fd, head, sizeof(head) - 1, 0) < (ssize_t)strlen(MAGIC) ||
	    strncmp(head, MAGIC, strlen(MAGIC)) != 0 ||
	    sscanf(head + strlen(MAGIC), "key %16s\nsize %llu\nsum %llx", want_key, &size,
		   &sum) != 3 ||
	    strcmp(want_key, key) != 0 || fstat(fd, &st) != 0 ||
	    (unsigned long long)st.st_size != size + LV_SNAP_HEADER)
		return -EBADMSG;
	if ((rc = hash_stream(fd, (off_t)size, &got)) != 0)
		return rc;
	return got == sum ? 0 : -EBADMSG;
}

int lv_snap_open(const char *path, const char *key)
{
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return -errno;
	rc = check(fd, key);
	if (rc == 0 && lseek(fd, LV_SNAP_HEADER, SEEK_SET) != LV_SNAP_HEADER)
		rc = -errno;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int lv_snap_begin(const char *path)
{
	static const char blank[LV_SNAP_HEADER];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, blank, sizeof(blank)) != (ssize_t)sizeof(blank))
		rc = errno ? -errno : -ENOSPC;
	if (close(fd) != 0 && !rc)
		rc = -errno;
	return rc;
}

int lv_snap_seal(const char *tmp, const char *path, const char *key)
{
	char head[256];
	struct stat st;
	uint64_t sum;
	int fd = open(tmp, O_RDWR | O_CLOEXEC), rc, len;

	if (fd < 0)
		return -errno;
	rc = fstat(fd, &st) != 0 ? -errno : 0;
	rc = rc ? rc : hash_stream(fd, st.st_size - LV_SNAP_HEADER, &sum);
	len = snprintf(head, sizeof(head), MAGIC "key %s\nsize %lld\nsum %016llx\n", key,
		       (long long)(st.st_size - LV_SNAP_HEADER), (unsigned long long)sum);
	if (!rc && pwrite(fd, head, (size_t)len, 0) != len)
		rc = -errno;
	if (close(fd) != 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) != 0)
		rc = -errno;
	return rc;
}
