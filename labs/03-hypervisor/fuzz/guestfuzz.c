/*
 * guestfuzz: the guest fuzzer. Random and half-structured guests, each run
 * by the real vmm on a real /dev/kvm, for a bounded time.
 *
 *   guestfuzz --vmm PATH [--vmm PATH2] [--seconds N] [--seed S]
 *             [--count N] [--timeout T] [--grace G] [--dir DIR]
 *   guestfuzz --vmm PATH --one SEED      one input again, its output shown
 *
 * Each input (guestgen.c) is written to a temporary file and run as
 * `vmm run ... --timeout T --flat FILE@ADDR`; with several --vmm (say the
 * plain and the SAN=1 build) the inputs take turns. What vmm promises, and
 * this program checks of every run (README.md, "Exit codes"):
 *   - it ends on its own: a run still alive G s after its watchdog is a hang;
 *   - it is never killed by a signal, and no sanitizer reports anything;
 *   - a guest's failure is a documented exit code (71-81, 124) whose first
 *     line on stderr is a diagnosis "vmm: ..."; a success (0-63) says
 *     nothing; vmm's messages hold no control characters and no line the
 *     guest could have forged (each line is vmm's: "vmm: ..." or a dump).
 * A failed check is a finding: the input and vmm's output are saved under
 * DIR/findings/SEED.{bin,txt}, and guestfuzz exits 1. Every input's seed is
 * derived from --seed, and the seed alone reproduces it.
 * Exit status: 0 no finding, 1 findings, 2 usage or setup (vmm refused to
 * run at all: no KVM, bad path).
 */
#define _GNU_SOURCE
#include "guestgen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEEP_OUT 4096      /* bytes of the guest's console kept */
#define KEEP_ERR 65536     /* bytes of vmm's stderr kept */
#define DISK_BYTES (128 * 512)
#define MAX_VMM 4

struct opts {
	const char *vmm[MAX_VMM];
	unsigned nvmm;
	double seconds, timeout, grace;
	uint64_t seed, one;
	int have_one;
	unsigned long count;
	const char *dir;
};

struct run {
	int status;          /* waitpid's */
	int hung;            /* killed by us after timeout + grace */
	double secs;
	char out[KEEP_OUT + 1], err[KEEP_ERR + 1];
	size_t nout, nerr;
	char cmd[1024];      /* the command line, for the report */
};

enum verdict { V_OK, V_FINDING, V_SETUP };

struct tally {
	unsigned long runs, findings, kind[GEN_KINDS], status[256];
	unsigned long hangs, signals, mutated;
	double slowest;
};

static const char *prog = "guestfuzz";
static char work[256];   /* the temporary folder */

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void write_file(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len || close(fd) != 0)
		die("write %s: %s", path, strerror(errno));
}

/* The disk: sector n filled with byte n, fresh for every input. */
static void make_disk(const char *path)
{
	static uint8_t disk[DISK_BYTES];

	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i / 512);
	write_file(path, disk, sizeof(disk));
}

/* vmm's argument vector for in; strings live in buf (one per slot). */
static int build_argv(const struct gen_input *in, const char *vmm,
		      double timeout, char buf[][300], char **argv)
{
	int n = 0;

#define ARG(...) (snprintf(buf[n], 300, __VA_ARGS__), argv[n] = buf[n], n++)
	ARG("%s", vmm);
	ARG("run");
	ARG("--mem");
	ARG("%lluK", (unsigned long long)(in->mem >> 10));
	ARG("--timeout");
	ARG("%g", timeout);
	if (in->real) {
		ARG("--mode");
		ARG("real");
	}
	if (in->cpus > 1) {
		ARG("--cpus");
		ARG("%u", in->cpus);
	}
	if (in->disk) {
		ARG("--disk");
		ARG("%s/disk.img%s", work, in->disk_ro ? ",ro" : "");
	}
	if (in->trace)
		ARG("--trace=4");
	if (in->stats)
		ARG("--stats");
	if (in->json)
		ARG("--json");
	ARG("--flat");
	ARG("%s/input.bin@0x%llx", work, (unsigned long long)in->addr);
#undef ARG
	argv[n] = NULL;
	return n;
}

/* Keeps up to cap bytes read from fd; the rest is read and dropped. */
static int drain(int fd, char *keep, size_t *n, size_t cap)
{
	char buf[16384];
	ssize_t r = read(fd, buf, sizeof(buf));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (r <= 0)
		return 0;
	if (*n < cap) {
		size_t k = (size_t)r < cap - *n ? (size_t)r : cap - *n;

		memcpy(keep + *n, buf, k);
		*n += k;
	}
	return 1;
}

static pid_t spawn(char **argv, int out[2], int err[2])
{
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0); /* its own group: a hang is killed whole */
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	return pid;
}

/* Runs argv, keeping its output, killing it at deadline seconds. */
static void run_vmm(char **argv, double limit, struct run *r)
{
	int out[2], err[2], open_fds = 2;
	double t0 = now();
	pid_t pid = spawn(argv, out, err);

	r->nout = r->nerr = 0;
	r->hung = 0;
	for (;;) {
		struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
		pid_t w = open_fds ? 0 : waitpid(pid, &r->status, WNOHANG);

		if (w == pid)
			break;
		if (now() - t0 > limit) {
			kill(-pid, SIGKILL);
			waitpid(pid, &r->status, 0);
			r->hung = 1;
			break;
		}
		if (poll(p, 2, 20) <= 0)
			continue;
		for (int i = 0; i < 2; i++)
			if (p[i].fd >= 0 && p[i].revents &&
			    !drain(p[i].fd, i ? r->err : r->out, i ? &r->nerr : &r->nout,
				   i ? KEEP_ERR : KEEP_OUT)) {
				close(p[i].fd);
				*(i ? &err[0] : &out[0]) = -1;
				open_fds--;
			}
	}
	if (out[0] >= 0)
		close(out[0]);
	if (err[0] >= 0)
		close(err[0]);
	r->out[r->nout] = r->err[r->nerr] = '\0';
	r->secs = now() - t0;
}

/* Does any line of text start with prefix? */
static int has_line(const char *text, const char *prefix)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, prefix, strlen(prefix)))
			return 1;
	return 0;
}

/*
 * vmm's stderr, line by line: no control characters, and (without --trace
 * and --stats, whose tables add lines) each line is a "vmm: " sentence or
 * the register dump's indented lines. Returns NULL, or what is wrong.
 */
static const char *bad_lines(const struct gen_input *in, const char *err)
{
	for (const unsigned char *c = (const unsigned char *)err; *c; c++)
		if ((*c < 0x20 && *c != '\n') || *c == 0x7f)
			return "a control character in vmm's messages (from the"
			       " guest? it could rewrite the user's terminal)";
	if (in->trace || in->stats)
		return NULL;
	for (const char *l = err; *l; l = strchr(l, '\n') + 1) {
		if (strncmp(l, "vmm: ", 5) && strncmp(l, "  ", 2))
			return "a line of stderr that is neither a diagnosis nor"
			       " the dump (a line the guest wrote?)";
		if (!strchr(l, '\n'))
			break;
	}
	return NULL;
}

/* Decides whether run r of in kept vmm's promises; why says how not. */
static enum verdict classify(const struct gen_input *in, const struct run *r,
			     char *why, size_t n)
{
	int code = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	const char *bad;

	if (r->hung)
		return snprintf(why, n, "hang: still running %.1f s after start,"
				" past its --timeout: killed", r->secs), V_FINDING;
	if (WIFSIGNALED(r->status))
		return snprintf(why, n, "killed by signal %d (%s)",
				WTERMSIG(r->status), strsignal(WTERMSIG(r->status))),
		       V_FINDING;
	if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error:"))
		return snprintf(why, n, "sanitizer report (exit %d)", code), V_FINDING;
	if (code == 64 || code == 65 || code == 66 || code == 69 || code == 127)
		return snprintf(why, n, "vmm refused to run (exit %d): %.200s",
				code, r->err), V_SETUP;
	if (code <= 63 && has_line(r->err, "vmm: "))
		return snprintf(why, n, "exit %d (success) with a diagnosis", code),
		       V_FINDING;
	if (code == 70)
		return snprintf(why, n, "exit 70: vmm blames its own system call"
				" for what a guest did"), V_FINDING;
	if (code > 63 && !((code >= 71 && code <= 81) || code == 124))
		return snprintf(why, n, "exit %d: not a documented exit code", code),
		       V_FINDING;
	if (code > 63 && (strncmp(r->err, "vmm: ", 5) || r->err[5] == '\n' ||
			  !r->err[5]))
		return snprintf(why, n, "exit %d without a diagnosis on stderr's"
				" first line", code), V_FINDING;
	if ((bad = bad_lines(in, r->err)))
		return snprintf(why, n, "exit %d: %s", code, bad), V_FINDING;
	return V_OK;
}

static void describe(FILE *f, const struct gen_input *in)
{
	fprintf(f, "seed 0x%016llx  kind %s%s  mode %s  mem %llu KiB  cpus %u"
		"  disk %s\n", (unsigned long long)in->seed, gen_kind_name(in->kind),
		in->mutated ? " (mutated)" : "", in->real ? "real" : "long",
		(unsigned long long)(in->mem >> 10), in->cpus,
		in->disk ? (in->disk_ro ? "read-only" : "yes") : "no");
}

/* mkdir -p path: each folder of it. */
static void mkdirs(const char *path)
{
	char p[512];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		die("mkdir %s: %s", p, strerror(errno));
}

/* DIR/findings/SEED.bin (the guest) and SEED.txt (what happened). */
static void save_finding(const struct opts *o, const struct gen_input *in,
			 const struct run *r, const char *why)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/findings", o->dir);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/findings/%016llx.bin", o->dir,
		 (unsigned long long)in->seed);
	write_file(path, in->code, in->len);
	snprintf(path, sizeof(path), "%s/findings/%016llx.txt", o->dir,
		 (unsigned long long)in->seed);
	if (!(f = fopen(path, "w")))
		die("fopen %s: %s", path, strerror(errno));
	fprintf(f, "finding: %s\n", why);
	describe(f, in);
	fprintf(f, "command: %s\nagain:   %s --vmm VMM --one 0x%016llx\n"
		"--- stderr (%zu bytes kept) ---\n%s\n--- stdout (%zu bytes kept)"
		" ---\n%s\n", r->cmd, prog, (unsigned long long)in->seed, r->nerr,
		r->err, r->nout, r->out);
	fclose(f);
	fprintf(stderr, "%s: FINDING (seed 0x%016llx, %s): %s\n  saved as %s\n",
		prog, (unsigned long long)in->seed, gen_kind_name(in->kind), why,
		path);
}

/* Generates, writes and runs input seed with vmm; classifies the run. */
static enum verdict one(const struct opts *o, const char *vmm, uint64_t seed,
			struct gen_input *in, struct run *r, char *why, size_t n)
{
	char buf[32][300], *argv[33], path[300];
	int argc;

	gen_input(seed, in);
	snprintf(path, sizeof(path), "%s/input.bin", work);
	write_file(path, in->code, in->len);
	snprintf(path, sizeof(path), "%s/disk.img", work);
	make_disk(path);
	argc = build_argv(in, vmm, o->timeout, buf, argv);
	r->cmd[0] = '\0';
	for (int i = 0; i < argc; i++)
		snprintf(r->cmd + strlen(r->cmd), sizeof(r->cmd) - strlen(r->cmd),
			 "%s%s", i ? " " : "", argv[i]);
	run_vmm(argv, o->timeout + o->grace, r);
	return classify(in, r, why, n);
}

static void tally_add(struct tally *t, const struct gen_input *in,
		      const struct run *r)
{
	t->runs++;
	t->kind[in->kind]++;
	t->mutated += in->mutated != 0;
	if (r->hung)
		t->hangs++;
	else if (WIFSIGNALED(r->status))
		t->signals++;
	else
		t->status[WEXITSTATUS(r->status) & 0xff]++;
	if (r->secs > t->slowest)
		t->slowest = r->secs;
}

static const char *status_meaning(int code)
{
	static const char *const m[] = {
		[71] = "CPU exception (reported by a ucall)",
		[72] = "guest assertion", [73] = "triple fault",
		[74] = "memory with no RAM (MMIO)", [75] = "halted forever",
		[76] = "port no device answers", [77] = "entry refused",
		[78] = "KVM internal error", [79] = "unhandled exit",
		[80] = "pre-entry check", [81] = "malformed ucall",
	};

	if (code == 0)
		return "halted, or guest_exit(0)";
	if (code <= 63)
		return "guest_exit(code)";
	if (code == 124)
		return "the watchdog (--timeout)";
	return code < 82 && m[code] ? m[code] : "?";
}

static void summary(FILE *f, const struct opts *o, const struct tally *t,
		    double secs)
{
	fprintf(f, "guest fuzzer: %lu runs in %.1f s (%.1f/s), base seed"
		" 0x%016llx, --timeout %g, slowest run %.2f s\n", t->runs, secs,
		secs > 0 ? (double)t->runs / secs : 0.0,
		(unsigned long long)o->seed, o->timeout, t->slowest);
	for (unsigned i = 0; i < o->nvmm; i++)
		fprintf(f, "  vmm: %s\n", o->vmm[i]);
	fprintf(f, "%-16s %8s\n", "input kind", "runs");
	for (int k = 0; k < GEN_KINDS; k++)
		fprintf(f, "%-16s %8lu\n", gen_kind_name((enum gen_kind)k), t->kind[k]);
	fprintf(f, "(%lu of them mutated after generation)\n", t->mutated);
	fprintf(f, "%-16s %8s  %s\n", "vmm exit status", "runs", "meaning");
	for (int c = 0; c < 256; c++)
		if (t->status[c])
			fprintf(f, "%-16d %8lu  %s\n", c, t->status[c],
				status_meaning(c));
	if (t->signals)
		fprintf(f, "%-16s %8lu\n", "killed by signal", t->signals);
	if (t->hangs)
		fprintf(f, "%-16s %8lu\n", "hung", t->hangs);
	fprintf(f, "findings: %lu%s\n", t->findings, t->findings ?
		"  (see the findings/ folder)" : "");
}

static void usage(void)
{
	fprintf(stderr, "usage: %s --vmm PATH [--vmm PATH2] [--seconds N]"
		" [--seed S] [--count N]\n        [--timeout T] [--grace G]"
		" [--dir DIR] [--one SEED]\n", prog);
	exit(2);
}

static double number(const char *s)
{
	char *end;
	double v = s ? strtod(s, &end) : -1;

	if (!s || *end || !(v >= 0))
		usage();
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.seconds = 60, .timeout = 1, .grace = 5,
			   .dir = "build/fuzz/guest"};
	o->seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--vmm") && o->nvmm < MAX_VMM)
			o->vmm[o->nvmm++] = v;
		else if (!strcmp(a, "--seconds"))
			o->seconds = number(v);
		else if (!strcmp(a, "--timeout"))
			o->timeout = number(v);
		else if (!strcmp(a, "--grace"))
			o->grace = number(v);
		else if (!strcmp(a, "--count"))
			o->count = (unsigned long)number(v);
		else if (!strcmp(a, "--seed"))
			o->seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--one"))
			o->one = strtoull(v, NULL, 0), o->have_one = 1;
		else if (!strcmp(a, "--dir"))
			o->dir = v;
		else
			usage();
	}
	if (!o->nvmm || o->timeout <= 0)
		usage();
}

/* --one SEED: that input again, everything shown. */
static int replay(const struct opts *o)
{
	static struct gen_input in;
	static struct run r;
	char why[512];
	enum verdict v = one(o, o->vmm[0], o->one, &in, &r, why, sizeof(why));

	describe(stdout, &in);
	printf("command: %s\nexit: %d%s  (%.2f s)\n--- stderr ---\n%s--- stdout"
	       " ---\n%s\n", r.cmd, WIFEXITED(r.status) ? WEXITSTATUS(r.status)
	       : -1, r.hung ? " (hung, killed)" : "", r.secs, r.err, r.out);
	printf("verdict: %s%s\n", v == V_OK ? "promises kept" : why,
	       v == V_FINDING ? " (a finding)" : "");
	return v == V_OK ? 0 : v == V_FINDING ? 1 : 2;
}

static void cleanup(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/input.bin", work);
	unlink(path);
	snprintf(path, sizeof(path), "%s/disk.img", work);
	unlink(path);
	rmdir(work);
}

int main(int argc, char **argv)
{
	static struct gen_input in;
	static struct run r;
	struct opts o;
	struct tally t = {0};
	uint64_t stream;
	double t0 = now();
	char why[512], path[600];
	FILE *f;

	parse(argc, argv, &o);
	snprintf(work, sizeof(work), "%s/guestfuzz.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(work))
		die("mkdtemp %s: %s", work, strerror(errno));
	atexit(cleanup);
	setenv("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1", 0);
	if (o.have_one)
		return replay(&o);
	stream = o.seed;
	while (now() - t0 < o.seconds && (!o.count || t.runs < o.count)) {
		const char *vmm = o.vmm[t.runs % o.nvmm];
		enum verdict v = one(&o, vmm, gen_next(&stream), &in, &r, why,
				     sizeof(why));

		if (v == V_SETUP)
			die("%s\n  (command: %s)", why, r.cmd);
		tally_add(&t, &in, &r);
		if (v == V_FINDING) {
			t.findings++;
			save_finding(&o, &in, &r, why);
		}
	}
	summary(stdout, &o, &t, now() - t0);
	mkdirs(o.dir);
	snprintf(path, sizeof(path), "%s/summary.txt", o.dir);
	if ((f = fopen(path, "w"))) {
		summary(f, &o, &t, now() - t0);
		fclose(f);
	}
	return t.findings ? 1 : 0;
}
