/*
 * vmlab_abi.h: the contract between the VMM and its guests.
 *
 * Both sides include this file: the VMM (src/) and the guest runtime
 * (guest/lib/). It fixes the I/O ports the VMM listens on, where the VMM
 * places its own structures in guest-physical memory, and the "ucall"
 * protocol: the guest fills a struct ucall in its own memory and writes its
 * guest-physical address with one 32-bit `out` to UCALL_PORT. The port write
 * traps to the VMM (a VM exit), which reads the struct, acts, and may write
 * a result back into it before it resumes the guest. (The model is the
 * Linux KVM selftests' ucall; VMCALL would not do: KVM handles it in the
 * kernel and never tells user space.)
 *
 * Invariant: every field is fixed-size and naturally aligned, so the layout
 * is the same for the host's compiler and the freestanding guest's.
 */
#ifndef VMLAB_ABI_H
#define VMLAB_ABI_H

#include <stdint.h>

/* I/O ports. */
#define ABI_COM1_PORT     0x3f8   /* 16550 UART: THR (write) / RBR (read) */
#define ABI_COM1_LSR      0x3fd   /* line status register */
#define ABI_LSR_THRE      0x20    /* transmit holding register empty */
#define ABI_LSR_TEMT      0x40    /* transmitter empty */
#define ABI_DEBUGCON_PORT 0xe9    /* Bochs/QEMU debug console: one byte out */
#define ABI_UCALL_PORT    0x0ca0  /* 32-bit out: guest-physical &struct ucall */
#define ABI_BLK_PORT      0x0cb0  /* 32-bit out: guest-physical &struct blk_req */
#define ABI_BLK_RING_PORT 0x0cb4  /* 32-bit out: guest-physical &struct blk_ring */

/*
 * Guest-physical layout in long mode. The VMM owns [0, ABI_RESERVED_END):
 * nothing may be loaded there. Images start at ABI_LOAD_BASE (1 MiB).
 */
#define ABI_GDT         0x1000ULL   /* null, code64 (0x08), data (0x10) */
#define ABI_BOOTINFO    0x2000ULL   /* struct abi_bootinfo: the memory map */
#define ABI_PML4        0x3000ULL   /* page-map level 4 (CR3) */
#define ABI_PDPT        0x4000ULL   /* page-directory-pointer table */
#define ABI_PD          0x5000ULL   /* 4 page directories, 0x5000-0x8fff */
#define ABI_STACK_TOP   0x100000ULL /* vCPU 0's RSP at entry; stacks grow down */
#define ABI_STACK_SIZE  0x2000ULL   /* vCPU n starts at TOP - n * SIZE */
#define ABI_RESERVED_END 0x100000ULL
#define ABI_LOAD_BASE   0x100000ULL
#define ABI_MAP_SIZE    (4ULL << 30) /* identity map: the low 4 GiB */

#define ABI_SEL_CODE    0x08
#define ABI_SEL_DATA    0x10

/*
 * CPUID: leaf 0x40000000 names the hypervisor (12 bytes in EBX, ECX, EDX);
 * vmlab's leaf 0x40000001 gives the number of vCPUs in EAX.
 */
#define ABI_CPUID_SIGNATURE "vmlabvmlabvm"
#define ABI_CPUID_VCPUS_LEAF 0x40000001u

/*
 * The memory map the VMM writes at ABI_BOOTINFO before the guest starts,
 * as a PC's firmware hands one to the OS (e820): which guest-physical
 * ranges are RAM the guest may use, which are the VMM's.
 */
#define ABI_BOOTINFO_MAGIC 0x4f42564dU /* "MVBO" */
#define ABI_MEM_USABLE   1
#define ABI_MEM_RESERVED 2
#define ABI_BOOTINFO_MAX 8

struct abi_mem_region {
	uint64_t base;
	uint64_t size;
	uint32_t type;    /* ABI_MEM_USABLE or ABI_MEM_RESERVED */
	uint32_t pad;
};

struct abi_bootinfo {
	uint32_t magic;   /* ABI_BOOTINFO_MAGIC */
	uint32_t nregions;
	struct abi_mem_region region[ABI_BOOTINFO_MAX];
};

enum ucall_cmd {
	UCALL_PRINT = 1,  /* bytes at .buf, .len of them, to the console */
	UCALL_EXIT,       /* args[0] = the exit code the VMM ends with */
	UCALL_ASSERT,     /* args[0] = line, args[1] = &file, args[2] = &expr */
	UCALL_EXCEPTION,  /* args[] = vector, rip, cr2, error code */
	UCALL_QUERY,      /* args[0] = enum ucall_query; answer in .ret */
	UCALL_HELLO,      /* the runtime is up: args[0] = ABI_VERSION */
	UCALL_PARK,       /* this vCPU is done; the others go on */
};

enum ucall_query {
	UCALL_Q_RAM_SIZE = 1, /* bytes of guest RAM */
	UCALL_Q_VCPUS,        /* number of vCPUs */
	UCALL_Q_DISK_SIZE,    /* bytes of disk, 0 when none */
	UCALL_Q_CPU_ID,       /* the asking vCPU's number, from 0 */
};

#define ABI_VERSION     1
#define UCALL_PRINT_MAX 4096 /* longest PRINT the VMM accepts */
#define UCALL_STR_MAX   256  /* longest file or expression string */

struct ucall {
	uint32_t cmd;     /* enum ucall_cmd */
	uint32_t len;     /* PRINT: bytes at buf */
	uint64_t buf;     /* PRINT: guest-physical address of the bytes */
	uint64_t args[4];
	uint64_t ret;     /* QUERY: written by the VMM before it resumes */
};

/*
 * The paravirtual disk. The guest fills a struct blk_req and writes its
 * guest-physical address with one 32-bit `out` to ABI_BLK_PORT (the
 * doorbell): one exit per request, whatever its size. The VMM serves it
 * from the host's disk image before the guest resumes and writes the
 * outcome into .status. Sectors are 512 bytes.
 */
#define ABI_SECTOR      512
#define ABI_BLK_MAX     2048  /* sectors per request (1 MiB) */

/* BLK_IDENTIFY: the VMM writes the disk's size in sectors into .count. */
enum blk_op { BLK_READ = 1, BLK_WRITE, BLK_FLUSH, BLK_IDENTIFY };

enum blk_status {
	BLK_S_OK = 0,
	BLK_S_IOERR,    /* the host's read, write or fsync failed */
	BLK_S_RANGE,    /* sectors outside the disk */
	BLK_S_BADBUF,   /* the buffer is not inside guest RAM */
	BLK_S_RO,       /* a write to a read-only disk */
	BLK_S_BADREQ,   /* unknown op, count 0 or over ABI_BLK_MAX, no disk */
	BLK_S_PENDING = 0xff, /* set by the guest; the VMM always overwrites it */
};

struct blk_req {
	uint32_t op;      /* enum blk_op */
	uint32_t status;  /* enum blk_status, written by the VMM */
	uint64_t sector;  /* first sector */
	uint64_t count;   /* sectors */
	uint64_t buf;     /* guest-physical address of count * 512 bytes */
};

/*
 * The disk's request ring (optional stage 03.11): several requests per
 * exit, the idea behind virtio's queues. The guest keeps a struct blk_ring
 * in its own RAM, 16 bytes of header and then size struct blk_req entries.
 * head and tail run freely (they wrap at 2^32); entry i is req[i & (size -
 * 1)]. The guest fills the entries head, head + 1, ... (status
 * BLK_S_PENDING), stores the new head, and writes the ring's guest-physical
 * address with one 32-bit `out` to ABI_BLK_RING_PORT (the notification).
 * Before the guest resumes, the VMM serves every entry from tail to head,
 * each exactly as one ABI_BLK_PORT request (its .status, and the size over
 * .count for BLK_IDENTIFY), and stores tail = head: one exit for the lot.
 *
 * The VMM reads size, head and tail once. It refuses the whole ring, serves
 * nothing and ends the VM (exit 81) when size is not a power of two from 1
 * to ABI_BLK_RING_MAX, when the ring (header and size entries) is not
 * inside guest RAM, or when head - tail (mod 2^32) is more than size.
 */
#define ABI_BLK_RING_MAX 256  /* entries */

struct blk_ring {
	uint32_t size;    /* entries in req[]: a power of two, <= ABI_BLK_RING_MAX */
	uint32_t head;    /* the guest's: the next entry it will fill */
	uint32_t tail;    /* the VMM's: the next entry it will serve */
	uint32_t pad;
	struct blk_req req[]; /* entry i is req[i & (size - 1)] */
};

#endif /* VMLAB_ABI_H */
