/*
 * rt.c: port I/O to COM1, fw_cfg, the ATA disk and the power-off port
 * (see rt.h). PC ports as every OS programs them: the disk is the primary
 * ATA channel at 0x1f0-0x1f7, LBA28, one sector per command.
 */
#include "rt.h"

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define COM1 0x3f8
#define ATA 0x1f0
#define ATA_BSY 0x80
#define ATA_DRQ 0x08
#define ATA_ERR 0x01

void rt_puts(const char *s)
{
	for (; *s; s++) {
		while (!(inb(COM1 + 5) & 0x20)) /* transmitter holding register empty */
			;
		outb(COM1, (uint8_t)*s);
	}
}

void rt_putu(uint32_t v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	rt_puts(p);
}

uint64_t rt_fwcfg(uint16_t key, unsigned bytes)
{
	uint64_t v = 0;

	outw(0x510, key); /* select the item; its bytes follow on 0x511 */
	for (unsigned i = 0; i < bytes && i < 8; i++)
		v |= (uint64_t)inb(0x511) << (8 * i);
	return v;
}

/* Waits until the drive is not busy; then 0 if it wants data, -1 on error. */
static int ata_wait(void)
{
	uint8_t st;

	while ((st = inb(ATA + 7)) & ATA_BSY)
		;
	if (st & ATA_ERR)
		return -1;
	return st & ATA_DRQ ? 0 : -1;
}

static void ata_cmd(uint32_t lba, uint8_t cmd)
{
	outb(ATA + 6, (uint8_t)(0xe0 | ((lba >> 24) & 0x0f))); /* master, LBA mode */
	outb(ATA + 2, 1);
	outb(ATA + 3, (uint8_t)lba);
	outb(ATA + 4, (uint8_t)(lba >> 8));
	outb(ATA + 5, (uint8_t)(lba >> 16));
	outb(ATA + 7, cmd);
}

uint32_t rt_disk_sectors(void)
{
	uint16_t id[256];

	outb(ATA + 6, 0xa0);
	if (inb(ATA + 7) == 0xff) /* a floating bus: no drive */
		return 0;
	outb(ATA + 7, 0xec); /* IDENTIFY DEVICE */
	if (ata_wait())
		return 0;
	for (int i = 0; i < 256; i++)
		id[i] = inw(ATA);
	return (uint32_t)id[60] | (uint32_t)id[61] << 16; /* LBA28 sectors */
}

int rt_disk_read(uint32_t lba, void *buf)
{
	uint16_t *w = buf;

	ata_cmd(lba, 0x20); /* READ SECTORS */
	if (ata_wait())
		return -1;
	for (int i = 0; i < 256; i++)
		w[i] = inw(ATA);
	return 0;
}

int rt_disk_write(uint32_t lba, const void *buf)
{
	const uint16_t *w = buf;

	ata_cmd(lba, 0x30); /* WRITE SECTORS */
	if (ata_wait())
		return -1;
	for (int i = 0; i < 256; i++)
		outw(ATA, w[i]);
	outb(ATA + 7, 0xe7); /* FLUSH CACHE: on the host's file before power-off */
	while (inb(ATA + 7) & ATA_BSY)
		;
	return inb(ATA + 7) & ATA_ERR ? -1 : 0;
}

/* A freestanding compiler may still call these (C requires no library). */
void *memset(void *d, int c, unsigned n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

void guest_poweroff(void)
{
	outb(0xf4, 0); /* isa-debug-exit: QEMU exits at once */
	for (;;)
		__asm__ volatile("cli; hlt");
}
