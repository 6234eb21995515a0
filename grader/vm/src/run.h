/*
 * run.h: the parts of `labvm run` that run.c (cold boots) and warm.c
 * (restoring the saved machine) share. Program code: these report and exit.
 */
#ifndef LABVM_RUN_H
#define LABVM_RUN_H

#include <limits.h>
#include <stdbool.h>

#include "labvm.h"
#include "lv_initrd.h"
#include "lv_qemu.h"
#include "lv_strs.h"
#include "lv_super.h"

/* A run's private folder: its archive(s) and its /out archive. */
struct run_dir {
	char dir[PATH_MAX / 2], initrd[PATH_MAX], out[PATH_MAX];
};

void remove_run_dir(const struct run_dir *d);

/* Writes part of the initramfs for this run to path; exits on failure. */
void run_write_initrd(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		      const char *mode, enum lv_initrd_part part, const char *path);

/* The machine for this run (p: its pipes), to adjust before run_argv(). */
void run_machine(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		 struct lv_pipes *p, struct lv_machine *m);
void run_argv(const struct lv_machine *m, struct lv_strs *argv);

/* lv_pipes_open() and lv_super_run(), exiting when the host fails. */
void run_open_pipes(struct lv_pipes *p, const char *mon_cmds, const struct run_dir *d);
int run_supervise(char *const *argv, struct lv_pipes *p, unsigned timeout_s,
		  const struct run_dir *d, struct lv_result *r);

/* warm.c: whether to try the saved machine; a run on it. warm_run returns
 * 0 when r holds the run's end, -1 (after saying why) to boot cold. */
bool warm_wanted(const struct lv_env *env);
int warm_run(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
	     struct lv_result *r);

#endif
