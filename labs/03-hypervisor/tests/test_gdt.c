/*
 * test_gdt: segment descriptors, checked against the values every x86-64
 * boot loader uses (0x00af9b000000ffff for 64-bit code).
 */
#include "graded.h"
#include "gdt.h"
#include "vmlab_abi.h"

#include <string.h>

GRADED(gdt, code64_descriptor, 2, "03.3 long mode", 5)
{
	struct kvm_segment cs = gdt_code64(ABI_SEL_CODE);

	cr_assert_eq(cs.l, 1);
	cr_assert_eq(cs.db, 0);
	cr_assert_eq(cs.selector, ABI_SEL_CODE);
	cr_assert_eq(gdt_encode(&cs), 0x00af9b000000ffffULL, "got 0x%016llx",
		     (unsigned long long)gdt_encode(&cs));
}

GRADED(gdt, data_descriptor, 1, "03.3 long mode", 5)
{
	struct kvm_segment ds = gdt_data(ABI_SEL_DATA);

	cr_assert_eq(gdt_encode(&ds), 0x00cf93000000ffffULL, "got 0x%016llx",
		     (unsigned long long)gdt_encode(&ds));
}

GRADED(gdt, base_and_byte_limit, 1, "03.3 long mode", 5)
{
	struct kvm_segment s = {.base = 0x12345678, .limit = 0xabcde,
				.type = 0x3, .s = 1, .present = 1, .dpl = 3};

	cr_assert_eq(gdt_encode(&s), 0x120af3345678bcdeULL, "got 0x%016llx",
		     (unsigned long long)gdt_encode(&s));
}

GRADED(gdt, table_in_guest_memory, 1, "03.3 long mode", 5)
{
	static uint8_t ram[0x2000];
	uint64_t e[3];

	gdt_build(ram, ABI_GDT);
	memcpy(e, ram + ABI_GDT, sizeof(e));
	cr_assert_eq(e[0], 0, "entry 0 is the null descriptor");
	cr_assert_eq(e[ABI_SEL_CODE / 8], 0x00af9b000000ffffULL);
	cr_assert_eq(e[ABI_SEL_DATA / 8], 0x00cf93000000ffffULL);
	cr_assert_eq(GDT_LIMIT, 23);
}
