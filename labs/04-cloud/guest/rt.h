/*
 * rt.h: the little a guest of lab 04 needs from a standard PC, as QEMU
 * emulates one: the serial port COM1 (its console), QEMU's firmware
 * configuration device (fw_cfg: how many vCPUs and how much RAM the
 * machine was given), the first ATA disk in PIO mode, and a power-off
 * port (isa-debug-exit, which the runner adds at 0xf4). Every wait polls a
 * status register: no timer, no interrupts.
 */
#ifndef CLOUD_GUEST_RT_H
#define CLOUD_GUEST_RT_H

#include <stdint.h>

/* COM1, the console: a string. */
void rt_puts(const char *s);
/* v in decimal (32 bits: no 64-bit division without libgcc). */
void rt_putu(uint32_t v);

/* fw_cfg item key (little-endian, at most 8 bytes): its value. */
uint64_t rt_fwcfg(uint16_t key, unsigned bytes);
#define RT_FWCFG_RAM_SIZE 0x03
#define RT_FWCFG_NB_CPUS 0x05

/* The first ATA disk: its size in sectors (IDENTIFY), 0 if none. */
uint32_t rt_disk_sectors(void);
/* Reads / writes one 512-byte sector at lba. Returns 0, or -1. */
int rt_disk_read(uint32_t lba, void *buf);
int rt_disk_write(uint32_t lba, const void *buf);

/* Ends the VM (the runner's QEMU then exits). */
void guest_poweroff(void) __attribute__((noreturn));

#endif /* CLOUD_GUEST_RT_H */
