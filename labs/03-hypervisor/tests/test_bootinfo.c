/*
 * test_bootinfo: the memory map the VMM leaves for the guest OS.
 */
#include "graded.h"
#include "bootinfo.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1ULL << 20)

GRADED(bootinfo, regions_cover_ram, 2, "03.8 guest OS", 5)
{
	uint8_t *ram = calloc(1, 2 * MIB);
	struct abi_bootinfo bi;
	uint64_t sum = 0, end = 0;

	cr_assert(ram);
	cr_assert_eq(bootinfo_build(ram, 2 * MIB, ABI_BOOTINFO), 0);
	memcpy(&bi, ram + ABI_BOOTINFO, sizeof(bi));
	cr_assert_eq(bi.magic, ABI_BOOTINFO_MAGIC);
	cr_assert_eq(bi.nregions, 2);
	for (unsigned i = 0; i < bi.nregions; i++) {
		cr_assert_eq(bi.region[i].base, end, "regions are contiguous");
		end += bi.region[i].size;
		sum += bi.region[i].size;
	}
	cr_assert_eq(sum, 2 * MIB, "the map adds up to the VM's RAM");
	cr_assert_eq(bi.region[0].type, ABI_MEM_RESERVED, "below 1 MiB: the VMM's");
	cr_assert_eq(bi.region[1].type, ABI_MEM_USABLE);
	cr_assert_eq(bi.region[1].base, ABI_LOAD_BASE);
	free(ram);
}

GRADED(bootinfo, refuses_what_does_not_fit, 1, "03.8 guest OS", 5)
{
	static uint8_t ram[4096];

	cr_assert_eq(bootinfo_build(ram, sizeof(ram), 0), -EINVAL);
}
