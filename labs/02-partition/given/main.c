/*
 * partition: carve one server into isolated virtual servers.
 *
 *   partition plan [--host SPEC] [--reserve SPEC] [--cpu-ratio R]
 *                  [--policy P] [--image FILE] [--json | --dot] REQUESTS
 *   partition apply [--cgroup-root DIR] [--create-image] PLAN
 *   partition exec [--cgroup-root DIR] PLAN NAME -- COMMAND [ARG...]
 *   partition destroy [--cgroup-root DIR] PLAN
 *
 * Exit codes: 0 done; 2 bad usage or bad input (an impossible plan, an
 * image path holding another file); 3 planned, but some requests were
 * rejected; 4 this machine cannot do it (no cgroup v2, not root, a CPU or
 * the memory the plan needs is missing, capacity unknown); 5 a system call
 * failed. `exec` exits with the command's status (127: could not run it).
 * Everything but argument handling and output lives in the part_ modules.
 * They say what went wrong in a struct vmlab_err (vmlab_err.h) and know no
 * command line: main prints it, adds the flag or command that fixes it,
 * and picks the exit code from the error code, never from the text.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "part_cg.h"
#include "part_json.h"
#include "part_plan.h"
#include "part_report.h"
#include "part_size.h"
#include "part_sys.h"

enum { EXIT_USAGE = 2, EXIT_REJECTED = 3, EXIT_ENV = 4, EXIT_SYS = 5 };

static const char usage[] =
	"usage: partition plan [--host cpus=N,mem=SIZE,disk=SIZE] [--reserve SPEC]\n"
	"                      [--cpu-ratio R] [--policy first-fit|best-fit|worst-fit]\n"
	"                      [--image FILE] [--json | --dot] REQUESTS\n"
	"       partition apply [--cgroup-root DIR] [--create-image] PLAN\n"
	"       partition exec [--cgroup-root DIR] PLAN NAME -- COMMAND [ARG...]\n"
	"       partition destroy [--cgroup-root DIR] PLAN\n"
	"REQUESTS: one server a line, 'name cpus=N mem=SIZE [disk=SIZE] [count=K] [pids=N]',\n"
	"or JSON; '-' reads standard input. SIZE: 512M, 4G, 1.5T (binary units K M G T).\n"
	"PLAN: the output of 'partition plan --json'. See README.md.\n";

static void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* Messages quote what the user gave: its control characters (a terminal's
 * escape sequences, C1 controls such as U+009B included) are shown as
 * \xHH, never sent to the terminal. */
static void die(int code, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("partition: ", stderr);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1, as UTF-8 */
			fprintf(stderr, "\\xc2\\x%02x", *++p);
		else if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	fputc('\n', stderr);
	exit(code);
}

/*
 * Reads a whole file ("-" = stdin, which may be a pipe) into a NUL-terminated
 * buffer, or dies. A named input must be a regular file (opened without
 * blocking, so a FIFO cannot hang us) of at most PART_INPUT_MAX bytes, and
 * no input may hold a NUL byte (text and JSON have none).
 */
#define PART_INPUT_MAX (64u << 20)
static char *slurp(const char *path)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : 0;
	size_t len = 0, cap = 1 << 16;
	struct stat st;
	ssize_t n;

	if (fd < 0)
		die(errno == ENOMEM ? EXIT_SYS : EXIT_USAGE, "open %s: %s", path, strerror(errno));
	if (fd > 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)))
		die(EXIT_USAGE, "%s is not a regular file (a FIFO, a device or a directory): "
			       "give a file, or - with the text on standard input", path);
	char *buf = malloc(cap); /* after the checks: their exits leave no block behind */
	while (buf && (n = read(fd, buf + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(EXIT_USAGE, "read %s: %s", path, strerror(errno));
		if ((len += (size_t)n) > PART_INPUT_MAX)
			die(EXIT_USAGE, "%s is larger than %u MiB, the most partition reads: "
				       "split the requests", path, PART_INPUT_MAX >> 20);
		if (len + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			break;
	}
	if (!buf)
		die(EXIT_SYS, "out of memory reading %s", path);
	if (fd > 0)
		close(fd);
	if (memchr(buf, '\0', len))
		die(EXIT_USAGE, "%s holds a NUL byte: requests and plans are text (or JSON)", path);
	buf[len] = '\0';
	return buf;
}

/* An input refused is the user's to fix (2); running out of memory is not (5). */
static int input_exit(int e)
{
	return e == -ENOMEM ? EXIT_SYS : EXIT_USAGE;
}

/* The fix for a plan file refused (part_json_read) or not for this machine
 * (part_cg_check's -ERANGE). */
#define REMAKE_PLAN "; make it again with partition plan --json"
#define PLAN_HERE ": plan for this machine (partition plan without --host)"

struct plan_args {
	struct part_opts o;
	const char *image;
	int host_given, json, dot;
};

static void plan_option(struct plan_args *a, int c, const char *arg)
{
	struct vmlab_err err;
	int e;

	switch (c) {
	case 'H':
		if ((e = part_host_parse(arg, &a->o.host, &err)))
			die(input_exit(e), "--host %s: %s", arg, err.msg);
		a->host_given = 1;
		break;
	case 'r':
		if ((e = part_host_parse(arg, &a->o.reserve, &err)))
			die(input_exit(e), "--reserve %s: %s", arg, err.msg);
		break;
	case 'R':
		if ((e = part_milli_parse(arg, &a->o.ratio_milli, &err)))
			die(EXIT_USAGE, "--cpu-ratio %s %s (e.g. --cpu-ratio 4)", arg, err.msg);
		break;
	case 'p':
		if (part_policy_parse(arg, &a->o.policy))
			die(EXIT_USAGE, "--policy %s: use first-fit, best-fit or worst-fit", arg);
		break;
	case 'i':
		for (const char *p = arg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				die(EXIT_USAGE, "--image %s: a path with control characters: choose another", arg);
		a->image = arg;
		break;
	case 'j':
		a->json = 1;
		break;
	case 'd':
		a->dot = 1;
		break;
	default:
		fputs(usage, stderr);
		exit(EXIT_USAGE);
	}
}

/* This machine's capacity (part_sys), unless --host said. */
static void detect_host(struct plan_args *a)
{
	int e;

	if (a->host_given)
		return;
	/* --host keys given after detection keep their values (see part_host_parse). */
	if ((e = part_sys_host("/", &a->o.host)))
		die(EXIT_ENV, "part_sys_host /: %s (give the host with --host cpus=N,mem=SIZE,disk=SIZE)",
		    strerror(-e));
}

static int output(const struct part_plan *pl, const struct part_reqs *rs,
		  const struct plan_args *a)
{
	int e = 0;

	if (a->json) {
		struct json_object *j = part_json_plan(pl, rs);
		char *text = j ? part_json_text(j) : NULL;

		json_object_put(j);
		if (!text)
			die(EXIT_SYS, "out of memory");
		puts(text);
		free(text);
	} else if (a->dot) {
		e = part_report_dot(stdout, pl);
	} else {
		e = part_report_text(stdout, pl, rs);
	}
	if (e || fflush(stdout) == EOF || ferror(stdout))
		die(EXIT_SYS, "write standard output: %s", strerror(e ? -e : errno));
	return 0;
}

static int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"host", required_argument, NULL, 'H'},    {"reserve", required_argument, NULL, 'r'},
		{"cpu-ratio", required_argument, NULL, 'R'}, {"policy", required_argument, NULL, 'p'},
		{"image", required_argument, NULL, 'i'},   {"json", no_argument, NULL, 'j'},
		{"dot", no_argument, NULL, 'd'},           {NULL, 0, NULL, 0},
	};
	struct plan_args a = {.o = {.ratio_milli = 1000, .policy = PART_FIRST_FIT},
			      .image = "vmlab-disk.img"};
	struct part_reqs rs = {0};
	struct part_plan pl;
	struct vmlab_err err;
	int c, e;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1)
		plan_option(&a, c, optarg);
	if (optind != argc - 1)
		die(EXIT_USAGE, "plan needs one REQUESTS file (or - for standard input); see partition --help");
	if (a.json && a.dot)
		die(EXIT_USAGE, "--json and --dot: choose one");
	detect_host(&a);
	char *text = slurp(argv[optind]);
	if ((e = part_reqs_parse(&rs, text, &err)))
		die(input_exit(e), "%s: %s", argv[optind], err.msg);
	free(text);
	if ((e = part_plan_make(&pl, &a.o, &rs, &err)))
		die(input_exit(e), "%s%s", err.msg, e == -EINVAL && (!a.o.host.cpus || !a.o.host.mem)
		    ? " (give --host cpus=N,mem=SIZE,disk=SIZE)" : "");
	snprintf(pl.image, sizeof(pl.image), "%s", a.image);
	output(&pl, &rs, &a);
	for (size_t i = 0; i < pl.nrej; i++)
		if (a.json || a.dot) /* the text report already listed them */
			fprintf(stderr, "partition: rejected %s\n", pl.rej[i].why);
	int rc = pl.nrej ? EXIT_REJECTED : 0;
	part_plan_free(&pl);
	part_reqs_free(&rs);
	return rc;
}

/* Options shared by apply, exec and destroy; returns the cgroup root. */
static const char *cg_options(int argc, char **argv, int *create_image)
{
	static const struct option opts[] = {
		{"cgroup-root", required_argument, NULL, 'c'},
		{"create-image", no_argument, NULL, 'I'},
		{NULL, 0, NULL, 0},
	};
	const char *root = PART_CG_ROOT;
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'c')
			root = optarg;
		else if (c == 'I' && create_image)
			*create_image = 1;
		else
			die(EXIT_USAGE, "%s: unknown option; see partition --help", argv[0]);
	}
	return root;
}

/* Reads the plan and checks this machine can enforce it, or dies. */
static void load_plan(struct part_plan *pl, const char *path, const char *root)
{
	struct vmlab_err err;
	char *text = slurp(path);
	int e = part_json_read(pl, text, &err);

	free(text);
	if (e == -EINVAL) /* not a plan */
		die(EXIT_USAGE, "%s: not a plan from `partition plan --json`: %s" REMAKE_PLAN,
		    path, err.msg);
	if (e == -ERANGE) /* a plan no planner made */
		die(EXIT_USAGE, "%s: %s" REMAKE_PLAN, path, err.msg);
	if (e)
		die(input_exit(e), "%s: %s", path, err.msg);
	if ((e = part_cg_check(root, geteuid(), pl, &err)))
		die(EXIT_ENV, "%s%s", err.msg, e == -ERANGE ? PLAN_HERE : "");
}

static int cmd_apply(int argc, char **argv)
{
	int create_image = 0, e;
	const char *root = cg_options(argc, argv, &create_image);
	struct part_plan pl;
	struct vmlab_err err;

	if (optind != argc - 1)
		die(EXIT_USAGE, "apply needs one PLAN (from partition plan --json)");
	load_plan(&pl, argv[optind], root);
	if (create_image && pl.image_size && (e = part_image_create(&pl, &err)))
		die(e == -EEXIST ? EXIT_USAGE : EXIT_SYS, "%s%s", err.msg,
		    e == -EEXIST ? "; remove it, or plan with another --image" : "");
	if (part_cg_apply(root, &pl, &err))
		die(EXIT_SYS, "%s (nothing new was left behind; re-run apply or destroy)", err.msg);
	printf("applied %zu virtual servers under %s/" PART_CG_PARENT "\n", pl.nvs, root);
	part_plan_free(&pl);
	return 0;
}

static int cmd_destroy(int argc, char **argv)
{
	const char *root = cg_options(argc, argv, NULL);
	struct part_plan pl;
	struct vmlab_err err;

	if (optind != argc - 1)
		die(EXIT_USAGE, "destroy needs one PLAN (from partition plan --json)");
	load_plan(&pl, argv[optind], root);
	if (part_cg_destroy(root, &pl, &err))
		die(EXIT_SYS, "%s (re-run destroy to finish)", err.msg);
	printf("destroyed %zu virtual servers under %s/" PART_CG_PARENT "\n", pl.nvs, root);
	part_plan_free(&pl);
	return 0;
}

static int cmd_exec(int argc, char **argv)
{
	const char *root = cg_options(argc, argv, NULL);
	struct part_plan pl;
	struct vmlab_err err;
	size_t i;

	if (argc - optind < 3 || strcmp(argv[optind + 2], "--"))
		die(EXIT_USAGE, "usage: partition exec PLAN NAME -- COMMAND [ARG...]");
	if (argc - optind < 4)
		die(EXIT_USAGE, "exec: no COMMAND after --");
	load_plan(&pl, argv[optind], root);
	for (i = 0; i < pl.nvs && strcmp(pl.vs[i].req.name, argv[optind + 1]); i++)
		;
	if (i == pl.nvs)
		die(EXIT_USAGE, "exec: %s has no server %s", argv[optind], argv[optind + 1]);
	if (part_cg_enter(root, argv[optind + 1], &err))
		die(EXIT_SYS, "%s", err.msg);
	part_plan_free(&pl);
	execvp(argv[optind + 3], argv + optind + 3);
	die(errno == ENOENT ? 127 : 126, "exec %s: %s", argv[optind + 3], strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die(EXIT_USAGE, "no command given\n%s", usage);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "plan"))
		return cmd_plan(argc - 1, argv + 1);
	if (!strcmp(argv[1], "apply"))
		return cmd_apply(argc - 1, argv + 1);
	if (!strcmp(argv[1], "exec"))
		return cmd_exec(argc - 1, argv + 1);
	if (!strcmp(argv[1], "destroy"))
		return cmd_destroy(argc - 1, argv + 1);
	die(EXIT_USAGE, "unknown command '%s' (use plan, apply, exec or destroy)", argv[1]);
}
