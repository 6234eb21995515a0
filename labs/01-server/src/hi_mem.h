/*
 * hi_mem: memory and swap, from /proc/meminfo.
 *
 *   hi_mem_parse(text, &mem, &line)     the parser (a student writes it)
 *   hi_mem_read(root, &mem, diags)      reads root/proc/meminfo
 *
 * All sizes are in bytes. "used" follows free(1): total minus available,
 * the memory that the running programs hold and the kernel cannot give back.
 */
#ifndef HI_MEM_H
#define HI_MEM_H

#include <stdint.h>

struct hi_diags;

struct hi_mem {
	uint64_t total;          /* MemTotal */
	uint64_t free;           /* MemFree: not used for anything at all */
	uint64_t available;      /* MemAvailable: free + reclaimable */
	uint64_t used;           /* total - available */
	uint64_t swap_total;     /* SwapTotal */
	uint64_t swap_free;      /* SwapFree */
	uint64_t swap_used;      /* swap_total - swap_free */
	uint64_t hugepage_size;  /* Hugepagesize, 0 when the kernel has none */
};

/*
 * Parses the text of /proc/meminfo: lines "Key:   value kB" (or "Key: value"
 * for counts). Returns 0; -EINVAL for a malformed line or a file that ends
 * mid-line (*line is set to its number); -ERANGE for a number that overflows
 * 64 bits once in bytes (*line set); -ENODATA if MemTotal, MemFree,
 * MemAvailable, SwapTotal or SwapFree is missing (*line = 0); -EDOM if the
 * values make no sense together (free above total, a total of zero).
 */
int hi_mem_parse(const char *text, struct hi_mem *out, unsigned *line);

/* Reads root/proc/meminfo. Returns 0 or -errno; records problems in ds. */
int hi_mem_read(const char *root, struct hi_mem *out, struct hi_diags *ds);

#endif /* HI_MEM_H */
