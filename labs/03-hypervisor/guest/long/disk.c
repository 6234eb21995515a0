/*
 * disk.c: read a message from sector 0 of the VM's disk, write a reply to
 * sector 1, flush. The host finds the reply in the image afterwards.
 */
#include "guest.h"

static char sector[512];

int main(void)
{
	uint64_t size = guest_disk_size();
	static const char reply[] = "reply from the guest: message received";

	GUEST_ASSERT(size >= 1024);
	GUEST_ASSERT(guest_disk_read(0, 1, sector) == 0);
	sector[511] = '\0';
	guest_printf("disk: %lu KiB; sector 0 says: %s\n",
		     (unsigned long)(size >> 10), sector);
	for (unsigned i = 0; i < sizeof(sector); i++)
		sector[i] = i < sizeof(reply) ? reply[i] : 0;
	GUEST_ASSERT(guest_disk_write(1, 1, sector) == 0);
	GUEST_ASSERT(guest_disk_flush() == 0);
	return 0;
}
