/*
 * diskbad.c: disk requests a VMM must refuse, each with its status:
 * past the last sector, a buffer outside guest RAM, a sector number whose
 * byte offset overflows, count 0, a write (refused on a read-only disk).
 */
#include "guest.h"

static char buf[1024];

int main(void)
{
	uint64_t last = guest_disk_size() / 512 - 1;

	guest_printf("last sector: %d\n", guest_disk_read(last, 1, buf));
	guest_printf("one past: %d\n", guest_disk_read(last, 2, buf));
	guest_printf("buffer outside RAM: %d\n",
		     guest_disk_read(0, 1, (void *)(guest_ram_size() - 256)));
	guest_printf("sector overflow: %d\n",
		     guest_disk_read(~0ULL >> 8, 1, buf));
	guest_printf("count 0: %d\n", guest_disk_read(0, 0, buf));
	guest_printf("write: %d\n", guest_disk_write(0, 1, buf));
	return 0;
}
