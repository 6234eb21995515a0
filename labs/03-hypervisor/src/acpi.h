/*
 * acpi: the few ACPI tables that tell Linux how many CPUs it has.
 *
 *   acpi_write()  RSDP, RSDT and MADT in guest RAM (and the disk's DSDT)
 *   acpi_pm_read()  the FADT's PM1 ports and PM timer, as a guest reads them
 *
 * A PC lists its CPUs and interrupt controllers in the MADT ("APIC"
 * table), found from the RSDP ("RSD PTR ", in 0xe0000-0xfffff) through the
 * RSDT. Debian's cloud kernel has no MP-table parser (CONFIG_X86_MPPARSE
 * is off), so ACPI is the one way; without a FADT and DSDT, Linux reads
 * the MADT at boot and then turns the rest of ACPI off.
 */
#ifndef VMM_ACPI_H
#define VMM_ACPI_H

#include "vmlab_err.h"

#include <stddef.h>
#include <stdint.h>

#define ACPI_LAPIC  0xfee00000u /* KVM's in-kernel local APICs */
#define ACPI_IOAPIC 0xfec00000u /* and its I/O APIC */
#define ACPI_MAX    0x1000u     /* bytes acpi_write() may use */
#define ACPI_PM1    0x600       /* the FADT's PM1 event, then control ports */
#define ACPI_PM_TMR 0x608       /* the FADT's PM timer, 4 bytes */
#define ACPI_PM_HZ  3579545u    /* its rate */

/*
 * Writes the tables for ncpu CPUs (APIC IDs 0 .. ncpu-1; 0 boots) at
 * guest-physical at (16-byte aligned), the RSDP first. Returns 0, or
 * -errno with err: -EINVAL when they do not fit in ram or ncpu is 0 or
 * over 64, -ENOSYS while madt_entries() is not written. disk: also a
 * FADT and a DSDT announcing the virtio-mmio disk (virtio.h).
 */
int acpi_write(uint8_t *ram, uint64_t ram_size, uint64_t at, unsigned ncpu,
	       int disk, struct vmlab_err *err);

/*
 * A read of len bytes at port: when it is one of the FADT's PM1 registers
 * (ACPI_PM1 to ACPI_PM1 + 5) or its PM timer (ACPI_PM_TMR, 4 bytes: the
 * host's monotonic clock at ACPI_PM_HZ, 24 bits), there with a disk, the
 * answer in data.
 */
void acpi_pm_read(uint16_t port, uint8_t *data, size_t len);

#endif /* VMM_ACPI_H */
