/*
 * fuzz_cpuinfo: /proc/cpuinfo and the sysfs CPU lists (lab 01).
 *
 * The input is a cpuinfo text, optionally followed by "\n--\n" and a CPU
 * list ("0-3,8-11") as in /sys/devices/system/cpu/online. Checked: strings
 * stay NUL-terminated inside their arrays, a CPU list never sets a bit at or
 * past nbits and counts exactly the bits it set ("1,1" once counted CPU 1
 * twice: finding 2 in SECURITY.md, fixed; its input is in fuzz/crashes/).
 */
#include "fuzz_input.h"
#include "hi_cpu.h"

#define NBITS 256

static void cpulist(const char *s)
{
	uint8_t set[NBITS / 8];
	unsigned count = 0, bits = 0;

	memset(set, 0, sizeof(set));
	if (hi_cpulist_parse(s, set, NBITS, &count) != 0)
		return;
	for (unsigned i = 0; i < NBITS; i++)
		bits += (set[i / 8] >> (i % 8)) & 1;
	FUZZ_ASSERT(bits == count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *list = fuzz_split(text);
	struct hi_cpuinfo ci;
	uint64_t bytes;
	unsigned line = 0;

	memset(&ci, 0, sizeof(ci));
	hi_cpuinfo_parse(text, &ci, &line);
	FUZZ_ASSERT(memchr(ci.model, '\0', sizeof(ci.model)));
	FUZZ_ASSERT(memchr(ci.vendor, '\0', sizeof(ci.vendor)));
	if (list) {
		cpulist(list);
		hi_cache_size_parse(list, &bytes);
	}
	free(text);
	return 0;
}
