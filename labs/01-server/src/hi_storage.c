/*
 * hi_storage: disks (block devices) and the real filesystems mounted on them.
 *
 * /sys/block holds one directory per disk; its "size" counts 512-byte
 * sectors whatever the disk's real sector size (Documentation/ABI/stable/
 * sysfs-block). Empty devices (unused loop, zram) are skipped. /proc/mounts
 * follows fstab(5); spaces in paths are written as \040. statvfs(3) gives
 * the sizes df prints: size = f_blocks, used = f_blocks - f_bfree, available
 * = f_bavail (the blocks reserved for root are in neither).
 */
#include "hi_storage.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

void hi_mount_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				       (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/*
 * Does fstype hold data? Yes for a network filesystem (nfs, nfs4, cifs,
 * smb3, ceph, glusterfs, virtiofs: "nodev", yet your data lives there).
 * Otherwise filesystems is /proc/filesystems, one type a line, "\text4" for
 * a type on a device and "nodev\tproc" for one without: yes when fstype is
 * listed without "nodev", no when it is listed with it or not at all. When
 * filesystems is NULL (not readable), yes when device is a path ("/dev/...").
 * Returns 1 or 0. Stage 01.3, README "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int fs_is_real(const char *fstype, const char *device,
		      const char *filesystems)
{
	/* >>> SOLUTION 01.3: the network table first; then walk the lines of filesystems (struct hi_lines) comparing the name after the tab */
	static const char *const network[] = { "nfs",  "nfs4", "cifs",
					       "smb3", "ceph", "glusterfs",
					       "virtiofs" };
	struct hi_lines it = { .next = filesystems };
	size_t fl = strlen(fstype);

	for (size_t i = 0; i < sizeof(network) / sizeof(network[0]); i++)
		if (strcmp(fstype, network[i]) == 0)
			return 1; /* "nodev", yet your data lives there */
	if (!filesystems)
		return device[0] == '/';
	while (hi_lines_next(&it)) {
		/* "nodev\tproc" or "\text4" */
		const char *name = memchr(it.line, '\t', it.len);
		if (!name)
			continue;
		name++;
		if ((size_t)(it.line + it.len - name) == fl &&
		    memcmp(name, fstype, fl) == 0)
			return strncmp(it.line, "nodev", 5) != 0;
	}
	return 0; /* a type the kernel does not list: not a disk's */
	/* === STUB
	(void)fstype;
	(void)device;
	(void)filesystems;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Copies the next field of a line into buf: skips blanks (spaces, tabs),
 * takes the bytes up to the next blank or end, and moves *p past them.
 * Returns 0; -EINVAL when there is no field left or it does not fit in
 * size bytes with its NUL. Stage 01.3, README "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int field(const char **p, const char *end, char *buf, size_t size)
{
	/* >>> SOLUTION 01.3: skip the blanks, measure the field, refuse empty or too long, copy and NUL-terminate */
	const char *s = *p;
	size_t n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	n = 0;
	while (s + n < end && s[n] != ' ' && s[n] != '\t')
		n++;
	if (n == 0 || n >= size)
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*p = s + n;
	return 0;
	/* === STUB
	(void)p;
	(void)end;
	(void)buf;
	(void)size;
	return -EINVAL;
	*/
	/* <<< SOLUTION */
}

/*
 * Adds m to out[0..*n), or, when an entry is already mounted on the same
 * directory, replaces it (the later mount hides the earlier one).
 * Returns 0; -ENOSPC when m is new and *n is already max.
 * Stage 01.3, README "Steps" 3.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int mount_add(struct hi_mount *out, unsigned max, unsigned *n,
		     const struct hi_mount *m)
{
	/* >>> SOLUTION 01.3: look for m->dir among the entries; replace it, or append when there is room */
	for (unsigned i = 0; i < *n; i++) {
		if (strcmp(out[i].dir, m->dir) == 0) {
			out[i] = *m;
			return 0;
		}
	}
	if (*n >= max)
		return -ENOSPC;
	out[(*n)++] = *m;
	return 0;
	/* === STUB
	(void)out;
	(void)max;
	(void)n;
	(void)m;
	return -ENOSPC;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_storage.h. Clears *n and *line. Each line of
 * mounts is "device dir fstype options ..." (field() for the first four;
 * an incomplete last line or a missing field is -EINVAL with *line set).
 * Decode device and dir with hi_mount_unescape ("\040" is a space). Keep a
 * mount when dir is "/" (whatever its type: a container's overlay) or
 * fs_is_real says so, through mount_add; -ENOSPC from it does not stop the
 * parse but is returned at the end. *line is 0 again when no line was bad.
 * Stage 01.3, README "Steps" 3.
 */
int hi_mounts_parse(const char *mounts, const char *filesystems,
		    struct hi_mount *out, unsigned max, unsigned *n,
		    unsigned *line)
{
	/* >>> SOLUTION 01.3: per line: the four fields, unescape, keep "/" and the real ones, remember -ENOSPC */
	struct hi_lines it = { .next = mounts };
	struct hi_mount m;
	char opts[1024];
	int err = 0;

	*n = 0;
	*line = 0;
	while (hi_lines_next(&it)) {
		const char *p = it.line, *end = it.line + it.len;
		*line = it.num;
		memset(&m, 0, sizeof(m));
		if (!it.complete ||
		    field(&p, end, m.device, sizeof(m.device)) ||
		    field(&p, end, m.dir, sizeof(m.dir)) ||
		    field(&p, end, m.fstype, sizeof(m.fstype)) ||
		    field(&p, end, opts, sizeof(opts)))
			return -EINVAL;
		hi_mount_unescape(m.device);
		hi_mount_unescape(m.dir);
		/* "/" counts whatever its type (a container's overlay) */
		if ((strcmp(m.dir, "/") == 0 ||
		     fs_is_real(m.fstype, m.device, filesystems)) &&
		    mount_add(out, max, n, &m))
			err = -ENOSPC;
	}
	*line = 0;
	return err;
	/* === STUB
	(void)mounts;
	(void)filesystems;
	(void)out;
	(void)max;
	*n = 0;
	*line = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hi_disk *)a)->name,
		      ((const struct hi_disk *)b)->name);
}

/* One /sys/block/NAME. Returns 0, 1 to skip an empty device, or -errno. */
static int disk_read(const char *root, const char *name, struct hi_disk *d,
		     struct hi_diags *ds)
{
	char rel[256];
	uint64_t sectors, v;
	int err;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(rel, sizeof(rel), "sys/block/%s/size", name);
	err = hi_file_u64(root, rel, &sectors);
	if (!err)
		err = hi_mul_u64(sectors, 512, &d->size); /* 512, always */
	if (err) {
		hi_diag_add(ds, err, root, rel, 1,
			    "expected a number of 512-byte sectors");
		return err;
	}
	if (sectors == 0)
		return 1;
	snprintf(rel, sizeof(rel), "sys/block/%s/queue/rotational", name);
	d->rotational = hi_diag_nomem(ds, root, rel, hi_file_u64(root, rel, &v)) == 0 && v == 1;
	snprintf(rel, sizeof(rel), "sys/block/%s/removable", name);
	d->removable = hi_diag_nomem(ds, root, rel, hi_file_u64(root, rel, &v)) == 0 && v == 1;
	snprintf(rel, sizeof(rel), "sys/block/%s/device/model", name);
	if (hi_diag_nomem(ds, root, rel, hi_file_line(root, rel, d->model, sizeof(d->model))) == 0) {
		size_t l = strlen(d->model); /* SCSI pads models with blanks */
		while (l > 0 && d->model[l - 1] == ' ')
			d->model[--l] = '\0';
	}
	return 0;
}

static int disks_read(const char *root, struct hi_storage *out,
		      struct hi_diags *ds)
{
	char path[4096];
	struct dirent *e;
	DIR *dir;
	int err = hi_path(path, sizeof(path), root, "sys/block");

	if (err || !(dir = opendir(path))) {
		err = err ? err : -errno;
		hi_diag_add(ds, err, root, "sys/block", 0,
			    "cannot list the disks");
		return err;
	}
	while ((e = readdir(dir)) && out->ndisk < HI_DISK_MAX) {
		if (e->d_name[0] == '.' ||
		    strlen(e->d_name) >= sizeof(out->disk[0].name))
			continue;
		if (disk_read(root, e->d_name, &out->disk[out->ndisk], ds) == 0)
			out->ndisk++;
	}
	closedir(dir);
	qsort(out->disk, out->ndisk, sizeof(out->disk[0]), name_cmp);
	return 0;
}

/* statvfs, in the units df -B1 prints. */
static int mount_size(struct hi_mount *m)
{
	struct statvfs st;

	if (statvfs(m->dir, &st) != 0)
		return -errno;
	if (hi_mul_u64(st.f_blocks, st.f_frsize, &m->size) ||
	    hi_mul_u64(st.f_blocks - st.f_bfree, st.f_frsize, &m->used) ||
	    hi_mul_u64(st.f_bavail, st.f_frsize, &m->avail))
		return -ERANGE;
	m->sized = 1;
	return 0;
}

static int mounts_read(const char *root, struct hi_storage *out,
		       struct hi_diags *ds)
{
	char *mounts, *filesystems = NULL;
	unsigned line;
	int err = hi_file_load(root, "proc/mounts", &mounts, NULL);

	if (err) {
		hi_diag_add(ds, err, root, "proc/mounts", 0,
			    "cannot list the filesystems");
		return err;
	}
	(void)hi_diag_nomem(ds, root, "proc/filesystems",
			    hi_file_load(root, "proc/filesystems", &filesystems, NULL));
	err = hi_mounts_parse(mounts, filesystems, out->mount, HI_MOUNT_MAX,
			      &out->nmount, &line);
	if (err == -ENOSPC)
		hi_diag_add(ds, err, root, "proc/mounts", 0,
			    "more than %d real filesystems; the first %d "
			    "are shown",
			    HI_MOUNT_MAX, HI_MOUNT_MAX);
	else if (err)
		hi_diag_add(ds, err, root, "proc/mounts", line, "%s",
			    err == -ENOSYS ? "parser not written yet"
			    : "expected \"device dir type options 0 0\"");
	free(mounts);
	free(filesystems);
	return err == -ENOSPC ? 0 : err;
}

/* Sizes each mounted filesystem of the live machine. */
static void mounts_size(struct hi_storage *out, struct hi_diags *ds)
{
	for (unsigned i = 0; i < out->nmount; i++) {
		int err = mount_size(&out->mount[i]);
		if (err)
			hi_diag_add(ds, err, "/", out->mount[i].dir, 0,
				    "statvfs failed");
	}
}

int hi_storage_read(const char *root, struct hi_storage *out,
		    struct hi_diags *ds)
{
	int err, err2;

	memset(out, 0, sizeof(*out));
	err = disks_read(root, out, ds);
	err2 = mounts_read(root, out, ds);
	if (!err2 && hi_root_is_live(root))
		mounts_size(out, ds);
	return err ? err : err2;
}
