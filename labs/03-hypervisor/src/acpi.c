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

__attribute__((unused))
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

/*
 * Challenge step 4 (README "Challenge · boot Linux"): the MADT's entries
 * at p, after its fixed part, for ncpu CPUs: a processor local APIC entry
 * (type 0, 8 bytes: UID i, APIC ID i, flags 1 = enabled) per CPU, then
 * the I/O APIC (type 1, 12 bytes: its ID ncpu, address ACPI_IOAPIC, first
 * GSI 0), then a local APIC NMI (type 4, 6 bytes: processor 0xff = all,
 * flags 0, LINT1). Returns their length in bytes, or -ENOSYS with *what =
 * "madt_entries (not written yet)".
 */
static int madt_entries(uint8_t *p, unsigned ncpu, const char **what)
{
	/* >>> SOLUTION 03.10: a type-0 entry per CPU, the type-1 I/O APIC, the type-4 NMI on LINT1 */
	int len = 0;

	(void)what;
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
	/* === STUB
	(void)p;
	(void)ncpu;
	*what = "madt_entries (not written yet)";
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int acpi_write(uint8_t *ram, uint64_t ram_size, uint64_t at, unsigned ncpu,
	       const char **what)
{
	uint8_t *rsdp, *rsdt, *madt;
	int len;

	*what = "acpi_write";
	if (ncpu == 0 || ncpu > 64 || at % 16 || at > ram_size ||
	    ram_size - at < ACPI_MAX)
		return -EINVAL;
	rsdp = ram + at;
	rsdt = rsdp + RSDT_AT;
	madt = rsdp + MADT_AT;
	memset(rsdp, 0, ACPI_MAX);
	len = madt_entries(madt + SDT_HDR + 8, ncpu, what);
	if (len < 0)
		return len;
	len += SDT_HDR + 8;
	put32(madt + SDT_HDR, ACPI_LAPIC);
	put32(madt + SDT_HDR + 4, 1); /* PCAT_COMPAT: there are 8259 PICs */
	sdt(madt, "APIC", (uint32_t)len, 1);
	put32(rsdt + SDT_HDR, (uint32_t)(at + MADT_AT));
	sdt(rsdt, "RSDT", SDT_HDR + 4, 1);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "VMLAB ", 6);
	rsdp[15] = 0;                 /* revision 0: ACPI 1.0, 20 bytes */
	put32(rsdp + 16, (uint32_t)(at + RSDT_AT));
	rsdp[8] = checksum(rsdp, 20);
	return 0;
}
