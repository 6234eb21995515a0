/*
 * test_linux_boot: the Linux challenge as an optional bonus test (stage
 * 03.10, README "Challenge · boot Linux"). vmm boots labvm's kernel with
 * build/linux/initrd.gz (tests/linux/init) on 2 vCPUs and 192 MiB, and
 * init must report "init: cpus 2" and a MemTotal a 192 MiB machine can
 * have. Needs /dev/kvm (inside labvm on a host without it: ~13 s on a
 * quiet machine, 141 s measured at load 17; the limit, 120 s of which
 * vmm gets half, stretches with the load).
 *
 * The kernel's path is the Makefile's LINUX_KERNEL (VMM_LINUX_KERNEL here);
 * a missing kernel or initrd fails, saying what to run, never skips.
 */
#include "graded.h"
#include "linux.h"
#include "util.h"

#include <sys/stat.h>

#ifndef VMM_LINUX_KERNEL
#define VMM_LINUX_KERNEL "../../build/labvm/vmlinuz"
#endif

/* The guest's RAM, and the MemTotal init may report for it: the RAM less
 * what the kernel keeps (its image, page tables; tests/linux/boot.sh
 * allows up to 62144 kB at 256 MiB), never more than the RAM. */
#define MEM_MIB  192
#define MEM_MIN_KB (MEM_MIB * 1024 - 62144)
#define MEM_MAX_KB (MEM_MIB * 1024)

/* All of file f (the whole console log, which run_vmm would cut at 8 KiB). */
static char *slurp_all(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = lseek(fileno(f), 0, SEEK_END);
	s = malloc(n > 0 ? (size_t)n + 1 : 1);
	cr_assert(s, "malloc");
	lseek(fileno(f), 0, SEEK_SET);
	n = n > 0 ? (long)read(fileno(f), s, (size_t)n) : 0;
	s[n > 0 ? n : 0] = '\0';
	return s;
}

/* The value after "init: key" on a line of log, or -1. */
static long init_value(const char *log, const char *key)
{
	const char *p = strstr(log, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* The last n bytes of s, from a line's start. */
static const char *tail(const char *s, size_t n)
{
	size_t len = strlen(s);
	const char *t = len > n ? s + len - n : s;
	const char *nl = t > s ? strchr(t, '\n') : NULL;

	return nl ? nl + 1 : t;
}

GRADED_BONUS(lx, boots_on_2_vcpus, 10, "03.10 boot Linux", 120)
{
	const char *kernel = VMM_LINUX_KERNEL, *initrd = bpath("linux/initrd.gz");
	struct stat st;
	char timeout[32];
	double limit;
	int status;

	NEED_KVM();
	cr_assert(stat(kernel, &st) == 0, "no Linux kernel at %s: run `make labvm` "
		  "at the top of the tree (it fetches the kernel this test boots)",
		  kernel);
	cr_assert(stat(initrd, &st) == 0, "no %s: run `make linux-initrd` in "
		  "labs/03-hypervisor (after `make labvm` at the top: it packs "
		  "labvm's busybox with tests/linux/init)", initrd);
	int ms = vmm_budget_ms(&limit);
	/* vmm's own watchdog first: it then says where the guest was. */
	snprintf(timeout, sizeof(timeout), "%d", ms / 1000 > 2 ? ms / 1000 - 1 : 1);
	FILE *out = tmpfile(), *err = tmpfile();
	cr_assert(out && err, "tmpfile");
	/* no_timer_check: on a loaded machine under emulation the kernel's
	 * check that the timer ticks (labvm's own boot has it too) can stall
	 * at "..TIMER:" for minutes; the test is about vmm, not about luck.
	 * quiet: the kernel's ~40 KB of boot messages are two exits a byte,
	 * minutes at load 15 in labvm; init's lines still go out through
	 * the tty and COM1's interrupt, and kernel errors still print. */
	const char *argv[] = { bpath("vmm"), "run", "--kernel", kernel, "--initrd",
			       initrd, "--cmdline", LINUX_DEFAULT_CMDLINE " no_timer_check quiet",
			       "--cpus", "2", "--mem", "192M", "--timeout", timeout,
			       NULL };
	pid_t pid = fork();
	cr_assert(pid >= 0, "fork");
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int ended = wait_for(pid, ms, &status);
	if (!ended)
		stop_vmm(pid, &status);
	char *log = slurp_all(out), *errs = slurp_all(err);
	long cpus = init_value(log, "init: cpus ");
	long mem = init_value(log, "init: MemTotal: ");
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	int ok = ended && rc == 0 && cpus == 2 && mem >= MEM_MIN_KB &&
		 mem <= MEM_MAX_KB;
	fclose(out);
	fclose(err);
	cr_assert(ok, "wanted init's \"init: cpus 2\" and \"init: MemTotal: N kB\" "
		  "(N from %d to %d for --mem %dM) and vmm's exit 0 (the guest "
		  "powered off); got cpus %ld, MemTotal %ld kB (-1: no such line), "
		  "exit %d%s.\nThe console's last lines:\n%s\nvmm's stderr:\n%s",
		  MEM_MIN_KB, MEM_MAX_KB, MEM_MIB, cpus, mem, rc,
		  ended ? "" : " (stopped: it did not end within half of the "
		  "test's time limit)", tail(log, 1500), tail(errs, 1000));
	free(log);
	free(errs);
}
