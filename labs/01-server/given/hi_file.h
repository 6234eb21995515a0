/*
 * hi_file: reading the small text files of /proc, /sys and /etc under a root.
 *
 * Every hostinfo reader takes a root: "/" for this machine, or a directory
 * holding a captured tree (proc/, sys/, etc/), so that the same code reads a
 * fixture machine in the tests. Paths passed here are relative ("proc/stat").
 *
 * All functions return 0 (or a length) on success and -errno on failure.
 */
#ifndef HI_FILE_H
#define HI_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Largest file hostinfo reads whole (a 1024-CPU /proc/cpuinfo is ~2 MiB). */
#define HI_FILE_MAX (8u << 20)

/* Joins root and rel into buf. Returns 0, or -ENAMETOOLONG. */
int hi_path(char *buf, size_t size, const char *root, const char *rel);

/* Non-zero when root names this machine ("/", "//", ...). */
int hi_root_is_live(const char *root);

/*
 * Reads the whole file into a malloc'd, NUL-terminated buffer (*out, length
 * in *len). Returns 0, -errno from open/read, -EISDIR for a directory,
 * -ESPIPE for anything else that is not a regular file (a FIFO, a device:
 * never waited on), -EFBIG past HI_FILE_MAX, or -EINVAL if the file holds a
 * NUL byte before its end (it is not text; trailing NULs, as device-tree
 * strings have, are dropped).
 */
int hi_file_load(const char *root, const char *rel, char **out, size_t *len);

/*
 * Reads the first line of a small file into buf (newline removed).
 * Returns 0, -errno, -ENODATA for an empty file, -EFBIG if it does not fit.
 */
int hi_file_line(const char *root, const char *rel, char *buf, size_t size);

/* A file holding one decimal number (most of sysfs). Returns 0 or -errno. */
int hi_file_u64(const char *root, const char *rel, uint64_t *out);

/*
 * Parses a decimal number at s (leading blanks skipped) and sets *end past
 * it. Returns 0, -EINVAL if no digit is there, -ERANGE if it overflows.
 */
int hi_parse_u64(const char *s, const char **end, uint64_t *out);

/*
 * Walks text line by line:
 *   struct hi_lines it = { .next = text };
 *   while (hi_lines_next(&it)) ... it.line, it.len (no newline), it.num ...
 * it.complete is 0 for a last line that has no newline: a truncated file.
 */
struct hi_lines {
	const char *next;   /* where the next line starts */
	const char *line;   /* the current line, not NUL-terminated */
	size_t len;
	unsigned num;       /* 1-based */
	int complete;       /* ended with a newline */
};
int hi_lines_next(struct hi_lines *it);

/*
 * Splits a "key : value" line at its first colon, trimming blanks around
 * both. key is copied (NUL-terminated); *val and *vlen point into the line.
 * Returns 0, or -EINVAL when there is no colon or the key does not fit.
 */
int hi_kv(const struct hi_lines *it, char *key, size_t ksize,
	  const char **val, size_t *vlen);

/* *out = a * b, or -ERANGE if that overflows 64 bits. */
int hi_mul_u64(uint64_t a, uint64_t b, uint64_t *out);

#endif /* HI_FILE_H */
