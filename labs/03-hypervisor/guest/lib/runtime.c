/*
 * runtime.c: the guest side of the ucall protocol, and _start's C half.
 */
#include "guest.h"
#include "runtime.h"

__attribute__((noreturn)) void guest_start(void);

void guest_start(void)
{
	struct ucall hello = {.cmd = UCALL_HELLO, .args = {ABI_VERSION}};

	struct ucall park = {.cmd = UCALL_PARK};
	int r;

	idt_init();
	ucall(&hello);
	r = main();
	if (guest_cpu_id() == 0)
		guest_exit(r);
	ucall(&park); /* another vCPU: done, the VM goes on */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_exit(int code)
{
	struct ucall uc = {.cmd = UCALL_EXIT, .args = {(uint64_t)code}};

	ucall(&uc);
	for (;;) /* the VMM does not resume a guest that exited */
		__asm__ volatile("cli; hlt");
}

void guest_assert_fail(const char *file, int line, const char *expr)
{
	struct ucall uc = {.cmd = UCALL_ASSERT,
			   .args = {(uint64_t)line, (uintptr_t)file,
				    (uintptr_t)expr}};

	ucall(&uc);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	struct ucall uc = {.cmd = UCALL_PRINT, .buf = (uintptr_t)buf};
	int n;

	va_start(ap, fmt);
	n = guest_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	uc.len = n < (int)sizeof(buf) ? (uint32_t)n : sizeof(buf) - 1;
	ucall(&uc);
}

static uint64_t query(enum ucall_query q)
{
	struct ucall uc = {.cmd = UCALL_QUERY, .args = {q}};

	ucall(&uc);
	return *(volatile uint64_t *)&uc.ret; /* written by the VMM */
}

uint64_t guest_ram_size(void)
{
	return query(UCALL_Q_RAM_SIZE);
}

uint64_t guest_vcpu_count(void)
{
	return query(UCALL_Q_VCPUS);
}

unsigned guest_cpu_id(void)
{
	return (unsigned)query(UCALL_Q_CPU_ID);
}

uint64_t guest_disk_size(void)
{
	return query(UCALL_Q_DISK_SIZE);
}

/* One disk request: the doorbell `out` exits; the VMM fills .status. */
static int disk(uint32_t op, uint64_t sector, uint64_t count, uint64_t buf)
{
	struct blk_req r = {op, BLK_S_PENDING, sector, count, buf};
	uint32_t gpa = (uint32_t)(uintptr_t)&r;

	__asm__ volatile("outl %0, %1"
			 : : "a"(gpa), "Nd"((uint16_t)ABI_BLK_PORT)
			 : "memory");
	return (int)*(volatile uint32_t *)&r.status;
}

int guest_disk_read(uint64_t sector, uint64_t count, void *buf)
{
	return disk(BLK_READ, sector, count, (uintptr_t)buf);
}

int guest_disk_write(uint64_t sector, uint64_t count, const void *buf)
{
	return disk(BLK_WRITE, sector, count, (uintptr_t)buf);
}

int guest_disk_flush(void)
{
	return disk(BLK_FLUSH, 0, 0, 0);
}
