/*
 * ring.c: the disk's request ring (optional stage 03.11, vmlab_abi.h).
 * Two notifications, two exits, eight requests: an identify, two writes,
 * a flush and a read one past the end (status 2, the others 0); then three
 * reads of what is on the disk. The indexes start just below 2^32, so they
 * wrap around during the run, as free-running indexes do.
 */
#include "guest.h"
#include "vmlab_abi.h"

#define SIZE 8

static union {
	struct blk_ring h;
	char bytes[sizeof(struct blk_ring) + SIZE * sizeof(struct blk_req)];
} ring = { .h = { .size = SIZE, .head = 0xfffffffdu, .tail = 0xfffffffdu } };
static char out[2][512] = { "first of a batch", "second of a batch" };
static char in[3][512];

static struct blk_req *add(uint32_t op, uint64_t sector, uint64_t count,
			   void *buf)
{
	struct blk_req *r = &ring.h.req[ring.h.head & (SIZE - 1)];

	*r = (struct blk_req){op, BLK_S_PENDING, sector, count, (uintptr_t)buf};
	__atomic_store_n(&ring.h.head, ring.h.head + 1, __ATOMIC_RELEASE);
	return r;
}

/* One notification for every entry added since the last. */
static void notify(void)
{
	__asm__ volatile("outl %0, %1"
			 : : "a"((uint32_t)(uintptr_t)&ring),
			   "Nd"((uint16_t)ABI_BLK_RING_PORT) : "memory");
	GUEST_ASSERT(ring.h.tail == ring.h.head);
}

int main(void)
{
	uint64_t sectors = guest_disk_size() / 512;
	struct blk_req *r[5];

	r[0] = add(BLK_IDENTIFY, 0, 0, 0);
	r[1] = add(BLK_WRITE, 1, 1, out[0]);
	r[2] = add(BLK_WRITE, 2, 1, out[1]);
	r[3] = add(BLK_FLUSH, 0, 0, 0);
	r[4] = add(BLK_READ, sectors, 1, in[0]); /* one past the end */
	notify();
	guest_printf("ring: 5 requests, statuses %u %u %u %u %u; %lu sectors\n",
		     r[0]->status, r[1]->status, r[2]->status, r[3]->status,
		     r[4]->status, (unsigned long)r[0]->count);
	for (int i = 0; i < 3; i++)
		r[i] = add(BLK_READ, (uint64_t)i, 1, in[i]);
	notify();
	guest_printf("ring: 3 requests, statuses %u %u %u; tail %u\n",
		     r[0]->status, r[1]->status, r[2]->status, ring.h.tail);
	for (int i = 0; i < 3; i++)
		guest_printf("sector %d says: %s\n", i, in[i]);
	return 0;
}
