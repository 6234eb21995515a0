/*
 * fw_cfg.h: reading a file QEMU offers through its firmware configuration
 * device (fw_cfg), from process 1 of the guest, without a kernel driver.
 *
 * A restored labvm machine gets its run (command, --in files) this way: the
 * snapshot was saved before the run existed, so the initramfs cannot carry
 * it; QEMU's -fw_cfg name=opt/labvm/run,file=... on the restore command line
 * can, and the guest kernel needs no module for it (the Debian cloud kernel
 * has none built in): /init talks to the I/O ports itself (ioperm).
 */
#ifndef LABVM_FW_CFG_H
#define LABVM_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

/* Opens the ports and checks the device has DMA. Returns 0 or -errno. */
int fw_cfg_open(void);

/* How many files the device lists (changes when QEMU is restored with more). */
uint32_t fw_cfg_count(void);

/* Finds a file by name: its selector and size. Returns 0 or -ENOENT. */
int fw_cfg_find(const char *name, uint16_t *select, uint32_t *size);

/* Copies the file (selector, size) into fd. Returns 0 or -errno. */
int fw_cfg_copy(uint16_t select, uint32_t size, int fd);

#endif
