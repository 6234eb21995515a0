/* test_grade_jail.c: the sandbox, on real processes. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade_jail.h"

/* Without namespaces (GRADE_NO_NAMESPACES=1, or a kernel that refuses
 * them) a jail is only a process group: the tests below say what holds. */
static int no_namespaces(void)
{
	return !strncmp(grade_jail_mode(), "own process group", 17);
}

static struct grade_exit run(const char *script, double timeout)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = timeout, .cpu_s = 10,
		.mem = 1ULL << 30, .fsize = 1 << 20, .nproc = 64,
		.cap_head = 64, .cap_tail = 64,
	};
	struct grade_exit x;
	grade_jail_init();
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	return x;
}

Test(grade_jail, reports_the_exit_code_and_output)
{
	struct grade_exit x = run("echo out; echo err >&2; exit 3", 5);
	char *o = grade_cap_text(&x.out), *e = grade_cap_text(&x.err);
	cr_assert(x.exited && x.code == 3);
	cr_assert_str_eq(o, "out\n");
	cr_assert_str_eq(e, "err\n");
	free(o), free(e);
	grade_exit_free(&x);
}

Test(grade_jail, names_the_signal)
{
	struct grade_exit x = run("kill -SEGV $$", 5);
	cr_assert_eq(x.signal, 11);
	grade_exit_free(&x);
}

/* "sleep N" with an N no other process on this machine sleeps: this test's pid. */
static const char *own_sleep(void)
{
	static char cmd[32];
	snprintf(cmd, sizeof(cmd), "sleep 1%d", (int)getpid());
	return cmd;
}

/* Whether a process whose command line is exactly own_sleep() runs. */
static int own_sleep_runs(void)
{
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "ps -eo args | grep -qx '%s'", own_sleep());
	return system(cmd) == 0;
}

Test(grade_jail, kills_at_the_timeout_with_everything_it_started, .timeout = 20)
{
	char script[96];
	snprintf(script, sizeof(script), "setsid %s & %s", own_sleep(), own_sleep());
	struct grade_exit x = run(script, 0.5);
	cr_assert(x.timed_out);
	cr_assert_lt(x.elapsed, 3);
	cr_assert_not(own_sleep_runs(), "a sleep survived the jail");
	grade_exit_free(&x);
}

/*
 * A grader stopped by SIGTERM (Ctrl-C, a batch's kill, CI's timeout) while
 * its command is silent takes the jail with it: pid 1 of a namespace ignores
 * SIGTERM from outside, so only its parent-death signal can end it.
 */
Test(grade_jail, dies_with_a_grader_stopped_by_sigterm, .timeout = 30)
{
	char script[64];
	snprintf(script, sizeof(script), "%s; true", own_sleep());
	pid_t grader = fork();
	cr_assert_geq(grader, 0);
	if (grader == 0) {
		struct grade_exit x = run(script, 60);
		_exit(x.exited ? 0 : 1);
	}
	for (int i = 0; i < 100 && !own_sleep_runs(); i++)
		usleep(50000);
	cr_assert(own_sleep_runs(), "the jailed command never started");
	kill(grader, SIGTERM);
	waitpid(grader, NULL, 0);
	for (int i = 0; i < 60 && own_sleep_runs(); i++)
		usleep(50000);
	int left = own_sleep_runs();
	if (left) { /* end it, so a failure leaves nothing running */
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "pkill -x -f '%s'", own_sleep());
		(void)!system(cmd);
	}
	cr_assert_not(left, "the jail outlived its grader");
}

Test(grade_jail, caps_the_output, .timeout = 20)
{
	struct grade_exit x = run("head -c 10000000 /dev/zero | tr '\\0' y", 10);
	cr_assert_eq(x.out.total, 10000000);
	cr_assert_eq(grade_cap_dropped(&x.out), 10000000 - 128);
	grade_exit_free(&x);
}

Test(grade_jail, limits_file_size)
{
	struct grade_exit x = run("head -c 3000000 /dev/zero > \"${TMPDIR:-/tmp}/jail-fsize.$$\"; "
				  "r=$?; rm -f \"${TMPDIR:-/tmp}/jail-fsize.$$\"; exit $r", 5);
	cr_assert(x.signal == 25 || (x.exited && x.code != 0),
		  "a 3 MB file got past a 1 MiB RLIMIT_FSIZE");
	grade_exit_free(&x);
}

/*
 * The jail's /proc is its pid namespace's: a test finds its own children
 * there under the numbers fork() gave it, and sees no process of the
 * host's. Here the shell ($$) and init are all there is.
 */
Test(grade_jail, has_a_proc_of_its_own)
{
	struct grade_exit x = run("set -- /proc/[0-9]*; echo $#; "
				  "tr '\\0' ' ' </proc/$$/cmdline", 5);
	char *o = grade_cap_text(&x.out);
	if (no_namespaces())
		cr_assert(x.exited && x.code == 0);    /* the host's /proc, knowingly */
	else
		cr_assert_str_eq(o, "2\n/bin/sh -c set -- /proc/[0-9]*; echo $#; "
				 "tr '\\0' ' ' </proc/$$/cmdline ");
	free(o);
	grade_exit_free(&x);
}

/*
 * Two jails at once, as grade_pool runs them: the first starts, waits a
 * second, then starts 40 processes; the second, started after it, holds
 * 60 meanwhile. Each may have 64. With one count shared by both (the same
 * nobody), the first would find its quota taken and its forks refused.
 */
Test(grade_jail, counts_the_processes_of_each_jail_apart, .timeout = 30)
{
	if (!grade_jail_apart()) {
		cr_assert(no_namespaces(), "namespaces work here, so jails must "
			  "count apart");
		return;
	}
	grade_jail_init();
	pid_t first = fork();
	if (first == 0) {
		char *argv[] = { "/bin/sh", "-c", "sleep 1; for i in $(seq 40); "
				 "do sleep 2 & done; wait", NULL };
		char *env[] = { "PATH=/usr/bin:/bin", NULL };
		struct grade_jail j = {
			.argv = argv, .envp = env, .timeout_s = 20, .cpu_s = 10,
			.mem = 1ULL << 30, .fsize = 1 << 20, .nproc = 64,
			.cap_head = 256, .cap_tail = 256,
		};
		struct grade_exit x;
		_exit(grade_jail_run(&j, &x) == 0 && x.exited ? x.code : 99);
	}
	usleep(300 * 1000);
	struct grade_exit x = run("for i in $(seq 60); do sleep 4 & done; wait", 20);
	int st;
	cr_assert_eq(waitpid(first, &st, 0), first);
	cr_assert(x.exited && x.code == 0, "the second jail could not start its 60");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "the first jail's forks were refused (exit %d): the other "
		  "jail's processes counted against it", WEXITSTATUS(st));
	grade_exit_free(&x);
}

/*
 * Each jail is a session of its own (its init, pid 1, leads it), so that
 * the scheduler's autogroup shares the CPUs between jails, not between
 * their processes: a jail's autogroup is not the grader's.
 */
Test(grade_jail, is_a_session_of_its_own)
{
	struct grade_exit x = run("cut -d' ' -f6 /proc/$$/stat; "
				  "cut -d' ' -f1 /proc/$$/autogroup 2>/dev/null", 5);
	char *o = grade_cap_text(&x.out), mine[64] = "", want[160];
	FILE *f = fopen("/proc/self/autogroup", "r");
	if (f && fscanf(f, "%63s", mine) != 1)
		mine[0] = '\0';
	if (f)
		fclose(f);
	if (no_namespaces()) {
		cr_assert(x.exited && x.code == 0);
	} else {
		cr_assert_eq(atoi(o), 1, "the session is not init's: %s", o);
		if (*mine) {
			snprintf(want, sizeof(want), "\n%s\n", mine);
			cr_assert_null(strstr(o, want), "the jail shares the grader's "
				       "autogroup %s", mine);
			cr_assert(strstr(o, "\n/autogroup-"), "%s", o);
		}
	}
	free(o);
	grade_exit_free(&x);
}

/*
 * A test's /tmp is its own: Criterion's runner puts its socket there by
 * its pid in the jail, which some host process may have too. What the
 * jail needs under /tmp (here its own folder) is still there, and nothing
 * else of the host's /tmp.
 */
Test(grade_jail, has_a_tmp_of_its_own)
{
	char mark[64], *dir = grade_jail_mkdir("/tmp");
	cr_assert_not_null(dir);
	snprintf(mark, sizeof(mark), "/tmp/grade-jail-mark.%d", (int)getpid());
	FILE *f = fopen(mark, "w");
	cr_assert_not_null(f);
	fclose(f);
	char mine[64];
	snprintf(mine, sizeof(mine), "/tmp/grade-jail-mine.%d", (int)getpid());
	char *argv[] = { "/bin/sh", "-c", "ls -A /tmp; touch \"$1\"; "
			 "touch \"$0/mine\" && echo home", dir, mine, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = 5, .cpu_s = 5,
		.mem = 1ULL << 30, .fsize = 1 << 20, .nproc = 64,
		.cap_head = 256, .cap_tail = 256, .private_dir = dir,
	};
	struct grade_exit x;
	grade_jail_init();
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	char *o = grade_cap_text(&x.out), want[128];
	snprintf(want, sizeof(want), "%s\nhome\n", dir + 5);
	unlink(mark);
	int leaked = access(mine, F_OK) == 0;
	if (no_namespaces())
		unlink(mine);            /* the host's /tmp, knowingly */
	else
		cr_assert_str_eq(o, want);
	cr_assert(!leaked || no_namespaces(),
		  "the test's %s reached the host's /tmp", mine);
	free(o);
	grade_exit_free(&x);
	grade_jail_rmdir(dir);
	free(dir);
}

/*
 * A jail sees no CA certificates (Criterion's libgit2 would decode them
 * all at every test's start); the host's stay where they are.
 */
Test(grade_jail, shows_no_ca_certificates)
{
	static const char *bundle = "/etc/ssl/certs/ca-certificates.crt";
	if (no_namespaces() || access(bundle, R_OK) != 0)
		cr_skip_test("no namespaces, or no CA bundle on this host");
	struct grade_exit x = run("ls -A /etc/ssl/certs | wc -l", 5);
	char *o = grade_cap_text(&x.out);
	cr_assert_str_eq(o, "0\n", "the jail saw %s files in /etc/ssl/certs", o);
	cr_assert_eq(access(bundle, R_OK), 0, "the host lost its CA bundle");
	free(o);
	grade_exit_free(&x);
}

/*
 * A grader running as root never runs a command as root: with namespaces
 * or without them (GRADE_NO_NAMESPACES=1, or a container that may not
 * make them), the command is nobody's.
 */
Test(grade_jail, never_runs_a_command_as_root)
{
	struct grade_exit x = run("id -u; id -g", 5);
	char *o = grade_cap_text(&x.out), want[64];
	snprintf(want, sizeof(want), "%u\n%u\n", geteuid() ? (unsigned)geteuid() : 65534,
		 geteuid() ? (unsigned)getegid() : 65534);
	cr_assert_str_eq(o, want, "in mode '%s'", grade_jail_mode());
	free(o);
	grade_exit_free(&x);
}

/*
 * Memory is bounded per jail, not per process, where the host has a
 * writable cgroup (grade_cg.h): four processes of 400 MB each, every one
 * under its 1 GiB RLIMIT_AS, together past the jail's 1 GiB. The jail
 * ends whole as soon as the bound is hit (not at its 60 s timeout).
 */
Test(grade_jail, bounds_the_memory_of_the_whole_jail, .timeout = 60)
{
	char *argv[] = { "/bin/sh", "-c", "for i in 1 2 3 4; do perl -e "
			 "'$x = \"a\" x 400e6; sleep 60' & done; wait", NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = 60, .cpu_s = 60,
		.mem = 1ULL << 30, .nproc = 64, .group_mem = 1ULL << 30,
		.group_pids = 64, .cap_head = 256, .cap_tail = 256,
	};
	struct grade_exit x;
	grade_jail_init();
	if (!strstr(grade_jail_mode(), "per test: cgroup"))
		cr_skip_test("no writable cgroup here: %s", grade_jail_mode());
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	cr_assert(x.oom, "1.6 GB held in a jail of 1 GiB (exit %d, signal %d)",
		  x.code, x.signal);
	cr_assert_not(x.timed_out, "the jail lived on after its bound was hit");
	cr_assert_not(x.exited && x.code == 0);
	grade_exit_free(&x);
}

/*
 * /var/tmp, /run/lock and /dev/shm are a test's own, like /tmp: each a
 * size-capped tmpfs, gone with the jail. Without namespaces they are the
 * host's (grader/README.md says so).
 */
Test(grade_jail, has_scratch_folders_of_its_own)
{
	static const char *const where[] = { "/var/tmp", "/run/lock", "/dev/shm" };
	char *dir = grade_jail_mkdir("/tmp"), script[1024] = "";
	cr_assert_not_null(dir);
	for (int i = 0; i < 3; i++)
		snprintf(script + strlen(script), sizeof(script) - strlen(script),
			 "touch %s/grade-jail-left.%d && df -k %s | "
			 "awk 'NR == 2 { print $1, $2 }'; ", where[i], (int)getpid(),
			 where[i]);
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = 5, .cpu_s = 5,
		.mem = 1ULL << 30, .fsize = 1 << 20, .nproc = 64,
		.cap_head = 256, .cap_tail = 256, .private_dir = dir,
	};
	struct grade_exit x;
	grade_jail_init();
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	char *o = grade_cap_text(&x.out), path[128];
	int left = 0;
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/grade-jail-left.%d", where[i],
			 (int)getpid());
		left += unlink(path) == 0;
	}
	if (!no_namespaces()) {
		cr_assert_str_eq(o, "tmpfs 65536\ntmpfs 65536\ntmpfs 65536\n");
		cr_assert_eq(left, 0, "a file the test wrote outlived it");
	}
	free(o);
	grade_exit_free(&x);
	grade_jail_rmdir(dir);
	free(dir);
}

/*
 * Without namespaces, as root, what a jail hides is shut by its mode while
 * the command runs (0700: nobody cannot enter) and given back after; a
 * hidden folder with something revealed under it is left to
 * grade_secret_lock. Its own process: the mode is probed once.
 */
Test(grade_jail, shuts_hidden_folders_by_mode_without_namespaces)
{
	if (geteuid() != 0)
		cr_skip_test("modes keep nobody out only when the grader is root");
	setenv("GRADE_NO_NAMESPACES", "1", 1);
	char top[] = "/tmp/jail-shut.XXXXXX", cmd[512];
	cr_assert_not_null(mkdtemp(top));
	snprintf(cmd, sizeof(cmd), "chmod 755 %s && mkdir -m 755 %s/h %s/h/r && "
		 "echo S3CR3T >%s/h/f && echo shown >%s/h/r/f && chmod 644 %s/h/f %s/h/r/f",
		 top, top, top, top, top, top, top);
	cr_assert_eq(system(cmd), 0);
	char *hdir = NULL, *rdir = NULL, *script = NULL;
	cr_assert(asprintf(&hdir, "%s/h", top) > 0 && asprintf(&rdir, "%s/h/r", top) > 0);
	cr_assert(asprintf(&script, "stat -c %%a %s; cat %s/f %s/f", hdir, hdir, rdir) > 0);
	char *argv[] = { "/bin/sh", "-c", script, NULL }, *env[] = { "PATH=/usr/bin:/bin", NULL };
	const char *hide[] = { hdir, NULL }, *reveal[] = { rdir, NULL };
	struct grade_jail j = {
		.argv = argv, .envp = env, .timeout_s = 10, .merge = 1,
		.hide = hide, .cap_head = 4096,
	};
	struct grade_exit x;
	grade_jail_init();
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	char *o = grade_cap_text(&x.out);
	cr_assert(strstr(o, "700\n") && !strstr(o, "S3CR3T") && !strstr(o, "shown"),
		  "shut: %s", o);
	free(o);
	grade_exit_free(&x);
	struct stat st;
	cr_assert(stat(hdir, &st) == 0 && (st.st_mode & 07777) == 0755, "given back");
	j.reveal = reveal;      /* something shown under it: left open */
	cr_assert_eq(grade_jail_run(&j, &x), 0);
	o = grade_cap_text(&x.out);
	cr_assert(strstr(o, "755\n") && strstr(o, "shown"), "left: %s", o);
	free(o);
	grade_exit_free(&x);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	cr_assert_eq(system(cmd), 0);
	free(hdir), free(rdir), free(script);
}
