/*
 * acpi: RSDP -> RSDT -> MADT, the smallest ACPI a kernel boots SMP on.
 *
 * Layout at `at`: the RSDP (20 bytes, ACPI 1.0), the RSDT at at + 32 (one
 * entry), the MADT at at + 96: a local APIC entry per CPU, the I/O APIC
 * (GSIs 0-23; KVM's default routing puts ISA IRQ n on GSI n, so no
 * override entries) and LINT1 as NMI on every CPU. Each table's bytes sum
 * to 0 (its checksum).
 * With a disk, the RSDT also lists a FADT (ACPI 1.0, 116 bytes) whose DSDT
 * holds one device, the virtio-mmio disk (_HID "LNRO0005": its window and
 * IRQ 5 in _CRS), and whose FACS is empty: Linux then runs ACPI's
 * interpreter and creates the platform device virtio_mmio binds to. The
 * FADT's PM1 registers are ports 0x600-0x605 (linux.c answers them);
 * SMI_CMD 0 says "already in ACPI mode".
 */
#include "acpi.h"
#include "virtio.h"
#include "vm.h" /* vm_fail() */

#include <errno.h>
#include <string.h>
#include <time.h>

#define SDT_HDR 36
#define RSDT_AT 32
#define MADT_AT 96
#define FACS_AT 0x2c0  /* 64-byte aligned */
#define FADT_AT 0x300
#define DSDT_AT 0x380
#define FADT_LEN 116

/*
 * Scope (\_SB) { Device (VR00) { Name (_HID, "LNRO0005") Name (_UID, 0)
 *   Name (_CRS, ResourceTemplate () {
 *     Memory32Fixed (ReadWrite, VIRTIO_MMIO_BASE, VIRTIO_MMIO_SIZE)
 *     Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 5 } }) } }
 * compiled by hand (ACPI 6.4, 20.2 and 6.4); the window's base and size
 * and the IRQ are written over bytes AML_BASE, AML_BASE + 4 and AML_IRQ.
 */
static const uint8_t aml[] = {
	0x10, 0x43, 0x04, '\\', '_', 'S', 'B', '_',    /* Scope, 67 bytes */
	0x5b, 0x82, 0x3a, 'V', 'R', '0', '0',         /* Device, 58 bytes */
	0x08, '_', 'H', 'I', 'D', 0x0d, 'L', 'N', 'R', 'O', '0', '0', '0', '5', 0,
	0x08, '_', 'U', 'I', 'D', 0x00,
	0x08, '_', 'C', 'R', 'S', 0x11, 0x1a, 0x0a, 0x17, /* Buffer, 23 bytes */
	0x86, 0x09, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,  /* Memory32Fixed */
	0x89, 0x06, 0x00, 0x03, 0x01, 0, 0, 0, 0,        /* Interrupt */
	0x79, 0x00,                                      /* End tag */
};
#define AML_BASE 49
#define AML_IRQ  62
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
 * flags 0, LINT1). Returns their length in bytes, or vm_fail(err, -ENOSYS,
 * "madt_entries (not written yet)").
 * Stage 03.10, README "Challenge · boot Linux".
 */
static int madt_entries(uint8_t *p, unsigned ncpu, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.10: a type-0 entry per CPU, the type-1 I/O APIC, the type-4 NMI on LINT1 */
	int len = 0;

	(void)err;
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
	return vm_fail(err, -ENOSYS, "madt_entries (not written yet)");
	*/
	/* <<< SOLUTION */
}

/* The PM timer: 3.579545 MHz, 24 bits, from the host's monotonic clock. */
static uint32_t pm_timer(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	uint64_t ns = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
	return (uint32_t)((unsigned __int128)ns * ACPI_PM_HZ / 1000000000u) & 0xffffff;
}

void acpi_pm_read(uint16_t port, uint8_t *data, size_t len)
{
	if (port < ACPI_PM1 || port >= ACPI_PM_TMR + 4)
		return;
	memset(data, 0, len);         /* no event pending, none enabled */
	if (port == ACPI_PM1 + 4)
		data[0] = 1;          /* PM1_CNT: SCI_EN, in ACPI mode */
	if (port >= ACPI_PM_TMR) {
		uint32_t v = pm_timer() >> 8 * (port - ACPI_PM_TMR);
		for (size_t i = 0; i < len && i < 4; i++)
			data[i] = (uint8_t)(v >> 8 * i);
	}
}

/* FACS, FADT and DSDT at base (guest-physical at): the disk's device. */
static void fadt_dsdt(uint8_t *base, uint64_t at)
{
	uint8_t *facs = base + FACS_AT, *fadt = base + FADT_AT;
	uint8_t *dsdt = base + DSDT_AT;

	memcpy(facs, "FACS", 4);
	put32(facs + 4, 64);
	memcpy(dsdt + SDT_HDR, aml, sizeof(aml));
	put32(dsdt + SDT_HDR + AML_BASE, (uint32_t)VIRTIO_MMIO_BASE);
	put32(dsdt + SDT_HDR + AML_BASE + 4, VIRTIO_MMIO_SIZE);
	put32(dsdt + SDT_HDR + AML_IRQ, VIRTIO_IRQ);
	sdt(dsdt, "DSDT", SDT_HDR + sizeof(aml), 2);
	put32(fadt + 36, (uint32_t)(at + FACS_AT));
	put32(fadt + 40, (uint32_t)(at + DSDT_AT));
	put16(fadt + 46, 9);          /* SCI_INT, never raised */
	put32(fadt + 56, ACPI_PM1);   /* PM1a_EVT_BLK: status, enable */
	put32(fadt + 64, ACPI_PM1 + 4); /* PM1a_CNT_BLK */
	put32(fadt + 76, ACPI_PM_TMR); /* PM_TMR_BLK */
	fadt[88] = 4;                 /* PM1_EVT_LEN */
	fadt[89] = 2;                 /* PM1_CNT_LEN */
	fadt[91] = 4;                 /* PM_TMR_LEN */
	put16(fadt + 96, 101);        /* P_LVL2_LAT > 100: no C2 */
	put16(fadt + 98, 1001);       /* P_LVL3_LAT > 1000: no C3 */
	/* WBINVD works; power and sleep buttons are not fixed features. */
	put32(fadt + 112, 1u << 0 | 1u << 4 | 1u << 5);
	sdt(fadt, "FACP", FADT_LEN, 1);
}

int acpi_write(uint8_t *ram, uint64_t ram_size, uint64_t at, unsigned ncpu,
	       int disk, struct vmlab_err *err)
{
	uint8_t *rsdp, *rsdt, *madt;
	int len;

	if (ncpu == 0 || ncpu > 64 || at % 16 || at > ram_size ||
	    ram_size - at < ACPI_MAX)
		return vm_fail(err, -EINVAL, "acpi_write");
	rsdp = ram + at;
	rsdt = rsdp + RSDT_AT;
	madt = rsdp + MADT_AT;
	memset(rsdp, 0, ACPI_MAX);
	len = madt_entries(madt + SDT_HDR + 8, ncpu, err);
	if (len < 0)
		return len;
	len += SDT_HDR + 8;
	put32(madt + SDT_HDR, ACPI_LAPIC);
	put32(madt + SDT_HDR + 4, 1); /* PCAT_COMPAT: there are 8259 PICs */
	sdt(madt, "APIC", (uint32_t)len, 1);
	put32(rsdt + SDT_HDR, (uint32_t)(at + MADT_AT));
	if (disk) {
		fadt_dsdt(rsdp, at);
		put32(rsdt + SDT_HDR + 4, (uint32_t)(at + FADT_AT));
	}
	sdt(rsdt, "RSDT", SDT_HDR + (disk ? 8 : 4), 1);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "VMLAB ", 6);
	rsdp[15] = 0;                 /* revision 0: ACPI 1.0, 20 bytes */
	put32(rsdp + 16, (uint32_t)(at + RSDT_AT));
	rsdp[8] = checksum(rsdp, 20);
	return 0;
}
