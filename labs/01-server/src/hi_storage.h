/*
 * hi_storage: disks (block devices) and the real filesystems mounted on them.
 *
 *   hi_mounts_parse(mounts, filesystems, ...)  /proc/mounts, pseudo fs skipped
 *   hi_storage_read(root, &st, diags)          disks (/sys/block), mounts,
 *                                              sizes (statvfs, live only)
 *
 * A disk is hardware (or what a hypervisor presents as such): /sys/block/vda.
 * A filesystem is how one holds files; a "real" one sits on a block device.
 * Pseudo filesystems (proc, sysfs, tmpfs, cgroup...) hold no data of yours.
 */
#ifndef HI_STORAGE_H
#define HI_STORAGE_H

#include <stdint.h>

struct hi_diags;

#define HI_DISK_MAX  64
#define HI_MOUNT_MAX 64

struct hi_disk {
	char name[32];           /* "sda", "nvme0n1", "vda" */
	char model[64];          /* device/model, "" when unknown */
	uint64_t size;           /* bytes */
	int rotational;          /* 1 spinning disk, 0 SSD/NVMe/virtual */
	int removable;
};

struct hi_mount {
	char device[128];        /* "/dev/sda2" */
	char dir[256];           /* "/boot", octal escapes (\040) decoded */
	char fstype[32];         /* "ext4" */
	int sized;               /* statvfs gave the numbers below */
	uint64_t size, used, avail; /* bytes, as df -B1 counts them */
};

struct hi_storage {
	unsigned ndisk;
	struct hi_disk disk[HI_DISK_MAX];
	unsigned nmount;
	struct hi_mount mount[HI_MOUNT_MAX];
};

/*
 * Parses /proc/mounts ("device dir fstype options 0 0" per line) and keeps
 * only real filesystems: those /proc/filesystems lists without "nodev" (when
 * filesystems is NULL: those whose device is a path, "/dev/..."), network
 * filesystems, and whatever is mounted on "/". A mount
 * point listed twice keeps its last entry (the later mount hides the first).
 * Returns 0; -EINVAL for a line with fewer than four fields (*line set);
 * -ENOSPC when more than max filesystems remain (the first max are kept).
 */
int hi_mounts_parse(const char *mounts, const char *filesystems,
		    struct hi_mount *out, unsigned max, unsigned *n,
		    unsigned *line);

/* Decodes the octal escapes of /proc/mounts ("a\040b" -> "a b") in place. */
void hi_mount_unescape(char *s);

/*
 * Reads disks and mounts under root; on the live machine ("/") also sizes
 * each mount with statvfs. Returns 0 or -errno; problems recorded in ds.
 */
int hi_storage_read(const char *root, struct hi_storage *out,
		    struct hi_diags *ds);

#endif /* HI_STORAGE_H */
