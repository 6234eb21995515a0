/*
 * cli: vmm's command line.
 *
 * Options are parsed by hand, one `if` per option, so that each error can
 * say exactly which word was wrong.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every refusal of the command line is -EINVAL. */
#define bad(err, ...) vmlab_fail(err, -EINVAL, __VA_ARGS__)

int cli_number(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return (errno || *end) ? -EINVAL : 0;
}

int cli_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned shift = 0;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || *out > (UINT64_MAX >> shift))
		return -EINVAL;
	*out <<= shift;
	return 0;
}

/* FILE@ADDR */
static int parse_flat(const char *arg, struct cli *c, struct vmlab_err *err)
{
	const char *at = strrchr(arg, '@');

	if (!at || at == arg || cli_number(at + 1, &c->flat_addr) ||
	    (size_t)(at - arg) >= sizeof(c->flat_path))
		return bad(err, "--flat wants FILE@ADDR (e.g."
			   " guest.bin@0x7c00), not '%s'", arg);
	memcpy(c->flat_path, arg, (size_t)(at - arg));
	c->flat_path[at - arg] = '\0';
	c->flat = c->flat_path;
	return 0;
}

/* Option arg of argv[*i]: the next word. */
static const char *value(int argc, char **argv, int *i)
{
	return *i + 1 < argc ? argv[++*i] : NULL;
}

/* --stats, --json, --trace[=N], --mem, --mode: 1 when a is not one. */
static int machine_option(int argc, char **argv, int *i, struct cli *c,
			  struct vmlab_err *err)
{
	const char *a = argv[*i], *v;
	uint64_t t;

	if (!strcmp(a, "--stats"))
		c->stats = 1;
	else if (!strcmp(a, "--json"))
		c->json = 1;
	else if (!strcmp(a, "--trace"))
		c->trace = CLI_DEFAULT_TRACE;
	else if (!strncmp(a, "--trace=", 8)) {
		if (cli_number(a + 8, &t) || t == 0 || t > 100000)
			return bad(err, "--trace=N wants 1 to 100000, not '%s'", a + 8);
		c->trace = (unsigned)t;
	} else if (!strcmp(a, "--mem")) {
		if (cli_size(v = value(argc, argv, i), &c->mem))
			return bad(err, "--mem wants a size such as 64M, not '%s'", v ? v : "");
	} else if (!strcmp(a, "--mode")) {
		v = value(argc, argv, i);
		if (v && !strcmp(v, "long"))
			c->mode = VM_MODE_LONG;
		else if (v && !strcmp(v, "real"))
			c->mode = VM_MODE_REAL;
		else
			return bad(err, "--mode wants long or real, not '%s'", v ? v : "");
	} else
		return 1;
	return 0;
}

/* --timeout, --entry, --cpus, --disk: 1 when a is not one. */
static int run_limits(int argc, char **argv, int *i, struct cli *c,
		      int *has_entry, struct vmlab_err *err)
{
	const char *a = argv[*i], *v;
	struct vmlab_err e;
	uint64_t k;
	char *end;

	if (!strcmp(a, "--timeout")) {
		v = value(argc, argv, i);
		c->timeout = v ? strtod(v, &end) : 0;
		if (!v || *end || !(c->timeout > 0 && c->timeout < 1e6))
			return bad(err, "--timeout wants seconds > 0, not '%s'", v ? v : "");
	} else if (!strcmp(a, "--entry")) {
		if (cli_number(v = value(argc, argv, i), &c->entry))
			return bad(err, "--entry wants an address such as 0x7c00, not '%s'", v ? v : "");
		*has_entry = 1;
	} else if (!strcmp(a, "--cpus")) {
		if (cli_number(v = value(argc, argv, i), &k) || k < 1 || k > VM_MAX_VCPUS)
			return bad(err, "--cpus wants 1 to %d, not '%s'", VM_MAX_VCPUS, v ? v : "");
		c->cpus = (unsigned)k;
	} else if (!strcmp(a, "--disk")) {
		if (!(v = value(argc, argv, i)))
			return bad(err, "--disk wants FILE[:OFFSET:SIZE][,ro]");
		c->has_disk = 1;
		if (blk_parse(v, &c->disk, &e)) /* the flag: named here */
			return bad(err, "--disk%s %s", e.name &&
				   !strcmp(e.name, BLK_ERR_SYNTAX) ? "" : ":",
				   e.msg);
	} else
		return 1;
	return 0;
}

/* The guest: --kernel, --initrd, --cmdline, --flat, or the image's path. */
static int guest_option(int argc, char **argv, int *i, struct cli *c,
			struct vmlab_err *err)
{
	const char *a = argv[*i], *v = NULL;
	int text = !strcmp(a, "--kernel") || !strcmp(a, "--initrd") ||
		   !strcmp(a, "--cmdline") || !strcmp(a, "--flat");

	if (text && !(v = value(argc, argv, i)))
		return bad(err, "%s wants %s", a,
			   strcmp(a, "--flat") ? "a value" : "FILE@ADDR");
	if (!strcmp(a, "--kernel"))
		c->kernel = v;
	else if (!strcmp(a, "--initrd"))
		c->initrd = v;
	else if (!strcmp(a, "--cmdline"))
		c->cmdline = v;
	else if (!strcmp(a, "--flat"))
		return parse_flat(v, c, err);
	else if (a[0] == '-' && a[1])
		return bad(err, "unknown option '%s'", a);
	else if (c->image)
		return bad(err, "one guest image only ('%s' and '%s')", c->image, a);
	else
		c->image = a;
	return 0;
}

static int run_option(int argc, char **argv, int *i, struct cli *c,
		      int *has_entry, struct vmlab_err *err)
{
	int r = machine_option(argc, argv, i, c, err);

	if (r == 1)
		r = run_limits(argc, argv, i, c, has_entry, err);
	return r == 1 ? guest_option(argc, argv, i, c, err) : r;
}

static int parse_run(int argc, char **argv, struct cli *c, struct vmlab_err *err)
{
	int has_entry = 0;

	for (int i = 2; i < argc; i++) {
		int r = run_option(argc, argv, &i, c, &has_entry, err);

		if (r)
			return r;
	}
	if (!c->image + !c->flat + !c->kernel != 2)
		return bad(err, "run wants one guest: GUEST.elf, --flat FILE@ADDR"
			   " or --kernel bzImage");
	if ((c->initrd || c->cmdline) && !c->kernel)
		return bad(err, "--initrd and --cmdline go with --kernel");
	if (c->kernel && (c->mode != VM_MODE_LONG || has_entry ||
			  c->stats || c->trace))
		return bad(err, "--kernel takes --mem, --cpus, --timeout,"
			   " --initrd, --cmdline and --disk only");
	if (c->kernel)
		c->mode = VM_MODE_LINUX;
	if (c->mode == VM_MODE_REAL && !c->flat)
		return bad(err, "--mode real runs flat binaries only (--flat FILE@ADDR)");
	if (has_entry && !c->flat)
		return bad(err, "--entry goes with --flat (an ELF names its own entry)");
	if (c->cpus > 1 && c->mode == VM_MODE_REAL)
		return bad(err, "--cpus > 1 needs long mode (vmm starts every vCPU at the entry point)");
	if (c->json && !c->stats)
		return bad(err, "--json goes with --stats");
	if (!has_entry)
		c->entry = c->flat_addr;
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *c, struct vmlab_err *err)
{
	memset(c, 0, sizeof(*c));
	c->mem = CLI_DEFAULT_MEM;
	c->cpus = 1;
	c->mode = VM_MODE_LONG;
	if (argc < 2)
		return bad(err, "no command (probe, run or help)");
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		c->cmd = CLI_HELP;
		return 0;
	}
	if (!strcmp(argv[1], "probe")) {
		c->cmd = CLI_PROBE;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--json"))
				return bad(err, "probe takes only --json, not '%s'", argv[i]);
			c->json = 1;
		}
		return 0;
	}
	if (!strcmp(argv[1], "run-many")) {
		int has_entry = 0;

		c->cmd = CLI_RUN_MANY;
		for (int i = 2; i < argc; i++)
			if (run_option(argc, argv, &i, c, &has_entry, err))
				return -EINVAL;
		if (!c->image)
			return bad(err, "run-many wants a CONFIG file");
		if (c->flat || c->kernel || c->initrd || c->cmdline ||
		    c->has_disk || c->cpus != 1 || c->stats ||
		    c->trace || c->mode != VM_MODE_LONG || has_entry ||
		    c->mem != CLI_DEFAULT_MEM)
			return bad(err, "run-many takes only --timeout; the"
				   " rest goes in the config, per VM");
		return 0;
	}
	if (!strcmp(argv[1], "run")) {
		c->cmd = CLI_RUN;
		return parse_run(argc, argv, c, err);
	}
	return bad(err, "unknown command '%s' (probe, run, run-many or help)",
		   argv[1]);
}
