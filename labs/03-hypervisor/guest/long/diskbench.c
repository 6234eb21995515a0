/*
 * diskbench.c: read the whole disk sequentially, CHUNK sectors a request
 * (the benchmark builds it twice: 8 sectors = 4 KiB, 128 = 64 KiB). One
 * request is one doorbell `out`, one exit, whatever its size.
 */
#include "guest.h"

#ifndef CHUNK
#define CHUNK 8
#endif

static char buf[CHUNK * 512];

int main(void)
{
	uint64_t sectors = guest_disk_size() / 512, done = 0;

	GUEST_ASSERT(sectors % CHUNK == 0);
	for (; done < sectors; done += CHUNK)
		GUEST_ASSERT(guest_disk_read(done, CHUNK, buf) == 0);
	guest_printf("read %lu KiB in %lu requests of %u KiB\n",
		     (unsigned long)(sectors / 2),
		     (unsigned long)(sectors / CHUNK), CHUNK / 2);
	return 0;
}
