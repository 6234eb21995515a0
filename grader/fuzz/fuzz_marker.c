/*
 * fuzz_marker: a reference source file into grade_marker_strip (grader).
 *
 * `make handout` runs over every file of the tree; a malformed region must
 * be refused with its line, never half-stripped. Checked: success gives a
 * text with no marker left in it; a refusal names a line inside the text
 * and a reason. The TODO lines are not checked: their hint is copied as
 * the marker gave it, "*" "/" and marker text included (a finding, see
 * SECURITY.md and fuzz/crashes/hint-*). Inputs with a line of 512 bytes
 * or more are skipped: kind() overruns its 512-byte line buffer on them
 * (finding 5, fuzz/crashes/long-marker-line); drop the skip with the fix.
 */
#include <errno.h>

#include "fuzz_input.h"
#include "grade_marker.h"

/* No marker outside the TODO lines. */
static int clean(const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char line[n + 1];

		memcpy(line, s, n);
		line[n] = '\0';
		if (!strstr(line, "TODO(student):") &&
		    (strstr(line, ">>> SOLUTION") || strstr(line, "<<< SOLUTION")))
			return 0;
		s += n + (nl != NULL);
	}
	return 1;
}

/* Some line is 512 bytes or longer (finding 5). */
static int long_line(const char *s)
{
	for (size_t run = 0; *s; s++) {
		run = *s == '\n' ? 0 : run + 1;
		if (run >= 512)
			return 1;
	}
	return 0;
}

static unsigned lines(const char *s)
{
	unsigned n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *out = NULL;
	const char *why = NULL;
	int regions = 0, line = 0;

	int rc;

	if (long_line(text)) {
		free(text);
		return 0;
	}
	rc = grade_marker_strip(text, &out, &regions, &line, &why);

	if (rc == 0) {
		FUZZ_ASSERT(out && regions >= 0);
		FUZZ_ASSERT(clean(out));
		free(out);
	} else if (rc == -EINVAL) {
		FUZZ_ASSERT(why && line >= 1 && (unsigned)line <= lines(text));
	}
	free(text);
	return 0;
}
