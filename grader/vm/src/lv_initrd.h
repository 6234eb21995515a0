/*
 * lv_initrd.h: the initramfs labvm boots, written fresh for every run.
 *
 * The kernel unpacks a "newc" cpio archive into its first file system and
 * starts /init from it. labvm's archive holds:
 *   /init                 the static guest program (guest/init.c)
 *   /bin/busybox          the userland, with one symlink per applet
 *   /lib/modules/        irqbypass.ko, kvm.ko, kvm-amd.ko, kvm-intel.ko
 *   /labvm/{argv,cwd,mode,stdio,term}  what to run, where, how (read by /init)
 *   every --in path at its absolute host path, with the shared libraries
 *   its ELF files need (ldd), and the host's current folder
 * For a saved machine (lv_snap.h) the archive comes in two parts: the base
 * (everything above but the run, /labvm/mode "wait") is booted and saved
 * once; the run part (/labvm/... with /labvm/time, and the --in paths) is
 * handed to each restored machine, whose /init unpacks it.
 * It is uncompressed on purpose: under emulation the guest unpacks plain
 * bytes faster than it could decompress them.
 */
#ifndef LV_INITRD_H
#define LV_INITRD_H

#include <stddef.h>

#include "lv_assets.h"
#include "vmlab_err.h"

enum lv_initrd_part {
	LV_INITRD_ALL,     /* a cold boot's: base and run */
	LV_INITRD_BASE,    /* the saved machine's: no run, mode "wait" */
	LV_INITRD_RUN,     /* a restored machine's run, with /labvm/time */
};

struct lv_initrd {
	enum lv_initrd_part part;
	const struct lv_assets *assets;
	const char *init;          /* the static guest init program */
	const char *mode;          /* "run", "run-out" or "shell" */
	char *const *cmd;          /* COMMAND [ARG ...], NULL for a shell */
	const char *cwd;           /* absolute; the guest starts COMMAND there */
	const char *stdio;         /* "tt", "tp", "pt", "pp": see guest/init.c */
	const char *term;          /* TERM inside */
	const char *const *in;     /* paths to copy in (files or folders) */
	size_t n_in;
};

/*
 * Writes the archive to path. Returns 0, or -errno with, in err (NULL: only
 * the code), the path concerned as err->msg: -ENOENT for an --in path that
 * does not exist, -ELIBACC (err->name "ldd") for a shared library that ldd
 * cannot find (err->msg names it), or the error of reading or writing a
 * file (-ENOSPC for a full disk).
 */
int lv_initrd_write(const char *path, const struct lv_initrd *spec, struct vmlab_err *err);

#endif
