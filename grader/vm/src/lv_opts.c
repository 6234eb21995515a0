/*
 * lv_opts.c: parsing labvm's command line (see lv_opts.h).
 *
 * The subcommand comes first; options follow; "--" (or the first word that is
 * not an option) starts COMMAND, whose own options are never read as labvm's.
 */
#include "lv_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MIB 64UL
#define MAX_MIB (64UL * 1024)
#define MAX_CPUS 16UL
#define MAX_TIMEOUT (24UL * 3600)

/* A decimal number in [lo, hi] with nothing after it. */
static int parse_ulong(const char *s, unsigned long lo, unsigned long hi,
		       unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < lo || *v > hi)
		return -EINVAL;
	return 0;
}

int lv_parse_size(const char *s, unsigned long *mib)
{
	static const struct { const char *suffix; double per_mib; } units[] = {
		{ "", 1 }, { "M", 1 }, { "MiB", 1 }, { "G", 1024 }, { "GiB", 1024 },
		{ "K", 1.0 / 1024 }, { "KiB", 1.0 / 1024 },
	};
	char *end;
	double v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtod(s, &end);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		v *= units[i].per_mib;
		if (v < MIN_MIB || v > MAX_MIB)
			return -EINVAL;
		*mib = (unsigned long)v;
		return 0;
	}
	return -EINVAL;
}

static void defaults(struct lv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cpus = 2;
	o->mem_mib = 1024;
	o->timeout_s = 600;
}

/* One option with its value at argv[*i + 1]; advances *i past the value. */
static int parse_option(char **argv, int argc, int *i, struct lv_opts *o,
			struct vmlab_err *err)
{
	const char *name = argv[*i], *val;
	unsigned long v;

	if (*i + 1 >= argc)
		return vmlab_fail(err, -EINVAL, "%s: missing value", name);
	val = argv[++*i];
	if (strcmp(name, "--cpus") == 0) {
		if (parse_ulong(val, 1, MAX_CPUS, &v))
			return vmlab_fail(err, -EINVAL, "--cpus: expected 1..16, got '%s'", val);
		o->cpus = (unsigned)v;
	} else if (strcmp(name, "--mem") == 0) {
		if (lv_parse_size(val, &o->mem_mib))
			return vmlab_fail(err, -EINVAL,
					  "--mem: expected a size from 64M to 64G (e.g. 512M, 2G), got '%s'",
					  val);
	} else if (strcmp(name, "--timeout") == 0) {
		if (parse_ulong(val, 0, MAX_TIMEOUT, &v))
			return vmlab_fail(err, -EINVAL,
					  "--timeout: expected seconds (0 = none, at most 86400), got '%s'",
					  val);
		o->timeout_s = (unsigned)v;
	} else if (strcmp(name, "--in") == 0) {
		if (o->n_in == LV_MAX_IN)
			return vmlab_fail(err, -EINVAL, "--in: more than 256 paths (pass a folder)");
		o->in[o->n_in++] = val;
	} else if (strcmp(name, "--out") == 0) {
		o->out = val;
	} else {
		return vmlab_fail(err, -EINVAL, "unknown option '%s'", name);
	}
	return 0;
}

static int parse_mode(const char *word, struct lv_opts *o, struct vmlab_err *err)
{
	if (strcmp(word, "run") == 0)
		o->mode = LV_RUN;
	else if (strcmp(word, "shell") == 0)
		o->mode = LV_SHELL;
	else if (strcmp(word, "check") == 0)
		o->mode = LV_CHECK;
	else if (strcmp(word, "help") == 0 || strcmp(word, "--help") == 0 ||
		 strcmp(word, "-h") == 0)
		o->mode = LV_HELP;
	else
		return vmlab_fail(err, -EINVAL,
				  "unknown command '%s' (run, shell, check or help)", word);
	return 0;
}

int lv_opts_parse(int argc, char **argv, struct lv_opts *o, struct vmlab_err *err)
{
	int i, rc;

	defaults(o);
	if (argc < 2)
		return vmlab_fail(err, -EINVAL, "missing command (run, shell, check or help)");
	if ((rc = parse_mode(argv[1], o, err)) != 0)
		return rc;
	for (i = 2; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (argv[i][2] == '\0') {
			i++;
			break;
		}
		if ((rc = parse_option(argv, argc, &i, o, err)) != 0)
			return rc;
	}
	if (i < argc && argv[i][0] == '-' && o->mode != LV_RUN)
		return vmlab_fail(err, -EINVAL, "unknown option '%s'", argv[i]);
	o->cmd = argv + i;
	if (o->mode == LV_RUN && i >= argc)
		return vmlab_fail(err, -EINVAL, "run: missing COMMAND (labvm run [OPTIONS] -- COMMAND [ARG ...])");
	if (o->mode != LV_RUN && i < argc)
		return vmlab_fail(err, -EINVAL, "%s takes no COMMAND (got '%s')", argv[1], argv[i]);
	if (o->mode == LV_CHECK && o->n_in)
		return vmlab_fail(err, -EINVAL, "check: --in belongs to run and shell");
	if (o->mode != LV_RUN && o->out)
		return vmlab_fail(err, -EINVAL, "%s: --out belongs to run", argv[1]);
	return 0;
}
