/*
 * test_blk: the disk's request checks at every boundary, and --disk specs.
 */
#include "graded.h"
#include "blk.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1ULL << 20)
#define DISK (8 * MIB)              /* 16384 sectors */
#define RAM (16 * MIB)

static int check(uint32_t op, uint64_t sector, uint64_t count, uint64_t buf)
{
	return blk_check(op, sector, count, buf, DISK, 0, RAM);
}

GRADED(blk, sector_range, 2, "03.5 storage", 5)
{
	cr_assert_eq(check(BLK_READ, 0, 1, MIB), BLK_S_OK);
	cr_assert_eq(check(BLK_READ, 16383, 1, MIB), BLK_S_OK, "the last sector");
	cr_assert_eq(check(BLK_READ, 16384, 1, MIB), BLK_S_RANGE, "one past");
	cr_assert_eq(check(BLK_READ, 16383, 2, MIB), BLK_S_RANGE, "straddles the end");
	cr_assert_eq(check(BLK_WRITE, 16000, 384, MIB), BLK_S_OK, "ends exactly at the end");
	/* sector * 512 and sector + count both wrap around here. */
	cr_assert_eq(check(BLK_READ, UINT64_MAX / 512 + 1, 1, MIB), BLK_S_RANGE);
	cr_assert_eq(check(BLK_READ, UINT64_MAX, 2, MIB), BLK_S_RANGE);
}

GRADED(blk, counts_and_ops, 1, "03.5 storage", 5)
{
	cr_assert_eq(check(BLK_READ, 0, 0, MIB), BLK_S_BADREQ, "count 0");
	cr_assert_eq(check(BLK_READ, 0, ABI_BLK_MAX, MIB), BLK_S_OK);
	cr_assert_eq(check(BLK_READ, 0, ABI_BLK_MAX + 1, MIB), BLK_S_BADREQ);
	cr_assert_eq(check(BLK_READ, 0, UINT64_MAX, MIB), BLK_S_BADREQ);
	cr_assert_eq(check(0, 0, 1, MIB), BLK_S_BADREQ);
	cr_assert_eq(check(BLK_FLUSH, 0, 0, 0), BLK_S_OK, "flush takes no range");
	cr_assert_eq(blk_check(BLK_READ, 0, 1, MIB, 0, 0, RAM), BLK_S_BADREQ, "no disk");
}

GRADED(blk, buffer_inside_ram, 2, "03.5 storage", 5)
{
	cr_assert_eq(check(BLK_READ, 0, 2, RAM - 1024), BLK_S_OK, "ends at the end of RAM");
	cr_assert_eq(check(BLK_READ, 0, 2, RAM - 1023), BLK_S_BADBUF, "straddles it");
	cr_assert_eq(check(BLK_READ, 0, 1, RAM), BLK_S_BADBUF);
	cr_assert_eq(check(BLK_READ, 0, 1, UINT64_MAX - 100), BLK_S_BADBUF, "wraps");
}

GRADED(blk, read_only, 1, "03.5 storage", 5)
{
	cr_assert_eq(blk_check(BLK_WRITE, 0, 1, MIB, DISK, 1, RAM), BLK_S_RO);
	cr_assert_eq(blk_check(BLK_READ, 0, 1, MIB, DISK, 1, RAM), BLK_S_OK);
}

GRADED(blk, serve_reads_the_slice, 2, "03.5 storage", 5)
{
	static uint8_t ram[2 * MIB];
	char path[] = "/tmp/vmm-blk-XXXXXX";
	int fd = mkstemp(path);
	struct blk_spec s;
	struct blk b;
	struct blk_req r = {BLK_READ, BLK_S_PENDING, 1, 1, MIB};
	struct vmlab_err e;
	char spec[128];
	uint8_t img[2048];

	cr_assert(fd >= 0);
	for (unsigned i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i / 512 + 'A'); /* sectors AAA.., BBB.., ... */
	cr_assert_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
	snprintf(spec, sizeof(spec), "%s:512:1024,ro", path);
	cr_assert_eq(blk_parse(spec, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(blk_open(&b, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(b.size, 1024);
	memcpy(ram + 4096, &r, sizeof(r));
	cr_assert_eq(blk_serve(&b, ram, sizeof(ram), 4096), 0);
	memcpy(&r, ram + 4096, sizeof(r));
	cr_assert_eq(r.status, BLK_S_OK);
	cr_assert_eq(ram[MIB], 'C', "slice sector 1 is file sector 2");
	cr_assert_eq(ram[MIB + 511], 'C');
	cr_assert_eq(ram[MIB + 512], 0, "one sector only");
	r = (struct blk_req){BLK_WRITE, BLK_S_PENDING, 0, 1, MIB};
	memcpy(ram + 4096, &r, sizeof(r));
	cr_assert_eq(blk_serve(&b, ram, sizeof(ram), 4096), 0);
	memcpy(&r, ram + 4096, sizeof(r));
	cr_assert_eq(r.status, BLK_S_RO);
	cr_assert_eq(blk_serve(&b, ram, sizeof(ram), sizeof(ram) - 8), -EFAULT);
	blk_close(&b);
	unlink(path);
}

GRADED(blk, specs, 0, "03.5 storage", 5)
{
	struct blk_spec s;
	struct vmlab_err why;

	cr_assert_eq(blk_parse("d.img", &s, &why), 0);
	cr_assert_str_eq(s.path, "d.img");
	cr_assert(!s.ro && !s.offset && !s.size);
	cr_assert_eq(blk_parse("d.img:4096:0x100000,ro", &s, &why), 0);
	cr_assert_eq(s.offset, 4096);
	cr_assert_eq(s.size, 0x100000);
	cr_assert(s.ro);
	cr_assert_eq(blk_parse("d.img:4096", &s, &why), -EINVAL);
	cr_assert(why.name && !strcmp(why.name, BLK_ERR_SYNTAX), "the form, by name");
	cr_assert(!strstr(why.msg, "--disk"), "main names the flag: %s", why.msg);
	cr_assert_eq(blk_parse("d.img:x:1", &s, &why), -EINVAL);
	cr_assert_eq(blk_parse("", &s, &why), -EINVAL);
}

/* SECURITY.md's own example, FILE:64K:64K; offsets in whole sectors. */
GRADED(blk, spec_sizes_and_sectors, 0, "03.5 storage", 5)
{
	struct blk_spec s;
	struct vmlab_err why;

	cr_assert_eq(blk_parse("d.img:64K:64K", &s, &why), 0, "%s", why.msg);
	cr_assert_eq(s.offset, 65536);
	cr_assert_eq(s.size, 65536);
	cr_assert_eq(blk_parse("d.img:1M:0x200,ro", &s, &why), 0, "%s", why.msg);
	cr_assert(s.offset == 1 << 20 && s.size == 512 && s.ro);
	cr_assert_eq(blk_parse("d.img:100:512", &s, &why), -EINVAL);
	cr_assert(strstr(why.msg, "whole 512-byte sectors"), "%s", why.msg);
	cr_assert_eq(blk_parse("d.img:512:100", &s, &why), -EINVAL);
	cr_assert_eq(blk_parse("d.img:64Q:1K", &s, &why), -EINVAL);
	cr_assert_eq(blk_parse("d.img:-512:1K", &s, &why), -EINVAL);
}

/* A disk must be a regular file: a FIFO would hang, a device has no size. */
GRADED(blk, disk_is_a_regular_file, 0, "03.5 storage", 5)
{
	char dir[] = "/tmp/vmm-blk-XXXXXX", fifo[64];
	struct blk_spec s = {.offset = 0};
	struct blk b = {.fd = -1};
	struct vmlab_err e;

	cr_assert(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	snprintf(s.path, sizeof(s.path), "%s", fifo);
	cr_assert_eq(blk_open(&b, &s, &e), -EINVAL, "a FIFO as a disk");
	cr_assert_str_eq(e.name, BLK_ERR_OPEN);
	cr_assert(strstr(e.msg, "regular file"), "%s", e.msg);
	cr_assert(!strstr(e.msg, "--disk"), "main names the flag: %s", e.msg);
	cr_assert_eq(b.fd, -1);
	snprintf(s.path, sizeof(s.path), "/dev/zero");
	cr_assert_eq(blk_open(&b, &s, &e), -EINVAL, "a device as a disk");
	unlink(fifo);
	rmdir(dir);
}
