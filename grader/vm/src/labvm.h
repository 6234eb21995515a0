/*
 * labvm.h: the program's own parts (main.c, run.c, check.c), which report
 * and exit; the library modules (lv_*.c) never do.
 */
#ifndef LABVM_H
#define LABVM_H

#include <limits.h>
#include <stdbool.h>

#include "lv_assets.h"
#include "lv_host.h"
#include "lv_opts.h"

/* labvm's own exit codes; any other code is COMMAND's. */
enum {
	LV_EXIT_NOTREADY = 120,  /* QEMU, the kernel cache or the guest init missing */
	LV_EXIT_NOFILE = 121,    /* an --in path, or a library it needs, missing */
	LV_EXIT_PANIC = 122,     /* the guest kernel panicked */
	LV_EXIT_NOSTATUS = 123,  /* the machine stopped without COMMAND's status */
	LV_EXIT_TIMEOUT = 124,   /* --timeout passed (as timeout(1)) */
	LV_EXIT_USAGE = 125,     /* bad arguments, or the host failed (disk full) */
	LV_EXIT_SIGNAL = 128,    /* + N: COMMAND killed by signal N */
};

/* What labvm found on this host. */
struct lv_env {
	char home[PATH_MAX];         /* grader/vm/build */
	char init[PATH_MAX];         /* the static guest init */
	char assets_dir[PATH_MAX];
	struct lv_assets assets;
	char qemu[PATH_MAX];
	const char *firmware;        /* qboot.rom, or NULL (SeaBIOS) */
	bool plain;                  /* LABVM_BOOT=plain: no boot-time shortcuts */
	enum lv_accel accel;
	int kvm_err;                 /* 0: host /dev/kvm usable, else -errno */
	const char *kvm_step;        /* the step that failed (its err.name), or NULL */
	bool nested;
};

extern const char *argv0;

/* Prints "labvm: message" on stderr and exits with code. */
/* "labvm: MESSAGE" on stderr; die() then exits with code. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* Fills home, init, assets_dir. */
void labvm_find_home(struct lv_env *env);

/* Fills qemu, accel, kvm_err, nested; returns 0, -ENOENT (QEMU), -EINVAL (LABVM_ACCEL). */
int labvm_find_machine(struct lv_env *env);

int labvm_run(struct lv_env *env, const struct lv_opts *o);
int labvm_shell(struct lv_env *env, const struct lv_opts *o);
int labvm_check(struct lv_env *env);

#endif
