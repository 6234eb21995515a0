/*
 * os.c: a tiny guest operating system that finds out what machine it is on.
 *
 * It asks no one: it reads the facts the way an OS reads them from
 * hardware. CPUID says whether a hypervisor is present (leaf 1, ECX bit
 * 31), whose it is (leaf 0x40000000) and, in vmlab's own leaf 0x40000001,
 * how many vCPUs there are. The memory map the VMM left at ABI_BOOTINFO
 * says how much RAM there is, as a PC's firmware tells a kernel. The disk
 * device says its own size (BLK_IDENTIFY). Then it reads a message from
 * sector 0 of its disk and writes a reply to sector 1, which the host can
 * read after the VM is gone. Each vCPU but the first just reports in.
 */
#include "guest.h"
#include "vmlab_abi.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

/* The hypervisor's name, or "" on bare metal; its vCPU count in *n. */
static void hypervisor(char sig[13], unsigned *n)
{
	uint32_t r[4];

	sig[0] = '\0';
	*n = 1;
	cpuid(1, r);
	if (!(r[2] & (1u << 31)))
		return; /* the "hypervisor present" bit */
	cpuid(0x40000000, r);
	__builtin_memcpy(sig, &r[1], 4);
	__builtin_memcpy(sig + 4, &r[2], 4);
	__builtin_memcpy(sig + 8, &r[3], 4);
	sig[12] = '\0';
	if (r[0] >= ABI_CPUID_VCPUS_LEAF) {
		cpuid(ABI_CPUID_VCPUS_LEAF, r);
		*n = r[0];
	}
}

/* RAM from the memory map: every region, usable or the VMM's. */
static uint64_t ram_bytes(unsigned *regions)
{
	const struct abi_bootinfo *bi = (const void *)ABI_BOOTINFO;
	uint64_t sum = 0;

	*regions = 0;
	if (bi->magic != ABI_BOOTINFO_MAGIC)
		return 0;
	for (uint32_t i = 0; i < bi->nregions && i < ABI_BOOTINFO_MAX; i++)
		sum += bi->region[i].size;
	*regions = bi->nregions;
	return sum;
}

static uint64_t disk_bytes(void)
{
	struct blk_req r = {BLK_IDENTIFY, BLK_S_PENDING, 0, 0, 0};
	uint32_t gpa = (uint32_t)(uintptr_t)&r;

	__asm__ volatile("outl %0, %1" : : "a"(gpa),
			 "Nd"((uint16_t)ABI_BLK_PORT) : "memory");
	return *(volatile uint32_t *)&r.status == BLK_S_OK ?
		       *(volatile uint64_t *)&r.count * ABI_SECTOR : 0;
}

static char sector[512];

/* Sector 0 in, a reply to sector 1 out, flushed to the host's disk. */
static void mail(void)
{
	static const char reply[] = "reply from the vmlab guest OS: got it";

	GUEST_ASSERT(guest_disk_read(0, 1, sector) == 0);
	sector[511] = '\0';
	guest_printf("  disk says         \"%s\"\n", sector);
	__builtin_memset(sector, 0, sizeof(sector));
	__builtin_memcpy(sector, reply, sizeof(reply));
	GUEST_ASSERT(guest_disk_write(1, 1, sector) == 0);
	GUEST_ASSERT(guest_disk_flush() == 0);
	guest_printf("  reply written     sector 1 (%u bytes)\n",
		     (unsigned)sizeof(reply) - 1);
}

int main(void)
{
	char sig[13];
	unsigned cpus, regions;
	uint64_t ram, disk;

	if (guest_cpu_id() != 0)
		return 0; /* one report for the machine */
	hypervisor(sig, &cpus);
	ram = ram_bytes(&regions);
	disk = disk_bytes();
	guest_printf("vmlab guest OS: what this machine has, seen from inside\n");
	guest_printf("  CPUID hypervisor  %s, signature \"%s\"\n",
		     sig[0] ? "yes" : "no", sig);
	guest_printf("  vCPUs             %u (CPUID leaf 0x40000001)\n", cpus);
	guest_printf("  RAM               %lu MiB (memory map, %u regions)\n",
		     (unsigned long)(ram >> 20), regions);
	guest_printf("  disk              %lu MiB (the disk device)\n",
		     (unsigned long)(disk >> 20));
	guest_printf("  => This machine is a virtual machine (%s): %u vCPU%s,"
		     " %lu MiB RAM, %lu MiB disk\n", sig[0] ? "vmlab" : "?",
		     cpus, cpus == 1 ? "" : "s", (unsigned long)(ram >> 20),
		     (unsigned long)(disk >> 20));
	if (disk)
		mail();
	return 0;
}
