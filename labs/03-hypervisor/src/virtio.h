/*
 * virtio: the Linux challenge's disk, a minimal virtio-blk on the virtio
 * 1.x "modern" MMIO transport (version 2) with one split virtqueue.
 *
 *   virtio_reset()  power-on state, on a lab disk (struct blk, blk.c)
 *   virtio_mmio()   one guest load or store in the device's window
 *
 * The guest finds the window and its IRQ in the ACPI DSDT (acpi.c, _HID
 * "LNRO0005"): Debian's kernel has no virtio_mmio.device= parameter
 * (CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES is off). Requests arrive on the
 * virtqueue, a ring of descriptor chains in guest RAM: header (type,
 * sector), data buffers, a status byte. A notification may cover several.
 * Every address and length the guest writes is checked against guest RAM
 * before use; a request that fails a check gets VIRTIO_BLK_S_IOERR, a
 * ring that does sets DEVICE_NEEDS_RESET and the device stops serving.
 * Pure user-space code (no KVM): the caller locks it and raises the IRQ.
 */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include "blk.h"
#include "vmlab_err.h"

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_MMIO_BASE 0xd0000000ULL /* above RAM (<= 3 GiB), below 4 GiB */
#define VIRTIO_MMIO_SIZE 0x200u
#define VIRTIO_IRQ       5     /* an ISA line nothing else uses */
#define VIRTIO_QMAX      256   /* QueueNumMax: descriptors in the ring */

/* The status register's bits (virtio 1.1, 2.1). */
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_NEEDS_RESET 64

/* Request types and status bytes (virtio 1.1, 5.2.6). */
#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

/* One descriptor of a chain, checked: host pointer, length, device-writable. */
struct vq_seg {
	uint8_t *p;
	uint32_t len;
	int writable;
};

struct virtio_blk {
	struct blk *disk;       /* the lab's disk: fd, slice, ro */
	uint8_t *ram;           /* guest RAM, ram_size bytes */
	uint64_t ram_size;
	uint32_t status;        /* the driver's status bits */
	uint32_t isr;           /* InterruptStatus: 1 used ring, 2 config */
	uint32_t dev_sel, drv_sel;  /* feature word selectors */
	uint64_t drv_features;
	uint32_t qsel, qnum, qready;
	uint64_t desc, avail, used;  /* the ring's three areas (gpa) */
	uint16_t last_avail;    /* the next avail entry to serve */
};

/* The device on disk d in guest RAM ram (ram_size bytes), as at power-on. */
void virtio_reset(struct virtio_blk *d, struct blk *disk, uint8_t *ram,
		  uint64_t ram_size);

/*
 * A guest access of len bytes (1, 2, 4 or 8) at offset off of the window;
 * a load fills data, a store reads it. Serves the queue on QueueNotify.
 * Returns 1 when the guest's IRQ should be raised (a used buffer or a
 * reset request), 0, or -ENOSYS with err naming an unwritten function.
 */
int virtio_mmio(struct virtio_blk *d, uint64_t off, int is_write,
		uint8_t *data, unsigned len, struct vmlab_err *err);

/*
 * The descriptor chain starting at head, each descriptor checked (index
 * below qnum, [addr, addr + len) inside RAM, not INDIRECT), at most qnum
 * of them (a cyclic chain ends there). Returns the number of segments in
 * seg (room for VIRTIO_QMAX), or -EFAULT.
 */
int virtio_chain(const struct virtio_blk *d, uint16_t head,
		 struct vq_seg *seg);

#endif /* VMM_VIRTIO_H */
