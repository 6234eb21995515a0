/*
 * image: check and load a 64-bit ELF guest image.
 *
 * A guest image is untrusted input: every header field is checked before it
 * is used, and every sum is checked for wrap-around. Only PT_LOAD program
 * headers matter; the VMM loads each at its physical address (p_paddr),
 * since the guest starts with an identity map where physical = virtual.
 */
#include "image.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

__attribute__((unused)) /* used only by the parts the student writes */
static int fail(struct image_error *err, enum image_why why, unsigned seg,
		uint64_t start, uint64_t end)
{
	if (err) {
		err->why = why;
		err->seg = seg;
		err->start = start;
		err->end = end;
	}
	return -ENOEXEC;
}

/*
 * Stage 03.3 (README "Stage 3 · long mode", step 1): the file header of
 * the len bytes at img. Returns 0, or fail(err, WHY, 0, ...) (-ENOEXEC)
 * for the first of: IMAGE_EMPTY (len 0), IMAGE_NOT_ELF (no \177ELF magic,
 * or shorter than it), IMAGE_TRUNCATED (shorter than an Elf64_Ehdr: [0,
 * sizeof(Elf64_Ehdr))), IMAGE_NOT_X86_64 (not ELFCLASS64, ELFDATA2LSB and
 * EM_X86_64), IMAGE_NOT_EXEC (e_type is not ET_EXEC), IMAGE_TRUNCATED
 * (e_phentsize is not sizeof(Elf64_Phdr), or the e_phnum headers at
 * e_phoff run past the file: [e_phoff, len)). No sum may wrap.
 */
static int check_ehdr(const uint8_t *img, size_t len, struct image_error *err)
{
	/* >>> SOLUTION 03.3: refuse empty, non-ELF, non-x86-64, non-executable, truncated */
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;

	if (len == 0)
		return fail(err, IMAGE_EMPTY, 0, 0, 0);
	if (len < SELFMAG || memcmp(img, ELFMAG, SELFMAG) != 0)
		return fail(err, IMAGE_NOT_ELF, 0, 0, 0);
	if (len < sizeof(*eh))
		return fail(err, IMAGE_TRUNCATED, 0, 0, sizeof(*eh));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return fail(err, IMAGE_NOT_X86_64, 0, 0, 0);
	if (eh->e_type != ET_EXEC)
		return fail(err, IMAGE_NOT_EXEC, 0, 0, 0);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return fail(err, IMAGE_TRUNCATED, 0, eh->e_phoff, len);
	return 0;
	/* === STUB
	(void)img;
	(void)len;
	(void)err;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.3 (README "Stage 3 · long mode", step 1): PT_LOAD header i,
 * copied into ph, against the file (len bytes) and guest RAM. Returns 0,
 * or fail(err, WHY, i, START, END) (-ENOEXEC), the first rule broken:
 *   IMAGE_BAD_SEGMENT  p_filesz > p_memsz, or p_paddr + p_memsz wraps
 *                      [p_paddr, p_paddr + p_memsz)
 *   IMAGE_TRUNCATED    the file bytes [p_offset, p_offset + p_filesz) are
 *                      not all inside the file (compare without a sum
 *                      that can wrap)
 *   IMAGE_OUTSIDE_RAM  p_paddr + p_memsz > ram_size
 *   IMAGE_RESERVED     a segment with bytes (p_memsz > 0) starts below
 *                      reserved_end, on vmm's GDT, page tables and stacks
 * START and END in brackets; the error message prints them.
 */
__attribute__((unused)) /* called from image_parse() */
static int check_seg(const Elf64_Phdr *ph, unsigned i, size_t len,
		     uint64_t ram_size, uint64_t reserved_end,
		     struct image_error *err)
{
	/* >>> SOLUTION 03.3: the four rules in their order, each sum checked for wrap-around */
	uint64_t end = ph->p_paddr + ph->p_memsz;

	if (ph->p_filesz > ph->p_memsz || end < ph->p_paddr)
		return fail(err, IMAGE_BAD_SEGMENT, i, ph->p_paddr, end);
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return fail(err, IMAGE_TRUNCATED, i, ph->p_offset,
			    ph->p_offset + ph->p_filesz);
	if (end > ram_size)
		return fail(err, IMAGE_OUTSIDE_RAM, i, ph->p_paddr, end);
	if (ph->p_memsz && ph->p_paddr < reserved_end)
		return fail(err, IMAGE_RESERVED, i, ph->p_paddr, end);
	return 0;
	/* === STUB
	(void)ph;
	(void)i;
	(void)len;
	(void)ram_size;
	(void)reserved_end;
	(void)err;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.3: segments must not overlap (the later one would overwrite
 * the earlier). Returns 0, or for the first segment i that overlaps an
 * earlier one j < i: fail(err, IMAGE_OVERLAP, i, paddr of i, paddr +
 * memsz of i). [a, a + n) and [b, b + m) overlap when a < b + m and
 * b < a + n.
 * Stage 03.3, README "Stage 3 · long mode".
 */
__attribute__((unused)) /* called from image_parse() */
static int check_overlaps(const struct image_plan *p, struct image_error *err)
{
	/* >>> SOLUTION 03.3: every pair j < i; the first overlap names segment i */
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct image_seg *a = &p->seg[i];

		for (unsigned j = 0; j < i; j++) {
			const struct image_seg *b = &p->seg[j];

			if (a->paddr < b->paddr + b->memsz &&
			    b->paddr < a->paddr + a->memsz)
				return fail(err, IMAGE_OVERLAP, i, a->paddr,
					    a->paddr + a->memsz);
		}
	}
	return 0;
	/* === STUB
	(void)p;
	(void)err;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.3: the entry point p->entry must lie inside a segment,
 * [paddr, paddr + memsz). Returns 0, or fail(err, IMAGE_BAD_ENTRY, 0,
 * entry, entry).
 * Stage 03.3, README "Stage 3 · long mode".
 */
__attribute__((unused)) /* called from image_parse() */
static int check_entry(const struct image_plan *p, struct image_error *err)
{
	/* >>> SOLUTION 03.3: inside one of p->seg[0..nseg), or IMAGE_BAD_ENTRY */
	for (unsigned i = 0; i < p->nseg; i++)
		if (p->entry >= p->seg[i].paddr &&
		    p->entry < p->seg[i].paddr + p->seg[i].memsz)
			return 0;
	return fail(err, IMAGE_BAD_ENTRY, 0, p->entry, p->entry);
	/* === STUB
	(void)p;
	(void)err;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.3 (image.h has the contract). After check_ehdr() and the entry
 * (given): walk the e_phnum program headers at e_phoff, each copied out
 * with memcpy (a file may place them at any offset, unaligned). Skip all
 * but PT_LOAD; more than IMAGE_MAX_SEGS of them is IMAGE_TOO_MANY (seg =
 * the header's index); check each with check_seg() and keep it in
 * plan->seg[plan->nseg++] (paddr, offset, filesz, memsz). None at all is
 * IMAGE_NO_SEGMENT. Then check_overlaps(), then check_entry().
 * Stage 03.3, README "Stage 3 · long mode".
 */
int image_parse(const void *img, size_t len, uint64_t ram_size,
	      uint64_t reserved_end, struct image_plan *plan,
	      struct image_error *err)
{
	int r = check_ehdr(img, len, err);

	if (r)
		return r;
	memset(plan, 0, sizeof(*plan));
	plan->entry = ((const Elf64_Ehdr *)img)->e_entry;
	/* >>> SOLUTION 03.3: each PT_LOAD header checked and kept, then the set checked */
	const Elf64_Ehdr *eh = img;
	const uint8_t *phdrs = (const uint8_t *)img + eh->e_phoff;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph; /* copied: a file may place it at any offset */

		memcpy(&ph, phdrs + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (plan->nseg == IMAGE_MAX_SEGS)
			return fail(err, IMAGE_TOO_MANY, i, 0, 0);
		r = check_seg(&ph, i, len, ram_size, reserved_end, err);
		if (r)
			return r;
		plan->seg[plan->nseg++] = (struct image_seg){
			ph.p_paddr, ph.p_offset, ph.p_filesz, ph.p_memsz};
	}
	if (plan->nseg == 0)
		return fail(err, IMAGE_NO_SEGMENT, 0, 0, 0);
	r = check_overlaps(plan, err);
	return r ? r : check_entry(plan, err);
	/* === STUB
	(void)ram_size;
	(void)reserved_end;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

void image_load(const struct image_plan *plan, const void *img, uint8_t *ram)
{
	for (unsigned i = 0; i < plan->nseg; i++) {
		const struct image_seg *s = &plan->seg[i];

		memcpy(ram + s->paddr, (const uint8_t *)img + s->offset,
		       s->filesz);
		/* .bss: memory the file does not carry starts as zeroes. */
		memset(ram + s->paddr + s->filesz, 0, s->memsz - s->filesz);
	}
}

/*
 * Stage 03.2 (README "Stage 2 · real mode"; image.h has the contract):
 * a flat binary of len bytes at guest-physical addr. Returns 0, or
 * fail(err, WHY, 0, START, END) (-ENOEXEC): IMAGE_EMPTY (len 0),
 * IMAGE_OUTSIDE_RAM [addr, addr + len) when it does not fit below
 * ram_size (no sum that wraps), IMAGE_RESERVED [addr, addr + len) when
 * addr < reserved_end. err may be NULL (fail() allows it).
 */
int image_check_flat(uint64_t addr, size_t len, uint64_t ram_size,
		   uint64_t reserved_end, struct image_error *err)
{
	/* >>> SOLUTION 03.2: the same rules: not empty, inside RAM, above reserved_end */
	if (len == 0)
		return fail(err, IMAGE_EMPTY, 0, 0, 0);
	if (addr > ram_size || len > ram_size - addr)
		return fail(err, IMAGE_OUTSIDE_RAM, 0, addr, addr + len);
	if (addr < reserved_end)
		return fail(err, IMAGE_RESERVED, 0, addr, addr + len);
	return 0;
	/* === STUB
	(void)addr;
	(void)len;
	(void)ram_size;
	(void)reserved_end;
	(void)err;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

int image_place_flat(uint64_t addr, size_t len, uint64_t ram_size,
		     uint64_t reserved_end, uint64_t *area,
		     struct image_error *err)
{
	struct image_error e = {.why = IMAGE_OK};
	int r = image_check_flat(addr, len, ram_size, reserved_end, &e);

	*area = 0;
	if (r && e.why == IMAGE_RESERVED && ram_size >= reserved_end &&
	    image_check_flat(addr, len, ram_size - reserved_end, 0, NULL) == 0) {
		*area = ram_size - reserved_end; /* the top of RAM is free */
		return 0;
	}
	if (r && e.why == IMAGE_RESERVED)
		e = (struct image_error){.why = IMAGE_NO_ROOM, .start = addr,
					 .end = addr + len};
	if (r && err)
		*err = e;
	return r;
}

const char *image_why_str(enum image_why why)
{
	static const char *const s[] = {
		[IMAGE_OK] = "valid",
		[IMAGE_EMPTY] = "the image is empty",
		[IMAGE_NOT_ELF] = "not an ELF file (no \\177ELF magic)",
		[IMAGE_NOT_X86_64] = "not a 64-bit little-endian x86-64 ELF",
		[IMAGE_NOT_EXEC] = "not an executable (ET_EXEC) ELF",
		[IMAGE_TRUNCATED] = "truncated: a header or segment lies past the end of the file",
		[IMAGE_BAD_SEGMENT] = "malformed segment (file size > memory size, or address wraps)",
		[IMAGE_NO_SEGMENT] = "no loadable (PT_LOAD) segment",
		[IMAGE_TOO_MANY] = "too many loadable segments",
		[IMAGE_OUTSIDE_RAM] = "the image does not fit in guest RAM",
		[IMAGE_RESERVED] = "the image overlaps the VMM's own structures (GDT, page tables, stack)",
		[IMAGE_OVERLAP] = "two segments overlap",
		[IMAGE_BAD_ENTRY] = "the entry point is in no segment",
		[IMAGE_NO_ROOM] = "the image and vmm's own area (GDT, page"
				  " tables, stacks) do not both fit in guest RAM",
	};

	if ((unsigned)why >= sizeof(s) / sizeof(s[0]) || !s[why])
		return "unknown ELF error";
	return s[why];
}
