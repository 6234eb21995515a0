/*
 * hi_mem: memory and swap, from /proc/meminfo.
 *
 * /proc/meminfo is one "Key:   value kB" per line (Documentation/filesystems/
 * proc.rst); counts such as HugePages_Total carry no unit. Every line is
 * checked, even keys hostinfo does not use, so that a damaged file is caught
 * at the line where the damage is rather than half-believed.
 */
#include "hi_mem.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* >>> SOLUTION 01.2: parse one "Key: value [kB]" line into a key and bytes */
/* Parses the value part of one line: "1234 kB" (to bytes) or "1234". */
static int mem_value(const char *val, size_t vlen, uint64_t *bytes)
{
	const char *end;
	uint64_t v;
	int err = hi_parse_u64(val, &end, &v);

	if (err)
		return err;
	if ((size_t)(end - val) == vlen) {
		*bytes = v; /* a count, not a size */
		return 0;
	}
	if ((size_t)(end - val) + 3 == vlen && strncmp(end, " kB", 3) == 0)
		return hi_mul_u64(v, 1024, bytes); /* "kB" in meminfo is KiB */
	return -EINVAL;
}

/* Where each key the report needs goes; the bit marks the required ones. */
static uint64_t *mem_slot(struct hi_mem *m, const char *key, unsigned *bit)
{
	static const char *const keys[] = { "MemTotal", "MemFree",
		"MemAvailable", "SwapTotal", "SwapFree", "Hugepagesize" };
	uint64_t *slots[] = { &m->total, &m->free, &m->available,
		&m->swap_total, &m->swap_free, &m->hugepage_size };

	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i]) == 0) {
			*bit = 1u << i;
			return slots[i];
		}
	}
	return NULL;
}

#define MEM_REQUIRED 0x1fu /* the first five keys */
/* === STUB
*/
/* <<< SOLUTION */

int hi_mem_parse(const char *text, struct hi_mem *out, unsigned *line)
{
	/* >>> SOLUTION 01.2: for each line: split at ':', parse the value, store the keys you need; then check and derive used/swap_used */
	struct hi_lines it = { .next = text };
	unsigned seen = 0, bit;
	uint64_t *slot, bytes;
	const char *val;
	size_t vlen;
	char key[64];
	int err;

	memset(out, 0, sizeof(*out));
	*line = 0;
	while (hi_lines_next(&it)) {
		*line = it.num;
		if (!it.complete) /* /proc files always end with a newline */
			return -EINVAL;
		if (hi_kv(&it, key, sizeof(key), &val, &vlen))
			return -EINVAL;
		err = mem_value(val, vlen, &bytes);
		if (err)
			return err;
		slot = mem_slot(out, key, &bit);
		if (slot) {
			*slot = bytes;
			seen |= bit;
		}
	}
	*line = 0;
	if ((seen & MEM_REQUIRED) != MEM_REQUIRED)
		return -ENODATA;
	if (out->total == 0 || out->free > out->total ||
	    out->available > out->total || out->swap_free > out->swap_total)
		return -EDOM;
	out->used = out->total - out->available;
	out->swap_used = out->swap_total - out->swap_free;
	return 0;
	/* === STUB
	(void)text;
	memset(out, 0, sizeof(*out));
	*line = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int hi_mem_read(const char *root, struct hi_mem *out, struct hi_diags *ds)
{
	const char *rel = "proc/meminfo";
	unsigned line = 0;
	char *text;
	int err = hi_file_load(root, rel, &text, NULL);

	memset(out, 0, sizeof(*out));
	if (err) {
		hi_diag_add(ds, err, root, rel, 0, "cannot read memory sizes");
		return err;
	}
	err = hi_mem_parse(text, out, &line);
	free(text);
	if (err == -ENODATA)
		hi_diag_add(ds, err, root, rel, 0,
			    "MemTotal, MemFree, MemAvailable, SwapTotal or "
			    "SwapFree is missing (truncated file?)");
	else if (err == -EDOM)
		hi_diag_add(ds, err, root, rel, 0,
			    "sizes make no sense (free above total)");
	else if (err == -ENOSYS)
		hi_diag_add(ds, err, root, rel, 0, "parser not written yet");
	else if (err)
		hi_diag_add(ds, err, root, rel, line,
			    err == -ERANGE ? "number too large"
					    : "expected \"Key: number kB\" "
					      "(malformed or truncated line)");
	return err;
}
