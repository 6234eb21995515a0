/*
 * test_image: the ELF loader's checks, on images built in memory.
 *
 * Each case starts from a valid two-segment image (code at 1 MiB, data
 * plus .bss after it) and breaks one thing.
 */
#include "graded.h"
#include "image.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#define MIB (1ULL << 20)

struct img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	uint8_t code[64];
	uint8_t data[64];
};

static struct img valid(void)
{
	struct img m;

	memset(&m, 0, sizeof(m));
	memcpy(m.eh.e_ident, ELFMAG, SELFMAG);
	m.eh.e_ident[EI_CLASS] = ELFCLASS64;
	m.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m.eh.e_ident[EI_VERSION] = EV_CURRENT;
	m.eh.e_type = ET_EXEC;
	m.eh.e_machine = EM_X86_64;
	m.eh.e_entry = MIB;
	m.eh.e_phoff = offsetof(struct img, ph);
	m.eh.e_phentsize = sizeof(Elf64_Phdr);
	m.eh.e_phnum = 3;
	m.ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_offset = offsetof(struct img, code),
			       .p_paddr = MIB, .p_filesz = 64, .p_memsz = 64};
	m.ph[1] = (Elf64_Phdr){.p_type = PT_NOTE}; /* not loaded: ignored */
	m.ph[2] = (Elf64_Phdr){.p_type = PT_LOAD, .p_offset = offsetof(struct img, data),
			       .p_paddr = MIB + 4096, .p_filesz = 64, .p_memsz = 4096};
	memset(m.code, 0xf4, sizeof(m.code));
	memset(m.data, 0xaa, sizeof(m.data));
	return m;
}

static int parse(const struct img *m, size_t len, struct image_error *e)
{
	struct image_plan p;

	return image_parse(m, len, 16 * MIB, MIB, &p, e);
}

GRADED(image, valid_image_is_planned_and_loaded, 2, "03.3 long mode", 5)
{
	struct img m = valid();
	struct image_plan p;
	struct image_error e;
	static uint8_t ram[2 * MIB];

	cr_assert_eq(image_parse(&m, sizeof(m), sizeof(ram), MIB, &p, &e), 0,
		     "%s", image_why_str(e.why));
	cr_assert_eq(p.nseg, 2);
	cr_assert_eq(p.entry, MIB);
	cr_assert_eq(p.seg[1].paddr, MIB + 4096);
	cr_assert_eq(p.seg[1].memsz, 4096);
	memset(ram, 0x55, sizeof(ram));
	image_load(&p, &m, ram);
	cr_assert_eq(ram[MIB], 0xf4);
	cr_assert_eq(ram[MIB + 4096 + 63], 0xaa);
	cr_assert_eq(ram[MIB + 4096 + 64], 0, ".bss is zeroed");
	cr_assert_eq(ram[MIB + 8191], 0, ".bss is zeroed to its end");
	cr_assert_eq(ram[MIB + 8192], 0x55, "nothing past the segment");
}

GRADED(image, empty_and_not_elf, 1, "03.3 long mode", 5)
{
	struct img m = valid();
	struct image_error e;

	cr_assert_eq(parse(&m, 0, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_EMPTY);
	m.eh.e_ident[1] = 'X';
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_NOT_ELF);
	m = valid();
	m.eh.e_machine = EM_AARCH64;
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_NOT_X86_64);
}

GRADED(image, truncated, 2, "03.3 long mode", 5)
{
	struct img m = valid();
	struct image_error e;

	/* Cut inside the file header, inside the program headers, inside data. */
	cr_assert_eq(parse(&m, sizeof(Elf64_Ehdr) - 1, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_TRUNCATED);
	cr_assert_eq(parse(&m, offsetof(struct img, ph) + 10, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_TRUNCATED);
	cr_assert_eq(parse(&m, offsetof(struct img, data) + 10, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_TRUNCATED);
	cr_assert_eq(e.seg, 2);
	/* A file offset that wraps around. */
	m.ph[2].p_offset = UINT64_MAX - 8;
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_TRUNCATED);
}

GRADED(image, overlapping_segments, 2, "03.3 long mode", 5)
{
	struct img m = valid();
	struct image_error e;

	m.ph[2].p_paddr = MIB + 32; /* inside segment 0 */
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_OVERLAP);
	m.ph[2].p_paddr = MIB + 64; /* right after it: fine */
	cr_assert_eq(parse(&m, sizeof(m), &e), 0);
}

GRADED(image, outside_ram, 2, "03.3 long mode", 5)
{
	struct img m = valid();
	struct image_error e;

	m.ph[2].p_memsz = 15 * MIB; /* ends 4 KiB past 16 MiB */
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_OUTSIDE_RAM);
	cr_assert_eq(e.end, 16 * MIB + 4096);
	m.ph[2].p_memsz = 15 * MIB - 4096; /* ends exactly at 16 MiB */
	cr_assert_eq(parse(&m, sizeof(m), &e), 0);
	m.ph[2].p_paddr = UINT64_MAX - 100; /* wraps around */
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_BAD_SEGMENT);
}

GRADED(image, vmm_area_and_bad_fields, 2, "03.3 long mode", 5)
{
	struct img m = valid();
	struct image_error e;

	m.ph[0].p_paddr = 0x8000; /* the VMM's page tables live there */
	m.eh.e_entry = 0x8000;
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_RESERVED);
	m = valid();
	m.ph[0].p_filesz = 128; /* more in the file than in memory */
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_BAD_SEGMENT);
	m = valid();
	m.eh.e_entry = 0x900000; /* in no segment */
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_BAD_ENTRY);
	m = valid();
	m.ph[0].p_type = m.ph[2].p_type = PT_NULL;
	cr_assert_eq(parse(&m, sizeof(m), &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_NO_SEGMENT);
}

GRADED(image, flat_placement, 1, "03.2 real mode", 5)
{
	struct image_error e;

	cr_assert_eq(image_check_flat(MIB, 100, 2 * MIB, MIB, &e), 0);
	cr_assert_eq(image_check_flat(MIB, MIB + 1, 2 * MIB, MIB, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_OUTSIDE_RAM);
	cr_assert_eq(image_check_flat(0x7c00, 100, 2 * MIB, MIB, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_RESERVED);
	cr_assert_eq(image_check_flat(0x7c00, 100, 2 * MIB, 0, &e), 0,
		     "real mode reserves nothing");
	cr_assert_eq(image_check_flat(MIB, 0, 2 * MIB, MIB, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_EMPTY);
}

/* vmm's area moves to the top of RAM when a flat image lies below 1 MiB. */
GRADED(image, flat_image_at_zero_moves_vmm_area, 0, "03.3 long mode", 5)
{
	struct image_error e;
	uint64_t area = 1;

	cr_assert_eq(image_place_flat(MIB, 100, 4 * MIB, MIB, &area, &e), 0);
	cr_assert_eq(area, 0, "above 1 MiB: the area stays at 0");
	cr_assert_eq(image_place_flat(0, 100, 4 * MIB, MIB, &area, &e), 0);
	cr_assert_eq(area, 3 * MIB, "at 0: the area is the top 1 MiB of RAM");
	cr_assert_eq(image_place_flat(0x7c00, MIB, 3 * MIB, MIB, &area, &e), 0);
	cr_assert_eq(area, 2 * MIB);
	cr_assert_eq(image_place_flat(0, MIB + 1, 2 * MIB, MIB, &area, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_NO_ROOM);
	cr_assert_eq(image_place_flat(0, 3 * MIB, 2 * MIB, MIB, &area, &e), -ENOEXEC);
	cr_assert_eq(e.why, IMAGE_OUTSIDE_RAM, "bigger than RAM: that message");
	cr_assert_eq(image_place_flat(0x7c00, 100, MIB, 0, &area, &e), 0, "real mode");
	cr_assert_eq(area, 0);
}
