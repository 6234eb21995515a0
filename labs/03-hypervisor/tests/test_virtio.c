/*
 * test_virtio: the Linux challenge's virtio-mmio disk refuses hostile
 * rings without KVM: descriptors past RAM or wrapping, cyclic chains,
 * indirect tables, a ring outside RAM. Given code only (virtio_chain()
 * and the registers), so the 03.10 stubs leave these passing.
 */
#include "graded.h"
#include "virtio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RAM   (1u << 20)
#define DESC  0x1000u
#define AVAIL 0x2000u
#define USED  0x3000u
#define QN    8u

static uint8_t *ram;
static struct blk disk = {.fd = -1, .size = 1 << 20};
static struct virtio_blk dev;

static void reg(uint32_t off, uint32_t v)
{
	struct vmlab_err what = {0};

	cr_assert_eq(virtio_mmio(&dev, off, 1, (uint8_t *)&v, 4, &what), 0);
}

static uint32_t get(uint32_t off)
{
	uint32_t v = 0;
	struct vmlab_err what = {0};

	virtio_mmio(&dev, off, 0, (uint8_t *)&v, 4, &what);
	return v;
}

/* A device with queue 0 of QN descriptors at DESC/AVAIL/USED, ready. */
static void setup(void)
{
	ram = calloc(1, RAM);
	cr_assert(ram);
	virtio_reset(&dev, &disk, ram, RAM);
	reg(0x038, QN);
	reg(0x080, DESC);
	reg(0x090, AVAIL);
	reg(0x0a0, USED);
	reg(0x044, 1);
}

/* Descriptor i: addr, len, flags, next. */
static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	uint8_t *e = ram + DESC + 16 * i;

	memcpy(e, &addr, 8);
	memcpy(e + 8, &len, 4);
	memcpy(e + 12, &flags, 2);
	memcpy(e + 14, &next, 2);
}

GRADED(virtio, registers_say_virtio_blk, 0, "03.5 storage", 5, .init = setup)
{
	cr_assert_eq(get(0x000), 0x74726976u, "magic \"virt\"");
	cr_assert_eq(get(0x004), 2, "version 2: virtio 1.x");
	cr_assert_eq(get(0x008), 2, "a block device");
	cr_assert_eq(get(0x034), VIRTIO_QMAX);
	cr_assert_eq(get(0x100), 2048, "capacity: 1 MiB in sectors");
	reg(0x014, 1);
	cr_assert_eq(get(0x010) & 1, 1, "VERSION_1 offered");
	free(ram);
}

GRADED(virtio, chain_inside_ram, 0, "03.5 storage", 5, .init = setup)
{
	struct vq_seg seg[VIRTIO_QMAX];

	desc(0, 0x8000, 16, 1, 1);
	desc(1, RAM - 512, 512, 1 | 2, 2);
	desc(2, RAM - 1, 1, 2, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), 3, "ends exactly at RAM's end");
	cr_assert_eq(seg[1].p, ram + RAM - 512);
	cr_assert(seg[1].writable && !seg[0].writable);
	desc(2, RAM - 1, 2, 2, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "straddles RAM's end");
	desc(2, RAM, 1, 2, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "past RAM");
	desc(2, UINT64_MAX - 10, 100, 2, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "addr + len wraps");
	desc(2, 0x9000, 0xffffffffu, 2, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "length over RAM");
	free(ram);
}

GRADED(virtio, cyclic_and_odd_chains, 0, "03.5 storage", 5, .init = setup)
{
	struct vq_seg seg[VIRTIO_QMAX];

	desc(0, 0x8000, 16, 1, 1);
	desc(1, 0x9000, 16, 1, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "0 -> 1 -> 0: a cycle");
	desc(1, 0x9000, 16, 1, 1);
	cr_assert_eq(virtio_chain(&dev, 1, seg), -EFAULT, "1 -> 1");
	desc(1, 0x9000, 16, 1, QN);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "next past the table");
	cr_assert_eq(virtio_chain(&dev, QN, seg), -EFAULT, "head past the table");
	desc(1, 0x9000, 16, 4, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT, "indirect: not offered");
	for (unsigned i = 0; i < QN; i++)
		desc(i, 0x8000, 16, 1, (uint16_t)(i + 1));
	desc(QN - 1, 0x8000, 16, 0, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), QN, "the longest chain");
	free(ram);
}

GRADED(virtio, ring_outside_ram, 0, "03.5 storage", 5, .init = setup)
{
	struct vq_seg seg[VIRTIO_QMAX];

	desc(0, 0x8000, 16, 0, 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), 1);
	reg(0x044, 0);
	reg(0x0a0, RAM - 8);  /* the used ring's 6 + 8 * QN bytes do not fit */
	reg(0x044, 1);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT);
	reg(0x070, 0);        /* reset: the queue is gone */
	cr_assert_eq(get(0x044), 0);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT);
	reg(0x038, 3);        /* not a power of 2 */
	reg(0x080, DESC);
	reg(0x090, AVAIL);
	reg(0x0a0, USED);
	reg(0x044, 1);
	cr_assert_eq(virtio_chain(&dev, 0, seg), -EFAULT);
	free(ram);
}
