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

/*
 * Parses the value part of one meminfo line (vlen bytes, not
 * NUL-terminated): "1234 kB" is a size, in bytes (meminfo's kB are KiB:
 * times 1024), and "1234" alone is a count, kept as it is. Returns 0 with
 * *bytes set; hi_parse_u64's errors; -EINVAL for anything after the
 * number but exactly " kB"; -ERANGE when the bytes overflow 64 bits
 * (hi_mul_u64). Stage 01.2, README "Steps" 2.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int mem_value(const char *val, size_t vlen, uint64_t *bytes)
{
	/* >>> SOLUTION 01.2: hi_parse_u64, then where the number ended decides: the end of the value, or " kB" and the end */
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
	/* === STUB
	(void)val;
	(void)vlen;
	(void)bytes;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* The five keys hi_mem_parse requires, as mem_slot's bits. */
#define MEM_REQUIRED 0x1fu

/*
 * Where a meminfo key goes in m, or NULL for a key the report does not
 * need. The keys, in this order, with *bit = 1 << their index:
 * "MemTotal" total, "MemFree" free, "MemAvailable" available,
 * "SwapTotal" swap_total, "SwapFree" swap_free, "Hugepagesize"
 * hugepage_size. The first five are required: MEM_REQUIRED has their
 * bits. Stage 01.2, README "Steps" 2.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static uint64_t *mem_slot(struct hi_mem *m, const char *key, unsigned *bit)
{
	/* >>> SOLUTION 01.2: a table of the six keys and a parallel table of pointers into m */
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
	/* === STUB
	(void)m;
	(void)key;
	(void)bit;
	return NULL;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_mem.h. Clears *out and *line. Every line must be
 * complete (a file that ends mid-line is -EINVAL) and split by hi_kv
 * (hi_file.h); its value goes through mem_value, whose error stops the
 * parse with *line on that line; mem_slot says where to store it and which
 * bit to remember. After the last line (*line back to 0): a required key
 * missing is -ENODATA; total 0, or free, available above total, or
 * swap_free above swap_total, is -EDOM. Then used = total - available and
 * swap_used = swap_total - swap_free. Stage 01.2, README "Steps" 2.
 */
int hi_mem_parse(const char *text, struct hi_mem *out, unsigned *line)
{
	/* >>> SOLUTION 01.2: the loop over the lines, then the checks and the two derived fields, as above */
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
