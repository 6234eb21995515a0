/*
 * util.h: what the KVM tests share: is KVM usable, where the build is, and
 * running build/vmm as a child with its output captured.
 */
#ifndef VMM_TESTS_UTIL_H
#define VMM_TESTS_UTIL_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/kvm.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmlab_hwvirt.h"

/* KVM counts as usable when it creates a VM, not when /dev/kvm opens. */
static inline int kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm = -1;

	if (fd >= 0)
		vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm >= 0)
		close(vm);
	if (fd >= 0)
		close(fd);
	return vm >= 0;
}

#define NEED_KVM()                                                          \
	do {                                                                \
		if (!kvm_usable())                                          \
			cr_skip_test("no usable /dev/kvm on this machine: run " \
				     "`make test` in labs/03-hypervisor, which " \
				     "runs these tests inside labvm");       \
	} while (0)

/* The build directory: $VMM_BUILD, else the parent of this test's folder
 * (of tests/ for a hidden test, in tests/hidden/). */
static inline const char *build_dir(void)
{
	static char dir[4096];
	char exe[4096];
	ssize_t n;

	if (getenv("VMM_BUILD"))
		return getenv("VMM_BUILD");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return "build";
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(dirname(exe)));
	/* build/tests/hidden/test_x: one folder further up. */
	n = (ssize_t)strlen(dir);
	if (n >= 6 && !strcmp(dir + n - 6, "/tests"))
		dir[n - 6] = '\0';
	return dir;
}

/* build_dir()/rel, in a static buffer per call slot (4 slots). */
static inline const char *bpath(const char *rel)
{
	static char buf[4][8192];
	static int i;

	i = (i + 1) % 4;
	/* build_dir() is under 4096 bytes: the sum always fits. */
	if (snprintf(buf[i], sizeof(buf[i]), "%.4095s/%.4000s", build_dir(),
		     rel) < 0)
		buf[i][0] = '\0';
	return buf[i];
}

struct vmm_out {
	int rc;          /* exit code, or 128 + signal */
	char out[8192];  /* stdout, NUL-terminated, truncated */
	char err[8192];
};

static inline void slurp_fd(int fd, char *buf, size_t n)
{
	size_t len = 0;
	ssize_t r;

	lseek(fd, 0, SEEK_SET);
	while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
}

/* The clock since boot, in seconds (the one /proc/PID/stat counts in). */
static inline double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * When this test's process started (Criterion runs each test in a
 * process of its own and times it from there), or now if unknown.
 */
static inline double test_started(void)
{
	char buf[1024], *p;
	unsigned long long ticks = 0;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
			 " %*u %*u %*d %*d %*d %*d %*d %*d %llu", &ticks) != 1)
		return mono_now();
	return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

/*
 * Milliseconds vmm may still run: half the test's timeout, counted from
 * the test process's start (the rest to report, well before Criterion's
 * own timeout: Criterion 2.4.1 aborts its runner, and with it the tests
 * still to run, when its timeout meets a test that has just failed). A vmm that outlives it is stopped and
 * the test fails with what vmm printed, instead of Criterion's bare
 * "timed out" (a run loop that ignores the watchdog shows its last exits).
 */
static inline int vmm_budget_ms(double *limit)
{
	static double start = -1;
	double now = mono_now(), left;

	if (start < 0)
		start = test_started();
	*limit = 60;
	if (criterion_current_test && criterion_current_test->data) {
		/* Criterion lays its test data out unaligned: copy, then read
		 * (a member read through the pointer is UB, and UBSan says so). */
		struct criterion_test_extra_data d;
		memcpy(&d, criterion_current_test->data, sizeof(d));
		if (d.timeout > 0)
			*limit = d.timeout;
	}
	left = start + *limit * 0.5 - now;
	return left < 1 ? 1000 : (int)(left * 1000);
}

/*
 * Waits up to ms for pid; 1 when it ended (reaped into *st), else 0.
 * WNOHANG every 5 ms against the clock: a failure path only (a vmm that
 * ends is reaped at once), and simpler than a pidfd, whose poll() was
 * seen not to return in time here while the child spun.
 */
static inline int wait_for(pid_t pid, int ms, int *st)
{
	const struct timespec tick = {.tv_nsec = 5000000};
	double end = mono_now() + ms / 1000.0;

	for (;;) {
		pid_t r = waitpid(pid, st, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return 1;
		if (mono_now() >= end)
			return 0;
		nanosleep(&tick, NULL);
	}
}

/*
 * vmm outlived the test's budget: SIGTERM (vmm then says what each VM was
 * doing and its last exits), SIGKILL half a second later if need be.
 */
static inline void stop_vmm(pid_t pid, int *st)
{
	kill(pid, SIGTERM);
	if (!wait_for(pid, 500, st)) {
		kill(pid, SIGKILL);
		waitpid(pid, st, 0);
	}
}

/* Runs build/vmm with args (NULL-terminated) and collects what it said. */
static inline void run_vmm(struct vmm_out *o, const char *const *args)
{
	const char *argv[32] = {bpath("vmm")};
	FILE *out = tmpfile(), *err = tmpfile();
	int st, k = 1;

	cr_assert(out && err, "tmpfile");
	for (; args[k - 1] && k < 31; k++)
		argv[k] = args[k - 1];
	argv[k] = NULL;
	pid_t pid = fork();

	cr_assert(pid >= 0, "fork");
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	double limit;
	int ended = wait_for(pid, vmm_budget_ms(&limit), &st);

	if (!ended)
		stop_vmm(pid, &st);
	o->rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp_fd(fileno(out), o->out, sizeof(o->out));
	slurp_fd(fileno(err), o->err, sizeof(o->err));
	fclose(out);
	fclose(err);
	cr_assert(ended, "vmm %s did not end within half of this test's %.0f s:"
		  " stopped with SIGTERM. It printed:\n"
		  "stdout:\n%s\nstderr:\n%s", args[0], limit, o->out, o->err);
}

#define VMM(o, ...) run_vmm((o), (const char *const[]){__VA_ARGS__, NULL})

/* Does text have a line matching the extended regex re? */
static inline int matches(const char *text, const char *re)
{
	regex_t r;
	int ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB))
		return 0;
	ok = regexec(&r, text, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

#define EXPECT_RC(o, want)                                                  \
	cr_assert_eq((o).rc, (want), "exit code %d, expected %d\nstdout: %s\n" \
		     "stderr: %s", (o).rc, (want), (o).out, (o).err)
#define EXPECT_ERR(o, re)                                                   \
	cr_assert(matches((o).err, (re)), "stderr has no line matching /%s/:\n%s", \
		  (re), (o).err)
#define EXPECT_OUT(o, re)                                                   \
	cr_assert(matches((o).out, (re)), "stdout has no line matching /%s/:\n%s", \
		  (re), (o).out)

#endif /* VMM_TESTS_UTIL_H */
