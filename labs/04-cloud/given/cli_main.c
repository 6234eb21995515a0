/*
 * cli_main: the program `cloud` behind main() (main.c).
 *
 *   cloud [--db PATH] [--fleet FILE] [--json] COMMAND [ARGS]
 *
 * cli_main() reads the command line, opens the database, dispatches to one
 * function per command (cli_cmds.c) and reports errors; the exit code says
 * what went wrong (see usage_text). Every early end goes through
 * cli_exit(), which a harness can catch instead of exiting (cli_caught():
 * the argument fuzzer, fuzz/fuzz_args.c, runs many commands in one process).
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"


static const char usage_text[] =
	"usage: cloud [--db PATH] [--fleet FILE] [--json] COMMAND [ARGS]\n"
	"\n"
	"The user's view:\n"
	"  regions [--from PLACE]      regions, by round trip from a city, region or LAT,LON\n"
	"  cities                      the places --from and --near know\n"
	"  types [--region R]          instance types and their prices\n"
	"  run --type T (--region R | --az AZ | --near PLACE)\n"
	"      [--count N | --min-count A --max-count B] [--client-token TOKEN]\n"
	"      [--policy spread|pack] [--explain] [--boot]\n"
	"                              --boot: each one a real KVM guest (lab 03's vmm)\n"
	"  describe [ID...]            instances: state and zone (never the host)\n"
	"  stop ID... | start ID... | terminate ID...   (a booted VM is ended)\n"
	"  console ID                  a booted instance's console\n"
	"  bill                        charges so far, per instance\n"
	"The provider's view:\n"
	"  hosts [--region R]          hosts, their allocation and instances\n"
	"  bill --provider             revenue, cost and utilization per host\n"
	"  map [--dot]                 regions, zones, hosts, instances for Graphviz\n"
	"  check                       verify the database's invariants\n"
	"  fail-host H | fail-az AZ    a host or zone fails: its instances move or are impaired\n"
	"  recover-host H | recover-az AZ   back in service\n"
	"  simulate --hosts N --requests M [--policy P] [--seed S] [--scan]\n"
	"                              placement at scale, in memory (no database)\n"
	"The clock (billing and state changes follow it):\n"
	"  clock [set TIME | advance DURATION | wall]   TIME: 2026-01-01T00:00:00Z or\n"
	"                              seconds; DURATION: 90, 90s, 15m, 2h, 1d\n"
	"\n"
	"--db defaults to $CLOUD_DB, else ~/.local/state/vmlab/cloud.db. --fleet FILE\n"
	"(JSON, see fleets/) only when the database is created.\n"
	"Exit codes: 0 ok, 1 I/O, 2 usage, 3 InsufficientInstanceCapacity,\n"
	"4 IdempotentParameterMismatch, 5 not found, 6 IncorrectInstanceState,\n"
	"7 database unusable, 8 invalid fleet, 9 invariants broken.\n";

/* Where cli_exit() goes when a harness catches it; the code it carries. */
static jmp_buf *catcher;
static int caught_code;
/* The database the command has open, closed on a caught exit. */
static struct cloud_db *open_now;

void cli_exit(int code)
{
	if (catcher) {
		caught_code = code;
		longjmp(*catcher, 1);
	}
	exit(code);
}

static void vsay(const char *fmt, va_list ap)
{
	fputs("cloud: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	cli_exit(code);
}

int cli_fail_msg(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return code;
}


enum { O_DB = 256, O_FLEET, O_JSON, O_DOT, O_TOKEN, O_MIN, O_MAX, O_PROVIDER,
       O_HOSTS, O_REQUESTS, O_SEED, O_SCAN, O_BOOT };

static const struct option longopts[] = {
	{"db", required_argument, NULL, O_DB},
	{"fleet", required_argument, NULL, O_FLEET},
	{"json", no_argument, NULL, O_JSON},
	{"dot", no_argument, NULL, O_DOT},
	{"type", required_argument, NULL, 't'},
	{"region", required_argument, NULL, 'r'},
	{"near", required_argument, NULL, 'n'},
	{"az", required_argument, NULL, 'z'},
	{"count", required_argument, NULL, 'c'},
	{"min-count", required_argument, NULL, O_MIN},
	{"max-count", required_argument, NULL, O_MAX},
	{"client-token", required_argument, NULL, O_TOKEN},
	{"policy", required_argument, NULL, 'p'},
	{"explain", no_argument, NULL, 'x'},
	{"from", required_argument, NULL, 'f'},
	{"provider", no_argument, NULL, O_PROVIDER},
	{"hosts", required_argument, NULL, O_HOSTS},
	{"requests", required_argument, NULL, O_REQUESTS},
	{"seed", required_argument, NULL, O_SEED},
	{"scan", no_argument, NULL, O_SCAN},
	{"boot", no_argument, NULL, O_BOOT},
	{"help", no_argument, NULL, 'h'},
	{0},
};

static long count_arg(const char *name, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 1000)
		cli_die(EXIT_USAGE, "%s: '%s' is not a count from 1 to 1000", name, s);
	return v;
}

static long big_arg(const char *name, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 100000000)
		cli_die(EXIT_USAGE, "%s: '%s' is not a number from 1 to 100000000", name, s);
	return v;
}

/* The command-specific options, one letter each: a bit in opts.given. */
static const char opt_letters[] = "trnzcmMkpxfPHRSCB";
static const char *const opt_names[] = {
	"--type", "--region", "--near", "--az", "--count", "--min-count", "--max-count",
	"--client-token", "--policy", "--explain", "--from", "--provider", "--hosts",
	"--requests", "--seed", "--scan", "--boot",
};

static unsigned opt_bit(int c)
{
	const char *p = strchr(opt_letters, c);

	return p && c ? 1u << (p - opt_letters) : 0;
}

/* Records option c (command-specific ones also in o->given). */
static void set_opt(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case O_DB: o->db = arg; return;
	case O_FLEET: o->fleet = arg; return;
	case O_JSON: o->json = 1; return;
	case O_DOT: o->dot = 1; return;
	case 't': o->type = arg; break;
	case 'r': o->region = arg; break;
	case 'n': o->near = arg; break;
	case 'z': o->az = arg; break;
	case 'c': o->count = count_arg("--count", arg); break;
	case O_MIN: o->min = count_arg("--min-count", arg); c = 'm'; break;
	case O_MAX: o->max = count_arg("--max-count", arg); c = 'M'; break;
	case O_TOKEN: o->token = arg; c = 'k'; break;
	case 'p': o->policy = arg; break;
	case 'x': o->explain = 1; break;
	case 'f': o->from = arg; break;
	case O_PROVIDER: o->provider = 1; c = 'P'; break;
	case O_HOSTS: o->hosts = big_arg("--hosts", arg); c = 'H'; break;
	case O_REQUESTS: o->requests = big_arg("--requests", arg); c = 'R'; break;
	case O_SEED: o->seed = big_arg("--seed", arg); c = 'S'; break;
	case O_SCAN: o->scan = 1; c = 'C'; break;
	case O_BOOT: o->boot = 1; c = 'B'; break;
	}
	o->given |= opt_bit(c);
}

/* Options may come before or after the command (GNU getopt permutes). */
static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 0; /* GNU getopt: start afresh, for the harness's next command */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			cli_exit(EXIT_OK);
		}
		if (c == '?')
			cli_die(EXIT_USAGE, "unknown option or missing value in '%s' (cloud --help)",
			    argv[optind - 1]);
		set_opt(o, c, optarg);
	}
	o->args = &argv[optind];
	o->nargs = argc - optind;
	if (!o->nargs)
		cli_die(EXIT_USAGE, "no command given (cloud --help lists them)");
}

/* $CLOUD_DB, else $XDG_STATE_HOME/vmlab/cloud.db, else
 * ~/.local/state/vmlab/cloud.db (making the directories). -ENOENT: no HOME. */
static int default_path(char *buf, size_t len)
{
	const char *env = getenv("CLOUD_DB"), *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (state && *state)
		snprintf(buf, len, "%s/vmlab", state);
	else if (home && *home)
		snprintf(buf, len, "%s/.local/state/vmlab", home);
	else
		return -ENOENT;
	/* Make the directories on the way; a failure shows when opening. */
	for (char *p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
	strncat(buf, "/cloud.db", len - strlen(buf) - 1);
	return 0;
}

static const char *db_path(const struct opts *o)
{
	static char path[4096];
	int rc;

	if (o->db)
		return o->db;
	if ((rc = default_path(path, sizeof(path))))
		cli_die(EXIT_USAGE, "no $CLOUD_DB and no $HOME: give the database with --db PATH");
	return path;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		cli_die(EXIT_FLEET, "fopen %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (1 << 24) ||
	    fseek(f, 0, SEEK_SET) || !(buf = calloc(1, (size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		cli_die(EXIT_FLEET, "read %s: %s", path, errno ? strerror(errno) : "too large");
	fclose(f);
	return buf;
}

static struct cloud_db *open_db(const struct opts *o)
{
	const char *path = db_path(o);
	char *json = o->fleet ? read_file(o->fleet) : NULL;
	struct cloud_db *db;
	struct vmlab_err err;
	int rc = cloud_db_open(path, json, &db, &err);

	free(json);
	switch (rc) {
	case 0:
		return db;
	case -EBADMSG:
		cli_die(EXIT_DB, "%s is not a cloud database (not SQLite, or damaged): "
			     "move it away or choose another with --db", path);
	case -EUCLEAN:
		cli_die(EXIT_DB, "%s is damaged (SQLite's quick_check: %s): nothing was written "
			     "to it; restore it from a copy, or move it away and start a new one",
			path, err.msg);
	case -EMEDIUMTYPE:
		cli_die(EXIT_DB, "%s is another program's SQLite database: choose another "
			     "with --db", path);
	case -EPROTO:
		cli_die(EXIT_DB, "%s was made by a newer cloud (schema version above %d): "
			     "use that version, or another --db", path, CLOUD_DB_VERSION);
	case -EEXIST:
		cli_die(EXIT_FLEET, "%s already has a fleet: --fleet only applies when a "
				"database is created (choose a new --db)", path);
	case -EINVAL:
		cli_die(EXIT_FLEET, "fleet %s: %s", o->fleet ? o->fleet : "(built in)", err.msg);
	case -EBUSY:
		cli_die(EXIT_DB, "%s is locked by another process: try again", path);
	default:
		if (rc == -ENOMEM)
			cli_die(EXIT_FAIL, "open %s: %s", path, strerror(-rc));
		if (rc == -ENOENT)
			cli_die(EXIT_DB, "open %s: its directory does not exist: make it, or "
					 "choose another --db", path);
		cli_die(EXIT_DB, "open %s: %s", path, strerror(-rc));
	}
	return NULL;
}

static int exit_for(int rc)
{
	switch (rc) {
	case -ENOSPC: return EXIT_CAPACITY;
	case -EEXIST: return EXIT_TOKEN;
	case -ENOENT: return EXIT_NOTFOUND;
	case -EPERM: return EXIT_STATE;
	case -EINVAL: return EXIT_USAGE;
	case -EBUSY:
	case -EBADMSG: return EXIT_DB;
	default: return EXIT_FAIL;
	}
}

/* Reports a failed library call and exits: the exit code from rc, the
 * text from err when the call filled it (EC2's error code, its line). */
void cli_report(const char *cmd, int rc, const struct vmlab_err *err)
{
	if (err && err->code && err->name)
		cli_die(exit_for(rc), "%s: %s: %s", cmd, err->name, err->msg);
	if (err && err->code)
		cli_die(exit_for(rc), "%s: %s", cmd, err->msg);
	cli_die(exit_for(rc), "%s: %s", cmd, strerror(-rc));
}

void cli_load(struct cloud_db *db, struct cloud_fleet *f)
{
	int rc = cloud_db_load(db, f);

	if (rc)
		cli_report("load fleet", rc, NULL);
}

/* Only the options in allow (letters, see set_opt) may go with cmd. */
void cli_allow(const struct opts *o, const char *cmd, const char *allow)
{
	unsigned ok = 0;

	for (const char *p = allow; *p; p++)
		ok |= opt_bit(*p);
	if (o->given & ~ok)
		for (size_t i = 0; i < sizeof(opt_names) / sizeof(opt_names[0]); i++)
			if (o->given & ~ok & (1u << i))
				cli_die(EXIT_USAGE, "%s: %s does not apply to it (cloud --help)",
					cmd, opt_names[i]);
}

static int cli_stop(struct cloud_db *db, const struct opts *o)
{
	return cli_act(db, o, CLOUD_STOP);
}

static int cli_start(struct cloud_db *db, const struct opts *o)
{
	return cli_act(db, o, CLOUD_START);
}

static int cli_terminate(struct cloud_db *db, const struct opts *o)
{
	return cli_act(db, o, CLOUD_TERMINATE);
}

static int cli_fail_host(struct cloud_db *db, const struct opts *o)
{
	return cli_fail(db, o, 0);
}

static int cli_fail_az(struct cloud_db *db, const struct opts *o)
{
	return cli_fail(db, o, 1);
}

static int cli_recover_host(struct cloud_db *db, const struct opts *o)
{
	return cli_recover(db, o, 0);
}

static int cli_recover_az(struct cloud_db *db, const struct opts *o)
{
	return cli_recover(db, o, 1);
}

static const struct {
	const char *name;
	int (*fn)(struct cloud_db *db, const struct opts *o);
} commands[] = {
	{"regions", cli_regions}, {"types", cli_types},	    {"run", cli_run},
	{"describe", cli_describe}, {"stop", cli_stop},	    {"start", cli_start},
	{"terminate", cli_terminate}, {"hosts", cli_hosts}, {"bill", cli_bill},
	{"map", cli_map},	  {"check", cli_check},	    {"clock", cli_clock},
	{"fail-host", cli_fail_host}, {"fail-az", cli_fail_az},
	{"recover-host", cli_recover_host}, {"recover-az", cli_recover_az},
	{"console", cli_console},
};

int cli_main(int argc, char **argv)
{
	struct opts o;
	size_t k = 0;
	int rc;

	parse(argc, argv, &o);
	if (strcmp(o.args[0], "simulate") == 0)
		return cli_simulate(&o) ? EXIT_FAIL : EXIT_OK;
	if (strcmp(o.args[0], "cities") == 0) {
		cli_allow(&o, "cities", "");
		return cloud_show_cities(stdout, o.json) ? EXIT_FAIL : EXIT_OK;
	}
	while (k < sizeof(commands) / sizeof(commands[0]) && strcmp(o.args[0], commands[k].name))
		k++;
	if (k == sizeof(commands) / sizeof(commands[0]))
		cli_die(EXIT_USAGE, "no command '%s' (cloud --help lists them)", o.args[0]);
	open_now = open_db(&o);
	rc = commands[k].fn(open_now, &o);
	cloud_db_close(open_now);
	open_now = NULL;
	if (rc || fflush(stdout))
		cli_die(EXIT_FAIL, "write: %s", strerror(rc ? -rc : errno));
	return EXIT_OK;
}

int cli_caught(int argc, char **argv)
{
	jmp_buf here;
	int rc;

	catcher = &here;
	if (setjmp(here)) {
		cloud_db_close(open_now);
		open_now = NULL;
		catcher = NULL;
		return caught_code;
	}
	rc = cli_main(argc, argv);
	catcher = NULL;
	return rc;
}
