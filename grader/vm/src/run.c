/*
 * run.c: `labvm run` and `labvm shell`: one machine, from a fresh
 * temporary folder to its exit code.
 *
 * Each run owns a folder made by mkdtemp() ($TMPDIR/labvm.XXXXXX) for its
 * initramfs and its /out archive, so concurrent runs never share a file;
 * the folder is removed on every way out, timeouts and signals included.
 * Under TCG a run restores the saved machine (warm.c) when it can, else it
 * boots cold (always with LABVM_SNAPSHOT=off).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "labvm.h"
#include "lv_out.h"
#include "lv_strs.h"
#include "run.h"

static void make_run_dir(struct run_dir *d)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(d->dir, sizeof(d->dir), "%.2000s/labvm.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir))
		die(LV_EXIT_USAGE, "mkdtemp %s: %s", d->dir, strerror(errno));
	snprintf(d->initrd, sizeof(d->initrd), "%s/initrd", d->dir);
	snprintf(d->out, sizeof(d->out), "%s/out.cpio", d->dir);
}

void remove_run_dir(const struct run_dir *d)
{
	unlink(d->initrd);
	unlink(d->out);
	rmdir(d->dir);
}

/* An --in path that is not there stops labvm before any work. */
static void check_inputs(const struct lv_opts *o)
{
	struct stat st;

	for (size_t i = 0; i < o->n_in; i++)
		if (stat(o->in[i], &st) != 0)
			die(LV_EXIT_NOFILE, "--in %s: %s", o->in[i], strerror(errno));
}

void run_write_initrd(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		      const char *mode, enum lv_initrd_part part, const char *path)
{
	char cwd[PATH_MAX];
	/* Inside, isatty() answers as it would here (see guest/init.c). */
	char stdio[3] = { isatty(1) ? 't' : 'p', isatty(2) ? 't' : 'p', '\0' };
	const char *term = getenv("TERM");
	struct lv_initrd spec = {
		.part = part, .assets = &env->assets, .init = env->init, .mode = mode,
		.cmd = o->cmd, .cwd = cwd, .stdio = stdio,
		.term = term && *term && (isatty(1) || isatty(2)) ? term : "dumb",
		.in = o->in, .n_in = o->n_in,
	};
	struct vmlab_err err;
	int rc;

	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/");
	rc = lv_initrd_write(path, &spec, &err);
	if (rc == 0)
		return;
	unlink(path);
	remove_run_dir(d);
	if (rc == -ELIBACC)
		die(LV_EXIT_NOFILE, "a library is missing: %s (ldd cannot find it)", err.msg);
	if (rc == -ENOENT)
		die(LV_EXIT_NOFILE, "%s: %s", err.msg, strerror(-rc));
	if (rc == -ENOSPC)
		die(LV_EXIT_USAGE, "writing %s: %s: free some space or set TMPDIR to a "
		    "folder with room", path, strerror(-rc));
	die(LV_EXIT_USAGE, "writing the initramfs (%s): %s", err.msg, strerror(-rc));
}

void run_machine(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		 struct lv_pipes *p, struct lv_machine *m)
{
	*m = (struct lv_machine){
		.qemu = env->qemu, .accel = env->accel, .cpus = o->cpus,
		.mem_mib = o->mem_mib, .firmware = env->firmware,
		.kernel = env->plain ? env->assets.bzimage : env->assets.kernel,
		.initrd = d->initrd, .plain = env->plain,
		.shell = p == NULL,
		.console_fd = p ? p->console[1] : -1, .stdout_fd = p ? p->out[1] : -1,
		.stderr_fd = p ? p->err[1] : -1, .out_file = o->out ? d->out : NULL,
		.append = getenv("LABVM_APPEND"),
		.tcg_multi = getenv("LABVM_TCG") && strcmp(getenv("LABVM_TCG"), "multi") == 0,
	};
}

void run_argv(const struct lv_machine *m, struct lv_strs *argv)
{
	if (lv_qemu_argv(m, argv) != 0)
		die(LV_EXIT_USAGE, "building QEMU's command line: %s", strerror(ENOMEM));
}

static void build_argv(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		       struct lv_pipes *p, struct lv_strs *argv)
{
	struct lv_machine m;

	run_machine(env, o, d, p, &m);
	run_argv(&m, argv);
}

/* The console's last lines, to show with a failure. */
static void show_console(const struct lv_result *r)
{
	const char *tail = r->console;
	int lines = 0;

	for (const char *p = r->console + strlen(r->console); p > r->console; p--)
		if (*p == '\n' && ++lines > 15) {
			tail = p + 1;
			break;
		}
	fprintf(stderr, "%s: the machine's console ended with:\n%s%s", argv0, tail,
		*tail && tail[strlen(tail) - 1] != '\n' ? "\n" : "");
}

static void copy_out(const struct lv_opts *o, const struct run_dir *d)
{
	struct vmlab_err err;
	int n;

	if (!o->out)
		return;
	n = lv_out_extract(d->out, o->out, &err);
	if (n < 0)
		fprintf(stderr, "%s: --out %s: %s: %s\n", argv0, o->out, err.msg, strerror(-n));
}

/* Turns how the machine ended into labvm's exit code, with a message. */
static int exit_code(const struct lv_opts *o, const struct lv_result *r)
{
	switch (r->end) {
	case LV_END_EXIT:
		return r->code;
	case LV_END_SIGNAL:
		fprintf(stderr, "%s: %s was killed by signal %d (%s)\n", argv0, o->cmd[0],
			r->code, strsignal(r->code));
		return LV_EXIT_SIGNAL + r->code;
	case LV_END_PANIC:
		fprintf(stderr, "%s: the guest kernel panicked: %s\n", argv0, r->panic);
		show_console(r);
		return LV_EXIT_PANIC;
	case LV_END_TIMEOUT:
		fprintf(stderr, "%s: timed out after %u s\n", argv0, o->timeout_s);
		return LV_EXIT_TIMEOUT;
	case LV_END_STOPPED:
		fprintf(stderr, "%s: stopped by %s; the machine was shut down\n", argv0,
			strsignal(r->code));
		return LV_EXIT_SIGNAL + r->code;
	case LV_END_NOSTATUS:
		break;
	}
	fprintf(stderr, "%s: the machine stopped without reporting %s's status (QEMU %s %d)\n",
		argv0, o->cmd[0], WIFSIGNALED(r->qemu_status) ? "killed by signal" : "exit status",
		WIFSIGNALED(r->qemu_status) ? WTERMSIG(r->qemu_status)
					    : WEXITSTATUS(r->qemu_status));
	show_console(r);
	return LV_EXIT_NOSTATUS;
}

int run_supervise(char *const *argv, struct lv_pipes *p, unsigned timeout_s,
		  const struct run_dir *d, struct lv_result *r)
{
	const char *verbose = getenv("LABVM_VERBOSE");
	int rc = lv_super_run(argv, p, timeout_s, verbose && *verbose == '1', r);

	if (rc) {
		remove_run_dir(d);
		die(LV_EXIT_USAGE, "fork: %s", strerror(-rc));
	}
	return 0;
}

void run_open_pipes(struct lv_pipes *p, const char *mon_cmds, const struct run_dir *d)
{
	int rc = lv_pipes_open(p, mon_cmds);

	if (rc) {
		lv_pipes_close(p);
		remove_run_dir(d);
		die(LV_EXIT_USAGE, "pipe: %s", strerror(-rc));
	}
}

static void cold_run(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		     struct lv_result *r)
{
	struct lv_pipes p;
	struct lv_strs argv = { 0 };

	run_write_initrd(env, o, d, o->out ? "run-out" : "run", LV_INITRD_ALL, d->initrd);
	run_open_pipes(&p, NULL, d);
	build_argv(env, o, d, &p, &argv);
	run_supervise(argv.v, &p, o->timeout_s, d, r);
	lv_pipes_close(&p);
	lv_strs_free(&argv);
}

int labvm_run(struct lv_env *env, const struct lv_opts *o)
{
	struct run_dir d;
	static struct lv_result r;

	check_inputs(o);
	make_run_dir(&d);
	if (!warm_wanted(env) || warm_run(env, o, &d, &r) != 0)
		cold_run(env, o, &d, &r);
	if (r.end == LV_END_EXIT || r.end == LV_END_SIGNAL)
		copy_out(o, &d);
	remove_run_dir(&d);
	return exit_code(o, &r);
}

int labvm_shell(struct lv_env *env, const struct lv_opts *o)
{
	struct run_dir d;
	struct lv_strs argv = { 0 };
	static struct lv_result r;
	int rc;

	check_inputs(o);
	make_run_dir(&d);
	run_write_initrd(env, o, &d, "shell", LV_INITRD_ALL, d.initrd);
	build_argv(env, o, &d, NULL, &argv);
	fprintf(stderr, "%s: booting (%s); 'exit' or Ctrl-A x leaves\n", argv0,
		env->accel == LV_ACCEL_KVM ? "KVM" : "TCG, a few seconds");
	rc = lv_super_run(argv.v, NULL, 0, 0, &r);
	lv_strs_free(&argv);
	remove_run_dir(&d);
	if (rc)
		die(LV_EXIT_USAGE, "fork: %s", strerror(-rc));
	if (r.end == LV_END_STOPPED)
		return LV_EXIT_SIGNAL + r.code;
	return WIFEXITED(r.qemu_status) ? WEXITSTATUS(r.qemu_status) : LV_EXIT_NOSTATUS;
}
