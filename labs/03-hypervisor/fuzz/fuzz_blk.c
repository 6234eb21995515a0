/*
 * fuzz_blk: the guest's disk requests into blk_serve (lab 03).
 *
 * Everything in a struct blk_req is written by guest code. The input is
 * guest RAM as the guest left it: the first 8 bytes pick the doorbell's
 * address (anywhere, also past RAM), the rest is copied to the start of
 * RAM. The disk is a 64-sector memfd, read-only when the address is odd.
 * Checked: blk_serve never touches memory outside RAM (ASan), refuses an
 * address past RAM with -EFAULT, and answers any request with a status
 * blk_check agrees with.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "blk.h"
#include "vmlab_abi.h"

#define RAM  (256u << 10)
#define DISK (64u * 512)

static uint8_t *ram;
static int fd = -1;

static void setup(void)
{
	ram = malloc(RAM);
	fd = memfd_create("fuzz-disk", 0);
	if (!ram || fd < 0 || ftruncate(fd, DISK) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blk b;
	uint64_t gpa = 0;
	struct blk_req r;

	if (!ram)
		setup();
	if (size < 8)
		return 0;
	memcpy(&gpa, data, 8);
	gpa %= RAM + 64;
	memset(ram, 0, RAM);
	memcpy(ram, data + 8, size - 8 < RAM ? size - 8 : RAM);
	b = (struct blk){ .fd = fd, .offset = 0, .size = DISK, .ro = gpa & 1 };
	if (gpa > RAM - sizeof(r)) {
		FUZZ_ASSERT(blk_serve(&b, ram, RAM, gpa) == -EFAULT);
		return 0;
	}
	memcpy(&r, ram + gpa, sizeof(r));
	FUZZ_ASSERT(blk_serve(&b, ram, RAM, gpa) == 0);
	memcpy(&r.status, ram + gpa + offsetof(struct blk_req, status), 4);
	if (blk_check(r.op, r.sector, r.count, r.buf, DISK, b.ro, RAM) != BLK_S_OK)
		FUZZ_ASSERT(r.status != BLK_S_OK);
	return 0;
}
