/*
 * bootinfo: the memory map a guest finds at ABI_BOOTINFO.
 *
 *   bootinfo_build()  write it for a VM with ram_size bytes of RAM
 *
 * A real PC's firmware tells the OS which physical memory is RAM (the
 * e820 map); the guest cannot learn it any other way, since touching an
 * address that is not RAM ends the VM. vmm writes two regions: the VMM's
 * own area below 1 MiB (GDT, page tables, stacks: reserved) and the rest
 * of RAM (usable). Their sizes add up to the VM's RAM.
 */
#ifndef VMM_BOOTINFO_H
#define VMM_BOOTINFO_H

#include <stdint.h>

/* Writes the map at ram + at. Returns 0, or -EINVAL when it does not fit. */
int bootinfo_build(uint8_t *ram, uint64_t ram_size, uint64_t at);

#endif /* VMM_BOOTINFO_H */
