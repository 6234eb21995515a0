/*
 * bootinfo: the guest's memory map, written into guest RAM.
 */
#include "bootinfo.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <string.h>

int bootinfo_build(uint8_t *ram, uint64_t ram_size, uint64_t at)
{
	/* >>> SOLUTION 03.8: two regions: the VMM's below 1 MiB, then usable RAM */
	struct abi_bootinfo bi;

	if (ram_size < ABI_RESERVED_END || at > ram_size ||
	    sizeof(bi) > ram_size - at)
		return -EINVAL;
	memset(&bi, 0, sizeof(bi));
	bi.magic = ABI_BOOTINFO_MAGIC;
	bi.nregions = 2;
	bi.region[0] = (struct abi_mem_region){0, ABI_RESERVED_END,
					       ABI_MEM_RESERVED, 0};
	bi.region[1] = (struct abi_mem_region){ABI_RESERVED_END,
					       ram_size - ABI_RESERVED_END,
					       ABI_MEM_USABLE, 0};
	memcpy(ram + at, &bi, sizeof(bi));
	return 0;
	/* === STUB
	(void)ram;
	(void)ram_size;
	(void)at;
	return 0;
	*/
	/* <<< SOLUTION */
}
