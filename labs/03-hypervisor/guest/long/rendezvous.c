/*
 * rendezvous.c: two VMs of one run-many meet through a disk.
 *
 * On a writable disk this guest is the one that signals: it writes a mark
 * into sector 0. On a read-only disk (a view of the other VM's slice) it
 * waits: it reads sector 0 until the mark is there. A waiter finishes only
 * while its signaller runs or has run: VMs run one after another, in
 * either order, leave a waiter that comes first waiting for good.
 */
#include "guest.h"
#include "vmlab_abi.h"

static const char mark[] = "rendezvous mark";
static char sector[512];

static int has_mark(void)
{
	for (unsigned i = 0; i < sizeof(mark); i++)
		if (sector[i] != mark[i])
			return 0;
	return 1;
}

int main(void)
{
	int s;

	__builtin_memcpy(sector, mark, sizeof(mark));
	s = guest_disk_write(0, 1, sector);
	if (s == BLK_S_OK) {
		GUEST_ASSERT(guest_disk_flush() == BLK_S_OK);
		guest_printf("mark written\n");
		return 0;
	}
	GUEST_ASSERT(s == BLK_S_RO);
	do {
		sector[0] = 0;
		GUEST_ASSERT(guest_disk_read(0, 1, sector) == BLK_S_OK);
	} while (!has_mark());
	guest_printf("mark seen\n");
	return 0;
}
