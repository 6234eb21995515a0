/*
 * test_paging: build the identity map in a buffer, then walk it the way the
 * MMU does and check that every address maps to itself.
 */
#include "graded.h"
#include "paging.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

static uint8_t *ram;
static const uint64_t ram_size = 8 * MIB;

static void build(void)
{
	ram = calloc(1, ram_size);
	cr_assert(ram);
	cr_assert_eq(paging_build(ram, ram_size, ABI_PML4, ABI_MAP_SIZE), 0);
}

static void done(void)
{
	free(ram);
}

GRADED(paging, every_ram_page_maps_to_itself, 3, "03.3 long mode", 10,
       .init = build, .fini = done)
{
	uint64_t pa;

	for (uint64_t va = 0; va < ram_size; va += 4096) {
		cr_assert_eq(paging_walk(ram, ram_size, ABI_PML4, va + 123, &pa),
			     0, "0x%llx is not mapped", (unsigned long long)va);
		cr_assert_eq(pa, va + 123, "0x%llx maps to 0x%llx",
			     (unsigned long long)va, (unsigned long long)pa);
	}
}

GRADED(paging, the_low_4_gib_map_to_themselves, 2, "03.3 long mode", 10,
       .init = build, .fini = done)
{
	uint64_t pa;

	/* One address in every 2 MiB page, and the last byte of 4 GiB. */
	for (uint64_t va = 0; va < 4 * GIB; va += 2 * MIB) {
		uint64_t a = va + (va / (2 * MIB)) % (2 * MIB);

		cr_assert_eq(paging_walk(ram, ram_size, ABI_PML4, a, &pa), 0);
		cr_assert_eq(pa, a);
	}
	cr_assert_eq(paging_walk(ram, ram_size, ABI_PML4, 4 * GIB - 1, &pa), 0);
	cr_assert_eq(pa, 4 * GIB - 1);
}

GRADED(paging, nothing_above_4_gib, 1, "03.3 long mode", 10,
       .init = build, .fini = done)
{
	uint64_t pa;

	cr_assert_eq(paging_walk(ram, ram_size, ABI_PML4, 4 * GIB, &pa), -EFAULT);
	cr_assert_eq(paging_walk(ram, ram_size, ABI_PML4, 0x500000000ULL, &pa), -EFAULT);
	cr_assert_eq(paging_walk(ram, ram_size, ABI_PML4, 1ULL << 47, &pa), -EFAULT);
}

GRADED(paging, entries_are_present_writable_2mib, 1, "03.3 long mode", 10,
       .init = build, .fini = done)
{
	uint64_t pml4e, pdpte, pde;

	memcpy(&pml4e, ram + ABI_PML4, 8);
	cr_assert_eq(pml4e & (PTE_P | PTE_RW), PTE_P | PTE_RW);
	memcpy(&pdpte, ram + (pml4e & PTE_ADDR), 8);
	cr_assert_eq(pdpte & (PTE_P | PTE_RW | PTE_PS), PTE_P | PTE_RW,
		     "the PDPT points to page directories, not 1 GiB pages");
	memcpy(&pde, ram + (pdpte & PTE_ADDR) + 8, 8);
	cr_assert_eq(pde, 2 * MIB | PTE_P | PTE_RW | PTE_PS);
	/* The tables stay below the guest's load address. */
	cr_assert_leq(ABI_PML4 + paging_size(ABI_MAP_SIZE), ABI_LOAD_BASE);
}

GRADED(paging, refuses_tables_that_do_not_fit, 1, "03.3 long mode", 5)
{
	static uint8_t small[16384];

	cr_assert_eq(paging_build(small, sizeof(small), 0, ABI_MAP_SIZE), -EINVAL);
	cr_assert_eq(paging_build(small, sizeof(small), 0, 3 * MIB), -EINVAL);
}
