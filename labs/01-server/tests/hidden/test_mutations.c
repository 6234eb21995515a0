/*
 * Hidden robustness test: every parser meets thousands of damaged copies of
 * real files (bytes flipped, lines cut, digits repeated until they overflow)
 * and must answer 0 or -errno each time: no crash, no hang, no garbage.
 * Deterministic (a fixed seed), so a failure can be replayed.
 */
#include "hi_cpu.h"
#include "hi_file.h"
#include "hi_mem.h"
#include "hi_os.h"
#include "hi_storage.h"
#include "hi_util.h"

#include "graded.h"
#include "../fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long seed = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* One random damage to a copy of text: flip, cut, or repeat a digit. */
static char *mutate(const char *text, size_t len)
{
	char *s = malloc(len * 2 + 64);
	size_t at = len ? rnd((unsigned)len) : 0;
	static const char junk[] = "0123456789:- \n\t\\x.kB";

	memcpy(s, text, len + 1);
	switch (rnd(3)) {
	case 0:
		s[at] = junk[rnd(sizeof(junk) - 1)];
		break;
	case 1:
		s[at] = '\0';
		break;
	default: /* 30 nines: no 64-bit counter holds that */
		memmove(s + at + 30, s + at, len - at + 1);
		memset(s + at, '9', 30);
		break;
	}
	return s;
}

static int is_errno(int r)
{
	return r == 0 || (r < 0 && r > -4096);
}

static void run_parser(const char *machine, const char *rel, int which)
{
	static struct hi_stat st;
	struct hi_mount m[HI_MOUNT_MAX];
	struct hi_cpuinfo ci;
	struct hi_mem mem;
	char *text, *bad, buf[128];
	const char *root = fixture(machine);
	unsigned line, n;
	size_t len;
	double d;
	int r = 0;

	cr_assert_eq(hi_file_load(root, rel, &text, &len), 0, "%s/%s", root,
		     rel);
	for (int i = 0; i < 1500; i++) {
		bad = mutate(text, len);
		switch (which) {
		case 0:
			r = hi_cpuinfo_parse(bad, &ci, &line);
			break;
		case 1:
			r = hi_mem_parse(bad, &mem, &line);
			break;
		case 2:
			r = hi_mounts_parse(bad, NULL, m, HI_MOUNT_MAX, &n,
					    &line);
			break;
		case 3:
			r = hi_stat_parse(bad, &st, &line);
			break;
		case 4:
			r = hi_osrelease_parse(bad, buf, sizeof(buf), &line);
			break;
		case 5:
			r = hi_uptime_parse(bad, &d);
			break;
		}
		cr_assert(is_errno(r), "%s: returned %d", rel, r);
		free(bad);
	}
	free(text);
}

GRADED_HIDDEN(hidden, parsers_survive_damaged_files, 3, "01.8 command line", 30)
{
	run_parser("xeon-2s", "proc/cpuinfo", 0);
	run_parser("rpi4-arm64", "proc/cpuinfo", 0);
	run_parser("storage-server", "proc/meminfo", 1);
	run_parser("storage-server", "proc/mounts", 2);
	run_parser("xeon-2s", "proc/stat", 3);
	run_parser("xeon-2s", "etc/os-release", 4);
	run_parser("xeon-2s", "proc/uptime", 5);
}
