/*
 * test_lv_super.c: the supervisor (lv_super.c), with a shell script in
 * QEMU's place: it writes to the console pipe what a guest would.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lv_super.h"

static struct lv_result r;

static int supervise(const char *script, unsigned timeout_s)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct lv_pipes p;
	int rc;

	cr_assert_eq(lv_pipes_open(&p, NULL), 0);
	rc = lv_super_run(argv, &p, timeout_s, 0, &r);
	lv_pipes_close(&p);
	return rc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(lv_super, status_line_gives_the_exit_code)
{
	cr_assert_eq(supervise("printf 'booting\\r\\nlabvm-status: exit 3\\r\\n'", 10), 0);
	cr_assert_eq(r.end, LV_END_EXIT);
	cr_assert_eq(r.code, 3);
	cr_assert(strstr(r.console, "booting"), "the console is kept: %s", r.console);
}

Test(lv_super, status_line_gives_the_signal)
{
	cr_assert_eq(supervise("echo 'labvm-status: signal 9'", 10), 0);
	cr_assert_eq(r.end, LV_END_SIGNAL);
	cr_assert_eq(r.code, 9);
}

Test(lv_super, panic_is_recognised)
{
	cr_assert_eq(supervise("echo '[ 1.2] Kernel panic - not syncing: No working init found.'",
			       10), 0);
	cr_assert_eq(r.end, LV_END_PANIC);
	cr_assert_str_eq(r.panic, "Kernel panic - not syncing: No working init found.");
}

Test(lv_super, no_status_line_is_reported)
{
	cr_assert_eq(supervise("echo 'qemu: could not load kernel'; exit 1", 10), 0);
	cr_assert_eq(r.end, LV_END_NOSTATUS);
	cr_assert(WIFEXITED(r.qemu_status) && WEXITSTATUS(r.qemu_status) == 1);
}

Test(lv_super, timeout_kills_the_machine)
{
	double t0 = now();

	cr_assert_eq(supervise("sleep 30", 1), 0);
	cr_assert_eq(r.end, LV_END_TIMEOUT);
	cr_assert_lt(now() - t0, 5.0);
	cr_assert(WIFSIGNALED(r.qemu_status) && WTERMSIG(r.qemu_status) == SIGKILL);
}

Test(lv_super, sigterm_to_labvm_kills_the_machine)
{
	pid_t me = getpid(), helper = fork();

	if (helper == 0) {
		usleep(300 * 1000);
		kill(me, SIGTERM);
		_exit(0);
	}
	cr_assert_eq(supervise("sleep 30", 20), 0);
	waitpid(helper, NULL, 0);
	cr_assert_eq(r.end, LV_END_STOPPED);
	cr_assert_eq(r.code, SIGTERM);
	cr_assert(WIFSIGNALED(r.qemu_status) && WTERMSIG(r.qemu_status) == SIGKILL);
}

Test(lv_super, long_console_keeps_the_tail)
{
	cr_assert_eq(supervise("i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done;"
			       " echo 'labvm-status: exit 0'", 10), 0);
	cr_assert_eq(r.end, LV_END_EXIT);
	cr_assert(strstr(r.console, "line 1999"));
	cr_assert_null(strstr(r.console, "line 1\n"));
	cr_assert_lt(strlen(r.console), sizeof(r.console));
}
