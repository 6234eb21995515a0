/*
 * hostile.c: a guest that hands the VMM addresses outside its own RAM,
 * one way per build (-DCASE=name, build/guest/bad/hostile-NAME.elf).
 *
 * Every address a guest gives the VMM (the ucall struct, a print buffer,
 * an assertion's strings, a disk request and its buffer) is a number the
 * guest chose. A VMM that follows one without checking it against guest
 * RAM reads or writes its own memory: here far past RAM, wrapping past
 * 2^64, or starting inside RAM with its length running past the end.
 * vmm must refuse each: a malformed ucall (exit 81), or a disk status
 * BLK_S_BADBUF (3), which this guest returns as its exit code.
 */
#include "guest.h"
#include "runtime.h"

#define FAR  0xffffffff00000000ULL  /* no RAM, nor any sum with it */
#define WRAP (~0ULL - 7)            /* + 8 wraps around to 0 */

static void port_out(uint16_t port, uint32_t gpa)
{
	__asm__ volatile("outl %0, %1" : : "a"(gpa), "Nd"(port) : "memory");
}

/* The first 8 bytes of a struct in RAM's last 8: the rest is past it. */
static void straddle(uint16_t port, uint32_t first, uint32_t second)
{
	volatile uint32_t *tail = (volatile uint32_t *)(guest_ram_size() - 8);

	tail[0] = first;
	tail[1] = second;
	port_out(port, (uint32_t)(uintptr_t)tail);
}

static void print_from(uint64_t buf, uint32_t len)
{
	struct ucall uc = {.cmd = UCALL_PRINT, .len = len, .buf = buf};

	ucall(&uc);
}

static void assert_with(uint64_t file, uint64_t expr)
{
	struct ucall uc = {.cmd = UCALL_ASSERT, .args = {9, file, expr}};

	ucall(&uc);
}

static int read_into(uint64_t buf)
{
	struct blk_req r = {BLK_READ, BLK_S_PENDING, 0, 1, buf};

	port_out(ABI_BLK_PORT, (uint32_t)(uintptr_t)&r);
	return (int)*(volatile uint32_t *)&r.status;
}

/* The last n bytes of RAM, none of them NUL: a string with no end. */
static uint64_t unterminated_tail(uint64_t n)
{
	uint64_t at = guest_ram_size() - n;

	for (uint64_t i = 0; i < n; i++)
		((volatile char *)at)[i] = 'A';
	return at;
}

int main(void)
{
	static const char file[] = "hostile.c";
	uint64_t ram = guest_ram_size();

	guest_printf("hostile guest: " CASE "\n");
#define IS(name) (__builtin_strcmp(CASE, name) == 0)
	if (IS("ucall-far"))
		port_out(ABI_UCALL_PORT, 0xfffff000u);
	else if (IS("ucall-edge")) /* starts in RAM, ends 48 bytes past it */
		straddle(ABI_UCALL_PORT, UCALL_PRINT, 4);
	else if (IS("print-far"))
		print_from(FAR, 16);
	else if (IS("print-wrap"))
		print_from(WRAP, 16);
	else if (IS("print-edge"))
		print_from(ram - 8, 16);
	else if (IS("assert-far"))
		assert_with(FAR, (uintptr_t)file);
	else if (IS("assert-edge"))
		assert_with((uintptr_t)file, unterminated_tail(64));
	else if (IS("blk-req-far"))
		port_out(ABI_BLK_PORT, 0xfffff000u);
	else if (IS("blk-req-edge"))
		straddle(ABI_BLK_PORT, BLK_READ, BLK_S_PENDING);
	else if (IS("blk-buf-far"))
		return read_into(FAR);
	else if (IS("blk-buf-wrap"))
		return read_into(~0ULL - 255);
	/* Refused, the VM stopped: never here. */
	guest_printf("hostile guest: vmm followed the address\n");
	return 60;
}
