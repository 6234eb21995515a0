/*
 * grade_cg.c: a control group per jail (grade_cg.h).
 *
 * Where our groups go: under the grader's own group of each hierarchy, as
 * /proc/self/cgroup names it, found through /proc/self/mountinfo. cgroup v2
 * lets a group hand its controllers to its children only while it holds no
 * process itself: when ours holds the grader alone, the grader moves into a
 * leaf of its own (vmlab-grader.PID) first, and back out at exit; when it
 * holds others too, the jails go under vmlab-jails at the hierarchy's root.
 * The mode is tried once with a whole round (make, bound, remove) before
 * any jail relies on it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grade_cg.h"
#include "grade_text.h"

enum { CG_NONE, CG_V2, CG_V1 };

static int kind = -1;
static char top_mem[PATH_MAX - 80], top_pids[PATH_MAX - 80]; /* v2: top_mem */
static char leaf[PATH_MAX];                        /* v2: the grader's own */

static int put(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = -1;
	if (fd >= 0) {
		rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
		close(fd);
	}
	return rc;
}

/* The value after "key " in a flat-keyed file of dir, or 0. */
static long long field(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], line[256];
	long long v = 0;
	size_t n = strlen(key);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = atoll(line + n + 1);
	if (f)
		fclose(f);
	return v;
}

/* Our group in the hierarchy that has ctl ("" = v2), from /proc/self/cgroup. */
static int own_group(const char *ctl, char *path, size_t size)
{
	char line[1024];
	int found = 0;
	FILE *f = fopen("/proc/self/cgroup", "re");
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':'), *p = c ? strchr(c + 1, ':') : NULL;
		if (!p)
			continue;
		*p++ = '\0';
		p[strcspn(p, "\n")] = '\0';
		if (*ctl ? grade_text_has_word(c + 1, ctl, ",")
			 : !strcmp(line, "0") && !c[1])
			found = snprintf(path, size, "%s", p) < (int)size;
	}
	if (f)
		fclose(f);
	return found;
}

/* Where the hierarchy that has ctl ("" = v2) is mounted, and the mount's
 * root within it. */
static int mount_of(const char *ctl, char *mnt, char *root, size_t size)
{
	char line[4096];
	int found = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	while (f && !found && fgets(line, sizeof(line), f)) {
		char r[1024], m[1024], type[64], opts[1024];
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", r, m) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", type, opts) != 2)
			continue;
		if (*ctl ? !strcmp(type, "cgroup") &&
			   grade_text_has_word(opts, ctl, ",")
			 : !strcmp(type, "cgroup2"))
			found = snprintf(mnt, size, "%s", m) < (int)size &&
				snprintf(root, size, "%s", r) < (int)size;
	}
	if (f)
		fclose(f);
	return found;
}

/* The folder of our own group in the hierarchy that has ctl. */
static int base_of(const char *ctl, char *dir, size_t size)
{
	char mnt[1024], root[1024], path[1024];
	if (!mount_of(ctl, mnt, root, sizeof(mnt)) ||
	    !own_group(ctl, path, sizeof(path)))
		return 0;
	size_t n = strlen(root);
	const char *rel = strcmp(root, "/") && !strncmp(path, root, n) ? path + n : path;
	return snprintf(dir, size, "%s%s", mnt, strcmp(rel, "/") ? rel : "") <
	       (int)size && access(dir, W_OK) == 0;
}

static void leave_leaf(void)
{
	if (!leaf[0])
		return;
	put(top_mem, "cgroup.procs", "0");
	rmdir(leaf);
}

/* v2, when our own group holds other processes (a login session): the
 * hierarchy's root group may hand controllers down whatever it holds, so
 * the jails go under a group of ours there, vmlab-jails. */
static int try_v2_top(void)
{
	char mnt[1024], root[1024];
	if (!mount_of("", mnt, root, sizeof(mnt)) ||
	    put(mnt, "cgroup.subtree_control", "+memory +pids") != 0)
		return 0;
	snprintf(top_mem, sizeof(top_mem), "%s/vmlab-jails", mnt);
	return (mkdir(top_mem, 0755) == 0 || errno == EEXIST) &&
	       put(top_mem, "cgroup.subtree_control", "+memory +pids") == 0;
}

/* v2: our group may give memory and pids to children, the grader moved
 * into a leaf of its own when it must be, else the hierarchy's root. */
static int try_v2(void)
{
	char ctl[256] = "", path[PATH_MAX + 32];
	if (!base_of("", top_mem, sizeof(top_mem)))
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.controllers", top_mem);
	FILE *f = fopen(path, "re");
	if (!f || !fgets(ctl, sizeof(ctl), f))
		ctl[0] = '\0';
	if (f)
		fclose(f);
	ctl[strcspn(ctl, "\n")] = '\0';
	if (!grade_text_has_word(ctl, "memory", " ") ||
	    !grade_text_has_word(ctl, "pids", " "))
		return 0;
	if (put(top_mem, "cgroup.subtree_control", "+memory +pids") == 0)
		return 1;
	snprintf(leaf, sizeof(leaf), "%s/vmlab-grader.%d", top_mem, (int)getpid());
	if (mkdir(leaf, 0755) == 0 && put(leaf, "cgroup.procs", "0") == 0 &&
	    put(top_mem, "cgroup.subtree_control", "+memory +pids") == 0) {
		atexit(leave_leaf);
		return 1;
	}
	leave_leaf();
	leaf[0] = '\0';
	return try_v2_top();
}

/*
 * Groups a grader killed before it could remove them left in top: removed
 * when empty and an hour old. Not by their pid: graders in pid namespaces
 * of their own (a batch's, check-stages' variants) all call themselves 1,
 * and another namespace's live grader may have made a group a moment ago
 * that holds no process yet.
 */
static void sweep_stale(const char *top)
{
	DIR *d = top[0] ? opendir(top) : NULL;
	struct dirent *e;
	time_t hour_ago = time(NULL) - 3600;
	while (d && (e = readdir(d))) {
		char path[PATH_MAX + 256];
		struct stat st;
		if (strncmp(e->d_name, "vmlab-jail.", 11))
			continue;
		snprintf(path, sizeof(path), "%s/%s", top, e->d_name);
		if (stat(path, &st) == 0 && st.st_mtime < hour_ago)
			rmdir(path);
	}
	if (d)
		closedir(d);
}

const char *grade_cg_mode(void)
{
	if (kind < 0) {
		kind = CG_NONE;
		if (geteuid() != 0 || getenv("GRADE_NO_CGROUPS"))
			;
		else if (try_v2())
			kind = CG_V2;
		else if (base_of("memory", top_mem, sizeof(top_mem)) &&
			 base_of("pids", top_pids, sizeof(top_pids)))
			kind = CG_V1;
		if (kind != CG_NONE) {
			sweep_stale(top_mem);
			sweep_stale(top_pids);
		}
		struct grade_cg g;      /* one whole round, or rlimits alone */
		if (kind != CG_NONE && (grade_cg_make(&g, 1ULL << 30, 64) || !g.on))
			kind = CG_NONE;
		else if (kind != CG_NONE)
			grade_cg_end(&g);
	}
	return kind == CG_V2 ? "cgroup v2" : kind == CG_V1 ? "cgroup v1" : NULL;
}

static int make_one(char *dir, const char *top, const char *name)
{
	if (snprintf(dir, PATH_MAX, "%.*s/%s", PATH_MAX - 80, top, name) >= PATH_MAX)
		return -ENAMETOOLONG;
	return mkdir(dir, 0755) == 0 ? 0 : -errno;
}

int grade_cg_make(struct grade_cg *g, unsigned long long mem, int pids)
{
	static unsigned n;
	char name[64], num[32];
	int rc;
	memset(g, 0, sizeof(*g));
	if (!grade_cg_mode())
		return 0;
	/* The pid alone is not unique: in a pid namespace of its own every
	 * grader is 1 (two graders of a batch met on vmlab-jail.1.0). */
	do {
		unsigned r = 0;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = (unsigned)time(NULL) ^ (unsigned)getpid() << 16 ^ n;
		snprintf(name, sizeof(name), "vmlab-jail.%d.%u.%08x", (int)getpid(), n++, r);
		rc = make_one(g->mem, top_mem, name);
	} while (rc == -EEXIST);
	if (rc)
		return rc;
	if (kind == CG_V1 && (rc = make_one(g->pids, top_pids, name)) != 0) {
		rmdir(g->mem);
		return rc;
	}
	g->on = 1;
	snprintf(num, sizeof(num), "%llu", mem);
	if (kind == CG_V2) {
		rc = mem && (put(g->mem, "memory.max", num) ||
			     put(g->mem, "memory.oom.group", "1"));
		put(g->mem, "memory.swap.max", "0");  /* absent without swap */
	} else {
		rc = mem && put(g->mem, "memory.limit_in_bytes", num);
		if (mem)      /* where swap is counted too */
			put(g->mem, "memory.memsw.limit_in_bytes", num);
	}
	snprintf(num, sizeof(num), "%d", pids);
	if (!rc && pids)
		rc = put(kind == CG_V1 ? g->pids : g->mem, "pids.max", num);
	if (rc) {
		grade_cg_end(g);
		return -EIO;
	}
	return 0;
}

int grade_cg_join(const struct grade_cg *g)
{
	if (!g->on)
		return 0;
	return put(g->mem, "cgroup.procs", "0") ||
	       (g->pids[0] && put(g->pids, "cgroup.procs", "0")) ? -1 : 0;
}

int grade_cg_oom(const struct grade_cg *g)
{
	if (!g->on)
		return 0;
	if (kind == CG_V2)
		return field(g->mem, "memory.events", "oom_kill") > 0 ||
		       field(g->mem, "memory.events", "oom_group_kill") > 0;
	return field(g->mem, "memory.oom_control", "oom_kill") > 0;
}

/* Kill whatever is still in dir (a grader without namespaces may leave a
 * process that escaped its group); 1 when there was something. */
static int kill_left(const char *dir)
{
	char path[PATH_MAX + 32];
	int pid, any = 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	FILE *f = fopen(path, "re");
	while (f && fscanf(f, "%d", &pid) == 1)
		any = kill(pid, SIGKILL) == 0 || any;
	if (f)
		fclose(f);
	return any;
}

static void remove_one(const char *dir)
{
	for (int i = 0; dir[0] && i < 2000; i++) {
		if (rmdir(dir) == 0 || errno != EBUSY)
			return;
		kill_left(dir);
		usleep(500);    /* the killed tasks leave the group as they exit */
	}
}

void grade_cg_end(struct grade_cg *g)
{
	if (!g->on)
		return;
	remove_one(g->mem);
	remove_one(g->pids);
	g->on = 0;
}
