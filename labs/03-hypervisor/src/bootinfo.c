/*
 * bootinfo: the guest's memory map, written into guest RAM.
 */
#include "bootinfo.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <string.h>

/*
 * Stage 03.8 (README "Stage 8 · the guest OS", step 1; bootinfo.h has the
 * contract): the memory map a guest OS reads, a struct abi_bootinfo
 * written at guest-physical at: magic ABI_BOOTINFO_MAGIC, 2 regions (the
 * rest zero): [0, ABI_RESERVED_END) ABI_MEM_RESERVED (vmm's area), then
 * [ABI_RESERVED_END, ram_size) ABI_MEM_USABLE; they add up to the RAM.
 * -EINVAL, writing nothing, when RAM is smaller than ABI_RESERVED_END or
 * the struct does not fit at at (no sum that wraps). Returns 0.
 */
int bootinfo_build(uint8_t *ram, uint64_t ram_size, uint64_t at)
{
	/* >>> SOLUTION 03.8: check the sizes; magic, the reserved region below 1 MiB, then usable RAM */
	struct abi_bootinfo bi;

	if (ram_size < ABI_RESERVED_END || at > ram_size ||
	    sizeof(bi) > ram_size - at)
		return -EINVAL;
	memset(&bi, 0, sizeof(bi));
	bi.magic = ABI_BOOTINFO_MAGIC;
	bi.nregions = 2;
	bi.region[0] = (struct abi_mem_region){.base = 0,
					       .size = ABI_RESERVED_END,
					       .type = ABI_MEM_RESERVED};
	bi.region[1] = (struct abi_mem_region){.base = ABI_RESERVED_END,
					       .size = ram_size - ABI_RESERVED_END,
					       .type = ABI_MEM_USABLE};
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
