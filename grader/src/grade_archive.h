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

#include "vmlab_err.h"

struct grade_archive_limits {
	unsigned long long max_bytes;   /* sum of the files' sizes */
	size_t max_entries;
};

/* Unpack file into dst (created, must not exist). 0; -EINVAL when file is
 * not an archive; -EPERM when an entry is unsafe; -EFBIG over a limit;
 * other -errno when writing fails. On error err (NULL: only the code) says
 * what, in words a student can act on (its msg is empty only when memory
 * ran out); dst may hold a part, the caller removes it. */
int grade_archive_unpack(const char *file, const char *dst,
			 const struct grade_archive_limits *lim,
			 struct vmlab_err *err);
/* grade --unpack ARCHIVE DIR: unpack with a submission's limits (256 MiB,
 * 20000 entries), symlinks left out; DIR must not exist, so nothing is
 * written through a link that stands in its place. 0 with *dropped the
 * links left out (" a b", malloc'd, or NULL when none); else the codes of
 * grade_archive_unpack, err always saying what. */
int grade_archive_cmd(const char *file, const char *dst, char **dropped,
		      struct vmlab_err *err);
/* Is the entry name (as stored) safe: relative, no "..", no empty path? */
int grade_archive_safe_path(const char *name);
/* Does a symlink at path name, pointing at target, stay inside the root? */
int grade_archive_safe_link(const char *name, const char *target);

#endif /* GRADER_GRADE_ARCHIVE_H */
