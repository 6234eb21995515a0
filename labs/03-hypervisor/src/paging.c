/*
 * paging: identity-mapped 4-level page tables, and a walker to check them.
 *
 * Virtual address bits: 47-39 index the PML4, 38-30 the PDPT, 29-21 the
 * page directory; with PS set in the directory entry, bits 20-0 are the
 * offset into a 2 MiB page and there is no fourth-level page table.
 */
#include "paging.h"

#include <errno.h>
#include <string.h>

#define GIB (1ULL << 30)
#define PAGE 4096ULL

uint64_t paging_size(uint64_t map_size)
{
	/* One PML4, one PDPT, one page directory per GiB. */
	return (2 + map_size / GIB) * PAGE;
}

/* Writes entry i (8 bytes) of the table at guest-physical address table. */
__attribute__((unused)) /* called from paging_build() */
static void put(uint8_t *ram, uint64_t table, unsigned i, uint64_t entry)
{
	memcpy(ram + table + 8ULL * i, &entry, sizeof(entry));
}

/*
 * Stage 03.3 (README "Stage 3 · long mode", step 3; paging.h has the
 * contract): an identity map of the first map_size bytes with 2 MiB
 * pages, its tables at guest-physical pml4, each table one 4 KiB page:
 * PML4, then the PDPT, then one page directory per GiB (paging_size()).
 * -EINVAL, writing nothing, unless map_size is a non-zero whole number of
 * GiB up to 512 GiB, pml4 is 4 KiB-aligned and the tables fit in RAM
 * (no sum that wraps). Zero the tables, then PML4[0] -> PDPT, PDPT[g] ->
 * PD g, PD g[i] -> the 2 MiB page g GiB + i * 2 MiB, with PTE_P | PTE_RW
 * (| PTE_PS for a page). Returns 0.
 */

/*
 * The contract is in paging.h.
 * Stage 03.3, README "Stage 3 · long mode".
 */
int paging_build(uint8_t *ram, uint64_t ram_size, uint64_t pml4,
		 uint64_t map_size)
{
	/* >>> SOLUTION 03.3: check the sizes; zero; PML4[0] -> PDPT, PDPT[g] -> PD g, PD g[i] -> page */
	if (map_size == 0 || map_size % GIB || map_size > 512 * GIB ||
	    pml4 % PAGE || pml4 > ram_size ||
	    paging_size(map_size) > ram_size - pml4)
		return -EINVAL;
	memset(ram + pml4, 0, paging_size(map_size));
	uint64_t pdpt = pml4 + PAGE;

	put(ram, pml4, 0, pdpt | PTE_P | PTE_RW);
	for (unsigned g = 0; g < map_size / GIB; g++) {
		uint64_t pd = pdpt + PAGE * (1 + g);

		put(ram, pdpt, g, pd | PTE_P | PTE_RW);
		for (unsigned i = 0; i < 512; i++) {
			uint64_t page = g * GIB + ((uint64_t)i << 21);

			put(ram, pd, i, page | PTE_P | PTE_RW | PTE_PS);
		}
	}
	return 0;
	/* === STUB
	(void)ram;
	(void)ram_size;
	(void)pml4;
	(void)map_size;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* Reads entry i of the table at guest-physical address table. */
static int entry(const uint8_t *ram, uint64_t ram_size, uint64_t table,
		 unsigned i, uint64_t *e)
{
	if (table > ram_size || ram_size - table < PAGE)
		return -EFAULT;
	memcpy(e, ram + table + 8ULL * i, sizeof(*e));
	return (*e & PTE_P) ? 0 : -EFAULT;
}

int paging_walk(const uint8_t *ram, uint64_t ram_size, uint64_t cr3,
		uint64_t va, uint64_t *pa)
{
	uint64_t e, table = cr3 & PTE_ADDR;
	/* Level 4 (PML4), 3 (PDPT), 2 (PD), 1 (PT): 9 index bits each. */
	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);

		if (entry(ram, ram_size, table, (va >> shift) & 511, &e))
			return -EFAULT;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			uint64_t mask = (1ULL << shift) - 1;

			*pa = (e & PTE_ADDR & ~mask) | (va & mask);
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -EFAULT; /* not reached: level 1 always returns */
}
