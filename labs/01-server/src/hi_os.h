/*
 * hi_os: the operating system: kernel, distribution, hostname, uptime, load.
 *
 *   hi_osrelease_parse(text, buf, size, &line)   /etc/os-release's name
 *   hi_uptime_parse(text, &seconds)              /proc/uptime
 *   hi_loadavg_parse(text, &os)                  /proc/loadavg
 *   hi_os_read(root, &os, ds)                    all of it (uname(2) when live)
 */
#ifndef HI_OS_H
#define HI_OS_H

#include <stddef.h>

struct hi_diags;

struct hi_os {
	char kernel[192];        /* "Linux 6.1.0-13-amd64" */
	char release[96];        /* "6.1.0-13-amd64" (uname -r) */
	char machine[72];        /* "x86_64" (live only; "" otherwise) */
	char distro[128];        /* PRETTY_NAME of os-release */
	char hostname[128];
	double uptime;           /* seconds since boot, < 0 unknown */
	double load[3];          /* runnable tasks over 1, 5, 15 minutes */
	unsigned running;        /* scheduling entities runnable now */
	unsigned tasks;          /* ... and in total */
	int have_load;
};

/*
 * Finds the distribution's name in os-release(5) text: PRETTY_NAME, or else
 * NAME and VERSION joined by a space; values may be quoted ('..' or "..")
 * with backslash escapes. Returns 0; -EINVAL for a line that is neither a
 * comment, blank, nor KEY=VALUE, or for an unterminated quote (*line set);
 * -ENODATA when no name is there.
 */
int hi_osrelease_parse(const char *text, char *buf, size_t size,
		       unsigned *line);

/* "350735.47 1388418.32\n": seconds up. Returns 0, or -EINVAL. */
int hi_uptime_parse(const char *text, double *seconds);

/*
 * "0.06 0.04 0.02 1/92 7851\n": three load averages, runnable/total tasks,
 * last pid. Fills load, running, tasks. Returns 0, or -EINVAL.
 */
int hi_loadavg_parse(const char *text, struct hi_os *out);

/* Reads everything above. Returns 0 or -errno; problems recorded in ds. */
int hi_os_read(const char *root, struct hi_os *out, struct hi_diags *ds);

#endif /* HI_OS_H */
