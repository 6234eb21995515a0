/*
 * grade_archive.h: unpack a submitted archive (.tar.gz, .zip, ...) safely.
 *
 * Every entry is checked before anything is written: an absolute path, a
 * ".." component, a symlink whose target leaves the folder, a hard link,
 * a device or a fifo refuses the whole archive (a submission is sources,
 * nothing else). Limits on the bytes and entries unpacked stop an archive
 * bomb. libarchive reads every format it knows (tar, zip, cpio, 7z...)
 * under every filter (gzip, xz, bzip2, zstd).
 */
#ifndef GRADER_GRADE_ARCHIVE_H
#define GRADER_GRADE_ARCHIVE_H

#include <stddef.h>

struct grade_archive_limits {
	unsigned long long max_bytes;   /* sum of the files' sizes */
	size_t max_entries;
};

/* Unpack file into dst (created, must not exist). 0; -EINVAL when file is
 * not an archive; -EPERM when an entry is unsafe; -EFBIG over a limit;
 * other -errno when writing fails. On error *why (malloc'd) says what, in
 * words a student can act on; dst may hold a part, the caller removes it. */
int grade_archive_unpack(const char *file, const char *dst,
			 const struct grade_archive_limits *lim, char **why);
/* Is the entry name (as stored) safe: relative, no "..", no empty path? */
int grade_archive_safe_path(const char *name);
/* Does a symlink at path name, pointing at target, stay inside the root? */
int grade_archive_safe_link(const char *name, const char *target);

#endif /* GRADER_GRADE_ARCHIVE_H */
