/*
 * test_blk: the disk's request checks at every boundary, and --disk specs;
 * the request ring (optional stage 03.11) fed hostile rings.
 */
#include "graded.h"
#include "blk.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1ULL << 20)
#define DISK (8 * MIB)              /* 16384 sectors */
#define RAM (16 * MIB)

/* A fresh file (or folder) name NAME-XXXXXX in $TMPDIR, the test's own
 * scratch folder when graded (else /tmp), for mkstemp or mkdtemp. The
 * tests unlink a disk image as soon as it is open, so that a failed
 * assertion leaves nothing behind. */
static void tmp_name(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(buf, size, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", name);
}

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
	char path[256];
	int fd;
	struct blk_spec s;
	struct blk b;
	struct blk_req r = {BLK_READ, BLK_S_PENDING, 1, 1, MIB};
	struct vmlab_err e;
	char spec[320];
	uint8_t img[2048];

	tmp_name(path, sizeof(path), "vmm-blk");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	for (unsigned i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i / 512 + 'A'); /* sectors AAA.., BBB.., ... */
	cr_assert_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
	snprintf(spec, sizeof(spec), "%s:512:1024,ro", path);
	cr_assert_eq(blk_parse(spec, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(blk_open(&b, &s, &e), 0, "%s", e.msg);
	unlink(path);
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
	char dir[256], fifo[300];
	struct blk_spec s = {.offset = 0};
	struct blk b = {.fd = -1};
	struct vmlab_err e;

	tmp_name(dir, sizeof(dir), "vmm-blk");
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

/* ---- 03.11 request ring (optional: 0-point bonus tests) ----------------- */

#define RING_AT 4096u                 /* the ring's guest-physical address */
#define RING_RAM (2 * MIB)
#define REQ_AT(slot) (RING_AT + sizeof(struct blk_ring) + \
		      (slot) * sizeof(struct blk_req))

/* A 16-sector image, sector s full of 'A' + s, opened read-write. */
static void ring_disk(struct blk *b)
{
	char path[256];
	int fd;
	struct blk_spec s;
	struct vmlab_err e;
	uint8_t img[16 * 512];

	tmp_name(path, sizeof(path), "vmm-ring");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	for (unsigned i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i / 512 + 'A');
	cr_assert_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
	cr_assert_eq(blk_parse(path, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(blk_open(b, &s, &e), 0, "%s", e.msg);
	unlink(path);
}

static void ring_header(uint8_t *ram, uint32_t size, uint32_t head,
			uint32_t tail)
{
	struct blk_ring h = {size, head, tail, 0};

	memcpy(ram + RING_AT, &h, sizeof(h));
}

static void ring_put(uint8_t *ram, uint32_t slot, struct blk_req r)
{
	memcpy(ram + REQ_AT(slot), &r, sizeof(r));
}

static uint32_t ring_status(const uint8_t *ram, uint32_t slot)
{
	struct blk_req r;

	memcpy(&r, ram + REQ_AT(slot), sizeof(r));
	return r.status;
}

static uint32_t ring_tail(const uint8_t *ram)
{
	struct blk_ring h;

	memcpy(&h, ram + RING_AT, sizeof(h));
	return h.tail;
}

/* Every request from tail to head, one call; the indexes wrap at 2^32. */
GRADED_BONUS(ring, serves_every_request_from_tail_to_head, 0,
	     "03.11 request ring", 5)
{
	static uint8_t ram[RING_RAM];
	struct blk b;
	struct vmlab_err e;
	uint32_t t = 0xfffffffeu; /* slots 2, 3, 0, 1 of 4 */

	ring_disk(&b);
	memset(ram, 0, sizeof(ram));
	ring_header(ram, 4, t + 4, t);
	ring_put(ram, 2, (struct blk_req){BLK_READ, BLK_S_PENDING, 1, 1, MIB});
	ring_put(ram, 3, (struct blk_req){BLK_READ, BLK_S_PENDING, 16, 1, MIB});
	ring_put(ram, 0, (struct blk_req){BLK_WRITE, BLK_S_PENDING, 3, 1, MIB});
	ring_put(ram, 1, (struct blk_req){BLK_READ, BLK_S_PENDING, 2, 2, MIB + 512});
	cr_assert_eq(blk_ring_serve(&b, ram, sizeof(ram), RING_AT, &e), 4,
		     "four requests served: %s", e.msg);
	cr_assert_eq(ring_status(ram, 2), BLK_S_OK);
	cr_assert_eq(ring_status(ram, 3), BLK_S_RANGE, "one past the disk");
	cr_assert_eq(ring_status(ram, 0), BLK_S_OK);
	cr_assert_eq(ring_status(ram, 1), BLK_S_OK);
	cr_assert_eq(ram[MIB], 'B', "sector 1 read, then written to sector 3");
	cr_assert_eq(ram[MIB + 512], 'C', "the last read, sector 2");
	cr_assert_eq(ram[MIB + 1024], 'B', "sector 3 now holds sector 1's bytes");
	cr_assert_eq(ring_tail(ram), t + 4, "tail = head, wrapped");
	/* Nothing new: nothing served. */
	cr_assert_eq(blk_ring_serve(&b, ram, sizeof(ram), RING_AT, &e), 0);
	blk_close(&b);
}

/* A full ring (head - tail = size) is served; the ring may end RAM. */
GRADED_BONUS(ring, a_full_ring_at_the_end_of_ram, 0, "03.11 request ring", 5)
{
	static uint8_t ram[RING_RAM];
	struct blk b;
	struct vmlab_err e;
	uint64_t at = RING_RAM - sizeof(struct blk_ring) -
		      8 * sizeof(struct blk_req);
	struct blk_ring h = {8, 8, 0, 0};
	struct blk_req r = {BLK_IDENTIFY, BLK_S_PENDING, 0, 0, 0};

	ring_disk(&b);
	memset(ram, 0, sizeof(ram));
	memcpy(ram + at, &h, sizeof(h));
	for (int i = 0; i < 8; i++)
		memcpy(ram + at + sizeof(h) + i * sizeof(r), &r, sizeof(r));
	cr_assert_eq(blk_ring_serve(&b, ram, sizeof(ram), at, &e), 8, "%s", e.msg);
	memcpy(&r, ram + RING_RAM - sizeof(r), sizeof(r));
	cr_assert_eq(r.status, BLK_S_OK);
	cr_assert_eq(r.count, 16, "identify: the disk's size in sectors");
	memcpy(&h, ram + at, sizeof(h));
	cr_assert_eq(h.tail, 8);
	blk_close(&b);
}

/* A bad ring is refused whole: -errno, err says why, nothing written. */
#define RING_REFUSED(at, code, words)                                          \
	do {                                                                   \
		memcpy(before, ram, sizeof(ram));                              \
		vmlab_err_clear(&e);                                           \
		cr_assert_eq(blk_ring_serve(&b, ram, sizeof(ram), (at), &e),   \
			     (code), "a ring the VMM must refuse (%s)", words); \
		cr_assert(strstr(e.msg, (words)), "err says \"%s\", not \"%s\"",\
			  words, e.msg);                                       \
		cr_assert(!memcmp(before, ram, sizeof(ram)),                   \
			  "a refused ring writes nothing into guest RAM");      \
	} while (0)

GRADED_BONUS(ring, a_bad_ring_fails_closed, 0, "03.11 request ring", 5)
{
	static uint8_t ram[RING_RAM], before[RING_RAM];
	struct blk b;
	struct vmlab_err e;
	uint32_t sizes[] = {0, 3, 6, 2 * ABI_BLK_RING_MAX, 0xffffffffu};

	ring_disk(&b);
	memset(ram, 0, sizeof(ram));
	ring_put(ram, 0, (struct blk_req){BLK_WRITE, BLK_S_PENDING, 0, 1, MIB});
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ring_header(ram, sizes[i], 1, 0);
		RING_REFUSED(RING_AT, -EINVAL, "not a power of two from 1 to 256");
	}
	ring_header(ram, 4, 5, 0);
	RING_REFUSED(RING_AT, -EINVAL, "the disk ring holds 5 requests, more than its size 4");
	ring_header(ram, 4, 0, 1); /* head behind tail: 2^32 - 1 requests */
	RING_REFUSED(RING_AT, -EINVAL, "more than its size 4");
	RING_REFUSED(RING_RAM, -EFAULT, "the disk ring is not inside guest RAM");
	RING_REFUSED(RING_RAM - 8, -EFAULT, "not inside guest RAM");
	RING_REFUSED(UINT64_MAX - 8, -EFAULT, "not inside guest RAM");
	RING_REFUSED(UINT64_MAX, -EFAULT, "not inside guest RAM");
	/* The header fits, its 256 entries do not. */
	memcpy(ram + RING_RAM - 64, &(struct blk_ring){256, 1, 0, 0},
	       sizeof(struct blk_ring));
	RING_REFUSED(RING_RAM - 64, -EFAULT, "not inside guest RAM");
	blk_close(&b);
}

/* The largest ring, every entry pending: one call serves size, no more. */
GRADED_BONUS(ring, at_most_size_requests_per_notification, 0,
	     "03.11 request ring", 5)
{
	static uint8_t ram[RING_RAM];
	struct blk b;
	struct vmlab_err e;
	struct blk_req r = {BLK_READ, BLK_S_PENDING, 0, 1, MIB};

	ring_disk(&b);
	memset(ram, 0, sizeof(ram));
	ring_header(ram, ABI_BLK_RING_MAX, 7 + ABI_BLK_RING_MAX, 7);
	for (uint32_t i = 0; i < ABI_BLK_RING_MAX; i++)
		ring_put(ram, i, r);
	cr_assert_eq(blk_ring_serve(&b, ram, sizeof(ram), RING_AT, &e),
		     ABI_BLK_RING_MAX, "%s", e.msg);
	for (uint32_t i = 0; i < ABI_BLK_RING_MAX; i++)
		cr_assert_eq(ring_status(ram, i), BLK_S_OK, "entry %u", i);
	cr_assert_eq(ring_tail(ram), 7 + ABI_BLK_RING_MAX);
	blk_close(&b);
}
