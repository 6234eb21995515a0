/*
 * part_cg: cgroup v2 plumbing for a plan (see part_cg.h).
 *
 * Everything goes through two helpers: cg_write() writes one value to one
 * control file, cg_read() reads one. The order matters once: controllers
 * must be enabled in a parent's cgroup.subtree_control before its children
 * get their control files, so the root and vmlab/ are set up first.
 */
#include "part_cg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CONTROLLERS "+cpu +cpuset +memory +pids"
#define LABVM_HINT "run it inside grader/labvm shell (a VM with cgroup v2 and every controller)"


/* Writes val to root/dir/file. Returns 0 or -errno with err set. */
static int cg_write(const char *root, const char *dir, const char *file,
		    const char *val, struct vmlab_err *err)
{
	char path[512];
	int fd, e = 0;

	snprintf(path, sizeof(path), "%s/%s%s%s", root, dir, *dir ? "/" : "", file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return vmlab_fail(err, -errno, "open %s: %s", path, strerror(errno));
	if (write(fd, val, strlen(val)) < 0)
		e = vmlab_fail(err, -errno, "write %s to %s: %s", val, path, strerror(errno));
	close(fd);
	return e;
}

/* Reads root/dir/file into buf (NUL-terminated, newline cut). */
static int cg_read(const char *root, const char *dir, const char *file,
		   char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s%s%s", root, dir, *dir ? "/" : "", file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	int en = errno;
	close(fd);
	if (n < 0)
		return -en;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* 1 if the space-separated list has word. */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The highest CPU id in a cpuset list such as "0-3,6". */
static long max_cpu(const char *list)
{
	long max = -1;

	for (const char *p = list; *p;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		max = v > max ? v : max;
		p = end + strspn(end, "-,");
	}
	return max;
}

/* -ERANGE when the plan's servers need more memory than this machine has. */
static int fits_memory(const struct part_plan *pl, struct vmlab_err *err)
{
	struct sysinfo si;
	uint64_t need = 0, have;

	if (sysinfo(&si) < 0)
		return 0; /* unknown: the kernel's limits still hold */
	have = (uint64_t)si.totalram * si.mem_unit;
	for (size_t i = 0; i < pl->nvs; i++)
		need += pl->vs[i].req.mem; /* part_json_read bounds the sum */
	if (need <= have)
		return 0;
	return vmlab_fail(err, -ERANGE, "the plan's servers need %llu MiB of memory, but this machine "
			  "has %llu MiB",
			  (unsigned long long)(need >> 20), (unsigned long long)(have >> 20));
}

int part_cg_check(const char *root, uid_t euid, const struct part_plan *pl,
		  struct vmlab_err *err)
{
	static const char *const need[] = {"cpu", "cpuset", "memory", "pids"};
	char ctl[256], cpus[256];
	struct statfs sf;

	if (pl && fits_memory(pl, err))
		return -ERANGE;
	if (euid != 0)
		return vmlab_fail(err, -EPERM, "cgroups can only be changed by root: run it as root, or %s", LABVM_HINT);
	if (statfs(root, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
		return vmlab_fail(err, -ENOTSUP, "%s is not a cgroup v2 hierarchy (this machine has cgroup v1 or none): %s",
			    root, LABVM_HINT);
	if (cg_read(root, "", "cgroup.controllers", ctl, sizeof(ctl)) < 0)
		return vmlab_fail(err, -ENOTSUP, "%s has no cgroup.controllers: %s", root, LABVM_HINT);
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!has_word(ctl, need[i]))
			return vmlab_fail(err, -ENOTSUP, "cgroup v2 at %s lacks the %s controller (it has: %s): %s",
				    root, need[i], ctl, LABVM_HINT);
	if (!pl || cg_read(root, "", "cpuset.cpus.effective", cpus, sizeof(cpus)) < 0)
		return 0;
	for (size_t i = 0; i < pl->nvs; i++) {
		const struct part_vs *v = &pl->vs[i];

		if (v->cpu[v->req.vcpus - 1] > max_cpu(cpus))
			return vmlab_fail(err, -ERANGE, "%s uses CPU %u, but this machine has CPUs %s only",
				    v->req.name, v->cpu[v->req.vcpus - 1], cpus);
	}
	return 0;
}

/* Writes one server's limits into its (existing) group. */
static int set_limits(const char *root, const struct part_plan *pl,
		      const struct part_vs *v, struct vmlab_err *err)
{
	char dir[64], val[512];
	uint64_t quota = part_cpu_quota(v->req.vcpus, pl->opts.ratio_milli);
	int e;

	snprintf(dir, sizeof(dir), PART_CG_PARENT "/%s", v->req.name);
	if ((e = cg_write(root, dir, "cpuset.cpus", part_cpulist(v->cpu, v->req.vcpus, val, sizeof(val)), err)))
		return e;
	snprintf(val, sizeof(val), "%llu", (unsigned long long)v->req.mem);
	if ((e = cg_write(root, dir, "memory.max", val, err)))
		return e;
	/* No swap accounting in this kernel means no swap to escape into. */
	if ((e = cg_write(root, dir, "memory.swap.max", "0", err)) && e != -ENOENT)
		return e;
	/* Dedicated cores: the cpuset is the limit; "max" undoes an old quota. */
	if (quota)
		snprintf(val, sizeof(val), "%llu %d", (unsigned long long)quota, PART_CPU_PERIOD);
	else
		snprintf(val, sizeof(val), "max %d", PART_CPU_PERIOD);
	if ((e = cg_write(root, dir, "cpu.max", val, err)))
		return e;
	snprintf(val, sizeof(val), "%u", v->req.pids);
	return cg_write(root, dir, "pids.max", val, err);
}

/* mkdir that converges: an existing directory is fine. *made says if we made it. */
static int mkdir_conv(const char *root, const char *dir, int *made,
		      struct vmlab_err *err)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	*made = 0;
	if (mkdir(path, 0755) == 0)
		return *made = 1, 0;
	if (errno == EEXIST)
		return 0;
	return vmlab_fail(err, -errno, "mkdir %s: %s", path, strerror(errno));
}

static int rmdir_conv(const char *root, const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	return rmdir(path) == 0 || errno == ENOENT ? 0 : -errno;
}

int part_cg_apply(const char *root, const struct part_plan *pl,
		  struct vmlab_err *err)
{
	char *made = calloc(pl->nvs ? pl->nvs : 1, 1);
	char dir[64];
	int e, m;
	size_t i;

	if (!made)
		return vmlab_fail(err, -ENOMEM, "out of memory");
	if ((e = cg_write(root, "", "cgroup.subtree_control", CONTROLLERS, err)) ||
	    (e = mkdir_conv(root, PART_CG_PARENT, &m, err)) ||
	    (e = cg_write(root, PART_CG_PARENT, "cgroup.subtree_control", CONTROLLERS, err)))
		goto out;
	for (i = 0; i < pl->nvs && !e; i++) {
		snprintf(dir, sizeof(dir), PART_CG_PARENT "/%s", pl->vs[i].req.name);
		if (!(e = mkdir_conv(root, dir, &m, err))) {
			made[i] = (char)m;
			e = set_limits(root, pl, &pl->vs[i], err);
		}
	}
	if (e) /* Undo what this run made, so a failure leaves no new state. */
		for (i = 0; i < pl->nvs; i++)
			if (made[i] && snprintf(dir, sizeof(dir), PART_CG_PARENT "/%s", pl->vs[i].req.name) > 0)
				rmdir_conv(root, dir);
out:
	free(made);
	return e;
}

/* Kills a group's processes and removes it; waits up to a second for them. */
static int remove_group(const char *root, const char *dir, struct vmlab_err *err)
{
	char procs[64];
	struct timespec tick = {0, 10 * 1000 * 1000};

	if (cg_read(root, dir, "cgroup.procs", procs, sizeof(procs)) == -ENOENT)
		return 0;
	if (procs[0])
		cg_write(root, dir, "cgroup.kill", "1", err); /* Linux 5.14+ */
	for (int i = 0; i < 100; i++) {
		int e = rmdir_conv(root, dir);

		if (e != -EBUSY)
			return e ? vmlab_fail(err, e, "rmdir %s/%s: %s", root, dir, strerror(-e)) : 0;
		nanosleep(&tick, NULL);
	}
	return vmlab_fail(err, -EBUSY, "rmdir %s/%s: still busy after killing its processes", root, dir);
}

int part_cg_destroy(const char *root, const struct part_plan *pl,
		    struct vmlab_err *err)
{
	char dir[64];
	int e, first = 0;

	for (size_t i = 0; i < pl->nvs; i++) {
		snprintf(dir, sizeof(dir), PART_CG_PARENT "/%s", pl->vs[i].req.name);
		if ((e = remove_group(root, dir, err)) && !first)
			first = e;
	}
	e = rmdir_conv(root, PART_CG_PARENT);
	/* vmlab/ may hold groups of another plan: then it stays. */
	if (e && e != -EBUSY && e != -ENOTEMPTY && !first)
		first = vmlab_fail(err, e, "rmdir %s/" PART_CG_PARENT ": %s", root, strerror(-e));
	return first;
}

int part_cg_enter(const char *root, const char *name, struct vmlab_err *err)
{
	char dir[64], path[512];
	struct stat st;

	snprintf(dir, sizeof(dir), PART_CG_PARENT "/%s", name);
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	if (stat(path, &st) < 0)
		return vmlab_fail(err, -ENOENT, "no group %s: run `partition apply PLAN` first", path);
	/* "0" moves the writing process itself. */
	return cg_write(root, dir, "cgroup.procs", "0", err);
}

/* An existing file at the image's path: used as it is when it is a regular
 * file at least as large, refused otherwise. Never written, never grown. */
static int image_exists(const struct part_plan *pl, struct vmlab_err *err)
{
	struct stat st;

	if (lstat(pl->image, &st) < 0)
		return vmlab_fail(err, -errno, "lstat %s: %s", pl->image, strerror(errno));
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size >= pl->image_size)
		return 0;
	return vmlab_fail(err, -EEXIST, "%s already exists and is not a disk image of at least "
			  "%llu bytes (it is %s of %llu bytes): apply never grows or overwrites a file "
			  "it did not create",
			  pl->image, (unsigned long long)pl->image_size,
			  S_ISREG(st.st_mode) ? "a file" : "not a regular file",
			  (unsigned long long)st.st_size);
}

int part_image_create(const struct part_plan *pl, struct vmlab_err *err)
{
	int fd = open(pl->image, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644), e = 0;

	if (fd < 0 && errno == EEXIST)
		return image_exists(pl, err);
	if (fd < 0)
		return vmlab_fail(err, -errno, "open %s: %s", pl->image, strerror(errno));
	/* ftruncate makes a sparse file: no block is written until used. */
	if (ftruncate(fd, (off_t)pl->image_size) < 0) {
		e = vmlab_fail(err, -errno, "ftruncate %s to %llu bytes: %s", pl->image,
			       (unsigned long long)pl->image_size, strerror(errno));
		unlink(pl->image); /* ours, just made: leave nothing behind */
	}
	close(fd);
	return e;
}
