/*
 * cloud: a small cloud provider on one SQLite file (lab 04).
 *
 *   cloud [--db PATH] [--fleet FILE] [--json] COMMAND [ARGS]
 *
 * This file reads the command line, opens the database, calls the library
 * and reports; the exit code says what went wrong (see usage()).
 */
#define _GNU_SOURCE /* strptime, timegm */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cloud_report.h"
#include "cloud_show.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,     /* I/O, memory */
	EXIT_USAGE = 2,
	EXIT_CAPACITY = 3, /* InsufficientInstanceCapacity */
	EXIT_TOKEN = 4,    /* IdempotentParameterMismatch */
	EXIT_NOTFOUND = 5, /* no such instance, type, region, zone or place */
	EXIT_STATE = 6,    /* IncorrectInstanceState */
	EXIT_DB = 7,       /* the database is unusable */
	EXIT_FLEET = 8,    /* the fleet file is invalid */
	EXIT_CHECK = 9,    /* `cloud check` found broken invariants */
};

static const char usage_text[] =
	"usage: cloud [--db PATH] [--fleet FILE] [--json] COMMAND [ARGS]\n"
	"\n"
	"The user's view:\n"
	"  regions [--from PLACE]      regions, by round trip from a city, region or LAT,LON\n"
	"  cities                      the places --from and --near know\n"
	"  types [--region R]          instance types and their prices\n"
	"  run --type T (--region R | --az AZ | --near PLACE)\n"
	"      [--count N | --min-count A --max-count B] [--client-token TOKEN]\n"
	"      [--policy spread|pack] [--explain]\n"
	"  describe [ID...]            instances: state and zone (never the host)\n"
	"  stop ID... | start ID... | terminate ID...\n"
	"  bill                        charges so far, per instance\n"
	"The provider's view:\n"
	"  hosts [--region R]          hosts, their allocation and instances\n"
	"  bill --provider             revenue, cost and utilization per host\n"
	"  map [--dot]                 regions, zones, hosts, instances for Graphviz\n"
	"  check                       verify the database's invariants\n"
	"The clock (billing and state changes follow it):\n"
	"  clock [set TIME | advance DURATION | wall]   TIME: 2026-01-01T00:00:00Z or\n"
	"                              seconds; DURATION: 90, 90s, 15m, 2h, 1d\n"
	"\n"
	"--db defaults to $CLOUD_DB, else ~/.local/state/vmlab/cloud.db. --fleet FILE\n"
	"(JSON, see fleets/) only when the database is created.\n"
	"Exit codes: 0 ok, 1 I/O, 2 usage, 3 InsufficientInstanceCapacity,\n"
	"4 IdempotentParameterMismatch, 5 not found, 6 IncorrectInstanceState,\n"
	"7 database unusable, 8 invalid fleet, 9 invariants broken.\n";

__attribute__((noreturn, format(printf, 2, 3)))
static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("cloud: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

struct opts {
	const char *db, *fleet, *type, *region, *near, *az, *token, *policy, *from;
	long count, min, max;
	int json, dot, explain, provider;
	unsigned given; /* which command-specific options, by letter bit */
	char **args;
	int nargs;
};

enum { O_DB = 256, O_FLEET, O_JSON, O_DOT, O_TOKEN, O_MIN, O_MAX, O_PROVIDER };

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
	{"help", no_argument, NULL, 'h'},
	{0},
};

static long count_arg(const char *name, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 1000)
		die(EXIT_USAGE, "%s: '%s' is not a count from 1 to 1000", name, s);
	return v;
}

/* The command-specific options, one letter each: a bit in opts.given. */
static const char opt_letters[] = "trnzcmMkpxfP";

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
	}
	o->given |= opt_bit(c);
}

/* Options may come before or after the command (GNU getopt permutes). */
static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		}
		if (c == '?')
			die(EXIT_USAGE, "unknown option or missing value in '%s' (cloud --help)",
			    argv[optind - 1]);
		set_opt(o, c, optarg);
	}
	o->args = &argv[optind];
	o->nargs = argc - optind;
	if (!o->nargs)
		die(EXIT_USAGE, "no command given (cloud --help lists them)");
}

/* The default database: $CLOUD_DB, else under the XDG state directory. */
static const char *db_path(const struct opts *o)
{
	static char path[4096];
	const char *env = getenv("CLOUD_DB"), *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (o->db)
		return o->db;
	if (env && *env)
		return env;
	if (state && *state)
		snprintf(path, sizeof(path), "%s/vmlab", state);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.local/state/vmlab", home);
	else
		die(EXIT_USAGE, "no HOME: give the database with --db PATH");
	/* Create the directories on the way; failures show up at open. */
	for (char *p = path + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
	strncat(path, "/cloud.db", sizeof(path) - strlen(path) - 1);
	return path;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		die(EXIT_FLEET, "fopen %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (1 << 24) ||
	    fseek(f, 0, SEEK_SET) || !(buf = calloc(1, (size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		die(EXIT_FLEET, "read %s: %s", path, errno ? strerror(errno) : "too large");
	fclose(f);
	return buf;
}

static struct cloud_db *open_db(const struct opts *o)
{
	const char *path = db_path(o);
	char *json = o->fleet ? read_file(o->fleet) : NULL;
	struct cloud_db *db;
	char err[256];
	int rc = cloud_db_open(path, json, &db, err, sizeof(err));

	free(json);
	switch (rc) {
	case 0:
		return db;
	case -EBADMSG:
		die(EXIT_DB, "%s is not a cloud database (not SQLite, or damaged): "
			     "move it away or choose another with --db", path);
	case -EMEDIUMTYPE:
		die(EXIT_DB, "%s is another program's SQLite database: choose another "
			     "with --db", path);
	case -EPROTO:
		die(EXIT_DB, "%s was made by a newer cloud (schema version above %d): "
			     "use that version, or another --db", path, CLOUD_DB_VERSION);
	case -EEXIST:
		die(EXIT_FLEET, "%s already has a fleet: --fleet only applies when a "
				"database is created (choose a new --db)", path);
	case -EINVAL:
		die(EXIT_FLEET, "fleet %s: %s", o->fleet ? o->fleet : "(built in)", err);
	case -EBUSY:
		die(EXIT_DB, "%s is locked by another process: try again", path);
	default:
		die(EXIT_DB, "open %s: %s", path, strerror(-rc));
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

/* Reports a failed library call and exits. */
__attribute__((noreturn))
static void report(const char *cmd, int rc, const struct cloud_err *err)
{
	if (err && err->code)
		die(exit_for(rc), "%s: %s: %s", cmd, err->code, err->msg);
	die(exit_for(rc), "%s: %s", cmd, strerror(-rc));
}

static void load(struct cloud_db *db, struct cloud_fleet *f)
{
	int rc = cloud_db_load(db, f);

	if (rc)
		report("load fleet", rc, NULL);
}

/* Only the options in allow (letters, see set_opt) may go with cmd. */
static void allow(const struct opts *o, const char *cmd, const char *allow)
{
	unsigned ok = 0;

	for (const char *p = allow; *p; p++)
		ok |= opt_bit(*p);
	if (o->given & ~ok)
		die(EXIT_USAGE, "%s: an option given does not apply to it (cloud --help)", cmd);
}

static int cmd_regions(struct cloud_db *db, const struct opts *o)
{
	struct cloud_fleet f;
	struct cloud_loc loc;
	struct cloud_rank *ranked = NULL;
	int rc;

	allow(o, "regions", "f");
	load(db, &f);
	if (o->from) {
		if ((rc = cloud_place_locate(&f, o->from, &loc)))
			die(EXIT_NOTFOUND, "regions: no place '%s': give a city (cloud cities), "
					   "a region, or LAT,LON in degrees", o->from);
		if (!(ranked = calloc(f.nregions, sizeof(*ranked))))
			report("regions", -ENOMEM, NULL);
		cloud_place_rank(&f, &loc, ranked);
	}
	rc = cloud_show_regions(stdout, &f, &loc, ranked, o->json);
	free(ranked);
	cloud_fleet_free(&f);
	return rc;
}

static int cmd_types(struct cloud_db *db, const struct opts *o)
{
	struct cloud_fleet f;
	long r;
	int rc;

	allow(o, "types", "r");
	load(db, &f);
	r = cloud_fleet_region(&f, o->region ? o->region : "us-east-1");
	if (r < 0 && o->region)
		die(EXIT_NOTFOUND, "types: no region '%s' (cloud regions lists them)", o->region);
	rc = cloud_show_types(stdout, &f, r < 0 ? 0 : (size_t)r, o->json);
	cloud_fleet_free(&f);
	return rc;
}

/* The counts: --count N, or --min-count/--max-count, or 1. */
static void run_counts(const struct opts *o, struct cloud_run_req *q)
{
	if (o->count && (o->min || o->max))
		die(EXIT_USAGE, "run: --count or --min-count/--max-count, not both");
	q->min = (size_t)(o->count ? o->count : o->min ? o->min : 1);
	q->max = (size_t)(o->count ? o->count : o->max ? o->max : (long)q->min);
	if (q->max < q->min)
		die(EXIT_USAGE, "run: --max-count %zu is below --min-count %zu", q->max, q->min);
}

static int cmd_run(struct cloud_db *db, const struct opts *o)
{
	struct cloud_run_req q = {.type = o->type, .region = o->region, .near = o->near,
				  .az = o->az, .token = o->token, .explain = o->explain};
	struct cloud_run_res res;
	struct cloud_err err = {0};
	struct cloud_fleet f;
	int rc;

	allow(o, "run", "trnzcmMkpx");
	if (!o->type)
		die(EXIT_USAGE, "run: which instance type? --type T (cloud types lists them)");
	run_counts(o, &q);
	if (cloud_policy_parse(o->policy ? o->policy : "spread", &q.policy))
		die(EXIT_USAGE, "run: --policy is spread or pack, not '%s'", o->policy);
	if ((rc = cloud_run(db, &q, &res, &err)))
		report("run", rc, &err);
	load(db, &f);
	if (o->explain && !o->json)
		cloud_show_explain(stdout, &f, &res);
	rc = cloud_show_run(stdout, &f, &res, o->json);
	cloud_run_res_free(&res);
	cloud_fleet_free(&f);
	return rc;
}

static int cmd_describe(struct cloud_db *db, const struct opts *o)
{
	struct cloud_insts in;
	struct cloud_err err = {0};
	struct cloud_fleet f;
	int rc;

	allow(o, "describe", "");
	if ((rc = cloud_describe(db, o->args + 1, (size_t)o->nargs - 1, &in, &err)))
		report("describe", rc, &err);
	load(db, &f);
	rc = cloud_show_insts(stdout, &f, &in, o->json);
	cloud_insts_free(&in);
	cloud_fleet_free(&f);
	return rc;
}

static int cmd_act(struct cloud_db *db, const struct opts *o, enum cloud_action a)
{
	const char *cmd = o->args[0];
	struct cloud_insts in;
	struct cloud_err err = {0};
	int rc;

	allow(o, cmd, "");
	if (o->nargs < 2)
		die(EXIT_USAGE, "%s: which instances? give their IDs (cloud describe)", cmd);
	if ((rc = cloud_act(db, a, o->args + 1, (size_t)o->nargs - 1, &in, &err)))
		report(cmd, rc, &err);
	rc = cloud_show_changes(stdout, &in, o->json);
	cloud_insts_free(&in);
	return rc;
}

static int cmd_hosts(struct cloud_db *db, const struct opts *o)
{
	struct cloud_insts in;
	struct cloud_err err = {0};
	struct cloud_fleet f;
	long r = -1;
	int rc;

	allow(o, "hosts", "r");
	if ((rc = cloud_describe(db, NULL, 0, &in, &err)))
		report("hosts", rc, &err);
	load(db, &f);
	if (o->region && (r = cloud_fleet_region(&f, o->region)) < 0)
		die(EXIT_NOTFOUND, "hosts: no region '%s' (cloud regions lists them)", o->region);
	rc = cloud_report_hosts(stdout, &f, &in, r, o->json);
	cloud_insts_free(&in);
	cloud_fleet_free(&f);
	return rc;
}

static int cmd_bill(struct cloud_db *db, const struct opts *o)
{
	struct cloud_err err = {0};
	int rc;

	allow(o, "bill", "P");
	if (o->provider) {
		struct cloud_provider p;
		if ((rc = cloud_acct_provider(db, &p, &err)))
			report("bill", rc, &err);
		rc = cloud_report_provider(stdout, &p, o->json);
		cloud_provider_free(&p);
		return rc;
	}
	struct cloud_bill b;
	struct cloud_fleet f;
	if ((rc = cloud_acct_bill(db, &b, &err)))
		report("bill", rc, &err);
	load(db, &f);
	rc = cloud_show_bill(stdout, &f, &b, o->json);
	cloud_bill_free(&b);
	cloud_fleet_free(&f);
	return rc;
}

static int cmd_map(struct cloud_db *db, const struct opts *o)
{
	struct cloud_insts in;
	struct cloud_err err = {0};
	struct cloud_fleet f;
	int rc;

	allow(o, "map", "");
	if (o->json)
		die(EXIT_USAGE, "map: it draws in Graphviz's language (--dot), not JSON");
	if ((rc = cloud_describe(db, NULL, 0, &in, &err)))
		report("map", rc, &err);
	load(db, &f);
	rc = cloud_report_dot(stdout, &f, &in);
	cloud_insts_free(&in);
	cloud_fleet_free(&f);
	return rc;
}

static int cmd_check(struct cloud_db *db, const struct opts *o)
{
	char msg[256];
	int rc;

	allow(o, "check", "");
	if ((rc = cloud_acct_check(db, msg, sizeof(msg))) == -EUCLEAN)
		die(EXIT_CHECK, "check: broken invariant: %s", msg);
	if (rc)
		report("check", rc, NULL);
	printf("ok: every instance holds capacity on one host of its zone, every host's "
	       "usage is the sum of its instances, no host is over capacity\n");
	return 0;
}

/* "1767225600" or "2026-01-01T00:00:00Z" (UTC). */
static int64_t parse_time(const char *s)
{
	struct tm tm = {0};
	char *end;
	long long v = strtoll(s, &end, 10);

	if (end != s && *end == '\0' && v >= 0)
		return v;
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (*end && strcmp(end, "Z") != 0))
		die(EXIT_USAGE, "clock set: '%s' is not a time: 2026-01-01T00:00:00Z or "
				"seconds since 1970", s);
	return (int64_t)timegm(&tm);
}

/* "90", "90s", "15m", "2h", "1d". */
static int64_t parse_duration(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	int64_t unit = !*end ? 1 : strcmp(end, "s") == 0 ? 1 : strcmp(end, "m") == 0 ? 60
		     : strcmp(end, "h") == 0 ? 3600 : strcmp(end, "d") == 0 ? 86400 : 0;

	if (end == s || v < 0 || !unit || v > 100LL * 365 * 86400 / unit)
		die(EXIT_USAGE, "clock advance: '%s' is not a duration: 90, 90s, 15m, 2h, 1d", s);
	return (int64_t)v * unit;
}

static int cmd_clock(struct cloud_db *db, const struct opts *o)
{
	const char *verb = o->nargs > 1 ? o->args[1] : "show";
	int64_t t;
	int fixed, rc = 0;

	allow(o, "clock", "");
	if (strcmp(verb, "set") == 0 && o->nargs == 3)
		rc = cloud_clock_move(db, parse_time(o->args[2]), 1);
	else if (strcmp(verb, "advance") == 0 && o->nargs == 3)
		rc = cloud_clock_move(db, parse_duration(o->args[2]), 0);
	else if (strcmp(verb, "wall") == 0 && o->nargs == 2)
		rc = cloud_clock_move(db, 0, -1);
	else if (strcmp(verb, "show") != 0 || o->nargs > 2)
		die(EXIT_USAGE, "clock: show, set TIME, advance DURATION or wall");
	if (rc || (rc = cloud_db_clock(db, &t, &fixed)))
		report("clock", rc, NULL);
	return cloud_show_clock(stdout, t, fixed, o->json);
}

int main(int argc, char **argv)
{
	static const char *const acts[] = {"stop", "start", "terminate"};
	struct opts o;
	struct cloud_db *db;
	int rc = -1;

	parse(argc, argv, &o);
	const char *cmd = o.args[0];
	if (strcmp(cmd, "cities") == 0) {
		allow(&o, "cities", "");
		return cloud_show_cities(stdout, o.json) ? EXIT_FAIL : EXIT_OK;
	}
	static const char *const known[] = {"regions", "types", "run", "describe",
		"stop", "start", "terminate", "hosts", "bill", "map", "check", "clock"};
	size_t k = 0;
	while (k < sizeof(known) / sizeof(known[0]) && strcmp(cmd, known[k]))
		k++;
	if (k == sizeof(known) / sizeof(known[0]))
		die(EXIT_USAGE, "no command '%s' (cloud --help lists them)", cmd);
	db = open_db(&o);
	for (int a = 0; a < 3; a++)
		if (strcmp(cmd, acts[a]) == 0)
			rc = cmd_act(db, &o, (enum cloud_action)a);
	if (strcmp(cmd, "regions") == 0) rc = cmd_regions(db, &o);
	else if (strcmp(cmd, "types") == 0) rc = cmd_types(db, &o);
	else if (strcmp(cmd, "run") == 0) rc = cmd_run(db, &o);
	else if (strcmp(cmd, "describe") == 0) rc = cmd_describe(db, &o);
	else if (strcmp(cmd, "hosts") == 0) rc = cmd_hosts(db, &o);
	else if (strcmp(cmd, "bill") == 0) rc = cmd_bill(db, &o);
	else if (strcmp(cmd, "map") == 0) rc = cmd_map(db, &o);
	else if (strcmp(cmd, "check") == 0) rc = cmd_check(db, &o);
	else if (strcmp(cmd, "clock") == 0) rc = cmd_clock(db, &o);
	cloud_db_close(db);
	if (rc || fflush(stdout))
		die(EXIT_FAIL, "write: %s", strerror(rc ? -rc : errno));
	return EXIT_OK;
}
