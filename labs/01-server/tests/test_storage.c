/*
 * Tests of hi_storage: /proc/mounts filtering, /sys/block disks, and the
 * size of "/" cross-checked against df on this machine.
 */
#include "hi_storage.h"

#include "graded.h"
#include "hi_diag.h"
#include "hi_file.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>

static const char *filesystems =
    "nodev\tproc\nnodev\ttmpfs\n\text4\n\txfs\nnodev\tnfs4\n";

GRADED(storage, mounts_keep_real_only, 2, "01.3 storage", 5)
{
	struct hi_mount m[8];
	unsigned n, line;
	const char *mounts = "proc /proc proc rw 0 0\n"
			     "/dev/sda1 / ext4 rw,relatime 0 0\n"
			     "tmpfs /run tmpfs rw 0 0\n"
			     "/dev/sdb1 /srv xfs rw 0 0\n";

	cr_assert_eq(hi_mounts_parse(mounts, filesystems, m, 8, &n, &line), 0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(m[0].dir, "/");
	cr_expect_str_eq(m[0].device, "/dev/sda1");
	cr_expect_str_eq(m[1].fstype, "xfs");
}

GRADED(storage, mounts_escapes_and_remounts, 2, "01.3 storage", 5)
{
	struct hi_mount m[HI_MOUNT_MAX];
	unsigned n, line;
	char *mounts, *fs;

	cr_assert_eq(hi_file_load(fixture("storage-server"), "proc/mounts",
				  &mounts, NULL),
		     0);
	cr_assert_eq(hi_file_load(fixture("storage-server"),
				  "proc/filesystems", &fs, NULL),
		     0);
	cr_assert_eq(hi_mounts_parse(mounts, fs, m, HI_MOUNT_MAX, &n, &line),
		     0);
	free(mounts);
	free(fs);
	/* / /boot /boot/efi /home /var /srv/data (twice: one kept) /srv/cache,
	 * the NFS backup and the USB disk; 22 pseudo filesystems dropped */
	cr_assert_eq(n, 9);
	cr_expect_str_eq(m[5].dir, "/srv/data");
	cr_expect_str_eq(m[7].fstype, "nfs4",
			 "network filesystems hold data too");
	cr_expect_str_eq(m[8].dir, "/media/USB Backup", "\\040 is a space");
}

GRADED(storage, mounts_malformed_line, 1, "01.3 storage", 5)
{
	struct hi_mount m[4];
	unsigned n, line;

	cr_expect_eq(hi_mounts_parse("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /x\n",
				     filesystems, m, 4, &n, &line),
		     -EINVAL);
	cr_expect_eq(line, 2);
	cr_expect_eq(
	    hi_mounts_parse("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /x xfs rw 0",
			    filesystems, m, 4, &n, &line),
	    -EINVAL, "a file cut in its last line");
}

GRADED(storage, mounts_too_many, 1, "01.3 storage", 5)
{
	struct hi_mount m[2];
	unsigned n, line;
	const char *mounts = "/dev/a / ext4 rw 0 0\n/dev/b /b ext4 rw 0 0\n"
			     "/dev/c /c ext4 rw 0 0\n";

	cr_expect_eq(hi_mounts_parse(mounts, filesystems, m, 2, &n, &line),
		     -ENOSPC);
	cr_expect_eq(n, 2, "the first ones are kept");
}

GRADED(storage, disks_of_storage_server, 2, "01.3 storage", 5)
{
	static struct hi_storage st;
	struct hi_diags ds = {0};

	cr_assert_eq(hi_storage_read(fixture("storage-server"), &st, &ds),
		     0);
	cr_expect_eq(ds.n, 0);
	cr_assert_eq(st.ndisk, 14, "4 empty loop devices are skipped");
	cr_expect_str_eq(st.disk[7].name, "sdb");
	cr_expect_eq(st.disk[7].size, 15628053168ull * 512);
	cr_expect(st.disk[7].rotational);
	cr_expect_str_eq(st.disk[7].model, "ST8000NM000A-2KE",
			 "SCSI padding removed");
	cr_expect(st.disk[13].removable);
	cr_expect_eq(st.mount[0].sized, 0, "no statvfs for a captured tree");
}

GRADED(storage, live_root_matches_df, 2, "01.3 storage", 10)
{
	static struct hi_storage st;
	unsigned i;

	cr_assert_eq(hi_storage_read("/", &st, NULL), 0);
	for (i = 0; i < st.nmount && strcmp(st.mount[i].dir, "/") != 0; i++)
		;
	cr_assert_lt(i, st.nmount, "/ is not among the real filesystems");
	cr_expect(st.mount[i].sized);
	cr_expect_eq(st.mount[i].size,
		     live_u64("df -B1 --output=size / | tail -1"));
}

GRADED(storage, root_always_counts, 1, "01.3 storage", 5)
{
	struct hi_mount m[4];
	unsigned n, line;

	/* a container: "/" is an overlay, a "nodev" type, yet it holds the
	 * files */
	cr_assert_eq(hi_mounts_parse("overlay / overlay rw,lowerdir=/l 0 "
				     "0\nproc /proc proc rw 0 0\n",
				     filesystems, m, 4, &n, &line),
		     0);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(m[0].fstype, "overlay");
}
