/*
 * lv_qemu.h: the QEMU command line of a labvm machine.
 *
 * A q35 PC whose firmware (qboot when QEMU ships it, else SeaBIOS) loads the
 * Debian kernel and labvm's initramfs directly (-kernel/-initrd: no disk, no
 * boot loader), no display, no network, and four 16550 serial ports, each a
 * one-way channel:
 *   ttyS0  console: kernel messages, /init's, and the "labvm-status:" line
 *   ttyS1  COMMAND's stdout        ttyS2  COMMAND's stderr
 *   ttyS3  the /out archive
 * For `labvm shell` ttyS0 is the terminal instead (Ctrl-A x quits QEMU).
 * Saving (lv_snap.h): QEMU's monitor reads its commands on stdin. Restoring:
 * the same command line, plus -incoming (the saved state) and the run's
 * archive as fw_cfg file opt/labvm/run; QEMU requires the devices to match.
 */
#ifndef LV_QEMU_H
#define LV_QEMU_H

#include "lv_host.h"
#include "lv_strs.h"

struct lv_machine {
	const char *qemu;          /* qemu-system-x86_64 */
	enum lv_accel accel;
	unsigned cpus;
	unsigned long mem_mib;
	const char *firmware;      /* -bios FILE, or NULL for QEMU's default (SeaBIOS) */
	const char *kernel, *initrd;  /* initrd NULL: none (a restored machine) */
	int shell;                 /* 1: ttyS0 on this terminal */
	int console_fd;            /* run: write ends for ttyS0..ttyS2 */
	int stdout_fd, stderr_fd;
	const char *out_file;      /* run: ttyS3 into this file, or NULL */
	const char *append;        /* more kernel parameters, or NULL */
	int plain;                 /* 1: only the parameters a boot needs */
	int tcg_multi;             /* 1: one host thread per vCPU (MTTCG; see lv_qemu.c) */
	int monitor;               /* 1: the monitor on stdin/stdout (saving) */
	const char *incoming;      /* restoring: e.g. "fd:5", else NULL */
	const char *run_file;      /* restoring: the run's archive, else NULL */
};

/* The kernel command line labvm boots with, and its plain variant. */
extern const char lv_qemu_append[], lv_qemu_append_plain[];

/* Appends QEMU's argv (argv[0] included) to argv. Returns 0 or -ENOMEM. */
int lv_qemu_argv(const struct lv_machine *m, struct lv_strs *argv);

#endif
