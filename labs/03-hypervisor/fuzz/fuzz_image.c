/*
 * fuzz_image: a guest image file into image_parse and image_load (lab 03).
 *
 * The ELF file a user passes to the VMM is untrusted. Checked: an accepted
 * plan keeps the invariant image.h promises (every non-empty segment inside
 * [reserved_end, ram), entry inside a segment, file ranges inside the
 * file), and image_load then writes only inside guest RAM (ASan watches the
 * RAM buffer's edges). The same bytes' length is tried as a flat binary.
 */
#include "fuzz_input.h"
#include "image.h"

#define RAM  (2u << 20)
#define RESV 0x100000u     /* ABI_RESERVED_END */

static uint8_t *ram;

static void check(const struct image_plan *p, size_t len)
{
	int entry_in = 0;

	FUZZ_ASSERT(p->nseg >= 1 && p->nseg <= IMAGE_MAX_SEGS);
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct image_seg *s = &p->seg[i];

		FUZZ_ASSERT(s->filesz <= s->memsz);
		if (s->memsz)   /* an empty PT_LOAD (linkers emit them) loads nothing */
			FUZZ_ASSERT(s->paddr >= RESV && s->memsz <= RAM - s->paddr);
		FUZZ_ASSERT(s->offset <= len && s->filesz <= len - s->offset);
		if (p->entry >= s->paddr && p->entry - s->paddr < s->memsz)
			entry_in = 1;
	}
	FUZZ_ASSERT(entry_in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_plan plan;
	struct image_error err;

	if (!ram && !(ram = malloc(RAM)))
		abort();
	memset(&plan, 0, sizeof(plan));
	if (image_parse(data, size, RAM, RESV, &plan, &err) == 0) {
		check(&plan, size);
		image_load(&plan, data, ram);
	} else {
		FUZZ_ASSERT(err.why != IMAGE_OK && image_why_str(err.why));
	}
	image_check_flat(RESV, size, RAM, RESV, &err);
	return 0;
}
