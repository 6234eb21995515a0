/*
 * lv_opts.h: labvm's command line, parsed into a struct.
 *
 *   labvm run [--cpus N] [--mem SIZE] [--timeout S] [--in PATH ...] [--out DIR]
 *             -- COMMAND [ARG ...]
 *   labvm shell [--cpus N] [--mem SIZE]
 *   labvm check
 * The parser only reads: argv strings are borrowed, never copied or freed.
 */
#ifndef LV_OPTS_H
#define LV_OPTS_H

#include <stddef.h>

#include "vmlab_err.h"

enum lv_mode { LV_RUN, LV_SHELL, LV_CHECK, LV_HELP };

#define LV_MAX_IN 256

struct lv_opts {
	enum lv_mode mode;
	unsigned cpus;           /* vCPUs, default 2 */
	unsigned long mem_mib;   /* guest RAM in MiB, default 1024 */
	unsigned timeout_s;      /* 0: none; default 600 */
	const char *in[LV_MAX_IN];
	size_t n_in;
	const char *out;         /* --out DIR or NULL */
	char **cmd;              /* COMMAND [ARG ...], NULL-terminated */
};

/*
 * Parses argv (argv[0] is the program) into o. Returns 0, or -EINVAL with,
 * in err (NULL: only the code), a one-line reason without the program name,
 * e.g. "--cpus: expected 1..16, got '0'". The command line is this parser's
 * subject, so its reasons name the flag at fault.
 */
int lv_opts_parse(int argc, char **argv, struct lv_opts *o, struct vmlab_err *err);

/*
 * Parses a memory size: a number of MiB, or a number with the suffix
 * K, M, G (powers of 1024; also KiB/MiB/GiB). Returns 0 and *mib, or -EINVAL
 * for anything else, zero, or a size under 64 MiB or over 64 GiB.
 */
int lv_parse_size(const char *s, unsigned long *mib);

#endif
