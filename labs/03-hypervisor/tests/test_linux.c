/*
 * test_linux: the Linux challenge's pieces that need no KVM (stage 03.10,
 * optional): linux_check() refusing what vmm cannot boot, each with its
 * reason, and acpi_write()'s tables (checksums, the RSDP -> RSDT -> MADT
 * chain, a local APIC per vCPU, the I/O APIC).
 *
 * GRADED_BONUS with 0 points: the challenge is the optional bonus, and its
 * points are the boot's (test_linux_boot.c); these say which piece is wrong
 * when it fails, on the board, without a point of their own.
 */
#include "graded.h"
#include "acpi.h"
#include "linux.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIB (1ULL << 20)

/* A setup header as a bzImage on boot protocol 2.15 has it: 4 setup
 * sectors, LOADED_HIGH, a 2 KiB command line, the kernel preferred at
 * 16 MiB and needing 32 MiB unpacked (so it ends at 48 MiB). */
static uint8_t *fake_bzimage(size_t len)
{
	uint8_t *k = calloc(1, len);
	uint16_t version = 0x20f;
	uint32_t cmdline_size = 2048, init_size = 32 * MIB, max = 0x7fffffff;
	uint64_t pref = 16 * MIB;

	cr_assert(k);
	k[0x1f1] = 4;
	k[0x1fe] = 0x55;
	k[0x1ff] = 0xaa;
	memcpy(k + 0x202, "HdrS", 4);
	memcpy(k + 0x206, &version, 2);
	k[0x211] = 0x01;
	memcpy(k + 0x22c, &max, 4);
	memcpy(k + 0x238, &cmdline_size, 4);
	memcpy(k + 0x258, &pref, 8);
	memcpy(k + 0x260, &init_size, 4);
	return k;
}

/* linux_check() of kernel k (len bytes) and an initrd of rd bytes. */
static int check(const uint8_t *k, size_t len, size_t rd, const char *cmdline,
		 uint64_t mem, struct vmlab_err *why)
{
	static uint8_t initrd[1];
	struct linux_boot b = {
		.kernel = k, .kernel_len = len, .initrd = rd ? initrd : NULL,
		.initrd_len = rd, .cmdline = cmdline,
	};
	vmlab_err_clear(why);
	return linux_check(&b, mem, why);
}

#define REFUSES(k, len, rd, cmdline, mem, words)                              \
	do {                                                                  \
		struct vmlab_err why_;                                        \
		cr_assert_eq(check(k, len, rd, cmdline, mem, &why_),          \
			     -ENOEXEC, "linux_check should refuse (%s)", words); \
		cr_assert(strstr(why_.msg, words), "the reason should say \"%s\"," \
			  " it says \"%s\"", words, why_.msg);                \
	} while (0)

GRADED_BONUS(lx, check_takes_a_bzimage_that_fits, 0, "03.10 boot Linux", 5)
{
	uint8_t *k = fake_bzimage(64 * 1024);
	struct vmlab_err why;

	cr_assert_eq(check(k, 64 * 1024, 0, LINUX_DEFAULT_CMDLINE, 192 * MIB,
			   &why), 0, "refused: %s", why.msg);
	cr_assert_eq(check(k, 64 * 1024, 8 * MIB, "console=ttyS0", 192 * MIB,
			   &why), 0, "with an 8 MiB initrd: %s", why.msg);
	free(k);
}

GRADED_BONUS(lx, check_refuses_what_is_no_bzimage, 0, "03.10 boot Linux", 5)
{
	uint8_t *k = fake_bzimage(64 * 1024);

	REFUSES(k, 0x800, 0, "", 192 * MIB, "not a bzImage");      /* too short */
	memcpy(k + 0x202, "HdrX", 4);
	REFUSES(k, 64 * 1024, 0, "", 192 * MIB, "not a bzImage");
	memcpy(k + 0x202, "HdrS", 4);
	k[0x1fe] = 0;                                               /* no 0xaa55 */
	REFUSES(k, 64 * 1024, 0, "", 192 * MIB, "not a bzImage");
	k[0x1fe] = 0x55;
	k[0x211] = 0;                                               /* zImage */
	REFUSES(k, 64 * 1024, 0, "", 192 * MIB, "zImage");
	k[0x211] = 1;
	k[0x1f1] = 200;                     /* 201 sectors of setup, past the end */
	REFUSES(k, 64 * 1024, 0, "", 192 * MIB, "ends inside the real-mode setup");
	free(k);
}

GRADED_BONUS(lx, check_refuses_an_old_boot_protocol, 0, "03.10 boot Linux", 5)
{
	uint8_t *k = fake_bzimage(64 * 1024);
	uint16_t v = 0x205;

	memcpy(k + 0x206, &v, 2);
	REFUSES(k, 64 * 1024, 0, "", 192 * MIB, "boot protocol 2.05 is older than 2.06");
	v = 0x206;
	memcpy(k + 0x206, &v, 2);
	struct vmlab_err why;
	cr_assert_eq(check(k, 64 * 1024, 0, "", 192 * MIB, &why), 0,
		     "2.06 is enough: %s", why.msg);
	free(k);
}

GRADED_BONUS(lx, check_refuses_a_long_command_line, 0, "03.10 boot Linux", 5)
{
	uint8_t *k = fake_bzimage(64 * 1024);
	uint32_t size = 16;

	memcpy(k + 0x238, &size, 4);
	REFUSES(k, 64 * 1024, 0, "console=ttyS0 quiet", 192 * MIB,
		"over the kernel's 16 bytes");
	free(k);
}

GRADED_BONUS(lx, check_refuses_what_does_not_fit_mem, 0, "03.10 boot Linux", 5)
{
	uint8_t *k = fake_bzimage(64 * 1024);
	uint32_t max = 32 * MIB - 1;

	struct vmlab_err why;

	/* The kernel unpacked ends at 48 MiB: 32 MiB of RAM is too little. */
	REFUSES(k, 64 * 1024, 0, "", 32 * MIB, "more RAM");
	REFUSES(k, 64 * 1024, 0, "", 32 * MIB, "48 MiB");
	/* It is the RAM, by name: main adds the flag that gives more. */
	check(k, 64 * 1024, 0, "", 32 * MIB, &why);
	cr_assert(why.name && !strcmp(why.name, LINUX_ERR_MEM), "err->name");
	/* 48 MiB + a 20 MiB initrd is over 64 MiB. */
	REFUSES(k, 64 * 1024, 20 * MIB, "", 64 * MIB, "more RAM");
	/* The initrd must go below initrd_addr_max, here under the kernel. */
	memcpy(k + 0x22c, &max, 4);
	REFUSES(k, 64 * 1024, 1 * MIB, "", 192 * MIB, "more RAM");
	free(k);
}

/* The sum of n bytes: 0 for an ACPI table with its checksum right. */
static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* acpi_write for ncpu CPUs in 1 MiB of RAM at LINUX_ACPI; the MADT. */
static const uint8_t *tables(uint8_t *ram, unsigned ncpu)
{
	struct vmlab_err ae = {0};
	const uint8_t *rsdp = ram + LINUX_ACPI, *rsdt, *madt;

	cr_assert_eq(acpi_write(ram, MIB, LINUX_ACPI, ncpu, 0, &ae), 0,
		     "acpi_write(%u CPUs) failed in %s", ncpu, ae.name ? ae.name : "?");
	cr_assert(!memcmp(rsdp, "RSD PTR ", 8), "the RSDP's signature");
	cr_assert_eq(sum(rsdp, 20), 0, "the RSDP's 20 bytes sum to 0");
	cr_assert_lt(get32(rsdp + 16), MIB - 36, "the RSDP's RSDT address");
	rsdt = ram + get32(rsdp + 16);
	cr_assert(!memcmp(rsdt, "RSDT", 4), "the RSDP points at the RSDT");
	cr_assert_eq(get32(rsdt + 4), 40, "the RSDT holds one entry");
	cr_assert_eq(sum(rsdt, get32(rsdt + 4)), 0, "the RSDT's bytes sum to 0");
	cr_assert_lt(get32(rsdt + 36), MIB - 44, "the RSDT's MADT address");
	madt = ram + get32(rsdt + 36);
	cr_assert(!memcmp(madt, "APIC", 4), "the RSDT's entry is the MADT");
	cr_assert_leq(get32(madt + 4), ACPI_MAX, "the MADT's length");
	cr_assert_eq(sum(madt, get32(madt + 4)), 0, "the MADT's bytes sum to 0");
	cr_assert_eq(get32(madt + 36), ACPI_LAPIC, "the local APICs' address");
	return madt;
}

/* The MADT's entries: a local APIC per CPU (IDs 0..ncpu-1, enabled) and
 * one I/O APIC at ACPI_IOAPIC from GSI 0, with an ID no CPU has. */
static void madt_has(const uint8_t *madt, unsigned ncpu)
{
	uint32_t len = get32(madt + 4), off = 44;
	unsigned lapics = 0, ioapics = 0;
	uint64_t seen = 0;
	int ioapic_id = -1;

	while (off + 2 <= len) {
		const uint8_t *e = madt + off;

		cr_assert_geq(e[1], 2, "MADT entry at %u: length %u", off, e[1]);
		cr_assert_leq(off + e[1], len, "MADT entry at %u runs past the table", off);
		if (e[0] == 0) {
			cr_assert_eq(e[1], 8, "a local APIC entry is 8 bytes");
			cr_assert_lt(e[3], ncpu, "local APIC ID %u for %u CPUs", e[3], ncpu);
			cr_assert(!(seen & (1ULL << e[3])), "local APIC ID %u twice", e[3]);
			cr_assert(get32(e + 4) & 1, "local APIC %u enabled", e[3]);
			seen |= 1ULL << e[3];
			lapics++;
		} else if (e[0] == 1) {
			cr_assert_eq(e[1], 12, "the I/O APIC entry is 12 bytes");
			cr_assert_eq(get32(e + 4), ACPI_IOAPIC, "the I/O APIC's address");
			cr_assert_eq(get32(e + 8), 0, "the I/O APIC's first GSI");
			ioapic_id = e[2];
			ioapics++;
		}
		off += e[1];
	}
	cr_assert_eq(lapics, ncpu, "one local APIC entry per vCPU");
	cr_assert_eq(ioapics, 1, "one I/O APIC entry");
	cr_assert(ioapic_id >= 0 && (ioapic_id >= 64 || !(seen & (1ULL << ioapic_id))),
		  "the I/O APIC's ID %d is a CPU's", ioapic_id);
}

GRADED_BONUS(acpi, tables_chain_and_sum_to_zero, 0, "03.10 boot Linux", 5)
{
	uint8_t *ram = calloc(1, MIB);

	cr_assert(ram);
	tables(ram, 2);
	free(ram);
}

GRADED_BONUS(acpi, madt_lists_each_vcpu_and_the_ioapic, 0, "03.10 boot Linux", 5)
{
	uint8_t *ram = calloc(1, MIB);
	const unsigned counts[] = {1, 2, 4, 64};

	cr_assert(ram);
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		madt_has(tables(ram, counts[i]), counts[i]);
	free(ram);
}

GRADED_BONUS(acpi, write_refuses_what_does_not_fit, 0, "03.10 boot Linux", 5)
{
	uint8_t *ram = calloc(1, MIB);
	struct vmlab_err e;

	cr_assert(ram);
	cr_assert_eq(acpi_write(ram, MIB, LINUX_ACPI, 0, 0, &e), -EINVAL, "0 CPUs");
	cr_assert_eq(acpi_write(ram, MIB, LINUX_ACPI, 65, 0, &e), -EINVAL, "65 CPUs");
	cr_assert_eq(acpi_write(ram, MIB, LINUX_ACPI + 8, 2, 0, &e), -EINVAL,
		     "not 16-byte aligned");
	cr_assert_eq(acpi_write(ram, MIB, MIB - 0x800, 2, 0, &e), -EINVAL,
		     "under ACPI_MAX bytes of RAM left");
	cr_assert_eq(acpi_write(ram, MIB, 2 * MIB, 2, 0, &e), -EINVAL, "past the RAM");
	free(ram);
}

/*
 * With a disk the RSDT's second entry is the FADT, whose PM timer
 * (PM_TMR_BLK at offset 76, PM_TMR_LEN 4 at 91) is a port that counts at
 * 3.579545 MHz in 24 bits: the clock Linux calibrates its local APIC timer
 * against (without one, under emulation, it turns that timer off).
 */
GRADED_BONUS(acpi, fadt_gives_a_pm_timer_that_counts, 0, "03.10 boot Linux", 5)
{
	uint8_t *ram = calloc(1, MIB), v0[4], v1[4];
	struct vmlab_err e = {0};
	cr_assert(ram, "calloc");
	cr_assert_eq(acpi_write(ram, MIB, LINUX_ACPI, 2, 1, &e), 0,
		     "acpi_write with a disk failed in %s", e.name ? e.name : "?");
	const uint8_t *rsdt = ram + get32(ram + LINUX_ACPI + 16);
	cr_assert_eq(get32(rsdt + 4), 44, "with a disk the RSDT holds two entries");
	cr_assert_lt(get32(rsdt + 40), MIB - 116, "the RSDT's FADT address");
	const uint8_t *fadt = ram + get32(rsdt + 40);
	cr_assert(!memcmp(fadt, "FACP", 4), "the RSDT's second entry is the FADT");
	cr_assert_eq(sum(fadt, get32(fadt + 4)), 0, "the FADT's bytes sum to 0");
	cr_assert_eq(get32(fadt + 76), ACPI_PM_TMR, "PM_TMR_BLK");
	cr_assert_eq(fadt[91], 4, "PM_TMR_LEN");
	/* Between two reads at least 1 ms apart, and at most the time measured
	 * around them, the count moves by that time at 3.579545 MHz (modulo
	 * 2^24), staying within 24 bits; no assumption about how fast. */
	struct timespec t0, t1, ms = {.tv_nsec = 1000000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	acpi_pm_read(ACPI_PM_TMR, v0, 4);
	nanosleep(&ms, NULL);
	acpi_pm_read(ACPI_PM_TMR, v1, 4);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double most = ((double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9) * ACPI_PM_HZ + 2;
	uint32_t a = get32(v0), b = get32(v1), ticks = (b - a) & 0xffffff;
	cr_assert_leq(a, 0xffffff, "24 bits: %#x", a);
	cr_assert_leq(b, 0xffffff, "24 bits: %#x", b);
	cr_assert_geq(ticks, 3579 - 2, "after 1 ms the PM timer moved %u ticks "
		      "(3.579545 MHz: 3579 or more)", ticks);
	if (most < 0xffffff)  /* else it may have wrapped: nothing to bound */
		cr_assert_leq(ticks, most, "the PM timer moved %u ticks in %.0f "
			      "ticks' time", ticks, most);
	free(ram);
}
