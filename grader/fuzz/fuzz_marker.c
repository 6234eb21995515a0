/*
 * fuzz_marker: a reference source file into grade_marker_strip (grader).
 *
 * `make handout` runs over every file of the tree; a malformed region must
 * be refused with its line, never half-stripped. Checked: success gives a
 * text with no marker left in it; a refusal names a line inside the text
 * and a reason. No marker text
 * anywhere, the TODO lines included (findings 4 and 5 in SECURITY.md: a
 * hint holding marker text or a comment's end is refused; lines of any
 * length are read safely). A text that strips strips as well solved up to
 * a stage (fewer regions stubbed, no marker left either).
 */
#include <errno.h>

#include "fuzz_input.h"
#include "grade_marker.h"

/* No marker left, nor a hint that closes its comment. */
static int clean(const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char line[n + 1];

		memcpy(line, s, n);
		line[n] = '\0';
		if (strstr(line, ">>> SOLUTION") || strstr(line, "<<< SOLUTION"))
			return 0;
		s += n + (nl != NULL);
	}
	return 1;
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
	struct vmlab_err err;
	int regions = 0, line = 0;

	int rc;

	rc = grade_marker_strip(text, NULL, &out, &regions, &line, &err);

	if (rc == 0) {
		FUZZ_ASSERT(out && regions >= 0);
		FUZZ_ASSERT(clean(out));
		free(out);
		/* Solved up to a stage: as clean, never fewer stubs than none. */
		int some = 0;
		rc = grade_marker_strip(text, size ? "01.5" : "99.9", &out, &some,
					&line, &err);
		FUZZ_ASSERT(rc == 0 && out && some <= regions);
		FUZZ_ASSERT(clean(out));
		free(out);
	} else if (rc == -EINVAL) {
		FUZZ_ASSERT(err.code == -EINVAL && err.msg[0] && line >= 1 && (unsigned)line <= lines(text));
	}
	free(text);
	return 0;
}
