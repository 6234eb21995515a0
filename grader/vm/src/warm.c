/*
 * warm.c: a run on the saved machine (lv_snap.h): restore it, hand it the run.
 *
 * The first run for a key boots the machine with /init in mode "wait",
 * saves it when /init says "labvm-ready" (QEMU's monitor migrates it into a
 * file), then restores it as every later run does: QEMU -incoming with the
 * run's archive as a fw_cfg file, which the waiting /init unpacks. Saving
 * holds build/snap/.lock, so runs started together save once, and the file
 * appears whole, by rename. Whatever fails (no permission, a damaged file,
 * QEMU refusing the state) the run boots cold after a message saying why,
 * and a file that failed to restore is removed, to be saved again. A saved
 * machine is guest memory and CPU state that QEMU loads: only the user
 * running labvm may have written it (root, when the grader runs labvm),
 * so a snap folder or file of another owner, or writable by group or
 * others, is never used (a message, a cold boot).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lv_snap.h"
#include "run.h"

#define SAVE_TIMEOUT_S 600

struct snap {
	char key[17];
	char dir[PATH_MAX / 2], file[PATH_MAX], tmp[PATH_MAX], lock[PATH_MAX];
	char stub[PATH_MAX];    /* see guest/pvh_stub.S */
};

/*
 * The default under TCG since 50 restores in a row passed (bench/warm.sh
 * 50: 0 of 100 starts failed, restore 0.31 s, cold boot 1.88 s);
 * LABVM_SNAPSHOT=off boots cold. LABVM_BOOT=plain and KVM hosts (fast
 * anyway) boot cold.
 */
bool warm_wanted(const struct lv_env *env)
{
	const char *v = getenv("LABVM_SNAPSHOT");

	if (v && (strcmp(v, "off") == 0 || strcmp(v, "0") == 0))
		return false;
	return !env->plain && env->accel == LV_ACCEL_TCG;
}

/* The machine that is saved; restores use the same with -incoming. */
static void saved_machine(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
			  struct lv_pipes *p, const char *initrd, struct lv_machine *m)
{
	run_machine(env, o, d, p, m);
	m->initrd = initrd;
	m->out_file = NULL;
	m->monitor = 1;
}

/* The key: the saved machine's command line and the files it is made of. */
static int make_key(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		    struct snap *s)
{
	struct lv_pipes none = {
		.console = { -1, -1 }, .out = { -1, -1 }, .err = { -1, -1 }, .mon = { -1, -1 },
	};
	const char *files[16] = { env->qemu, env->assets.kernel, env->assets.busybox,
				  env->assets.applets, env->init, "/proc/self/exe", s->stub };
	size_t n = 7;
	struct lv_machine m;
	struct lv_strs argv = { 0 };
	struct vmlab_err err;
	int rc;

	for (int i = 0; i < LV_N_MODULES; i++)
		files[n++] = env->assets.module[i];
	if (env->firmware)
		files[n++] = env->firmware;
	saved_machine(env, o, d, &none, "(saved)", &m);
	run_argv(&m, &argv);
	rc = lv_snap_key(argv.v, files, n, s->key, &err);
	lv_strs_free(&argv);
	if (rc)
		warn("%s: %s: booting cold", err.msg, strerror(-rc));
	return rc;
}

static int paths(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		 struct snap *s)
{
	snprintf(s->stub, sizeof(s->stub), "%.2000s/pvh_stub", env->home);
	if (make_key(env, o, d, s) != 0)
		return -1;
	snprintf(s->dir, sizeof(s->dir), "%.2000s/snap", env->home);
	snprintf(s->file, sizeof(s->file), "%s/%s.snap", s->dir, s->key);
	snprintf(s->tmp, sizeof(s->tmp), "%s/.%s.%ld", s->dir, s->key, (long)getpid());
	snprintf(s->lock, sizeof(s->lock), "%s/.lock", s->dir);
	return 0;
}

/* Whether st (the snap folder or a saved machine, what) is the user's own
 * and writable by no one else; if not, a message and false. */
static bool own(const char *what, const char *path, const struct stat *st)
{
	if (st->st_uid == geteuid() && !(st->st_mode & 022))
		return true;
	warn("the saved machine's %s %s is %s: not using it, booting cold (it "
	     "must be writable by its owner only, the user running labvm: "
	     "uid %u)", what, path, st->st_uid != geteuid() ?
	     "owned by another user" : "writable by group or others",
	     (unsigned)geteuid());
	return false;
}

/* The snap folder (when it exists) and the file at fd, if open. */
static bool trusted(const struct snap *s, int fd)
{
	struct stat st;

	if (lstat(s->dir, &st) == 0 && !own("folder", s->dir, &st))
		return false;
	return fd < 0 || fstat(fd, &st) != 0 || own("file", s->file, &st);
}

/* QEMU's last words (its errors go to the console pipe), for a message. */
static const char *last_line(const struct lv_result *r)
{
	static char line[512];
	const char *end = r->console + strlen(r->console), *p;

	while (end > r->console && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = end; p > r->console && p[-1] != '\n'; p--)
		;
	snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
	return line[0] ? line : "no message";
}

/* Boots the machine in mode "wait" and saves it at "labvm-ready". */
static int save(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		const struct snap *s)
{
	char cmds[PATH_MAX + 200];
	static struct lv_result r;
	struct lv_machine m;
	struct lv_pipes p;
	struct lv_strs argv = { 0 };
	int rc;

	if (strpbrk(s->tmp, "'\"\\\n")) {
		warn("cannot save the machine in %s (a quote in the path): booting cold", s->dir);
		return -1;
	}
	/* The run's own archive comes later, to the same path: d->initrd. */
	run_write_initrd(env, o, d, "wait", LV_INITRD_BASE, d->initrd);
	if ((rc = lv_snap_begin(s->tmp)) != 0) {
		warn("cannot save the machine in %s: %s: booting cold", s->dir, strerror(-rc));
		return -1;
	}
	/*
	 * stop first: the state is then saved in one pass, not copied while the
	 * guest still writes to it (2 restores of 8 panicked in rb_erase with a
	 * live save under TCG). The run state is not saved (lv_qemu.c), so the
	 * restored machine runs although this one was stopped.
	 */
	snprintf(cmds, sizeof(cmds), "stop\nmigrate_set_parameter max-bandwidth 100G\n"
		 "migrate \"exec:cat >>'%s'\"\nquit\n", s->tmp);
	run_open_pipes(&p, cmds, d);
	saved_machine(env, o, d, &p, d->initrd, &m);
	run_argv(&m, &argv);
	run_supervise(argv.v, &p, SAVE_TIMEOUT_S, d, &r);
	lv_pipes_close(&p);
	lv_strs_free(&argv);
	rc = r.ready && WIFEXITED(r.qemu_status) && WEXITSTATUS(r.qemu_status) == 0 ? 0 : -1;
	rc = rc ? rc : lv_snap_seal(s->tmp, s->file, s->key);
	if (rc) {
		warn("saving the machine failed (%s): booting cold",
		    rc == -1 ? last_line(&r) : strerror(-rc));
		unlink(s->tmp);
	}
	return rc;
}

/* The run on the machine restored from fd. Returns 0, or -1 to boot cold. */
static int restore(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		   const struct snap *s, int fd, struct lv_result *r)
{
	char incoming[32];
	struct lv_machine m;
	struct lv_pipes p;
	struct lv_strs argv = { 0 };
	struct stat mine, now;

	run_write_initrd(env, o, d, o->out ? "run-out" : "run", LV_INITRD_RUN, d->initrd);
	snprintf(incoming, sizeof(incoming), "fd:%d", fd);
	run_open_pipes(&p, NULL, d);
	run_machine(env, o, d, &p, &m);
	/* The kernel and initramfs are in the saved memory already. */
	if (strstr(m.kernel, "vmlinux"))
		m.kernel = s->stub;
	m.initrd = NULL;
	m.incoming = incoming;
	m.run_file = d->initrd;
	run_argv(&m, &argv);
	run_supervise(argv.v, &p, o->timeout_s, d, r);
	lv_pipes_close(&p);
	lv_strs_free(&argv);
	fstat(fd, &mine);
	close(fd);
	if (r->restored || r->end == LV_END_TIMEOUT || r->end == LV_END_STOPPED)
		return 0;
	warn("restoring the saved machine failed (%s): removing it, booting cold", last_line(r));
	if (stat(s->file, &now) == 0 && now.st_ino == mine.st_ino && now.st_dev == mine.st_dev)
		unlink(s->file);
	return -1;
}

/* Saves the machine unless another run did meanwhile; returns its fd or -1. */
static int save_locked(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
		       const struct snap *s)
{
	int lock, fd;

	mkdir(s->dir, 0755);
	if (!trusted(s, -1))    /* made by another user meanwhile */
		return -1;
	lock = open(s->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0) {
		warn("cannot save the machine in %s: %s: booting cold", s->dir, strerror(errno));
		return -1;
	}
	flock(lock, LOCK_EX);
	fd = lv_snap_open(s->file, s->key);
	if (fd < 0 && save(env, o, d, s) == 0)
		fd = lv_snap_open(s->file, s->key);
	close(lock);
	return fd < 0 ? -1 : fd;
}

int warm_run(struct lv_env *env, const struct lv_opts *o, const struct run_dir *d,
	     struct lv_result *r)
{
	struct snap s;
	int fd;

	if (paths(env, o, d, &s) != 0 || !trusted(&s, -1))
		return -1;
	fd = lv_snap_open(s.file, s.key);
	if (fd == -EBADMSG)
		warn("the saved machine %s is damaged: saving it again", s.file);
	else if (fd == -ENOENT)
		warn("no saved machine for this kernel, QEMU, labvm and options (first run, or "
		    "one of them changed): booting one and saving it");
	else if (fd < 0) {
		warn("%s: %s: booting cold", s.file, strerror(-fd));
		return -1;
	}
	if (fd < 0 && (fd = save_locked(env, o, d, &s)) < 0)
		return -1;
	if (!trusted(&s, fd)) {
		close(fd);
		return -1;
	}
	return restore(env, o, d, &s, fd, r);
}
