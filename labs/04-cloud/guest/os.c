/*
 * os.c: lab 04's instance OS, the guest a cloud instance boots under QEMU.
 * Like lab 03's guest OS it finds out what machine it is on and reads its
 * user data, but from a standard PC's devices: CPUID for the hypervisor,
 * the firmware's fw_cfg for the vCPUs and RAM it was given, the ATA disk's
 * IDENTIFY for the disk. It reads sector 0 of the disk (the user data),
 * writes a reply to sector 1 and powers off.
 */
#include "rt.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

/* The hypervisor's CPUID signature ("KVMKVMKVM", "TCGTCGTCGTCG"), or "". */
static void signature(char sig[13])
{
	uint32_t r[4];

	sig[0] = '\0';
	cpuid(1, r);
	if (!(r[2] & (1u << 31)))
		return; /* the "hypervisor present" bit */
	cpuid(0x40000000, r);
	__builtin_memcpy(sig, &r[1], 4);
	__builtin_memcpy(sig + 4, &r[2], 4);
	__builtin_memcpy(sig + 8, &r[3], 4);
	sig[12] = '\0';
}

static char sector[512];

/* Sector 0 in, a reply to sector 1 out. */
static void mail(void)
{
	static const char reply[] = "reply from lab 04's instance OS: got it";

	if (rt_disk_read(0, sector)) {
		rt_puts("  disk              cannot read sector 0\n");
		return;
	}
	sector[511] = '\0';
	rt_puts("  disk says         \"");
	rt_puts(sector);
	rt_puts("\"\n");
	__builtin_memset(sector, 0, sizeof(sector));
	__builtin_memcpy(sector, reply, sizeof(reply));
	if (rt_disk_write(1, sector) == 0) {
		rt_puts("  reply written     sector 1 (");
		rt_putu(sizeof(reply) - 1);
		rt_puts(" bytes)\n");
	}
}

void guest_main(void)
{
	uint32_t cpus = (uint32_t)rt_fwcfg(RT_FWCFG_NB_CPUS, 2);
	uint32_t ram = (uint32_t)(rt_fwcfg(RT_FWCFG_RAM_SIZE, 8) >> 20); /* MiB */
	uint32_t disk = rt_disk_sectors() / 2048;                        /* MiB */
	char sig[13];

	signature(sig);
	rt_puts("lab 04 instance OS: what this machine has, seen from inside\n");
	rt_puts("  CPUID hypervisor  ");
	rt_puts(sig[0] ? "yes, signature \"" : "no");
	rt_puts(sig[0] ? sig : "");
	rt_puts(sig[0] ? "\"\n" : "\n");
	rt_puts("  => This machine is a virtual machine (QEMU): ");
	rt_putu(cpus);
	rt_puts(" vCPUs, ");
	rt_putu(ram);
	rt_puts(" MiB RAM, ");
	rt_putu(disk);
	rt_puts(" MiB disk\n");
	mail();
}
