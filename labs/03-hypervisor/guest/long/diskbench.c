/*
 * diskbench.c: read the whole disk sequentially, CHUNK sectors a request
 * (the benchmark builds it twice: 8 sectors = 4 KiB, 128 = 64 KiB). One
 * request is one doorbell `out`, one exit, whatever its size.
 *
 * Built with -DRING=N (diskring4k.elf, diskring64k.elf): the same reads
 * through the disk's request ring (optional stage 03.11, vmlab_abi.h), N
 * requests per notification, so one exit per N requests.
 */
#include "guest.h"
#include "vmlab_abi.h"

#ifndef CHUNK
#define CHUNK 8
#endif

#ifndef RING
static char buf[CHUNK * 512];

/* Returns the number of exits the reads took: one per request. */
static uint64_t read_all(uint64_t sectors)
{
	for (uint64_t done = 0; done < sectors; done += CHUNK)
		GUEST_ASSERT(guest_disk_read(done, CHUNK, buf) == 0);
	return sectors / CHUNK;
}
#else
static union {
	struct blk_ring h;
	char bytes[sizeof(struct blk_ring) + RING * sizeof(struct blk_req)];
} ring = { .h = { .size = RING } };
static char bufs[RING][CHUNK * 512];

/* Up to RING requests into the ring, then one notification for them all. */
static uint64_t read_all(uint64_t sectors)
{
	uint64_t done = 0, notes = 0;

	while (done < sectors) {
		uint32_t head = ring.h.head, n = 0;

		for (; n < RING && done < sectors; n++, done += CHUNK) {
			struct blk_req *r = &ring.h.req[(head + n) & (RING - 1)];

			*r = (struct blk_req){BLK_READ, BLK_S_PENDING, done,
					      CHUNK, (uintptr_t)bufs[n]};
		}
		/* The entries before the new head, then the notification. */
		__atomic_store_n(&ring.h.head, head + n, __ATOMIC_RELEASE);
		__asm__ volatile("outl %0, %1"
				 : : "a"((uint32_t)(uintptr_t)&ring),
				   "Nd"((uint16_t)ABI_BLK_RING_PORT) : "memory");
		GUEST_ASSERT(ring.h.tail == head + n);
		for (uint32_t i = 0; i < n; i++)
			GUEST_ASSERT(ring.h.req[(head + i) & (RING - 1)].status ==
				     BLK_S_OK);
		notes++;
	}
	return notes;
}
#endif

int main(void)
{
	uint64_t sectors = guest_disk_size() / 512, exits;

	GUEST_ASSERT(sectors % CHUNK == 0);
	exits = read_all(sectors);
	guest_printf("read %lu KiB in %lu requests of %u KiB, %lu exits\n",
		     (unsigned long)(sectors / 2),
		     (unsigned long)(sectors / CHUNK), CHUNK / 2,
		     (unsigned long)exits);
	return 0;
}
