/*
 * hostinfo: what is this server? CPU, memory, storage, network, OS, whether
 * it is itself a virtual machine, and (--sample) how much of it sits idle.
 *
 * main parses the arguments, runs the library (libhostinfo.a), prints the
 * report and the warnings, and picks the exit code; see usage() for both.
 */
#include "hi_diag.h"
#include "hi_host.h"
#include "hi_json.h"
#include "hi_report.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	EXIT_PARTIAL = 1,  /* report printed; some input missing or malformed */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_NOROOT = 3,   /* --root is not a readable directory */
	EXIT_INTERNAL = 4, /* out of memory, or writing the report failed */
};

static const char usage_text[] =
	"Usage: hostinfo [--json] [--section LIST] [--sample SECONDS]\n"
	"                [--root DIR]\n"
	"What is this server? CPU, memory, storage, network, OS and\n"
	"virtualization, read from /proc, /sys, /etc and system calls.\n"
	"\n"
	"  --json            the same facts as JSON\n"
	"  --section LIST    only these sections, comma-separated:\n"
	"                    os,cpu,mem,storage,net,virt,util\n"
	"  --sample SECONDS  measure CPU and memory use over SECONDS\n"
	"                    (0.01-3600): how much of the server sits idle\n"
	"  --root DIR        read DIR/proc, DIR/sys and DIR/etc (a tree\n"
	"                    captured with ./capture.sh) instead of this\n"
	"                    machine; CPUID, statvfs, getifaddrs and\n"
	"                    /dev/kvm are then skipped\n"
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 complete report; 1 report printed, but some input\n"
	"was missing or malformed (see the warnings); 2 usage error;\n"
	"3 --root is not a readable directory; 4 out of memory or output\n"
	"error.\n";

static void die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hostinfo: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (code == EXIT_USAGE)
		fprintf(stderr, "Try 'hostinfo --help'.\n");
	exit(code);
}

struct options {
	int json;
	unsigned sections;
	double sample;
	const char *root;
};

/* A plain decimal number of seconds, 0.01 to 3600. */
static double seconds_arg(const char *s)
{
	char *end = NULL;
	double v = -1;

	/* digits and dots only: strtod alone would take "1e3", "inf", "0x10" */
	if (s[0] >= '0' && s[0] <= '9' && s[strspn(s, "0123456789.")] == '\0')
		v = strtod(s, &end);
	if (v < 0.01 || v > 3600 || *end)
		die(EXIT_USAGE, "--sample: expected seconds from 0.01 to "
		    "3600, not '%s'", s);
	return v;
}

/* A comma-separated list of section names. */
static void sections_arg(const char *s, unsigned *mask)
{
	struct vmlab_err err;

	if (hi_sections_parse(s, mask, &err))
		die(EXIT_USAGE, "--section: %s", err.msg);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "section", required_argument, NULL, 's' },
		{ "sample", required_argument, NULL, 't' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct options){ .sections = HI_SEC_ALL & ~HI_SEC_UTIL,
			       .root = "/" };
	opterr = 0; /* our own messages, below */
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = 1;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 't':
			o->sample = seconds_arg(optarg);
			break;
		case 's':
			sections_arg(optarg, &o->sections);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			die(EXIT_USAGE, "%s needs a value", argv[optind - 1]);
		default:
			die(EXIT_USAGE, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		die(EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
}

static void check_args(struct options *o)
{
	struct stat st;

	if (o->sample > 0 && strcmp(o->root, "/") != 0)
		die(EXIT_USAGE, "--sample measures this machine over time; "
		    "it cannot read a captured tree (drop --root or --sample)");
	if ((o->sections & HI_SEC_UTIL) && o->sample == 0)
		die(EXIT_USAGE, "the util section needs --sample SECONDS");
	if (o->sample > 0)
		o->sections |= HI_SEC_UTIL;
	if (stat(o->root, &st) != 0)
		die(EXIT_NOROOT, "--root %s: %s (give a directory holding "
		    "proc/, sys/ and etc/, such as one made by ./capture.sh)",
		    o->root, strerror(errno));
	if (!S_ISDIR(st.st_mode) || access(o->root, R_OK | X_OK) != 0)
		die(EXIT_NOROOT, "--root %s: not a readable directory",
		    o->root);
}

/* Errors that come from the system rather than from a file's content. */
static int is_system_error(int err)
{
	return err != -EINVAL && err != -ERANGE && err != -ENODATA &&
	       err != -EDOM && err != -ENOSPC && err != -ENOSYS;
}

/*
 * Writes text to f with what a terminal would obey shown instead as \xHH:
 * control characters but newline and tab, DEL, and the C1 controls as
 * UTF-8 encodes them (U+0080..U+009F, such as the CSI U+009B). Captured
 * trees are anyone's files: their names and models reach a terminal only
 * this way.
 */
static void put_escaped(FILE *f, const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			fprintf(f, "\\xc2\\x%02x", p[++i]);
		} else if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f) {
			fprintf(f, "\\x%02x", p[i]);
		} else {
			fputc(p[i], f);
		}
	}
}

static const char *why(int err)
{
	if (err == -ESPIPE)
		return "not a regular file (a FIFO or a device?): hostinfo reads regular files only";
	if (err == -EFBIG)
		return "too large (hostinfo reads at most 8 MiB of a file)";
	return strerror(-err);
}

static void print_warnings(const struct hi_diags *ds)
{
	char line[1024];

	for (unsigned i = 0; i < ds->n; i++) {
		const struct hi_diag *d = &ds->d[i];
		int n = snprintf(line, sizeof(line), "hostinfo: warning: %s", d->file);

		if (d->line)
			n += snprintf(line + n, sizeof(line) - (size_t)n, ":%u", d->line);
		n += snprintf(line + n, sizeof(line) - (size_t)n, ": %s", d->err.msg);
		if (is_system_error(d->err.code))
			snprintf(line + n, sizeof(line) - (size_t)n, ": %s", why(d->err.code));
		put_escaped(stderr, line, strlen(line));
		fputc('\n', stderr);
	}
	if (ds->dropped)
		fprintf(stderr, "hostinfo: warning: %u more problems "
			"not shown\n", ds->dropped);
}

/* The exit status of a printed report, from the codes of its problems. */
static int exit_code(const struct hi_diags *ds)
{
	if (ds->nomem)
		return EXIT_INTERNAL; /* the report may lack what did not fit */
	return ds->n || ds->dropped ? EXIT_PARTIAL : 0;
}

static int print_json(const struct hi_host *h, const struct hi_diags *ds)
{
	struct json_object *o = hi_json_host(h, ds);
	const char *text;

	if (!o)
		return -ENOMEM;
	text = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text)
		puts(text);
	json_object_put(o);
	return text ? 0 : -ENOMEM;
}

/* The report, through put_escaped (JSON escapes on its own). */
static int print_text(const struct hi_host *h)
{
	char *text = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&text, &n);
	int err;

	if (!mem)
		return -ENOMEM;
	err = hi_report_text(mem, h);
	if (fclose(mem) != 0 && !err)
		err = -ENOMEM;
	if (!err && (!text || n == 0)) /* a memstream that could not grow */
		err = -ENOMEM;
	if (!err)
		put_escaped(stdout, text, n);
	free(text);
	return err;
}

int main(int argc, char **argv)
{
	struct hi_diags *ds;
	struct hi_host *h;
	struct options o;
	int err;

	parse_args(argc, argv, &o);
	check_args(&o);
	ds = calloc(1, sizeof(*ds));
	h = calloc(1, sizeof(*h));
	if (!ds || !h)
		die(EXIT_INTERNAL, "out of memory");
	if (o.sample > 0 && isatty(STDERR_FILENO))
		fprintf(stderr, "hostinfo: sampling for %.1f s...\n", o.sample);
	hi_host_read(o.root, o.sections, o.sample, h, ds);
	err = o.json ? print_json(h, ds) : print_text(h);
	if (!err && fflush(stdout) != 0)
		err = -errno;
	/* warnings after the report, so that they are not lost above it */
	print_warnings(ds);
	if (err)
		die(EXIT_INTERNAL, "writing the report: %s", strerror(-err));
	free(h);
	err = exit_code(ds);
	free(ds);
	return err;
}
