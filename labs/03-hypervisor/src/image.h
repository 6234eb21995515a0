/*
 * image: check and load a 64-bit ELF guest image (and check flat images).
 *
 *   image_parse()   validate the headers against guest RAM, fill a plan
 *   image_load()    copy the planned segments into guest RAM, zero the rest
 *   image_check_flat()  the same placement rules for a flat binary
 *
 * Nothing here touches KVM: the image is checked before any VM exists, so
 * a bad image is refused with a precise reason even on a machine without
 * /dev/kvm. Invariant: a plan that image_parse() accepted has every segment
 * inside [reserved_end, ram_size), none overlapping another, and every file
 * range inside the image.
 */
#ifndef VMM_IMAGE_H
#define VMM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX_SEGS 16

enum image_why {
	IMAGE_OK = 0,
	IMAGE_EMPTY,        /* zero bytes */
	IMAGE_NOT_ELF,      /* no \177ELF magic */
	IMAGE_NOT_X86_64,   /* not ELFCLASS64, little-endian, EM_X86_64 */
	IMAGE_NOT_EXEC,     /* not ET_EXEC (a guest is not relocatable) */
	IMAGE_TRUNCATED,    /* a header or a segment lies past the end of the file */
	IMAGE_BAD_SEGMENT,  /* filesz > memsz, or an address that wraps */
	IMAGE_NO_SEGMENT,   /* no PT_LOAD segment */
	IMAGE_TOO_MANY,     /* more than IMAGE_MAX_SEGS PT_LOAD segments */
	IMAGE_OUTSIDE_RAM,  /* a segment ends past guest RAM */
	IMAGE_RESERVED,     /* a segment overlaps the VMM's own structures */
	IMAGE_OVERLAP,      /* two segments overlap */
	IMAGE_BAD_ENTRY,    /* the entry point is in no segment */
	IMAGE_NO_ROOM,      /* a flat image leaves vmm's area no room at all */
};

struct image_seg {
	uint64_t paddr;   /* guest-physical load address */
	uint64_t offset;  /* where the bytes are in the file */
	uint64_t filesz;  /* bytes copied from the file */
	uint64_t memsz;   /* bytes in memory: the rest is zeroed (.bss) */
};

struct image_plan {
	uint64_t entry;
	unsigned nseg;
	struct image_seg seg[IMAGE_MAX_SEGS];
};

/* Why an image was refused: which segment, and the range at fault. */
struct image_error {
	enum image_why why;
	unsigned seg;          /* index of the program header at fault */
	uint64_t start, end;   /* the guest-physical range at fault */
};

/*
 * Checks the ELF image img (len bytes) for a VM with ram_size bytes of RAM
 * whose first reserved_end bytes belong to the VMM. Returns 0 and fills plan,
 * or -ENOEXEC (err says why). err may be NULL.
 */
int image_parse(const void *img, size_t len, uint64_t ram_size,
	      uint64_t reserved_end, struct image_plan *plan,
	      struct image_error *err);

/* Copies plan's segments from img into ram (ram_size bytes, checked). */
void image_load(const struct image_plan *plan, const void *img, uint8_t *ram);

/*
 * The placement rules for a flat binary of len bytes at addr: 0 when it
 * fits, -ENOEXEC otherwise (err says why).
 */
int image_check_flat(uint64_t addr, size_t len, uint64_t ram_size,
		   uint64_t reserved_end, struct image_error *err);

/*
 * Where a flat binary of len bytes at addr goes, and vmm's own area of
 * reserved_end bytes (GDT, page tables, stacks; 0 in real mode) with it:
 * the area stays at guest-physical 0 unless the image is there, as in the
 * classic minimal KVM examples (loaded at 0, entry 0); then it moves to
 * the top of RAM. Returns 0 and *area (its base), or -ENOEXEC: the image
 * is not in RAM, or it overlaps both places (IMAGE_NO_ROOM, the image's
 * range in err).
 */
int image_place_flat(uint64_t addr, size_t len, uint64_t ram_size,
		     uint64_t reserved_end, uint64_t *area,
		     struct image_error *err);

/* A short English phrase for why ("segment overlaps another"). */
const char *image_why_str(enum image_why why);

#endif /* VMM_IMAGE_H */
