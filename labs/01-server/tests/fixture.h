/*
 * fixture.h: where the fixture machines are (tests/fixtures/NAME: a
 * machine's /proc and /sys, as files), found when a test runs: the lab's
 * folder is the first one up from the test binary (build/tests/test_x,
 * or build/tests/hidden/test_x) that has tests/fixtures. No path is
 * compiled in, so a test still finds them after the lab's folder moves,
 * and a copy of the lab compiles to the same objects (a compiler cache
 * then has them: grader/README.md, "Checking the stages").
 */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The fixtures' folder: LAB/tests/fixtures. Fails the test when no folder
 * above the test binary has one. */
static inline const char *fixtures_dir(void)
{
	static char dir[PATH_MAX + 32];
	char exe[PATH_MAX], try[PATH_MAX + 32];
	struct stat st;
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	cr_assert(n > 0, "readlink /proc/self/exe: the test cannot find its lab's folder");
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(exe, '/');    /* exe: its parent folder */
		if (!slash || slash == exe)
			break;
		*slash = '\0';
		snprintf(try, sizeof(try), "%s/tests/fixtures", exe);
		if (stat(try, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(dir, sizeof(dir), "%s", try);
			return dir;
		}
	}
	cr_assert_fail("no tests/fixtures above this test binary: run it from "
		       "the lab's build/tests/ (make tests builds it there)");
	return NULL;
}

/* The fixture machine NAME (its root), in one of 4 static buffers. */
static inline const char *fixture(const char *name)
{
	static char buf[4][PATH_MAX + 64];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", fixtures_dir(), name);
	return buf[i];
}

#endif
