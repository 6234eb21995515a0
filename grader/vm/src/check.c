/*
 * check.c: `labvm check`: what labvm would use on this host, what is
 * missing, and for each missing part the command that fixes it. When all
 * is there it boots one machine and reports what the guest has (/dev/kvm,
 * the KVM modules, the cgroup v2 controllers) and how long the boot took.
 * Exit status 0 when `labvm run` works, 120 when it cannot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "labvm.h"

static void row(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void row(const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("  %-16s ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "Y"/"N"/"1"/"0" from a module parameter, or NULL when the module is not loaded. */
static const char *module_param(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void host_rows(const struct lv_env *env)
{
	char b1[16], b2[16];
	const char *amd = module_param("/sys/module/kvm_amd/parameters/nested", b1, sizeof(b1));
	const char *intel = module_param("/sys/module/kvm_intel/parameters/nested", b2, sizeof(b2));

	if (env->kvm_err == 0)
		row("host /dev/kvm", "usable (a VM could be created)");
	else
		row("host /dev/kvm", "not usable: %s: %s", env->kvm_step, strerror(-env->kvm_err));
	/* kvm_pvm: a /dev/kvm without hardware virtualization (shadow page
	 * tables in software); lab 03's Linux boot cannot run on it. */
	row("host modules", "kvm %s, kvm_amd %s, kvm_intel %s%s",
	    access("/sys/module/kvm", F_OK) == 0 ? "loaded" : "not loaded",
	    amd ? (strchr("Y1", amd[0]) ? "loaded (nested on)" : "loaded (nested off)") : "not loaded",
	    intel ? (strchr("Y1", intel[0]) ? "loaded (nested on)" : "loaded (nested off)") : "not loaded",
	    access("/sys/module/kvm_pvm", F_OK) == 0
	    ? ", kvm_pvm loaded (KVM without hardware virtualization)" : "");
	row("nested virt.", env->nested ? "the CPU shows svm/vmx" :
	    "no: the CPU flags show neither svm nor vmx");
}

static void accel_row(const struct lv_env *env, int rc)
{
	const char *forced = getenv("LABVM_ACCEL");

	if (rc == -EINVAL) {
		row("accelerator", "LABVM_ACCEL='%s' is not auto, tcg or kvm", forced);
		return;
	}
	row("accelerator", "%s%s", env->accel == LV_ACCEL_KVM
	    ? "kvm (-cpu host; the guest's /dev/kvm is nested KVM)"
	    : "tcg (QEMU emulates the CPU with AMD SVM; ~3 s per boot)",
	    forced && *forced ? " [forced by LABVM_ACCEL]" : "");
}

static int cache_row(struct lv_env *env)
{
	int rc = lv_assets_open(env->assets_dir, &env->assets);

	if (rc == 0)
		row("kernel cache", "%s: Debian kernel %s (%s), busybox", env->assets_dir,
		    env->assets.abi, strstr(env->assets.kernel, "vmlinux") ? "vmlinux, PVH entry"
									   : "vmlinuz");
	else if (rc == -ENOENT)
		row("kernel cache", "MISSING in %s: run 'make labvm'", env->assets_dir);
	else
		row("kernel cache", "INCOMPLETE (%s): run 'make labvm'", env->assets.bad);
	return rc;
}

/* What the guest reports, one line each: controllers, modules, /dev/kvm. */
static const char probe[] =
	"cat /sys/fs/cgroup/cgroup.subtree_control; "
	"ls /sys/module | grep -x -E 'kvm|kvm_amd|kvm_intel|irqbypass' | xargs; "
	"test -c /dev/kvm && echo present || echo MISSING";

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Boots one machine through this same program; returns 0 when it worked. */
static int guest_rows(const struct lv_env *env)
{
	char cmd[PATH_MAX + 512], lines[3][256] = { "", "", "" };
	double t0 = seconds();
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "'%s/labvm' run --timeout 120 -- sh -c \"%s\" 2>&1",
		 env->home, probe);
	if (!(p = popen(cmd, "r")))
		return -1;
	for (int i = 0; i < 3 && fgets(lines[i], sizeof(lines[i]), p); i++)
		lines[i][strcspn(lines[i], "\n")] = '\0';
	while (fgetc(p) != EOF)
		;
	status = pclose(p);
	if (status != 0) {
		row("guest boot", "FAILED: %s", lines[0]);
		return -1;
	}
	row("guest boot", "%.1f s (%s)", seconds() - t0,
	    env->accel == LV_ACCEL_KVM ? "KVM" : "TCG");
	row("guest /dev/kvm", "%s (modules: %s)", lines[2], lines[1]);
	row("guest cgroup v2", "subtree_control: %s", lines[0]);
	return strcmp(lines[2], "present") == 0 ? 0 : -1;
}

int labvm_check(struct lv_env *env)
{
	int rc, bad = 0;

	labvm_find_home(env);
	rc = labvm_find_machine(env);
	printf("labvm check\n");
	host_rows(env);
	accel_row(env, rc);
	if (rc == -ENOENT)
		row("QEMU", "MISSING (qemu-system-x86_64): run 'make deps'");
	else
		row("QEMU", "%s, firmware %s", env->qemu,
		    env->firmware ? env->firmware : "SeaBIOS (QEMU's default)");
	bad |= rc != 0;
	bad |= cache_row(env) != 0;
	if (access(env->init, R_OK) == 0) {
		row("guest init", "%s", env->init);
	} else {
		row("guest init", "MISSING (%s): run 'make -C grader/vm'", env->init);
		bad = 1;
	}
	if (!bad)
		bad |= guest_rows(env) != 0;
	printf(bad ? "labvm cannot boot yet: run what is marked above.\n"
		   : "labvm is ready: try 'grader/labvm run -- cat /proc/cpuinfo'.\n");
	return bad ? LV_EXIT_NOTREADY : 0;
}
