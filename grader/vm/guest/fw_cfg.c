/*
 * fw_cfg.c: QEMU's fw_cfg device from user space (see fw_cfg.h and QEMU's
 * docs/specs/fw_cfg.rst).
 *
 * Ports: 0x510 selects an item, 0x511 reads it a byte at a time, 0x514
 * takes the guest-physical address of a DMA descriptor (big-endian, high
 * half then low half; writing the low half runs it). The directory (item
 * 0x19) is small and read by bytes; a file's content goes by DMA, one page
 * at a time into locked pages whose physical addresses /proc/self/pagemap
 * gives (process 1 is root): QEMU copies each page in one port write.
 */
#define _GNU_SOURCE
#include "fw_cfg.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <unistd.h>

#define PORT_SEL 0x510
#define PORT_DATA 0x511
#define PORT_DMA 0x514
#define ITEM_ID 0x01
#define ITEM_DIR 0x19
#define DMA_ERROR 0x01
#define DMA_READ 0x02
#define DMA_SELECT 0x08
#define PAGE 4096
#define PAGES 64

struct dma_access {
	uint32_t control, length;
	uint64_t address;
} __attribute__((packed));

static uint32_t read_be32(void)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | inb(PORT_DATA);
	return v;
}

int fw_cfg_open(void)
{
	if (ioperm(PORT_SEL, 12, 1) != 0)
		return -errno;
	outw(ITEM_ID, PORT_SEL);
	/* The features are little-endian; bit 1: DMA. */
	return inb(PORT_DATA) & 0x02 ? 0 : -ENOTSUP;
}

uint32_t fw_cfg_count(void)
{
	outw(ITEM_DIR, PORT_SEL);
	return read_be32();
}

int fw_cfg_find(const char *name, uint16_t *select, uint32_t *size)
{
	uint32_t n = fw_cfg_count();

	for (uint32_t i = 0; i < n; i++) {
		char fname[56];
		uint32_t fsize = read_be32();
		uint16_t sel = (uint16_t)(inb(PORT_DATA) << 8);

		sel |= inb(PORT_DATA);
		inb(PORT_DATA);
		inb(PORT_DATA);
		for (int j = 0; j < 56; j++)
			fname[j] = (char)inb(PORT_DATA);
		fname[55] = '\0';
		if (strcmp(fname, name) == 0) {
			*select = sel;
			*size = fsize;
			return 0;
		}
	}
	return -ENOENT;
}

/* The physical address of the page at p (locked, present). */
static int phys_of(int pagemap, const void *p, uint64_t *phys)
{
	uint64_t e;
	off_t off = (off_t)((uintptr_t)p / PAGE * sizeof(e));

	if (pread(pagemap, &e, sizeof(e), off) != (ssize_t)sizeof(e))
		return -EIO;
	if (!(e >> 63) || !(e & ((1ULL << 55) - 1)))
		return -EFAULT;
	*phys = (e & ((1ULL << 55) - 1)) * PAGE;
	return 0;
}

/* One DMA read of len bytes into the page at phys; select first if sel >= 0. */
static int dma_read(volatile struct dma_access *d, uint64_t d_phys, int sel,
		    uint64_t phys, uint32_t len)
{
	uint32_t ctl = DMA_READ | (sel >= 0 ? DMA_SELECT | (uint32_t)sel << 16 : 0);

	d->control = htobe32(ctl);
	d->length = htobe32(len);
	d->address = htobe64(phys);
	__sync_synchronize();
	outl(htobe32((uint32_t)(d_phys >> 32)), PORT_DMA);
	outl(htobe32((uint32_t)d_phys), PORT_DMA + 4);
	__sync_synchronize();
	return be32toh(d->control) & DMA_ERROR ? -EIO : 0;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_pages(int pagemap, char *mem, uint16_t select, uint32_t size, int fd)
{
	volatile struct dma_access *d = (volatile struct dma_access *)mem;
	char *buf = mem + PAGE;
	uint64_t d_phys, phys[PAGES];
	int rc = phys_of(pagemap, mem, &d_phys), first = 1;

	for (int i = 0; i < PAGES && !rc; i++)
		rc = phys_of(pagemap, buf + (size_t)i * PAGE, &phys[i]);
	while (!rc && size > 0) {
		uint32_t chunk = 0;
		for (int i = 0; i < PAGES && size > 0 && !rc; i++) {
			uint32_t n = size < PAGE ? size : PAGE;
			rc = dma_read(d, d_phys, first ? select : -1, phys[i], n);
			first = 0;
			size -= n;
			chunk += n;
		}
		rc = rc ? rc : write_all(fd, buf, chunk);
	}
	return rc;
}

int fw_cfg_copy(uint16_t select, uint32_t size, int fd)
{
	size_t len = (size_t)(PAGES + 1) * PAGE;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
	int pagemap, rc;

	if (mem == MAP_FAILED)
		return -errno;
	pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	rc = pagemap < 0 ? -errno : copy_pages(pagemap, mem, select, size, fd);
	if (pagemap >= 0)
		close(pagemap);
	munmap(mem, len);
	return rc;
}
