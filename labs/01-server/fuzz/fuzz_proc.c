/*
 * fuzz_proc: the one-file parsers of lab 01 (os-release, /proc/uptime,
 * /proc/loadavg, /proc/stat), each given the same bytes.
 *
 * Checked: the distribution name stays NUL-terminated inside its buffer
 * and the per-CPU count of /proc/stat never exceeds the array it fills.
 */
#include "fuzz_input.h"
#include "hi_os.h"
#include "hi_util.h"

static struct hi_stat st;   /* 40 KiB: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char name[64];
	struct hi_os os;
	double up;
	unsigned line = 0;

	memset(name, 'x', sizeof(name));
	if (hi_osrelease_parse(text, name, sizeof(name), &line) == 0)
		FUZZ_ASSERT(memchr(name, '\0', sizeof(name)));
	hi_uptime_parse(text, &up);
	memset(&os, 0, sizeof(os));
	hi_loadavg_parse(text, &os);
	memset(&st, 0, sizeof(st));
	if (hi_stat_parse(text, &st, &line) == 0)
		FUZZ_ASSERT(st.ncpu <= HI_SAMPLE_CPUS);
	free(text);
	return 0;
}
