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

/*
 * Stage 03.3 (README "Stage 3 · long mode", step 2): the 64-bit code
 * segment: flat(selector, type) with type 0xb (execute/read, accessed),
 * L = 1 and D/B = 0 (L=1 with D/B=0 is what "64-bit code" means; D/B=1
 * there is reserved). Encoded by gdt_encode(), it is 0x00af9b000000ffff.
 */
struct kvm_segment gdt_code64(uint16_t selector)
{
	/* >>> SOLUTION 03.3: flat, type 0xb (execute/read, accessed); L=1 and D/B=0 mean 64-bit code */
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

/*
 * Stage 03.3 (step 2): the 8-byte descriptor of s, as the CPU reads it
 * from the GDT. Bits: 15:0 limit 15:0; 39:16 base 23:0; 43:40 type;
 * 44 S; 46:45 DPL; 47 P; 51:48 limit 19:16; 52 AVL; 53 L; 54 D/B; 55 G;
 * 63:56 base 31:24. With G = 1 the limit is counted in 4 KiB pages: store
 * limit >> 12. Each field masked to its width.
 * Stage 03.3, README "Stage 3 · long mode".
 */
uint64_t gdt_encode(const struct kvm_segment *s)
{
	/* >>> SOLUTION 03.3: limit, base, type, S, DPL, P, AVL, L, D/B, G at their bits */
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
