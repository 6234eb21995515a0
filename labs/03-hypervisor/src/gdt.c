/*
 * gdt: segment descriptors for the long-mode guest.
 *
 * In 64-bit mode the CPU ignores base and limit of code and data segments,
 * but it still checks the descriptor: present, the type, and for CS the
 * L and D/B bits that select 64-bit code. Limits are given in pages (G=1).
 */
#include "gdt.h"
#include "vmlab_abi.h"

#include <string.h>

static struct kvm_segment flat(uint16_t selector, uint8_t type)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.dpl = 0,
		.s = 1, /* a code or data segment, not a system one */
		.g = 1, /* limit counted in 4 KiB pages */
	};
}

struct kvm_segment gdt_code64(uint16_t selector)
{
	/* >>> SOLUTION 03.3: execute/read, accessed; L=1 and D/B=0 mean 64-bit code */
	struct kvm_segment s = flat(selector, 0xb);

	s.l = 1;
	s.db = 0;
	return s;
	/* === STUB
	return flat(selector, 0);
	*/
	/* <<< SOLUTION */
}

struct kvm_segment gdt_data(uint16_t selector)
{
	struct kvm_segment s = flat(selector, 0x3); /* read/write, accessed */

	s.db = 1;
	return s;
}

uint64_t gdt_encode(const struct kvm_segment *s)
{
	/* >>> SOLUTION 03.3: pack limit, base, access byte and flags into 8 bytes */
	uint32_t limit = s->g ? s->limit >> 12 : s->limit;
	uint64_t d = 0;

	d |= limit & 0xffffULL;                         /* limit 15:0 */
	d |= (s->base & 0xffffffULL) << 16;             /* base 23:0 */
	d |= (uint64_t)(s->type & 0xf) << 40;           /* access: type */
	d |= (uint64_t)(s->s & 1) << 44;                /* S: code/data */
	d |= (uint64_t)(s->dpl & 3) << 45;              /* DPL */
	d |= (uint64_t)(s->present & 1) << 47;          /* P */
	d |= (uint64_t)((limit >> 16) & 0xf) << 48;     /* limit 19:16 */
	d |= (uint64_t)(s->avl & 1) << 52;
	d |= (uint64_t)(s->l & 1) << 53;                /* L: 64-bit code */
	d |= (uint64_t)(s->db & 1) << 54;               /* D/B */
	d |= (uint64_t)(s->g & 1) << 55;                /* G: 4 KiB units */
	d |= ((s->base >> 24) & 0xffULL) << 56;         /* base 31:24 */
	return d;
	/* === STUB
	(void)s;
	return 0;
	*/
	/* <<< SOLUTION */
}

void gdt_build(uint8_t *ram, uint64_t at)
{
	struct kvm_segment code = gdt_code64(ABI_SEL_CODE);
	struct kvm_segment data = gdt_data(ABI_SEL_DATA);
	uint64_t gdt[3] = {0, gdt_encode(&code), gdt_encode(&data)};

	memcpy(ram + at, gdt, sizeof(gdt));
}
