/*
 * lv_initrd.c: writing labvm's initramfs with libarchive (see lv_initrd.h).
 *
 * The kernel's unpacker creates exactly the entries it reads, in order, and
 * never a missing parent folder: every folder is written before what it
 * holds (add_dir walks up first). Each path is written once; later
 * duplicates (the same libc for ten test programs) are skipped.
 */
#define _GNU_SOURCE
#include "lv_initrd.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "lv_deps.h"
#include "lv_strs.h"

struct ctx {
	struct archive *ar;
	struct lv_strs seen;   /* guest paths already written */
	struct lv_strs libs;   /* shared libraries still to add */
	struct lv_strs keys;   /* what chose them (lv_deps_key): ldd asked */
	char bad[PATH_MAX];    /* the path concerned by a failure (lv_deps_of fills it too) */
};

static const char *const base_dirs[] = {
	"bin", "dev", "etc", "labvm", "lib/modules", "out", "proc", "root",
	"run", "sbin", "sys", "tmp", "usr/bin", "usr/sbin", "var/tmp",
};

/* Archive names are relative: "/usr/lib" is stored as "usr/lib". */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

static int ar_error(struct ctx *c, const char *path)
{
	int err = archive_errno(c->ar);

	snprintf(c->bad, PATH_MAX, "%s", path);
	return err > 0 ? -err : -EIO;
}

/* Writes one header; data, if any, follows through archive_write_data. */
static int put_header(struct ctx *c, const char *name, mode_t mode, off_t size,
		      const char *link, dev_t rdev, time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	int rc = 0;

	if (!e)
		return -ENOMEM;
	archive_entry_set_pathname(e, name);
	archive_entry_set_mode(e, mode);
	archive_entry_set_size(e, size);
	archive_entry_set_nlink(e, S_ISDIR(mode) ? 2 : 1);
	if (link)
		archive_entry_set_symlink(e, link);
	if (rdev)
		archive_entry_set_rdev(e, rdev);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(c->ar, e) != ARCHIVE_OK)
		rc = ar_error(c, name);
	archive_entry_free(e);
	return rc ? rc : lv_strs_add(&c->seen, name);
}

/* A folder and, first, every folder above it. */
static int add_dir(struct ctx *c, const char *path)
{
	char name[PATH_MAX], *slash;
	int rc;

	snprintf(name, sizeof(name), "%s", rel(path));
	if (!*name || lv_strs_has(&c->seen, name))
		return 0;
	slash = strrchr(name, '/');
	if (slash) {
		*slash = '\0';
		rc = add_dir(c, name);
		*slash = '/';
		if (rc)
			return rc;
	}
	return put_header(c, name, S_IFDIR | 0755, 0, NULL, 0, 0);
}

static int add_parent(struct ctx *c, const char *path)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", rel(path));
	slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	return add_dir(c, dir);
}

static int add_data(struct ctx *c, const char *path, const void *data, size_t len,
		    mode_t mode)
{
	int rc = add_parent(c, path);

	rc = rc ? rc : put_header(c, rel(path), S_IFREG | mode, (off_t)len, NULL, 0, 0);
	if (!rc && len && archive_write_data(c->ar, data, len) < 0)
		rc = ar_error(c, path);
	return rc;
}

static int add_symlink(struct ctx *c, const char *path, const char *target)
{
	int rc = add_parent(c, path);

	if (rc || lv_strs_has(&c->seen, rel(path)))
		return rc;
	return put_header(c, rel(path), S_IFLNK | 0777, 0, target, 0, 0);
}

static int copy_data(struct ctx *c, int fd, const char *host)
{
	char buf[64 * 1024];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(c->bad, PATH_MAX, "%s", host);
			return -errno;
		}
		if (archive_write_data(c->ar, buf, (size_t)n) < 0)
			return ar_error(c, host);
	}
	return 0;
}

/*
 * The host file at host, stored at guest (symlinks followed: the content
 * goes in). With scan, an ELF file also queues its shared libraries; ldd
 * lists them all, the libraries' own included, so libraries need no scan.
 */
static int add_file(struct ctx *c, const char *guest, const char *host, int scan)
{
	struct stat st;
	int fd, rc;

	if (lv_strs_has(&c->seen, rel(guest)))
		return 0;
	fd = open(host, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(c->bad, PATH_MAX, "%s", host);
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	rc = add_parent(c, guest);
	rc = rc ? rc : put_header(c, rel(guest), S_IFREG | (st.st_mode & 07777),
				  st.st_size, NULL, 0, st.st_mtime);
	rc = rc ? rc : copy_data(c, fd, host);
	close(fd);
	if (!rc && scan && lv_deps_is_elf(host)) {
		struct vmlab_err e = { .code = 0 };
		char *key = NULL;
		int k = lv_deps_key(host, &key);

		/* No loader, or the same libraries as a file before: no ldd.
		 * libelf could not read it: ldd decides. */
		rc = (k == 0 && !key) || (key && lv_strs_has(&c->keys, key))
			     ? 0 : lv_deps_of(host, &c->libs, &e);
		if (!rc && key && !lv_strs_has(&c->keys, key))
			rc = lv_strs_add(&c->keys, key);
		free(key);
		if (rc) /* the library not found, else the program ldd failed on */
			snprintf(c->bad, PATH_MAX, "%s", e.msg[0] ? e.msg : host);
		if (rc == -ENOENT)
			rc = -ELIBACC;
	}
	return rc;
}

static int add_path(struct ctx *c, const char *path, int follow);

/* A folder from --in, with everything in it (symlinks kept as symlinks). */
static int add_tree(struct ctx *c, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char child[PATH_MAX];
	int rc;

	if (!d) {
		snprintf(c->bad, PATH_MAX, "%s", path);
		return -errno;
	}
	rc = add_dir(c, path);
	while (!rc && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, de->d_name) >=
		    sizeof(child))
			rc = -ENAMETOOLONG;
		else
			rc = add_path(c, child, 0);
	}
	closedir(d);
	return rc;
}

/* Any path: a folder, a file, or (inside folders, follow == 0) a symlink. */
static int add_path(struct ctx *c, const char *path, int follow)
{
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;

	if ((follow ? stat(path, &st) : lstat(path, &st)) != 0) {
		snprintf(c->bad, PATH_MAX, "%s", path);
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		return add_tree(c, path);
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
		target[n] = '\0';
		return add_symlink(c, path, target);
	}
	if (S_ISREG(st.st_mode))
		return add_file(c, path, path, 1);
	return 0; /* sockets, fifos, devices: nothing to copy */
}

/*
 * An --in path as an absolute host path: its folder resolved (as getcwd()
 * reports the current one), its last part kept, so "build/t" lands where a
 * command run from the same folder expects it.
 */
static int absolute(const char *path, char *abs, char *bad)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? (slash == path ? "/" : path) : ".");
	if (!realpath(dir, real) || !*base || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		if (!realpath(path, real)) {
			snprintf(bad, PATH_MAX, "%s", path);
			return -errno;
		}
		snprintf(abs, PATH_MAX, "%s", real);
		return 0;
	}
	if ((size_t)snprintf(abs, PATH_MAX, "%s/%s", strcmp(real, "/") ? real : "", base) >=
	    PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* The fixed part: folders, /dev/console, init, busybox and its applets, modules. */
static int add_base(struct ctx *c, const struct lv_initrd *s)
{
	static const char etc_passwd[] = "root:x:0:0:root:/root:/bin/sh\n";
	static const char etc_group[] = "root:x:0:\n";
	int rc = 0;

	for (size_t i = 0; i < sizeof(base_dirs) / sizeof(base_dirs[0]) && !rc; i++)
		rc = add_dir(c, base_dirs[i]);
	/* Without /dev/console the kernel starts /init with no stdin/stdout. */
	rc = rc ? rc : put_header(c, "dev/console", S_IFCHR | 0600, 0, NULL, makedev(5, 1), 0);
	rc = rc ? rc : add_file(c, "init", s->init, 0);
	rc = rc ? rc : add_file(c, "bin/busybox", s->assets->busybox, 0);
	for (int i = 0; i < LV_N_MODULES && !rc; i++) {
		char name[64];
		snprintf(name, sizeof(name), "lib/modules/%s.ko", lv_modules[i]);
		rc = add_file(c, name, s->assets->module[i], 0);
	}
	rc = rc ? rc : add_data(c, "etc/passwd", etc_passwd, sizeof(etc_passwd) - 1, 0644);
	rc = rc ? rc : add_data(c, "etc/group", etc_group, sizeof(etc_group) - 1, 0644);
	rc = rc ? rc : add_symlink(c, "usr/bin/env", "/bin/busybox");
	return rc;
}

/* /bin/NAME -> busybox for every applet listed in the cache's "applets". */
static int add_applets(struct ctx *c, const char *list)
{
	char line[256], name[300];
	FILE *f = fopen(list, "re");
	int rc = 0;

	if (!f) {
		snprintf(c->bad, PATH_MAX, "%s", list);
		return -errno;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line || strchr(line, '/'))
			continue;
		snprintf(name, sizeof(name), "bin/%s", line);
		rc = add_symlink(c, name, "busybox");
	}
	fclose(f);
	return rc;
}

/* /labvm/argv (NUL-separated), cwd, mode, stdio and term. */
static int add_command(struct ctx *c, const struct lv_initrd *s)
{
	size_t len = 0;
	char *buf = NULL, *grown;
	int rc;

	for (char *const *a = s->cmd; a && *a; a++) {
		size_t n = strlen(*a) + 1;
		grown = realloc(buf, len + n);
		if (!grown) {
			free(buf);
			return -ENOMEM;
		}
		buf = grown;
		memcpy(buf + len, *a, n);
		len += n;
	}
	rc = add_data(c, "labvm/argv", buf ? buf : "", len, 0644);
	free(buf);
	rc = rc ? rc : add_data(c, "labvm/cwd", s->cwd, strlen(s->cwd), 0644);
	rc = rc ? rc : add_data(c, "labvm/mode", s->mode, strlen(s->mode), 0644);
	rc = rc ? rc : add_data(c, "labvm/stdio", s->stdio, strlen(s->stdio), 0644);
	rc = rc ? rc : add_data(c, "labvm/term", s->term, strlen(s->term), 0644);
	return rc ? rc : add_dir(c, s->cwd);
}

/* A restored machine's clock is the saved one's: /init sets it from this. */
static int add_time(struct ctx *c)
{
	struct timespec ts;
	char buf[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, sizeof(buf), "%lld %ld", (long long)ts.tv_sec, ts.tv_nsec);
	return add_data(c, "labvm/time", buf, strlen(buf), 0644);
}

static int add_inputs(struct ctx *c, const struct lv_initrd *s)
{
	char abs[PATH_MAX];
	int rc = 0;

	for (size_t i = 0; i < s->n_in && !rc; i++) {
		rc = absolute(s->in[i], abs, c->bad);
		rc = rc ? rc : add_path(c, abs, 1);
	}
	for (size_t i = 0; i < c->libs.n && !rc; i++)
		rc = add_file(c, c->libs.v[i], c->libs.v[i], 0);
	return rc;
}

/* rc (< 0) and the path concerned into err; "ldd" names a missing library's step. */
static int failed(struct vmlab_err *err, int rc, const char *bad)
{
	return vmlab_fail_named(err, rc, rc == -ELIBACC ? "ldd" : NULL, "%s", bad);
}

int lv_initrd_write(const char *path, const struct lv_initrd *s, struct vmlab_err *err)
{
	struct ctx c = { .ar = archive_write_new() };
	int rc = 0;

	if (!c.ar)
		return failed(err, -ENOMEM, "");
	archive_write_set_format_cpio_newc(c.ar);
	/* The kernel wants no padding to a block size after the trailer. */
	archive_write_set_bytes_in_last_block(c.ar, 1);
	if (archive_write_open_filename(c.ar, path) != ARCHIVE_OK)
		rc = ar_error(&c, path);
	else if (s->part != LV_INITRD_RUN)
		rc = add_base(&c, s);
	if (s->part != LV_INITRD_RUN)
		rc = rc ? rc : add_applets(&c, s->assets->applets);
	if (s->part == LV_INITRD_BASE)
		rc = rc ? rc : add_data(&c, "labvm/mode", "wait", 4, 0644);
	else
		rc = rc ? rc : add_command(&c, s);
	if (s->part == LV_INITRD_RUN)
		rc = rc ? rc : add_time(&c);
	if (s->part != LV_INITRD_BASE)
		rc = rc ? rc : add_inputs(&c, s);
	if (archive_write_close(c.ar) != ARCHIVE_OK && !rc)
		rc = ar_error(&c, path);
	archive_write_free(c.ar);
	lv_strs_free(&c.seen);
	lv_strs_free(&c.libs);
	lv_strs_free(&c.keys);
	if (rc < 0)
		return failed(err, rc, c.bad);
	vmlab_err_clear(err);
	return rc;
}
