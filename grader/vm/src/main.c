/*
 * main.c: labvm, a disposable Linux machine with a real /dev/kvm.
 *
 *   labvm run [--cpus N] [--mem SIZE] [--timeout S] [--in PATH ...] [--out DIR]
 *             -- COMMAND [ARG ...]
 *   labvm shell [--cpus N] [--mem SIZE] [--in PATH ...]
 *   labvm check
 *
 * Exit codes (also in grader/README.md, "labvm"): COMMAND's own status;
 * 128+N when COMMAND was killed by signal N (or labvm by SIGINT/SIGTERM);
 * 120 labvm not ready (QEMU or the kernel cache missing); 121 an --in path or
 * a library it needs is missing; 122 the guest kernel panicked; 123 the
 * machine stopped without reporting a status; 124 timeout; 125 a usage error
 * or a host failure (disk full, ...); 126/127 COMMAND could not run / not found.
 *
 * Environment: LABVM_ACCEL=auto|tcg|kvm, LABVM_QEMU (the QEMU binary),
 * LABVM_BOOT=plain (SeaBIOS, compressed kernel, no boot-time shortcuts: the
 * benchmark's baseline and a fallback), LABVM_ASSETS (the cache folder),
 * LABVM_APPEND (more kernel parameters), LABVM_VERBOSE=1 (show the console),
 * LABVM_TCG=multi (one host thread per vCPU: faster, but see lv_qemu.c),
 * LABVM_SNAPSHOT=off (boot cold instead of restoring the saved machine:
 * warm.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lv_assets.h"
#include "lv_host.h"
#include "vmlab_hwvirt.h"
#include "lv_initrd.h"
#include "lv_opts.h"
#include "lv_out.h"
#include "lv_qemu.h"
#include "lv_super.h"
#include "labvm.h"

const char *argv0 = "labvm";

static void vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", argv0);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

__attribute__((noreturn)) void die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(code);
}

static const char usage[] =
	"usage: labvm run [--cpus N] [--mem SIZE] [--timeout S] [--in PATH ...] [--out DIR]\n"
	"                 -- COMMAND [ARG ...]\n"
	"       labvm shell [--cpus N] [--mem SIZE] [--in PATH ...]\n"
	"       labvm check\n"
	"Boots a fresh Linux machine with a real /dev/kvm (QEMU), runs COMMAND in it\n"
	"as root and exits with COMMAND's status. --in copies files and folders in, at\n"
	"their host paths, with the shared libraries they need; what COMMAND writes to\n"
	"$LABVM_OUT (/out) is copied to --out DIR. Defaults: --cpus 2 --mem 1G\n"
	"--timeout 600 (0: none). Details: grader/README.md, section labvm.\n";

/* The folder holding this program (grader/vm/build), from /proc/self/exe. */
void labvm_find_home(struct lv_env *env)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		die(LV_EXIT_USAGE, "readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	snprintf(env->home, sizeof(env->home), "%s", exe);
	snprintf(env->init, sizeof(env->init), "%.4000s/init", exe);
	/* grader/vm/build -> the repository's top -> build/labvm */
	if (getenv("LABVM_ASSETS") && *getenv("LABVM_ASSETS"))
		snprintf(env->assets_dir, sizeof(env->assets_dir), "%s", getenv("LABVM_ASSETS"));
	else {
		char top[PATH_MAX];

		snprintf(top, sizeof(top), "%.4000s/../../..", exe);
		snprintf(env->assets_dir, sizeof(env->assets_dir), "%.4000s/build/labvm",
			 realpath(top, exe) ? exe : top);
	}
	if (realpath(env->assets_dir, exe))
		snprintf(env->assets_dir, sizeof(env->assets_dir), "%s", exe);
}

/* qboot comes with Debian's qemu-system-data; LABVM_BOOT=plain skips it. */
static const char *find_firmware(bool plain)
{
	static const char qboot[] = "/usr/share/qemu/qboot.rom";

	return !plain && access(qboot, R_OK) == 0 ? qboot : NULL;
}

int labvm_find_machine(struct lv_env *env)
{
	const char *qemu = getenv("LABVM_QEMU");
	struct vmlab_err kvm;

	env->kvm_err = lv_host_probe_kvm("/dev/kvm", &kvm);
	env->kvm_step = env->kvm_err ? kvm.name : NULL;
	env->nested = vmlab_hwvirt();
	env->plain = getenv("LABVM_BOOT") && strcmp(getenv("LABVM_BOOT"), "plain") == 0;
	env->firmware = find_firmware(env->plain);
	if (lv_host_choose_accel(getenv("LABVM_ACCEL"), env->kvm_err == 0, env->nested,
				 &env->accel) != 0)
		return -EINVAL;
	return lv_host_which(qemu && *qemu ? qemu : "qemu-system-x86_64", env->qemu,
			     sizeof(env->qemu));
}

/* Everything a boot needs, or an exit with the fix. */
static void prepare(struct lv_env *env)
{
	int rc;

	labvm_find_home(env);
	rc = labvm_find_machine(env);
	if (rc == -EINVAL)
		die(LV_EXIT_USAGE, "LABVM_ACCEL='%s': expected auto, tcg or kvm",
		    getenv("LABVM_ACCEL"));
	if (rc)
		die(LV_EXIT_NOTREADY, "%s not found: run 'make deps' (installs qemu-system-x86)",
		    getenv("LABVM_QEMU") ? getenv("LABVM_QEMU") : "qemu-system-x86_64");
	rc = lv_assets_open(env->assets_dir, &env->assets);
	if (rc == -ENOENT)
		die(LV_EXIT_NOTREADY, "no kernel in %s: run 'make labvm' (fetches Debian's "
		    "cloud kernel and busybox, a 28 MB download)", env->assets_dir);
	if (rc == -EBADMSG)
		die(LV_EXIT_NOTREADY, "the cache in %s is incomplete (%s is missing or damaged): "
		    "run 'make labvm' again", env->assets_dir, env->assets.bad);
	if (rc)
		die(LV_EXIT_NOTREADY, "%s: %s: run 'make labvm'", env->assets_dir, strerror(-rc));
	if (access(env->init, R_OK) != 0)
		die(LV_EXIT_NOTREADY, "%s: %s: run 'make -C grader/vm'", env->init,
		    strerror(errno));
}

int main(int argc, char **argv)
{
	struct lv_opts o;
	static struct lv_env env;
	struct vmlab_err err;

	if (lv_opts_parse(argc, argv, &o, &err) != 0) {
		fprintf(stderr, "%s: %s\n%s", argv0, err.msg, usage);
		return LV_EXIT_USAGE;
	}
	if (o.mode == LV_HELP) {
		fputs(usage, stdout);
		return 0;
	}
	if (o.mode == LV_CHECK)
		return labvm_check(&env);
	prepare(&env);
	return o.mode == LV_SHELL ? labvm_shell(&env, &o) : labvm_run(&env, &o);
}
