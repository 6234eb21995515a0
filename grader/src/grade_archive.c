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

/* Why this entry may not be unpacked, or NULL when it may. */
static char *judge(struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);

	if (!grade_archive_safe_path(name))
		return grade_text_fmt("%s: an absolute path or a '..' in it: "
				      "archive the folder from inside it", name ? name : "(no name)");
	if (archive_entry_hardlink(e))
		return grade_text_fmt("%s: a hard link: archive plain files", name);
	if (type == AE_IFLNK &&
	    !grade_archive_safe_link(name, archive_entry_symlink(e)))
		return grade_text_fmt("%s: a symlink to %s, outside the submission",
				      name, archive_entry_symlink(e) ?
				      archive_entry_symlink(e) : "nothing");
	if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
		return grade_text_fmt("%s: a device, fifo or socket: archive "
				      "only files and folders", name);
	return NULL;
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

/* Read every header of in, writing each entry under dst. */
static int unpack(struct archive *in, struct archive *out, const char *dst,
		  const struct grade_archive_limits *lim, int drop, char **why)
{
	struct archive_entry *e;
	unsigned long long bytes = 0;
	size_t entries = 0;
	char *dropped = NULL;
	int r = ARCHIVE_EOF, rc = 0;

	while (!rc) {
		r = archive_read_next_header(in, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			break;
		if (++entries > lim->max_entries && lim->max_entries)
			rc = -EFBIG;
		else if (drop && archive_entry_filetype(e) == AE_IFLNK &&
			 grade_archive_safe_path(archive_entry_pathname(e)))
			grade_text_cat(&dropped, " %s", archive_entry_pathname(e));
		else if ((*why = judge(e)))
			rc = -EPERM;
		else
			rc = write_entry(in, out, e, dst, &bytes, lim->max_bytes);
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = -EINVAL;
	if (!rc && entries == 0) {
		*why = strdup("it holds no files");
		rc = -EINVAL;
	}
	if (rc && !*why)
		*why = rc == -EFBIG ?
		       grade_text_fmt("over %llu MiB or %zu files unpacked",
				      lim->max_bytes >> 20, lim->max_entries) :
		       grade_text_fmt("%s", archive_error_string(in) ?
				      archive_error_string(in) :
				      archive_error_string(out) ?
				      archive_error_string(out) : strerror(-rc));
	if (!rc && dropped)
		*why = grade_text_fmt("links not unpacked:%s", dropped);
	free(dropped);
	return rc;
}

/* grade_archive_unpack; with drop, symlinks are left out (not written,
 * not refused) and *why names them on success. */
static int unpack_file(const char *file, const char *dst,
		       const struct grade_archive_limits *lim, int drop, char **why)
{
	struct archive *in = archive_read_new(), *out = disk_writer();
	int rc = 0;
	*why = NULL;
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
		rc = -errno;
		*why = grade_text_fmt("mkdir %s: %s", dst, strerror(errno));
		goto out;
	}
	if (archive_read_open_filename(in, file, 65536) != ARCHIVE_OK) {
		rc = archive_errno(in) == ENOENT ? -ENOENT : -EINVAL;
		*why = grade_text_fmt("%s", archive_error_string(in));
		goto out;
	}
	rc = unpack(in, out, dst, lim, drop, why);
out:
	if (in)
		archive_read_free(in);
	if (out)
		archive_write_free(out);
	return rc;
}

int grade_archive_unpack(const char *file, const char *dst,
			 const struct grade_archive_limits *lim, char **why)
{
	return unpack_file(file, dst, lim, 0, why);
}

int grade_archive_cmd(const char *file, const char *dst, char **why)
{
	static const struct grade_archive_limits lim = {
		.max_bytes = 256ULL << 20, .max_entries = 20000,
	};
	int rc = unpack_file(file, dst, &lim, 1, why);
	if (rc && !*why)
		*why = strdup(strerror(-rc));
	return !rc ? 0 : rc == -EPERM || rc == -EINVAL || rc == -EFBIG ? 1 : 3;
}
