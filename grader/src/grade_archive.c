/*
 * grade_archive.c: unpacking a submission safely (grade_archive.h).
 *
 * One pass: each header is judged before its entry is written, and the
 * bytes written are counted as they come (a zip's declared sizes may lie).
 * libarchive's own ARCHIVE_EXTRACT_SECURE_* flags stay on underneath as a
 * second line: they refuse to write through a symlink or above dst (dst
 * itself is absolute, so not SECURE_NOABSOLUTEPATHS; judge() checks that).
 * Formats: tar (and its variants), zip, 7z, cpio; not libarchive's "all",
 * whose mtree reader takes any text file for a damaged archive.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grade_archive.h"
#include "grade_text.h"

int grade_archive_safe_path(const char *name)
{
	if (!name || !*name || name[0] == '/')
		return 0;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		p += *p == '/';
	}
	return 1;
}

/* Walk the components of s from depth d: ".." climbs, "." stays. -1 when
 * the walk ever leaves the root. */
static int walk(const char *s, size_t len, int d)
{
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(s + i, "/");
		if (n > len - i)
			n = len - i;
		if (n == 2 && s[i] == '.' && s[i + 1] == '.')
			d--;
		else if (n && !(n == 1 && s[i] == '.'))
			d++;
		if (d < 0)
			return -1;
		i += n + 1;
	}
	return d;
}

int grade_archive_safe_link(const char *name, const char *target)
{
	if (!grade_archive_safe_path(name) || !target || !*target ||
	    target[0] == '/')
		return 0;
	const char *slash = strrchr(name, '/');
	int d = walk(name, slash ? (size_t)(slash - name) : 0, 0);
	return d >= 0 && walk(target, strlen(target), d) >= 0;
}

/* 0 when this entry may be unpacked; else -EPERM, err saying why. */
static int judge(struct archive_entry *e, struct vmlab_err *err)
{
	const char *name = archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);

	if (!grade_archive_safe_path(name))
		return vmlab_fail(err, -EPERM, "%s: an absolute path or a '..' in it: "
				  "archive the folder from inside it", name ? name : "(no name)");
	if (archive_entry_hardlink(e))
		return vmlab_fail(err, -EPERM, "%s: a hard link: archive plain files", name);
	if (type == AE_IFLNK &&
	    !grade_archive_safe_link(name, archive_entry_symlink(e)))
		return vmlab_fail(err, -EPERM, "%s: a symlink to %s, outside the submission",
				  name, archive_entry_symlink(e) ?
				  archive_entry_symlink(e) : "nothing");
	if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
		return vmlab_fail(err, -EPERM, "%s: a device, fifo or socket: archive "
				  "only files and folders", name);
	return 0;
}

/* Copy one entry's data, counting bytes against the limit. */
static int copy_data(struct archive *in, struct archive *out,
		     unsigned long long *bytes, unsigned long long max)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;
	while ((r = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK) {
		*bytes += size;
		if (max && *bytes > max)
			return -EFBIG;
		if (archive_write_data_block(out, buf, size, off) != ARCHIVE_OK)
			return -EIO;
	}
	return r == ARCHIVE_EOF ? 0 : -EINVAL;
}

static int write_entry(struct archive *in, struct archive *out,
		       struct archive_entry *e, const char *dst,
		       unsigned long long *bytes, unsigned long long max)
{
	char *path = grade_text_fmt("%s/%s", dst, archive_entry_pathname(e));
	if (!path)
		return -ENOMEM;
	archive_entry_set_pathname(e, path);
	free(path);
	if (archive_write_header(out, e) != ARCHIVE_OK)
		return -EIO;
	int rc = archive_entry_size(e) > 0 ? copy_data(in, out, bytes, max) : 0;
	if (!rc && archive_write_finish_entry(out) != ARCHIVE_OK)
		rc = -EIO;
	return rc;
}

static struct archive *disk_writer(void)
{
	struct archive *out = archive_write_disk_new();
	if (out)
		archive_write_disk_set_options(out,
			ARCHIVE_EXTRACT_SECURE_NODOTDOT |
			ARCHIVE_EXTRACT_SECURE_SYMLINKS);
	return out;
}

/* Read every header of in, writing each entry under dst; with drop,
 * *dropped collects the links left out. -EPERM comes from judge() alone,
 * which has said why; every other failure is said here. */
static int unpack(struct archive *in, struct archive *out, const char *dst,
		  const struct grade_archive_limits *lim, int drop,
		  char **dropped, struct vmlab_err *err)
{
	struct archive_entry *e;
	unsigned long long bytes = 0;
	size_t entries = 0;
	int r = ARCHIVE_EOF, rc = 0;

	while (!rc) {
		r = archive_read_next_header(in, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			break;
		if (++entries > lim->max_entries && lim->max_entries)
			rc = -EFBIG;
		else if (drop && archive_entry_filetype(e) == AE_IFLNK &&
			 grade_archive_safe_path(archive_entry_pathname(e)))
			grade_text_cat(dropped, " %s", archive_entry_pathname(e));
		else if ((rc = judge(e, err)) == 0)
			rc = write_entry(in, out, e, dst, &bytes, lim->max_bytes);
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = -EINVAL;
	if (!rc && entries == 0)
		return vmlab_fail(err, -EINVAL, "it holds no files");
	if (rc == -EFBIG)
		return vmlab_fail(err, rc, "over %llu MiB or %zu files unpacked",
				  lim->max_bytes >> 20, lim->max_entries);
	if (rc && rc != -EPERM)
		return vmlab_fail(err, rc, "%s", archive_error_string(in) ?
				  archive_error_string(in) :
				  archive_error_string(out) ?
				  archive_error_string(out) : strerror(-rc));
	return rc;
}

/* grade_archive_unpack; with drop, symlinks are left out (not written,
 * not refused) and *dropped names them. */
static int unpack_file(const char *file, const char *dst,
		       const struct grade_archive_limits *lim, int drop,
		       char **dropped, struct vmlab_err *err)
{
	struct archive *in = archive_read_new(), *out = disk_writer();
	int rc = 0;
	vmlab_err_clear(err);
	if (!in || !out) {
		rc = -ENOMEM;
		goto out;
	}
	archive_read_support_filter_all(in);
	archive_read_support_format_tar(in);
	archive_read_support_format_gnutar(in);
	archive_read_support_format_zip(in);
	archive_read_support_format_7zip(in);
	archive_read_support_format_cpio(in);
	if (mkdir(dst, 0755) != 0) {
		int en = errno;
		rc = vmlab_fail(err, -en, "mkdir %s: %s", dst, strerror(en));
		goto out;
	}
	if (archive_read_open_filename(in, file, 65536) != ARCHIVE_OK) {
		rc = vmlab_fail(err, archive_errno(in) == ENOENT ? -ENOENT : -EINVAL,
				"%s", archive_error_string(in));
		goto out;
	}
	rc = unpack(in, out, dst, lim, drop, dropped, err);
out:
	if (in)
		archive_read_free(in);
	if (out)
		archive_write_free(out);
	return rc;
}

int grade_archive_unpack(const char *file, const char *dst,
			 const struct grade_archive_limits *lim,
			 struct vmlab_err *err)
{
	char *dropped = NULL;   /* stays NULL: without drop, nothing is left out */
	return unpack_file(file, dst, lim, 0, &dropped, err);
}

int grade_archive_cmd(const char *file, const char *dst, char **dropped,
		      struct vmlab_err *err)
{
	static const struct grade_archive_limits lim = {
		.max_bytes = 256ULL << 20, .max_entries = 20000,
	};
	*dropped = NULL;
	int rc = unpack_file(file, dst, &lim, 1, dropped, err);
	if (rc) {
		free(*dropped);
		*dropped = NULL;
	}
	if (rc && err && !err->msg[0])
		vmlab_fail(err, rc, "%s", strerror(-rc));
	return rc;
}
