/*
 * lv_out.c: unpacking the /out archive into --out (see lv_out.h).
 */
#include "lv_out.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* mkdir -p */
static int make_dirs(const char *dir)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* libarchive's errno for a's last failure (-EIO if it has none), naming path. */
static int fail(struct archive *a, const char *path, struct vmlab_err *err)
{
	int e = archive_errno(a);

	return vmlab_fail(err, e > 0 ? -e : -EIO, "%s", path);
}

/* Copies one entry's data from the reader to the disk writer. */
static int copy_entry(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int rc;

	while ((rc = archive_read_data_block(in, &buf, &len, &off)) == ARCHIVE_OK)
		if (archive_write_data_block(out, buf, len, off) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
	return rc == ARCHIVE_EOF ? ARCHIVE_OK : rc;
}

static int unpack(struct archive *in, struct archive *out, const char *dir,
		  struct vmlab_err *err)
{
	struct archive_entry *e;
	char path[PATH_MAX];
	int n = 0, rc;

	while ((rc = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (name[0] == '/')
			return vmlab_fail(err, -EPERM, "%s", name);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
			return vmlab_fail(err, -ENAMETOOLONG, "%s", name);
		archive_entry_set_pathname(e, path);
		if (archive_write_header(out, e) != ARCHIVE_OK ||
		    copy_entry(in, out) != ARCHIVE_OK)
			return fail(out, path, err);
		n++;
	}
	return rc == ARCHIVE_EOF ? n : fail(in, dir, err);
}

int lv_out_extract(const char *archive, const char *dir, struct vmlab_err *err)
{
	struct archive *in, *out;
	char real[PATH_MAX];
	struct stat st;
	int rc;

	/* Resolved first, so that the symlink check below sees only the guest's links. */
	if ((rc = make_dirs(dir)) != 0 || !realpath(dir, real))
		return vmlab_fail(err, rc ? rc : -errno, "%s", dir);
	if (stat(archive, &st) != 0 || st.st_size == 0)
		return 0;
	in = archive_read_new();
	out = archive_write_disk_new();
	if (!in || !out) {
		archive_read_free(in);
		archive_write_free(out);
		return vmlab_fail(err, -ENOMEM, "%s", "");
	}
	archive_read_support_format_cpio(in);
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
				       ARCHIVE_EXTRACT_SECURE_NODOTDOT |
				       ARCHIVE_EXTRACT_SECURE_SYMLINKS);
	if (archive_read_open_filename(in, archive, 64 * 1024) != ARCHIVE_OK)
		rc = fail(in, archive, err);
	else
		rc = unpack(in, out, real, err);
	archive_read_free(in);
	archive_write_free(out);
	return rc;
}
