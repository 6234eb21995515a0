/*
 * cloud_vm: instances as real virtual machines (see cloud_vm.h).
 *
 * The table vm has one row per instance that was ever booted: pid 0 once
 * its process is known to be gone. It is made the first time it is needed,
 * so databases from before part 2 keep working.
 */
#define _GNU_SOURCE /* pipe2 */
#include "cloud_vm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char vm_table[] =
	"CREATE TABLE IF NOT EXISTS vm(instance TEXT PRIMARY KEY, pid INTEGER NOT NULL,"
	"  start INTEGER NOT NULL, booted INTEGER NOT NULL, console TEXT NOT NULL)";

/*
 * The contract is in cloud_vm.h.
 * Stage 04.8, README "Steps" 8.
 */
unsigned cloud_vm_mem_mib(uint64_t mem)
{
	/* >>> SOLUTION 04.8: scale GiB to MiB, then clamp to what vmm takes */
	uint64_t mib = mem * CLOUD_VM_MIB_PER_GIB >> 30;

	if (mib < CLOUD_VM_MIB_MIN)
		return CLOUD_VM_MIB_MIN;
	return mib > CLOUD_VM_MIB_MAX ? CLOUD_VM_MIB_MAX : (unsigned)mib;
	/* === STUB
	(void)mem;
	return 0;
	*/
	/* <<< SOLUTION */
}

int cloud_vm_kvm_usable(const char *vmm)
{
	char cmd[1200];

	/* vmm probe exits 0 only after KVM_CREATE_VM really worked. */
	snprintf(cmd, sizeof(cmd), "'%s' probe >/dev/null 2>&1", vmm);
	return system(cmd) == 0;
}

/* Field 22 of /proc/PID/stat (start time) and field 3 (state). */
static int proc_stat(pid_t pid, uint64_t *start, char *state)
{
	char path[64], buf[1024], *p;
	unsigned long long t;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and ')': skip to the last ')'. */
	if (!(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d"
			  " %*d %*d %*d %*d %llu", state, &t) != 2)
		return -EIO;
	*start = t;
	return 0;
}

/*
 * The contract is in cloud_vm.h.
 * Stage 04.8, README "Steps" 8.
 */
int cloud_vm_alive(pid_t pid, uint64_t start)
{
	/* >>> SOLUTION 04.8: the pid, and the same process: start time, not a zombie */
	uint64_t t;
	char state;

	if (pid <= 0 || proc_stat(pid, &t, &state))
		return 0;
	return t == start && state != 'Z' && state != 'X';
	/* === STUB
	(void)start;
	return pid > 0;
	*/
	/* <<< SOLUTION */
}

/* DB.vms/ID.console, making the folder. */
static int console_path(struct cloud_db *db, const char *id, char *buf, size_t len)
{
	const char *file = sqlite3_db_filename(cloud_db_sqlite(db), "main");

	if (!file || !*file)
		return -EINVAL;
	snprintf(buf, len, "%s.vms", file);
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	if ((size_t)snprintf(buf, len, "%s.vms/%s.console", file, id) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* LOG with .disk for .console: a sparse disk, kept across stop and start
 * like an EBS root volume; the user data (re)written to sector 0. */
static int make_disk(const char *log, const char *user_data, char *disk, size_t len)
{
	char sector[512] = {0};
	int fd, rc = 0;

	snprintf(disk, len, "%.*s.disk", (int)(strlen(log) - strlen(".console")), log);
	if ((fd = open(disk, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return -errno;
	snprintf(sector, sizeof(sector), "%s", user_data ? user_data : "");
	if (ftruncate(fd, (off_t)CLOUD_VM_DISK_MIB << 20) ||
	    pwrite(fd, sector, sizeof(sector), 0) != (ssize_t)sizeof(sector))
		rc = -errno;
	close(fd);
	return rc;
}

static void add(struct cloud_vm_cmd *c, size_t *n, const char *arg)
{
	if (*n < sizeof(c->argv) / sizeof(c->argv[0]) - 1)
		c->argv[(*n)++] = (char *)arg;
	c->argv[*n] = NULL;
}

static void vmm_cmd(const struct cloud_vm_spec *s, const char *disk, struct cloud_vm_cmd *c)
{
	size_t n = 0;

	add(c, &n, s->vmm);
	add(c, &n, "run");
	add(c, &n, "--cpus");
	add(c, &n, c->cpus);
	add(c, &n, "--mem");
	add(c, &n, c->mem);
	if (s->timeout_s) {
		add(c, &n, "--timeout");
		add(c, &n, c->tmo);
	}
	add(c, &n, "--disk");
	add(c, &n, disk);
	add(c, &n, s->image);
}

static void qemu_cmd(const struct cloud_vm_spec *s, struct cloud_vm_cmd *c)
{
	static const char *const fixed[] = {
		"-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio", NULL};
	size_t n = 0;

	add(c, &n, s->vmm);
	for (size_t i = 0; fixed[i]; i++)
		add(c, &n, fixed[i]);
	add(c, &n, "-smp");
	add(c, &n, c->cpus);
	add(c, &n, "-m");
	add(c, &n, c->mem);
	add(c, &n, "-kernel");
	add(c, &n, s->image);
	add(c, &n, "-drive");
	add(c, &n, c->drive);
	add(c, &n, "-device");
	add(c, &n, "isa-debug-exit,iobase=0xf4,iosize=0x04");
	add(c, &n, "-accel");
	add(c, &n, "kvm"); /* tried first; where /dev/kvm fails, QEMU goes on */
	add(c, &n, "-accel");
	add(c, &n, "tcg,tb-size=64"); /* a 64 MiB translation cache, not 1 GiB */
}

int cloud_vm_cmd(const struct cloud_vm_spec *s, const char *disk, struct cloud_vm_cmd *c)
{
	int len;

	snprintf(c->cpus, sizeof(c->cpus), "%u", s->cpus);
	snprintf(c->mem, sizeof(c->mem), "%uM", s->mem_mib);
	snprintf(c->tmo, sizeof(c->tmo), "%u", s->timeout_s);
	switch (s->hv) {
	case CLOUD_VM_VMM:
		vmm_cmd(s, disk, c);
		return 0;
	case CLOUD_VM_QEMU:
		if (strchr(disk, ','))
			return -EINVAL; /* -drive would read it as the next option */
		len = snprintf(c->drive, sizeof(c->drive), "file=%s,format=raw,if=ide", disk);
		if (len < 0 || (size_t)len >= sizeof(c->drive))
			return -ENAMETOOLONG;
		qemu_cmd(s, c);
		return 0;
	}
	return -EINVAL;
}

/* In the grandchild: wait for the go, console to the log, become the VM. */
static void become_vmm(const struct cloud_vm_spec *s, const char *log, int go, int err)
{
	struct cloud_vm_cmd c;
	char disk[600], one;
	int n, fd;
	sigset_t none;

	if (read(go, &one, 1) != 1)
		_exit(126); /* the parent gave up: never run unrecorded */
	sigemptyset(&none); /* a daemon inherits no blocked signals from cloud */
	sigprocmask(SIG_SETMASK, &none, NULL);
	snprintf(disk, sizeof(disk), "%.*s.disk", (int)(strlen(log) - strlen(".console")), log);
	if ((n = cloud_vm_cmd(s, disk, &c))) {
		errno = -n;
		goto fail;
	}
	/* QEMU has no --timeout: bound the CPU time it may burn instead. */
	if (s->hv == CLOUD_VM_QEMU && s->timeout_s)
		setrlimit(RLIMIT_CPU, &(struct rlimit){s->timeout_s, s->timeout_s + 1});
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		goto fail;
	if ((fd = open("/dev/null", O_RDONLY)) >= 0)
		dup2(fd, 0);
	execvp(c.argv[0], c.argv); /* a bare name (qemu-system-x86_64): along $PATH */
fail:
	n = errno;
	if (write(err, &n, sizeof(n)) < 0)
		_exit(127);
	_exit(127);
}

/*
 * Double fork: the child calls setsid and forks the VM's process, sends
 * its pid up the pipe and exits at once (reaped here), so the VM is
 * nobody's child but init's. It then blocks reading go until released.
 */
static int spawn(const struct cloud_vm_spec *s, const char *log, int go[2], pid_t *out)
{
	int up[2], status;
	pid_t child, vm = -1;

	if (pipe2(up, O_CLOEXEC))
		return -errno;
	if ((child = fork()) < 0) {
		close(up[0]);
		close(up[1]);
		return -errno;
	}
	if (child == 0) {
		close(up[0]);
		close(go[1]);
		setsid(); /* no controlling terminal: a ^C in the shell does not reach it */
		vm = fork();
		if (vm == 0)
			become_vmm(s, log, go[0], up[1]);
		if (write(up[1], &vm, sizeof(vm)) < 0)
			_exit(1);
		_exit(vm < 0);
	}
	close(up[1]);
	waitpid(child, &status, 0); /* the middle child: no zombie */
	if (read(up[0], &vm, sizeof(vm)) != sizeof(vm) || vm <= 0) {
		close(up[0]);
		return -EAGAIN;
	}
	*out = vm;
	return up[0]; /* the grandchild's error pipe: EOF when exec worked */
}

static int record(struct cloud_db *db, const char *id, pid_t pid, uint64_t start,
		  const char *log)
{
	sqlite3_stmt *st;
	int64_t now;
	int rc;

	if ((rc = cloud_db_now(db, &now)))
		return rc;
	rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				"INSERT OR REPLACE INTO vm VALUES(?, ?, ?, ?, ?)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, pid);
	sqlite3_bind_int64(st, 3, (int64_t)start);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, log, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cloud_db_errno(rc);
}

/* Records the held child in one transaction; only then lets it run. */
static int commit_and_go(struct cloud_db *db, const char *id, pid_t pid,
			 const char *log, int go)
{
	uint64_t start = 0;
	char state;
	int rc;

	if ((rc = proc_stat(pid, &start, &state)))
		return rc;
	if ((rc = cloud_db_begin(db)))
		return rc;
	if ((rc = cloud_db_exec(db, vm_table)) || (rc = record(db, id, pid, start, log)) ||
	    (rc = cloud_db_commit(db))) {
		cloud_db_rollback(db);
		return rc;
	}
	return write(go, "g", 1) == 1 ? 0 : -errno;
}

int cloud_vm_boot(struct cloud_db *db, const char *id, const struct cloud_vm_spec *s)
{
	char log[600], disk[600];
	struct cloud_vm old;
	int go[2], err, rc, code = 0;
	pid_t pid = 0;

	if (cloud_vm_get(db, id, &old) == 0 && old.alive)
		return -EEXIST;
	if ((rc = console_path(db, id, log, sizeof(log))) ||
	    (rc = make_disk(log, s->user_data, disk, sizeof(disk))))
		return rc;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	err = spawn(s, log, go, &pid);
	close(go[0]);
	if (err < 0) {
		close(go[1]);
		return err;
	}
	rc = commit_and_go(db, id, pid, log, go[1]);
	close(go[1]); /* without the go, the child exits (126) */
	if (!rc && read(err, &code, sizeof(code)) == sizeof(code))
		rc = -ENOEXEC; /* exec failed: code is its errno */
	close(err);
	if (rc)
		waitpid(pid, NULL, WNOHANG);
	return rc;
}

int cloud_vm_get(struct cloud_db *db, const char *id, struct cloud_vm *vm)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = cloud_db_exec(db, vm_table)))
		return rc;
	rc = sqlite3_prepare_v2(cloud_db_sqlite(db),
				"SELECT pid, start, booted, console FROM vm WHERE instance = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return cloud_db_errno(rc);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(vm, 0, sizeof(*vm));
		snprintf(vm->id, sizeof(vm->id), "%s", id);
		vm->pid = (pid_t)sqlite3_column_int64(st, 0);
		vm->start = (uint64_t)sqlite3_column_int64(st, 1);
		vm->booted = sqlite3_column_int64(st, 2);
		snprintf(vm->console, sizeof(vm->console), "%s",
			 (const char *)sqlite3_column_text(st, 3));
		vm->alive = cloud_vm_alive(vm->pid, vm->start);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : cloud_db_errno(rc);
}

static int forget(struct cloud_db *db, const char *id)
{
	char *sql = sqlite3_mprintf("UPDATE vm SET pid = 0 WHERE instance = %Q", id);
	int rc = sql ? cloud_db_exec(db, sql) : -ENOMEM;

	sqlite3_free(sql);
	return rc;
}

/*
 * Waits up to ms for the process to go; reaps it when it is our child.
 * Our child is gone once reaped: its first thread shows 'Z' while the
 * others (a VM's vCPU threads) still exit, and only then can it be reaped.
 * Another's is gone once it is no longer that process.
 */
__attribute__((unused)) /* used by the student's part of cloud_vm_end */
static int gone_within(pid_t pid, uint64_t start, int ms)
{
	struct timespec tick = {0, 10 * 1000 * 1000};

	for (int t = 0; t <= ms; t += 10) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == pid || (r < 0 && !cloud_vm_alive(pid, start)))
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/*
 * The contract is in cloud_vm.h.
 * Stage 04.8, README "Steps" 8.
 */
int cloud_vm_end(struct cloud_db *db, const char *id)
{
	struct cloud_vm vm;
	int rc = cloud_vm_get(db, id, &vm);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (vm.alive) {
		/* >>> SOLUTION 04.8: SIGTERM, a grace period, then SIGKILL */
		kill(vm.pid, SIGTERM);
		if (!gone_within(vm.pid, vm.start, 1000)) {
			kill(vm.pid, SIGKILL);
			if (!gone_within(vm.pid, vm.start, 2000))
				return -ETIMEDOUT;
		}
		/* === STUB
		*/
		/* <<< SOLUTION */
	}
	return forget(db, id);
}

int cloud_vm_check(struct cloud_db *db, const char *id, int *died)
{
	struct cloud_vm vm;
	int rc = cloud_vm_get(db, id, &vm);

	*died = 0;
	if (rc == -ENOENT)
		return 0;
	if (rc || vm.alive || vm.pid == 0)
		return rc;
	*died = 1;
	return forget(db, id);
}
