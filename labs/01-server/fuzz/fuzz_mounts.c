/*
 * fuzz_mounts: /proc/mounts, optionally followed by "\n--\n" and
 * /proc/filesystems, into hi_mounts_parse (lab 01).
 *
 * Checked: never more than max mounts, each one's strings NUL-terminated
 * inside their arrays (octal escapes decoded in place must not run over).
 */
#include <errno.h>

#include "fuzz_input.h"
#include "hi_storage.h"

#define MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *fs = fuzz_split(text);
	struct hi_mount m[MAX];
	unsigned n = 0, line = 0;
	int rc;

	memset(m, 0, sizeof(m));
	rc = hi_mounts_parse(text, fs, m, MAX, &n, &line);
	if (rc == 0 || rc == -ENOSPC) {
		FUZZ_ASSERT(n <= MAX);
		for (unsigned i = 0; i < n; i++)
			FUZZ_ASSERT(memchr(m[i].dir, '\0', sizeof(m[i].dir)));
	}
	free(text);
	return 0;
}
