/*
 * virtio: a minimal virtio-blk device on the MMIO transport (virtio.h).
 *
 * The registers (virtio 1.1, 4.2.2) are 32-bit words at fixed offsets;
 * the device's configuration (its capacity in 512-byte sectors) starts at
 * 0x100. The driver picks the features (VERSION_1, FLUSH, RO when the
 * disk is read-only), sizes queue 0, tells where its three areas are and
 * sets QueueReady. Then each write to QueueNotify makes vq_serve() take
 * the new entries of the available ring, serve each chain and put it on
 * the used ring; the caller raises the IRQ when it returns 1.
 * The challenge's part (stage 03.10): blk_request() and vq_serve().
 */
#include "virtio.h"
#include "vm.h" /* vm_fail() */
#include "vmlab_abi.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define DESC_F_NEXT      1
#define DESC_F_WRITE     2
#define DESC_F_INDIRECT  4
#define F_BLK_RO         5
#define F_BLK_FLUSH      9
#define F_VERSION_1      32
#define ISR_USED         1
#define ISR_CONFIG       2
#define MAGIC            0x74726976u /* "virt" */
#define VENDOR           0x626c6d76u /* "vmlb" */
#define CONFIG           0x100

static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
/* put16 and put32: used by vq_serve() (03.10; stubbed in the handout). */
__attribute__((unused))
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
__attribute__((unused))
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* [a, a + len) inside guest RAM: its host address; else NULL. */
static uint8_t *gpa(const struct virtio_blk *d, uint64_t a, uint64_t len)
{
	if (a > d->ram_size || len > d->ram_size - a)
		return NULL;
	return d->ram + a;
}

static uint64_t features(const struct virtio_blk *d)
{
	return 1ULL << F_VERSION_1 | 1ULL << F_BLK_FLUSH |
	       (uint64_t)(d->disk->ro != 0) << F_BLK_RO;
}

void virtio_reset(struct virtio_blk *d, struct blk *disk, uint8_t *ram,
		  uint64_t ram_size)
{
	*d = (struct virtio_blk){.disk = disk, .ram = ram,
				 .ram_size = ram_size};
}

/* The queue is set up: ready, a power of 2 long, its areas inside RAM. */
static int ring_ok(const struct virtio_blk *d)
{
	return d->qready && d->qnum && d->qnum <= VIRTIO_QMAX &&
	       !(d->qnum & (d->qnum - 1)) &&
	       gpa(d, d->desc, 16ULL * d->qnum) &&
	       gpa(d, d->avail, 6 + 2ULL * d->qnum) &&
	       gpa(d, d->used, 6 + 8ULL * d->qnum);
}

/* A ring the device cannot trust: stop and ask the driver for a reset. */
__attribute__((unused)) /* called from vq_serve() */
static int needs_reset(struct virtio_blk *d)
{
	d->status |= VIRTIO_S_NEEDS_RESET;
	d->isr |= ISR_CONFIG;
	return 1;
}

int virtio_chain(const struct virtio_blk *d, uint16_t head,
		 struct vq_seg *seg)
{
	unsigned n = 0, i = head;
	uint16_t flags;

	do {
		const uint8_t *e;

		/* Out of the table, or more links than descriptors: a cycle. */
		if (!ring_ok(d) || i >= d->qnum || n >= d->qnum)
			return -EFAULT;
		e = d->ram + d->desc + 16ULL * i;
		flags = get16(e + 12);
		seg[n].len = get32(e + 8);
		seg[n].writable = !!(flags & DESC_F_WRITE);
		seg[n].p = gpa(d, get64(e), seg[n].len);
		if ((flags & DESC_F_INDIRECT) || !seg[n].p)
			return -EFAULT;
		n++;
		i = get16(e + 14);
	} while (flags & DESC_F_NEXT);
	return (int)n;
}

/* All of s between guest RAM and the disk at byte at: a status byte. */
__attribute__((unused)) /* called from blk_request() */
static int seg_io(struct blk *b, const struct vq_seg *s, uint64_t at, int out)
{
	size_t done = 0;

	while (done < s->len) {
		off_t pos = (off_t)(b->offset + at + done);
		ssize_t n = out ? pwrite(b->fd, s->p + done, s->len - done, pos)
				: pread(b->fd, s->p + done, s->len - done, pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return VIRTIO_BLK_S_IOERR;
		done += (size_t)n;
	}
	return VIRTIO_BLK_S_OK;
}

/*
 * Challenge step 7 (README "Challenge · a disk"): one request, whose
 * header said type and sector, with its n data segments seg (already
 * inside RAM; the status byte is not among them). Returns the status byte:
 *   VIRTIO_BLK_T_FLUSH   fsync(d->disk->fd): OK, or IOERR when it fails
 *   VIRTIO_BLK_T_GET_ID  "vmlab-virtio" NUL-padded into seg[0] (at most
 *                        20 bytes and seg[0].len; it must be writable)
 *   VIRTIO_BLK_T_IN/OUT  IN needs every segment writable, OUT none; their
 *                        lengths sum to whole sectors inside the disk
 *                        (d->disk->size bytes: beware sums that wrap); OUT
 *                        on a read-only disk is IOERR; then seg_io() each
 *                        segment in turn from byte sector * 512
 *   any other type       UNSUPP
 * A refused request is IOERR and moves no byte. *written = the bytes put
 * into guest RAM (IN and GET_ID). Or returns vm_fail(err, -ENOSYS,
 * "blk_request (not written yet)").
 * Stage 03.10, README "Challenge · a disk".
 */
static int blk_request(struct virtio_blk *d, uint32_t type, uint64_t sector,
		       const struct vq_seg *seg, int n, uint32_t *written,
		       struct vmlab_err *err)
{
	/* >>> SOLUTION 03.10: flush, get-id, then IN/OUT: directions, range, ro, seg_io() each */
	uint64_t total = 0, at, sectors = d->disk->size / ABI_SECTOR;
	int st = VIRTIO_BLK_S_OK;

	(void)err;
	if (type == VIRTIO_BLK_T_FLUSH)
		return fsync(d->disk->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	if (type == VIRTIO_BLK_T_GET_ID) {
		if (n < 1 || !seg[0].writable)
			return VIRTIO_BLK_S_IOERR;
		*written = seg[0].len < 20 ? seg[0].len : 20;
		memset(seg[0].p, 0, *written);
		memcpy(seg[0].p, "vmlab-virtio", *written < 12 ? *written : 12);
		return VIRTIO_BLK_S_OK;
	}
	if (type != VIRTIO_BLK_T_IN && type != VIRTIO_BLK_T_OUT)
		return VIRTIO_BLK_S_UNSUPP;
	for (int i = 0; i < n; i++) {
		if (seg[i].writable != (type == VIRTIO_BLK_T_IN))
			return VIRTIO_BLK_S_IOERR;
		total += seg[i].len; /* n <= 256 lengths < 2^32: no wrap */
	}
	if (total % ABI_SECTOR || sector > sectors ||
	    total / ABI_SECTOR > sectors - sector ||
	    (type == VIRTIO_BLK_T_OUT && d->disk->ro))
		return VIRTIO_BLK_S_IOERR;
	at = sector * ABI_SECTOR;
	for (int i = 0; i < n && st == VIRTIO_BLK_S_OK; at += seg[i++].len)
		st = seg_io(d->disk, &seg[i], at, type == VIRTIO_BLK_T_OUT);
	*written = type == VIRTIO_BLK_T_IN ? (uint32_t)total : 0;
	return st;
	/* === STUB
	(void)d;
	(void)type;
	(void)sector;
	(void)seg;
	(void)n;
	(void)written;
	return vm_fail(err, -ENOSYS, "blk_request (not written yet)");
	*/
	/* <<< SOLUTION */
}

/*
 * One chain from the available ring: its header (16 device-readable bytes
 * in the first descriptor: type, reserved, sector), its data, and the
 * status byte (the last byte of the last descriptor, device-writable).
 * Returns 0 and in *len the bytes written into guest RAM, -EFAULT for a
 * chain the device cannot serve, or blk_request()'s -ENOSYS.
 */
__attribute__((unused)) /* called from vq_serve() */
static int serve_chain(struct virtio_blk *d, uint16_t head, uint32_t *len,
		       struct vmlab_err *err)
{
	struct vq_seg seg[VIRTIO_QMAX], *last;
	uint32_t written = 0;
	int n = virtio_chain(d, head, seg), st;

	if (n < 2)
		return -EFAULT;
	last = &seg[n - 1];
	if (seg[0].writable || seg[0].len < 16 || !last->writable || !last->len)
		return -EFAULT;
	st = blk_request(d, get32(seg[0].p), get64(seg[0].p + 8), seg + 1,
			 n - 2, &written, err);
	if (st < 0)
		return st;
	last->p[last->len - 1] = (uint8_t)st;
	*len = written + 1;
	return 0;
}

/*
 * Challenge step 8: a QueueNotify. While last_avail differs from the
 * available ring's idx (u16 at d->avail + 2), serve the chain whose head
 * is ring[last_avail % qnum] (u16s from d->avail + 4) with serve_chain(),
 * then put {id = head, len} (two u32s) at used ring entry last_avail %
 * qnum (from d->used + 4), count last_avail up and only then publish it
 * as the used ring's idx (u16 at d->used + 2, after a release fence). A
 * ring that is not ring_ok(), an idx more than qnum ahead, or a chain
 * serve_chain() refuses: return needs_reset(). Else set ISR_USED in
 * d->isr and return 1 when a chain was served, 0 when none. serve_chain()'s
 * -ENOSYS is returned as it is. Or vm_fail(err, -ENOSYS, "vq_serve (not
 * written yet)").
 * Stage 03.10, README "Challenge · a disk".
 */
static int vq_serve(struct virtio_blk *d, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.10: for each new avail entry: serve_chain(), used entry, then idx; needs_reset() on bad rings */
	uint16_t idx;
	int served = 0;

	if (!ring_ok(d))
		return needs_reset(d);
	idx = get16(d->ram + d->avail + 2);
	if ((uint16_t)(idx - d->last_avail) > d->qnum)
		return needs_reset(d);
	while (d->last_avail != idx) {
		unsigned slot = d->last_avail % d->qnum;
		uint16_t head = get16(d->ram + d->avail + 4 + 2 * slot);
		uint8_t *u = d->ram + d->used + 4 + 8 * slot;
		uint32_t len = 0;
		int r = serve_chain(d, head, &len, err);

		if (r == -ENOSYS)
			return r;
		if (r < 0)
			return needs_reset(d);
		put32(u, head);
		put32(u + 4, len);
		d->last_avail++;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		put16(d->ram + d->used + 2, d->last_avail);
		served = 1;
	}
	d->isr |= served ? ISR_USED : 0;
	return served;
	/* === STUB
	(void)d;
	return vm_fail(err, -ENOSYS, "vq_serve (not written yet)");
	*/
	/* <<< SOLUTION */
}

/* The configuration space: capacity (u64, sectors), then zeros. */
static void config_read(const struct virtio_blk *d, uint64_t off,
			uint8_t *data, unsigned len)
{
	uint8_t cfg[16] = {0};
	uint64_t cap = d->disk->size / ABI_SECTOR;

	memcpy(cfg, &cap, 8);
	memset(data, 0, len);
	if (off < sizeof(cfg) && len <= sizeof(cfg) - off)
		memcpy(data, cfg + off, len);
}

static uint32_t reg_read(const struct virtio_blk *d, uint64_t off)
{
	switch (off) {
	case 0x000: return MAGIC;
	case 0x004: return 2;          /* Version: virtio 1.x MMIO */
	case 0x008: return 2;          /* DeviceID: block */
	case 0x00c: return VENDOR;
	case 0x010: return d->dev_sel > 1 ? 0 :
			   (uint32_t)(features(d) >> (32 * d->dev_sel));
	case 0x034: return d->qsel ? 0 : VIRTIO_QMAX;
	case 0x044: return d->qsel ? 0 : d->qready;
	case 0x060: return d->isr;
	case 0x070: return d->status;
	default: return 0;             /* ConfigGeneration 0x0fc too */
	}
}

/* The driver's features are the device's, with VERSION_1. */
static int features_ok(const struct virtio_blk *d)
{
	return !(d->drv_features & ~features(d)) &&
	       (d->drv_features >> F_VERSION_1 & 1);
}

static void set_status(struct virtio_blk *d, uint32_t v)
{
	if (v == 0) { /* reset */
		virtio_reset(d, d->disk, d->ram, d->ram_size);
		return;
	}
	if ((v & VIRTIO_S_FEATURES_OK) && !features_ok(d))
		v &= ~(uint32_t)VIRTIO_S_FEATURES_OK;
	d->status = v | (d->status & VIRTIO_S_NEEDS_RESET);
}

/* The queue's registers; only queue 0 exists. */
static void queue_write(struct virtio_blk *d, uint64_t off, uint32_t v)
{
	uint64_t *area = off < 0x90 ? &d->desc : off < 0xa0 ? &d->avail
							     : &d->used;
	unsigned shift = off & 4 ? 32 : 0;

	if (d->qsel || (d->qready && off != 0x044))
		return; /* no such queue, or it is live: ignored */
	if (off == 0x038)
		d->qnum = v;
	else if (off == 0x044)
		d->qready = v & 1;
	else if (off >= 0x080 && off <= 0x0a4)
		*area = (*area & ~(0xffffffffULL << shift)) | (uint64_t)v << shift;
}

static int reg_write(struct virtio_blk *d, uint64_t off, uint32_t v,
		     struct vmlab_err *err)
{
	unsigned sh = 32 * (d->drv_sel & 1);

	switch (off) {
	case 0x014: d->dev_sel = v; break;
	case 0x020:
		if (d->drv_sel < 2)
			d->drv_features = (d->drv_features &
					   ~(0xffffffffULL << sh)) | (uint64_t)v << sh;
		break;
	case 0x024: d->drv_sel = v; break;
	case 0x030: d->qsel = v; break;
	case 0x050:
		if (v != 0 || (d->status & VIRTIO_S_NEEDS_RESET))
			return 0;
		return vq_serve(d, err);
	case 0x064: d->isr &= ~v; break;
	case 0x070: set_status(d, v); break;
	case 0x038: case 0x044: case 0x080: case 0x084: case 0x090:
	case 0x094: case 0x0a0: case 0x0a4:
		queue_write(d, off, v);
		break;
	}
	return 0;
}

int virtio_mmio(struct virtio_blk *d, uint64_t off, int is_write,
		uint8_t *data, unsigned len, struct vmlab_err *err)
{
	uint32_t v;

	if (len == 0 || len > 8 || off >= VIRTIO_MMIO_SIZE)
		return 0;
	if (off >= CONFIG) {
		if (!is_write)
			config_read(d, off - CONFIG, data, len);
		return 0; /* the configuration is read-only */
	}
	if (len != 4 || off % 4) { /* registers are aligned 32-bit words */
		if (!is_write)
			memset(data, 0, len);
		return 0;
	}
	if (is_write) {
		memcpy(&v, data, 4);
		return reg_write(d, off, v, err);
	}
	v = reg_read(d, off);
	memcpy(data, &v, 4);
	return 0;
}
