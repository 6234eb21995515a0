/*
 * fuzz_meminfo: /proc/meminfo text into hi_mem_parse (lab 01).
 *
 * A fixture machine's /proc is a user's file: any bytes. The parser must
 * return 0 or -errno, never read past the text, and keep its promises:
 * used = total - available and swap_used = swap_total - swap_free, both
 * without wrapping below zero.
 */
#include "fuzz_input.h"
#include "hi_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct hi_mem m;
	unsigned line = 0;

	memset(&m, 0, sizeof(m));
	if (hi_mem_parse(text, &m, &line) == 0) {
		FUZZ_ASSERT(m.used <= m.total);
		FUZZ_ASSERT(m.swap_used <= m.swap_total);
	}
	free(text);
	return 0;
}
