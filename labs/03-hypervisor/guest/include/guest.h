/*
 * guest.h: the runtime every 64-bit vmlab guest links (guest/lib/).
 *
 *   guest_printf()    formatted text to the VMM's console
 *   guest_exit()      end the VM; vmm exits with code (0-63)
 *   GUEST_ASSERT()    on failure the VMM reports file, line and expression
 *   guest_ram_size(), guest_vcpu_count(), guest_disk_size()
 *                     what the VMM says this machine has
 *
 * A guest defines `int main(void)`; the runtime's _start installs an IDT
 * (so a CPU exception is reported with its vector, RIP and CR2 instead of
 * becoming a silent triple fault), tells the VMM it is up, calls main and
 * passes its return value to guest_exit(). With several vCPUs every vCPU
 * runs main (guest_cpu_id() tells them apart); vCPU 0's return ends the
 * VM, another's ends only that vCPU. Every call is a "ucall": one
 * `out` to a port, which exits to the VMM (include/vmlab_abi.h).
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

int main(void);

/* printf's %d %i %u %x %X %p %s %c %%, with l/ll/z and a width (%08lx). */
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int guest_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

__attribute__((noreturn)) void guest_exit(int code);

__attribute__((noreturn)) void guest_assert_fail(const char *file, int line,
						 const char *expr);
#define GUEST_ASSERT(expr)                                             \
	do {                                                           \
		if (!(expr))                                           \
			guest_assert_fail(__FILE__, __LINE__, #expr);  \
	} while (0)

/*
 * The disk (stage 5): count sectors of 512 bytes from sector into buf (read)
 * or from buf (write); flush makes earlier writes durable on the host.
 * Each returns the VMM's enum blk_status: 0 is BLK_S_OK.
 */
int guest_disk_read(uint64_t sector, uint64_t count, void *buf);
int guest_disk_write(uint64_t sector, uint64_t count, const void *buf);
int guest_disk_flush(void);

uint64_t guest_ram_size(void);
uint64_t guest_vcpu_count(void);
uint64_t guest_disk_size(void);
/* This vCPU's number, 0 to guest_vcpu_count() - 1. */
unsigned guest_cpu_id(void);

/* Port I/O, for guests that talk to devices themselves. */
static inline void guest_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t guest_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif /* GUEST_GUEST_H */
