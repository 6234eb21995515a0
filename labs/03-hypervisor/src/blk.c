/*
 * blk: a disk image behind a doorbell port.
 *
 * The checks, in the order blk_check() makes them: the operation, the
 * count (0 and oversize are refused), the sector range (with the
 * multiplication checked for overflow), the buffer inside guest RAM, and
 * write permission. Flush ignores sector, count and buffer: it means
 * fsync(2), the promise that what was written is on the host's disk.
 */
#include "blk.h"
#include "cli.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* OFFSET or SIZE: 65536, 0x10000 or 64K (K, M, G: powers of 1024). */
static int bytes(const char *s, uint64_t *out)
{
	return cli_number(s, out) && cli_size(s, out) ? -EINVAL : 0;
}

int blk_parse(const char *spec, struct blk_spec *out, struct vmlab_err *err)
{
	char buf[4200], *ro, *c1, *c2;

	memset(out, 0, sizeof(*out));
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(out->path))
		return vmlab_fail(err, -EINVAL, "path too long");
	if ((ro = strstr(buf, ",ro")) && ro[3] == '\0') {
		out->ro = 1;
		*ro = '\0';
	}
	c1 = strchr(buf, ':');
	if (c1) {
		*c1++ = '\0';
		c2 = strchr(c1, ':');
		if (!c2)
			goto bad;
		*c2++ = '\0';
		if (bytes(c1, &out->offset) || bytes(c2, &out->size) ||
		    out->size == 0)
			goto bad;
		if (out->offset % ABI_SECTOR || out->size % ABI_SECTOR)
			return vmlab_fail(err, -EINVAL, "OFFSET and SIZE must be"
					  " whole 512-byte sectors, not '%s:%s'",
					  c1, c2);
	}
	if (buf[0] == '\0')
		goto bad;
	memcpy(out->path, buf, strlen(buf) + 1);
	return 0;
bad:
	return vmlab_fail_named(err, -EINVAL, BLK_ERR_SYNTAX, "wants FILE,"
				" FILE:OFFSET:SIZE (bytes, or with K, M or G:"
				" FILE:64K:64K), and ,ro at the end for"
				" read-only; not '%s'", spec);
}

int blk_open(struct blk *b, const struct blk_spec *s, struct vmlab_err *err)
{
	struct stat st;

	/* O_NONBLOCK: opening a FIFO must not wait for its other end. */
	b->fd = open(s->path, (s->ro ? O_RDONLY : O_RDWR) | O_NONBLOCK |
		     O_CLOEXEC);
	if (b->fd < 0 || fstat(b->fd, &st) < 0) {
		int en = errno;

		blk_close(b);
		return vmlab_fail_named(err, -en, BLK_ERR_OPEN, "open %s: %s",
					s->path, strerror(en));
	}
	if (!S_ISREG(st.st_mode)) {
		blk_close(b);
		return vmlab_fail_named(err, -EINVAL, BLK_ERR_OPEN,
					"the disk must be a regular file");
	}
	b->offset = s->offset;
	b->size = s->size ? s->size : (uint64_t)st.st_size - s->offset;
	b->ro = s->ro;
	if (s->offset > (uint64_t)st.st_size || s->offset % ABI_SECTOR ||
	    b->size % ABI_SECTOR ||
	    b->size > (uint64_t)st.st_size - s->offset || b->size == 0) {
		blk_close(b);
		return vmlab_fail_named(err, -EINVAL, BLK_ERR_OPEN, "the slice"
					" must be whole 512-byte sectors inside"
					" the file");
	}
	return 0;
}

void blk_close(struct blk *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

/*
 * Stage 03.5 (README "Stage 5 · storage", step 1): every number of a
 * guest's request, in this order, the first failure deciding its status:
 *   no disk (disk_size 0), or op not BLK_READ..BLK_IDENTIFY  BLK_S_BADREQ
 *   BLK_FLUSH and BLK_IDENTIFY: nothing more to check        BLK_S_OK
 *   count 0 or more than ABI_BLK_MAX (2048)                   BLK_S_BADREQ
 *   [sector, sector + count) not inside the disk's sectors   BLK_S_RANGE
 *   [buf, buf + count * ABI_SECTOR) not inside RAM           BLK_S_BADBUF
 *   BLK_WRITE on a read-only disk (ro)                       BLK_S_RO
 * Else BLK_S_OK. Beware sums that wrap: sector + count and buf + bytes
 * can pass 2^64; compare with what is left instead.
 */
int blk_check(uint32_t op, uint64_t sector, uint64_t count, uint64_t buf,
	      uint64_t disk_size, int ro, uint64_t ram_size)
{
	/* >>> SOLUTION 03.5: the checks in their order; no sum that can wrap */
	uint64_t sectors = disk_size / ABI_SECTOR, bytes;

	if (disk_size == 0 || op < BLK_READ || op > BLK_IDENTIFY)
		return BLK_S_BADREQ;
	if (op == BLK_FLUSH || op == BLK_IDENTIFY)
		return BLK_S_OK;
	if (count == 0 || count > ABI_BLK_MAX)
		return BLK_S_BADREQ;
	/* sector + count may wrap: compare against what is left instead. */
	if (sector >= sectors || count > sectors - sector)
		return BLK_S_RANGE;
	bytes = count * ABI_SECTOR; /* count <= ABI_BLK_MAX: no overflow */
	if (buf > ram_size || bytes > ram_size - buf)
		return BLK_S_BADBUF;
	if (op == BLK_WRITE && ro)
		return BLK_S_RO;
	return BLK_S_OK;
	/* === STUB
	(void)op;
	(void)sector;
	(void)count;
	(void)buf;
	(void)disk_size;
	(void)ro;
	(void)ram_size;
	return BLK_S_BADREQ;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.5 (README "Stage 5 · storage", step 2): the I/O of request r,
 * which blk_check() accepted. BLK_FLUSH: fsync(b->fd). BLK_IDENTIFY:
 * nothing (blk_serve() writes the size). BLK_READ / BLK_WRITE: r->count
 * sectors of ABI_SECTOR bytes between guest RAM at ram + r->buf and the
 * disk at byte b->offset + r->sector * ABI_SECTOR of b->fd, with pread /
 * pwrite, looping on short counts and retrying EINTR. Returns BLK_S_OK,
 * or BLK_S_IOERR (a failure, or 0 bytes where more were due).
 */
__attribute__((unused)) /* called from blk_serve() */
static int do_io(struct blk *b, const struct blk_req *r, uint8_t *ram)
{
	/* >>> SOLUTION 03.5: fsync for a flush; pread or pwrite all count * 512 bytes, loop on short counts */
	size_t len = (size_t)r->count * ABI_SECTOR, done = 0;
	off_t at = (off_t)(b->offset + r->sector * ABI_SECTOR);

	if (r->op == BLK_FLUSH)
		return fsync(b->fd) == 0 ? BLK_S_OK : BLK_S_IOERR;
	if (r->op == BLK_IDENTIFY)
		return BLK_S_OK; /* blk_serve() writes the size */
	while (done < len) {
		ssize_t n = r->op == BLK_READ ?
			pread(b->fd, ram + r->buf + done, len - done, at + (off_t)done) :
			pwrite(b->fd, ram + r->buf + done, len - done, at + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return BLK_S_IOERR;
		done += (size_t)n;
	}
	return BLK_S_OK;
	/* === STUB
	(void)b;
	(void)r;
	(void)ram;
	return BLK_S_IOERR;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.5 (README "Stage 5 · storage", step 3; blk.h has the
 * contract): one doorbell, the struct blk_req at guest-physical gpa.
 *   1. The struct itself must lie inside RAM, else return -EFAULT: there
 *      is nowhere to put a status, and the VM stops (exit 81, "the disk
 *      request struct is not inside guest RAM", exits.c says it).
 *   2. Copy it out of RAM and use only the copy (the guest, or another
 *      vCPU, may change the original meanwhile).
 *   3. status = blk_check(op, sector, count, buf, the disk's size (0 when
 *      b->fd < 0), b->ro, ram_size); only when it is BLK_S_OK, do_io().
 *   4. A BLK_IDENTIFY that succeeded writes the disk's size in sectors
 *      (b->size / ABI_SECTOR, 8 bytes) into the guest's struct over .count.
 *   5. The status (4 bytes) goes into the guest's struct at .status; a bad
 *      request touches nothing else. Returns 0.
 * Copy in and out with memcpy at offsetof(struct blk_req, FIELD): the
 * guest chose the address, which may be unaligned.
 */
int blk_serve(struct blk *b, uint8_t *ram, uint64_t ram_size, uint64_t gpa)
{
	/* >>> SOLUTION 03.5: struct inside RAM or -EFAULT; copy it; blk_check(), do_io(); status back */
	struct blk_req r;
	uint32_t status;

	if (gpa > ram_size || sizeof(r) > ram_size - gpa)
		return -EFAULT;
	memcpy(&r, ram + gpa, sizeof(r)); /* check the copy, use the copy */
	status = (uint32_t)blk_check(r.op, r.sector, r.count, r.buf,
				     b->fd >= 0 ? b->size : 0, b->ro, ram_size);
	if (status == BLK_S_OK)
		status = (uint32_t)do_io(b, &r, ram);
	if (status == BLK_S_OK && r.op == BLK_IDENTIFY) {
		uint64_t sectors = b->size / ABI_SECTOR;

		memcpy(ram + gpa + offsetof(struct blk_req, count), &sectors,
		       sizeof(sectors));
	}
	memcpy(ram + gpa + offsetof(struct blk_req, status), &status,
	       sizeof(status));
	return 0;
	/* === STUB
	(void)b;
	(void)ram;
	(void)ram_size;
	(void)gpa;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.11, README "Optional · a request ring" (the ring's ABI
 * is in vmlab_abi.h): one notification, the struct blk_ring at
 * guest-physical gpa. Serves every entry from tail to head and stores
 * tail = head. Checks, in this order, each failing closed (nothing served,
 * nothing written; err->msg says why, the VM stops with exit 81):
 *   the 16-byte header not inside RAM           -EFAULT "the disk ring is not inside guest RAM"
 *   size 0, not a power of two, or over ABI_BLK_RING_MAX
 *                                               -EINVAL "the disk ring's size is N: not a power of two from 1 to 256"
 *   the size entries after it not inside RAM    -EFAULT "the disk ring is not inside guest RAM"
 *   head - tail (mod 2^32) more than size       -EINVAL "the disk ring holds N requests, more than its size M"
 * Read size, head and tail once, into locals (the guest may change them
 * meanwhile), and no sum that can wrap. Entry i is at gpa + 16 + (i &
 * (size - 1)) * 32: serve it with blk_serve(), which writes its status.
 * Returns the number of requests served (0 to size); a failure of
 * blk_serve() itself (< 0) is returned as it is.
 */
int blk_ring_serve(struct blk *b, uint8_t *ram, uint64_t ram_size,
		   uint64_t gpa, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.11: check the header, size, entries, head - tail; blk_serve() each entry; tail = head */
	struct blk_ring h;
	uint64_t room;
	uint32_t n;

	if (gpa > ram_size || sizeof(h) > ram_size - gpa)
		goto outside;
	memcpy(&h, ram + gpa, sizeof(h)); /* size, head, tail: read once */
	if (h.size == 0 || h.size > ABI_BLK_RING_MAX || (h.size & (h.size - 1)))
		return vmlab_fail(err, -EINVAL, "the disk ring's size is %u: not"
				  " a power of two from 1 to %u", h.size,
				  ABI_BLK_RING_MAX);
	room = ram_size - gpa - sizeof(h);
	if ((uint64_t)h.size * sizeof(struct blk_req) > room)
		goto outside;
	n = h.head - h.tail; /* free-running indexes: wraps as it should */
	if (n > h.size)
		return vmlab_fail(err, -EINVAL, "the disk ring holds %u requests,"
				  " more than its size %u", n, h.size);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t slot = (h.tail + i) & (h.size - 1);
		int r = blk_serve(b, ram, ram_size, gpa + sizeof(h) +
				  (uint64_t)slot * sizeof(struct blk_req));

		if (r < 0)
			return r;
	}
	memcpy(ram + gpa + offsetof(struct blk_ring, tail), &h.head,
	       sizeof(h.head));
	return (int)n;
outside:
	return vmlab_fail(err, -EFAULT, "the disk ring is not inside guest RAM");
	/* === STUB
	(void)b;
	(void)ram;
	(void)ram_size;
	(void)gpa;
	return vmlab_fail(err, -ENOSYS, "blk_ring_serve (not written yet)");
	*/
	/* <<< SOLUTION */
}
