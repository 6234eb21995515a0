/*
 * acpi: RSDP -> RSDT -> MADT, the smallest ACPI a kernel boots SMP on.
 *
 * Layout at `at`: the RSDP (20 bytes, ACPI 1.0), the RSDT at at + 32 (one
 * entry), the MADT at at + 96: a local APIC entry per CPU, the I/O APIC
 * (GSIs 0-23; KVM's default routing puts ISA IRQ n on GSI n, so no
 * override entries) and LINT1 as NMI on every CPU. Each table's bytes sum
 * to 0 (its checksum).
 */
#include "acpi.h"

#include <errno.h>
#include <string.h>

#define SDT_HDR 36
#define RSDT_AT 32
#define MADT_AT 96
enum { MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_LAPIC_NMI = 4 };

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static uint8_t checksum(const uint8_t *p, unsigned len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return (uint8_t)-sum;
}

/* A table's 36-byte header, its checksum last (the body is written). */
static void sdt(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "VMLAB ", 6);
	memcpy(t + 16, "VMMTABLE", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "VMLB", 4);
	put32(t + 32, 1);
	t[9] = checksum(t, len);
}

/* The MADT's entries after its fixed part; returns their length. */
static uint32_t madt_entries(uint8_t *p, unsigned ncpu)
{
	uint32_t len = 0;

	for (unsigned i = 0; i < ncpu; i++, len += 8) {
		p[len] = MADT_LAPIC;
		p[len + 1] = 8;
		p[len + 2] = (uint8_t)i;  /* ACPI processor UID */
		p[len + 3] = (uint8_t)i;  /* its local APIC ID */
		put32(p + len + 4, 1);    /* enabled */
	}
	p[len] = MADT_IOAPIC;
	p[len + 1] = 12;
	p[len + 2] = (uint8_t)ncpu;   /* I/O APIC ID: after the CPUs' */
	put32(p + len + 4, ACPI_IOAPIC);
	put32(p + len + 8, 0);        /* its first GSI */
	len += 12;
	p[len] = MADT_LAPIC_NMI;
	p[len + 1] = 6;
	p[len + 2] = 0xff;            /* every processor */
	put16(p + len + 3, 0);
	p[len + 5] = 1;               /* LINT1 */
	return len + 6;
}

int acpi_write(uint8_t *ram, uint64_t ram_size, uint64_t at, unsigned ncpu)
{
	uint8_t *rsdp, *rsdt, *madt;
	uint32_t len;

	if (ncpu == 0 || ncpu > 64 || at % 16 || at > ram_size ||
	    ram_size - at < ACPI_MAX)
		return -EINVAL;
	rsdp = ram + at;
	rsdt = rsdp + RSDT_AT;
	madt = rsdp + MADT_AT;
	memset(rsdp, 0, ACPI_MAX);
	len = SDT_HDR + 8 + madt_entries(madt + SDT_HDR + 8, ncpu);
	put32(madt + SDT_HDR, ACPI_LAPIC);
	put32(madt + SDT_HDR + 4, 1); /* PCAT_COMPAT: there are 8259 PICs */
	sdt(madt, "APIC", len, 1);
	put32(rsdt + SDT_HDR, (uint32_t)(at + MADT_AT));
	sdt(rsdt, "RSDT", SDT_HDR + 4, 1);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "VMLAB ", 6);
	rsdp[15] = 0;                 /* revision 0: ACPI 1.0, 20 bytes */
	put32(rsdp + 16, (uint32_t)(at + RSDT_AT));
	rsdp[8] = checksum(rsdp, 20);
	return 0;
}
