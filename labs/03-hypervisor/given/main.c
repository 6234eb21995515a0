/*
 * vmm: a virtual machine monitor on the Linux KVM API.
 *
 * main parses the command line, reads the guest image, reports, and picks
 * the exit code (README.md, "Exit codes"); the library does the rest.
 * It also owns the watchdog: a timer signal whose handler calls vm_stop().
 */
#include "cli.h"
#include "diag.h"
#include "linux.h"
#include "many.h"
#include "probe.h"
#include "report.h"
#include "vcpu.h"
#include "vm.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *prog = "vmm";
/* The largest guest image and run-many config vmm reads (README.md). */
#define MAX_IMAGE (1ULL << 30)
#define MAX_CONFIG (1ULL << 20)
/* The running VMs, for the watchdog's signal handler. */
static struct vm *running[MANY_MAX];
static unsigned nrunning;

static const char usage[] =
	"usage: vmm probe [--json]\n"
	"       vmm run [options] GUEST.elf\n"
	"       vmm run [options] --flat FILE@ADDR [--entry ADDR]\n"
	"       vmm run [--mem SIZE] [--cpus N] [--timeout S] --kernel bzImage\n"
	"               [--initrd FILE] [--cmdline TEXT] [--disk SPEC]  (Linux)\n"
	"       vmm run-many [--timeout S] CONFIG   (lines: NAME IMAGE [mem=SIZE]\n"
	"                                          [cpus=N] [disk=SPEC])\n"
	"options:\n"
	"  --mem SIZE       guest RAM (default 64M; 1M to 3G)\n"
	"  --mode long|real the CPU mode at entry (default long; real: flat only)\n"
	"  --cpus N         vCPUs, one thread each (default 1; long mode)\n"
	"  --timeout S      stop a guest that runs longer (exit code 124)\n"
	"  --trace[=N]      print the last N exits at the end (default 16)\n"
	"  --stats          exits per reason and mean time per exit\n"
	"  --json           with --stats: one line of JSON instead\n"
	"  --disk FILE[:OFFSET:SIZE][,ro]  a disk: the file, or a slice of it\n"
	"The guest's console is stdout; vmm's own messages go to stderr.\n";

/*
 * s as a terminal should see it, in out (n bytes, n >= 5): each control
 * byte but newline and tab, and DEL, as \xNN. Paths, words of the command
 * line and config lines reach vmm's messages; an escape sequence in one
 * must not clear or retitle the user's terminal.
 */
static const char *shown(const char *s, char *out, size_t n)
{
	size_t len = 0;

	for (; *s && len + 5 <= n; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t')
			out[len++] = (char)c;
		else
			len += (size_t)snprintf(out + len, 5, "\\x%02x", c);
	}
	out[len] = '\0';
	return out;
}

__attribute__((format(printf, 2, 3), noreturn))
static void die(int code, const char *fmt, ...)
{
	char msg[8192], out[4 * sizeof(msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", prog, shown(msg, out, sizeof(out)));
	exit(code);
}

/* e's one line ("KVM_RUN: Bad address"); the code alone if e is empty. */
static const char *said(const struct vmlab_err *e, int r)
{
	return e->code == r && e->msg[0] ? e->msg : strerror(-r);
}

/*
 * What failed, as vmm's messages name it: the call (e->name), or, for the
 * configuration vm_create() refused, where it came from: a flag, or for a
 * VM of a run-many config (many: 1) its key. Decided by e->name, which the
 * library sets from code; never by e->msg's text.
 */
static const char *failed_call(const struct vmlab_err *e, int many, char *buf, size_t n)
{
	if (!e->name)
		return "?";
	if (!strcmp(e->name, VM_ERR_CPUS))
		snprintf(buf, n, "%s (%s)", many ? "cpus=" : "--cpus", e->msg);
	else if (!strcmp(e->name, VM_ERR_MEM))
		snprintf(buf, n, "the RAM size (%s)", e->msg);
	else if (!strcmp(e->name, BLK_ERR_OPEN) && e->code == -EINVAL)
		snprintf(buf, n, "%s: %s", many ? "disk=" : "--disk", e->msg);
	else if (!strcmp(e->name, BLK_ERR_OPEN))
		snprintf(buf, n, "open (%s)", many ? "disk=" : "--disk");
	else
		return e->name;
	return buf;
}

/*
 * Why KVM (or the disk, when the VM has one) is not usable, and what to do.
 * who: the VM's name in a run-many config (its lines then say "vmm: NAME:
 * ..."), or NULL for vmm run and probe.
 */
__attribute__((noreturn))
static void die_kvm(const struct vmlab_err *e, const char *disk, const char *who)
{
	int err = e->code;
	char buf[sizeof(e->msg) + 32], what[sizeof(buf) + 40];

	snprintf(what, sizeof(what), "%s%s%s", who ? who : "", who ? ": " : "",
		 failed_call(e, who != NULL, buf, sizeof(buf)));
	if (disk && e->name && !strcmp(e->name, BLK_ERR_OPEN)) {
		if (err == -EINVAL) /* the file is there, but not as a disk */
			die(DIAG_EX_USAGE, "%s (%s)", what, disk);
		die(DIAG_EX_NOINPUT, "%s%sopen %s: %s", who ? who : "", who ? ": " : "",
		    disk, strerror(-err));
	}
	if (err == -ENOENT || err == -ENXIO || err == -ENODEV)
		die(DIAG_EX_NOKVM, "%s: %s\n  No usable /dev/kvm: the kvm module"
		    " is not loaded, the CPU lacks VT-x/AMD-V, or (inside a"
		    " VM) nested virtualization is off.\n  Run vmm inside"
		    " labvm instead: ../../grader/labvm shell --in build", what,
		    strerror(-err));
	if (err == -EACCES || err == -EPERM)
		die(DIAG_EX_NOKVM, "%s: %s\n  Join the kvm group (sudo usermod"
		    " -aG kvm $USER, then log in again) or use labvm.", what,
		    strerror(-err));
	if (err == -EPROTO)
		die(DIAG_EX_NOKVM, "%s: this kernel's KVM API is not version 12;"
		    " vmm refuses to guess", what);
	die(DIAG_EX_VMM, "%s: %s", what, strerror(-err));
}

static int cmd_probe(const struct cli *c)
{
	struct probe p;
	struct vmlab_err e;
	int r = probe_kvm("/dev/kvm", &p, &e);

	if (r && r != -ENOTSUP)
		die_kvm(&e, NULL, NULL);
	if (c->json)
		report_probe_json(stdout, &p);
	else
		report_probe(stdout, &p);
	if (r)
		die(DIAG_EX_NOKVM, "%u required capabilit%s missing: this"
		    " kernel's KVM is too old for vmm", p.missing,
		    p.missing == 1 ? "y is" : "ies are");
	return 0;
}

/*
 * Reads all of path into a malloc'ed buffer (an empty file gives len 0).
 * Only a regular file of at most max bytes: a FIFO or a device has no end
 * to read to (and opening a FIFO would wait for a writer: O_NONBLOCK).
 */
static void *slurp(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char *buf;

	if (fd < 0 || fstat(fd, &st) < 0)
		die(DIAG_EX_NOINPUT, "open %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(DIAG_EX_NOINPUT, "%s: not a regular file (vmm reads a guest"
		    " image or a config whole, from a file)", path);
	if ((uint64_t)st.st_size > max)
		die(DIAG_EX_NOINPUT, "%s: %llu bytes, over vmm's limit of %zu MiB"
		    " for this file", path, (unsigned long long)st.st_size,
		    max >> 20);
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		die(DIAG_EX_VMM, "malloc: %s", strerror(errno));
	*len = 0;
	while (*len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + *len, (size_t)st.st_size - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(DIAG_EX_NOINPUT, "read %s: %s", path,
			    n < 0 ? strerror(errno) : "file shrank");
		*len += (size_t)n;
	}
	close(fd);
	return buf;
}

/* Appends to buf[*len..n) what fmt says; snprintf only (signal handler). */
__attribute__((format(printf, 4, 5)))
static void add(char *buf, size_t *len, size_t n, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len += (size_t)k < n - *len ? (size_t)k : n - *len - 1;
}

/* What VM vm was doing: a stop not obeyed, its vCPUs, its last exits. */
static void term_report(struct vm *vm, char *buf, size_t *len, size_t n)
{
	int stop = __atomic_load_n(&vm->stop, __ATOMIC_SEQ_CST);
	const char *who = vm->cfg.name ? vm->cfg.name : "the VM";
	unsigned k = trace_len(&vm->trace);

	for (unsigned i = 0; stop && i < VM_MAX_VCPUS; i++) {
		struct vcpu *v = __atomic_load_n(&vm->vcpu[i], __ATOMIC_ACQUIRE);

		if (v && __atomic_load_n(&v->running, __ATOMIC_ACQUIRE))
			add(buf, len, n, "%s: %s was told to stop (%s) but vCPU"
			    " %u is still in its run loop: does it go back into"
			    " KVM_RUN after EINTR without looking at vm->stop?\n",
			    prog, who, diag_end_name((enum vm_end)(stop - 1)), i);
	}
	/* Read while vCPUs may still add to it: an entry may be torn. */
	add(buf, len, n, "%s: %s: last %u exit%s (of %llu):\n", prog, who, k,
	    k == 1 ? "" : "s", (unsigned long long)vm->trace.seq);
	for (unsigned i = 0; i < k && *len + 1 < n; i++)
		*len += report_trace_line(buf + *len, n - *len,
					  trace_get(&vm->trace, i),
					  vm->trace.with_rip);
}

/*
 * SIGTERM or SIGINT before the guests ended (a test's deadline, Ctrl-C):
 * say what each VM was doing, then die of the signal. A VM that ignores
 * the watchdog is a broken run loop; its last exits say where it was.
 */
static void on_term(int sig)
{
	static char buf[32768];
	size_t len = 0, done = 0;

	add(buf, &len, sizeof(buf), "%s: killed by %s before the guest ended\n",
	    prog, sig == SIGINT ? "SIGINT" : "SIGTERM");
	for (unsigned i = 0; i < nrunning; i++)
		term_report(running[i], buf, &len, sizeof(buf));
	while (done < len) {
		ssize_t w = write(STDERR_FILENO, buf + done, len - done);

		if (w <= 0)
			break;
		done += (size_t)w;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* From now on a SIGTERM or SIGINT reports the running VMs first. */
static void catch_term(void)
{
	struct sigaction sa = {.sa_handler = on_term};

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		die(DIAG_EX_VMM, "sigaction: %s", strerror(errno));
}

static void on_alarm(int sig)
{
	(void)sig;
	for (unsigned i = 0; i < nrunning; i++)
		vm_stop(running[i], VM_END_TIMEOUT);
}

static void arm_watchdog(double seconds)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	struct itimerval it = {0};

	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		die(DIAG_EX_VMM, "sigaction: %s", strerror(errno));
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) < 0)
		die(DIAG_EX_VMM, "setitimer: %s", strerror(errno));
}

/* Loads the guest; a refused image is reported before any KVM call. */
static void load(struct vm *vm, const struct cli *c, const void *img,
		 size_t len, uint64_t *entry)
{
	char path[4 * sizeof(c->flat_path)];
	struct image_error e;
	int r;

	if (c->flat) {
		r = vm_load_flat(vm, img, len, c->flat_addr, &e);
		*entry = c->entry;
	} else {
		r = vm_load_elf(vm, img, len, entry, &e);
	}
	if (r == -ENOSYS)
		die(DIAG_EX_VMM, "the %s is not written yet (src/image.c)",
		    c->flat ? "flat image check" : "ELF loader");
	if (r) {
		report_image(stderr, prog, shown(c->flat ? c->flat : c->image,
						 path, sizeof(path)), &e, c->mem);
		exit(DIAG_EX_IMAGE);
	}
}

/* The checks that need no KVM: a bad image fails here on any machine. */
static void precheck(const struct cli *c, const void *img, size_t len)
{
	char path[4 * sizeof(c->flat_path)];
	struct image_error e;
	struct image_plan plan;
	uint64_t reserved = c->mode == VM_MODE_LONG ? ABI_RESERVED_END : 0;
	uint64_t area;
	int r = c->flat ? image_place_flat(c->flat_addr, len, c->mem, reserved,
					   &area, &e)
			: image_parse(img, len, c->mem, reserved, &plan, &e);

	if (r && r != -ENOSYS) {
		report_image(stderr, prog, shown(c->flat ? c->flat : c->image,
						 path, sizeof(path)), &e, c->mem);
		exit(DIAG_EX_IMAGE);
	}
}

/* The challenge: a Linux bzImage, its initrd, command line and disk. */
static int cmd_linux(const struct cli *c)
{
	struct vm_config cfg = {.mem_size = c->mem, .mode = VM_MODE_LINUX,
				.console_fd = STDOUT_FILENO, .trace = c->trace,
				.stats = c->stats, .timeout = c->timeout,
				.cpus = c->cpus,
				.disk = c->has_disk ? &c->disk : NULL};
	struct linux_boot b = {.cmdline = c->cmdline ? c->cmdline
						     : LINUX_DEFAULT_CMDLINE};
	struct vm_result res;
	struct vm *vm;
	struct vmlab_err e;
	uint64_t entry;
	int r;

	b.kernel = slurp(c->kernel, MAX_IMAGE, &b.kernel_len);
	if (c->initrd)
		b.initrd = slurp(c->initrd, MAX_IMAGE, &b.initrd_len);
	if (linux_check(&b, c->mem, &e)) /* RAM too small: --mem gives more */
		die(DIAG_EX_IMAGE, "%s: %s%s", c->kernel, e.msg,
		    e.name && !strcmp(e.name, LINUX_ERR_MEM) ? " (--mem)" : "");
	if ((r = vm_create(&cfg, &vm, &e)))
		die_kvm(&e, c->has_disk ? c->disk.path : NULL, NULL);
	if ((r = linux_load(vm, &b, &entry, &e)))
		die(DIAG_EX_VMM, "%s", said(&e, r));
	free((void *)b.kernel);
	free((void *)b.initrd);
	running[0] = vm;
	nrunning = 1;
	catch_term();
	if (c->timeout > 0)
		arm_watchdog(c->timeout);
	if ((r = vm_run(vm, entry, &res, &e)))
		die(DIAG_EX_VMM, "%s", said(&e, r));
	fflush(stdout);
	report_run(stderr, prog, vm, &res);
	nrunning = 0;
	vm_destroy(vm);
	return diag_status(&res);
}

static int cmd_run(const struct cli *c)
{
	struct vm_config cfg = {c->mem, c->mode, STDOUT_FILENO, c->trace,
				c->stats, c->timeout,
				c->has_disk ? &c->disk : NULL, c->cpus, NULL};
	struct vm_result res;
	struct vm *vm;
	struct vmlab_err e;
	uint64_t entry;
	size_t len;
	void *img = slurp(c->flat ? c->flat : c->image, MAX_IMAGE, &len);
	int r;

	precheck(c, img, len);
	if ((r = vm_create(&cfg, &vm, &e))) {
		free(img); /* die_kvm() ends the process */
		die_kvm(&e, c->has_disk ? c->disk.path : NULL, NULL);
	}
	load(vm, c, img, len, &entry);
	free(img);
	running[0] = vm;
	nrunning = 1;
	catch_term();
	if (c->timeout > 0)
		arm_watchdog(c->timeout);
	r = vm_run(vm, entry, &res, &e);
	if (r)
		die(DIAG_EX_VMM, "%s", said(&e, r));
	fflush(stdout);
	report_run(stderr, prog, vm, &res);
	if (c->trace)
		report_trace(stderr, &vm->trace);
	if (c->stats && c->json)
		report_json(stderr, &vm->stats, &res);
	else if (c->stats)
		report_stats(stderr, &vm->stats);
	nrunning = 0;
	vm_destroy(vm);
	return diag_status(&res);
}

/* One VM of a run-many config: checked, created, loaded. */
static struct vm *make_one(const struct many_vm *m, uint64_t *entry)
{
	struct cli c = {.cmd = CLI_RUN, .image = m->image, .mem = m->mem,
			.mode = VM_MODE_LONG, .cpus = m->cpus,
			.has_disk = m->has_disk, .disk = m->disk};
	struct vm_config cfg = {m->mem, VM_MODE_LONG, STDOUT_FILENO, 0, 0, 0,
				m->has_disk ? &m->disk : NULL, m->cpus, m->name};
	struct vmlab_err e;
	struct vm *vm;
	size_t len;
	void *img = slurp(m->image, MAX_IMAGE, &len);
	int r;

	precheck(&c, img, len);
	r = vm_create(&cfg, &vm, &e);
	if (r) {
		free(img);
		die_kvm(&e, m->has_disk ? m->disk.path : NULL, m->name);
	}
	load(vm, &c, img, len, entry);
	free(img);
	return vm;
}

/* Each VM's ending, prefixed with its name; the first failure's code. */
static int report_many(const struct many_vm *m, struct vm **vm, unsigned n,
		       const struct vm_result *res, const struct vmlab_err *err)
{
	int status = 0;

	for (unsigned i = 0; i < n; i++) {
		char who[64];
		int s = err[i].code ? DIAG_EX_VMM : diag_status(&res[i]);

		snprintf(who, sizeof(who), "%s: %.31s", prog, m[i].name);
		if (err[i].code)
			fprintf(stderr, "%s: %s\n", who, said(&err[i], err[i].code));
		else
			report_run(stderr, who, vm[i], &res[i]);
		if (!status && s)
			status = s;
	}
	return status;
}

static int cmd_run_many(const struct cli *c)
{
	static struct many_vm m[MANY_MAX];
	struct vm *vm[MANY_MAX];
	struct vm_result res[MANY_MAX];
	uint64_t entry[MANY_MAX];
	static struct vmlab_err err[MANY_MAX]; /* code 0: VM i did not fail */
	struct vmlab_err e;
	int n, r;
	size_t len;
	char *text = slurp(c->image, MAX_CONFIG, &len);

	text[len] = '\0';
	n = many_parse(text, m, MANY_MAX, &e);
	free(text);
	if (n < 0)
		die(DIAG_EX_USAGE, "%s: %s", c->image, said(&e, n));
	if ((r = many_check_disks(m, (unsigned)n, &e)))
		die(DIAG_EX_USAGE, "%s: %s", c->image, said(&e, r));
	for (int i = 0; i < n; i++)
		vm[i] = make_one(&m[i], &entry[i]);
	memcpy(running, vm, sizeof(vm[0]) * (size_t)n);
	nrunning = (unsigned)n;
	catch_term();
	if (c->timeout > 0)
		arm_watchdog(c->timeout);
	r = many_run(vm, entry, (unsigned)n, res, err);
	if (r)
		die(DIAG_EX_VMM, "many_run: %s", strerror(-r));
	fflush(stdout);
	r = report_many(m, vm, (unsigned)n, res, err);
	nrunning = 0;
	for (int i = 0; i < n; i++)
		vm_destroy(vm[i]);
	return r;
}

int main(int argc, char **argv)
{
	struct cli c;
	struct vmlab_err err;

	vmlab_err_clear(&err);
	if (cli_parse(argc, argv, &c, &err))
		die(DIAG_EX_USAGE, "%s\nTry 'vmm help'.", err.msg);
	switch (c.cmd) {
	case CLI_HELP:
		fputs(usage, stdout);
		return 0;
	case CLI_PROBE:
		return cmd_probe(&c);
	case CLI_RUN:
		return c.kernel ? cmd_linux(&c) : cmd_run(&c);
	case CLI_RUN_MANY:
		return cmd_run_many(&c);
	}
	return DIAG_EX_USAGE;
}
