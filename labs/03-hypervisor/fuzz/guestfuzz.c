/*
 * guestfuzz: the guest fuzzer. Random and half-structured guests, each run
 * by the real vmm on a real /dev/kvm, for a bounded time.
 *
 *   guestfuzz --vmm PATH [--vmm PATH2] [--seconds N] [--seed S]
 *             [--count N] [--timeout T] [--grace G] [--dir DIR]
 *             [--max-cpus N] [--verbose 1]
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
#include "guestrun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The guest's disk is the middle third of a file, as lab 02 gives each VM
 * a slice of one image: --disk FILE:SLICE:SLICE. The other thirds stand
 * for the neighbours' disks; no request may touch them.
 */
#define SLICE (128 * 512)
#define MAX_VMM 4

struct opts {
	const char *vmm[MAX_VMM];
	unsigned nvmm;
	double seconds, timeout, grace;
	uint64_t seed, one;
	int have_one, verbose;
	unsigned max_cpus;   /* 1: no several-vCPU guests */
	unsigned long count;
	const char *dir;
};

struct tally {
	unsigned long runs, findings, kind[GEN_KINDS], status[256];
	unsigned long hangs, signals, mutated;
	double slowest;
};

static const char *prog = "guestfuzz";
static char work[256];   /* the temporary folder */
/* Ctrl-C or SIGTERM: finish the current run, report, clean up. */
static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

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


static void write_file(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len || close(fd) != 0)
		die("write %s: %s", path, strerror(errno));
}

/* The disk file: sector n filled with byte n, fresh for every input. */
static uint8_t disk[3 * SLICE];

static void make_disk(const char *path)
{
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i / 512);
	write_file(path, disk, sizeof(disk));
}

/* After a run: the neighbours untouched, a read-only disk too. */
static const char *disk_changed(const char *path, int ro)
{
	static uint8_t now[3 * SLICE + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, now, sizeof(now));

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(disk))
		return "the disk file changed size (a write past the slice?)";
	if (memcmp(now, disk, SLICE) || memcmp(now + 2 * SLICE, disk + 2 * SLICE, SLICE))
		return "bytes outside the guest's slice of the disk file changed";
	if (ro && memcmp(now + SLICE, disk + SLICE, SLICE))
		return "the read-only disk was written";
	return NULL;
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
		ARG("%s/disk.img:%u:%u%s", work, SLICE, SLICE,
		    in->disk_ro ? ",ro" : "");
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
	const char *bad;
	enum verdict v;
	int argc, e;

	gen_input(seed, in);
	if (in->cpus > o->max_cpus)
		in->cpus = o->max_cpus ? o->max_cpus : 1;
	snprintf(path, sizeof(path), "%s/input.bin", work);
	write_file(path, in->code, in->len);
	snprintf(path, sizeof(path), "%s/disk.img", work);
	make_disk(path);
	argc = build_argv(in, vmm, o->timeout, buf, argv);
	r->cmd[0] = '\0';
	for (int i = 0; i < argc; i++)
		snprintf(r->cmd + strlen(r->cmd), sizeof(r->cmd) - strlen(r->cmd),
			 "%s%s", i ? " " : "", argv[i]);
	if (o->verbose) /* before the run: the last line names a hang */
		fprintf(stderr, "%s: seed 0x%016llx %s: %s\n", prog,
			(unsigned long long)seed, gen_kind_name(in->kind), r->cmd);
	if ((e = run_vmm(argv, o->timeout + o->grace, r)))
		die("cannot start %s: %s", vmm, strerror(-e));
	v = run_classify(in, r, why, n);
	if (v == V_OK && in->disk && (bad = disk_changed(path, in->disk_ro)))
		return snprintf(why, n, "%s", bad), V_FINDING;
	return v;
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
	unsigned long guest = 0;

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
	for (int c = 1; c <= 63; c++) /* the guest's own codes: one row */
		guest += t->status[c];
	if (t->status[0])
		fprintf(f, "%-16s %8lu  %s\n", "0", t->status[0], status_meaning(0));
	if (guest)
		fprintf(f, "%-16s %8lu  %s\n", "1-63", guest, status_meaning(1));
	for (int c = 64; c < 256; c++)
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
		" [--dir DIR] [--one SEED] [--verbose 1]\n        [--max-cpus N]\n", prog);
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
			   .dir = "build/fuzz/guest", .max_cpus = 2};
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
		else if (!strcmp(a, "--verbose"))
			o->verbose = (int)number(v);
		else if (!strcmp(a, "--max-cpus"))
			o->max_cpus = (unsigned)number(v);
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
	double t0 = run_now();
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
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	stream = o.seed;
	while (!stopping && run_now() - t0 < o.seconds &&
	       (!o.count || t.runs < o.count)) {
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
		if (r.hung == 2) {
			fprintf(stderr, "%s: stopping: a vmm that SIGKILL cannot end"
				" means this machine's KVM is stuck\n", prog);
			break;
		}
	}
	summary(stdout, &o, &t, run_now() - t0);
	mkdirs(o.dir);
	snprintf(path, sizeof(path), "%s/summary.txt", o.dir);
	if ((f = fopen(path, "w"))) {
		summary(f, &o, &t, run_now() - t0);
		fclose(f);
	}
	return t.findings ? 1 : 0;
}
