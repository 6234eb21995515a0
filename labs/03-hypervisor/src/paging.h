/*
 * paging: the identity-mapped 4-level page tables a long-mode guest starts on.
 *
 *   paging_build()  write PML4, PDPT and page directories into guest RAM
 *   paging_walk()   translate a virtual address the way the MMU does
 *
 * x86-64 long mode cannot run with paging off, so before its first
 * instruction a 64-bit guest needs tables in its own memory. The VMM maps
 * the low 4 GiB virtual = physical with 2 MiB pages: one PML4 entry, four
 * PDPT entries, four page directories of 512 entries. Addresses past the
 * VM's RAM stay mapped on purpose: a guest that touches one reaches the VMM
 * as an MMIO exit ("guest touched unmapped address"), as on a real bus.
 */
#ifndef VMM_PAGING_H
#define VMM_PAGING_H

#include <stdint.h>

/* Page-table entry bits (Intel SDM vol. 3, 4.5). */
#define PTE_P  (1ULL << 0)  /* present */
#define PTE_RW (1ULL << 1)  /* writable */
#define PTE_PS (1ULL << 7)  /* page size: this entry maps a 2 MiB page */
#define PTE_ADDR 0x000ffffffffff000ULL

/*
 * Builds the tables at guest-physical pml4 (PDPT at pml4 + 4 KiB, the page
 * directories after it) in ram (ram_size bytes), identity-mapping
 * [0, map_size). map_size is a multiple of 1 GiB, at most 512 GiB.
 * Returns 0, or -EINVAL when the tables do not fit in RAM or map_size is bad.
 */
int paging_build(uint8_t *ram, uint64_t ram_size, uint64_t pml4,
		 uint64_t map_size);

/* Bytes of tables paging_build() writes for map_size. */
uint64_t paging_size(uint64_t map_size);

/*
 * Walks the tables rooted at cr3 in ram for virtual address va.
 * Returns 0 and the physical address in *pa, -EFAULT when va is not mapped
 * or when a table lies outside ram.
 */
int paging_walk(const uint8_t *ram, uint64_t ram_size, uint64_t cr3,
		uint64_t va, uint64_t *pa);

#endif /* VMM_PAGING_H */
