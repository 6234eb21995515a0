/*
 * idt.c: the interrupt descriptor table of a vmlab guest.
 *
 * Without an IDT, the first exception cannot be delivered, that failure is
 * a double fault, which cannot be delivered either: a triple fault, and
 * the VMM learns only "KVM_EXIT_SHUTDOWN" with the registers already reset.
 * With this table every exception reaches guest_exception(), which tells
 * the VMM the vector, the faulting RIP and CR2 (the address of a page
 * fault) in a ucall, while the machine state is still intact.
 */
#include "guest.h"
#include "runtime.h"
#include "vmlab_abi.h"

/* A 64-bit interrupt gate (Intel SDM vol. 3, 6.14.1): 16 bytes. */
struct gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;    /* P=1, DPL=0, type 0xE: interrupt gate */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

struct frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

extern const uint64_t guest_vectors[32];
static struct gate idt[32];

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uintptr_t)idt};

	for (int i = 0; i < 32; i++) {
		uint64_t a = guest_vectors[i];

		idt[i] = (struct gate){(uint16_t)a, ABI_SEL_CODE, 0, 0x8e,
				       (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

__attribute__((noreturn)) void guest_exception(const struct frame *f);

void guest_exception(const struct frame *f)
{
	struct ucall uc = {.cmd = UCALL_EXCEPTION};
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	uc.args[0] = f->vector;
	uc.args[1] = f->rip;
	uc.args[2] = cr2;
	uc.args[3] = f->error;
	ucall(&uc);
	for (;;)
		__asm__ volatile("cli; hlt");
}
