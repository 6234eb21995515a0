/*
 * live.h: run a shell command and read the number it prints, for the tests
 * that cross-check hostinfo against the standard tools on this machine.
 */
#ifndef TESTS_LIVE_H
#define TESTS_LIVE_H

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The output of cmd (first line, newline removed) in buf; fails the test
 * if the command cannot run or prints nothing. */
static inline void live_line(const char *cmd, char *buf, size_t size)
{
	FILE *p = popen(cmd, "r");

	cr_assert(p, "popen %s", cmd);
	if (!fgets(buf, (int)size, p))
		buf[0] = '\0';
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	cr_assert(buf[0], "%s printed nothing", cmd);
}

static inline uint64_t live_u64(const char *cmd)
{
	char buf[128], *end;
	uint64_t v;

	live_line(cmd, buf, sizeof(buf));
	v = strtoull(buf, &end, 10);
	cr_assert(end != buf && (*end == '\0' || *end == ' '),
		  "%s printed \"%s\", not a number", cmd, buf);
	return v;
}

/*
 * Logical CPUs online, as nproc counts them. nproc counts the CPUs this
 * process may run on: in a container held to a cpuset that is fewer than
 * are online, and then getconf _NPROCESSORS_ONLN is the figure to compare.
 */
static inline uint64_t live_cpus_online(void)
{
	uint64_t np = live_u64("nproc");
	uint64_t online = live_u64("getconf _NPROCESSORS_ONLN");

	return np < online ? online : np;
}

#endif /* TESTS_LIVE_H */
