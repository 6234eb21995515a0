/*
 * guestgen: guest programs for the guest fuzzer (guestfuzz.c), from a seed.
 *
 *   gen_input()    one seed -> one guest: its code, its mode and vmm's flags
 *   gen_kind_name()
 *
 * Pure and deterministic: the same seed always gives the same bytes, so a
 * finding is reproduced by its seed alone (guestfuzz --one SEED). Half of
 * the kinds are random bytes (what a CPU makes of garbage); the others are
 * small machine-code programs that aim at the VMM's own code: ucalls and
 * disk requests with random fields, port I/O with random sizes and counts,
 * loads and stores past RAM, and a valid start followed by garbage.
 */
#ifndef VMM_FUZZ_GUESTGEN_H
#define VMM_FUZZ_GUESTGEN_H

#include <stddef.h>
#include <stdint.h>

#define GEN_MAX   4096    /* bytes of guest image */
#define GEN_DATA  0x800   /* offset of the data area in a structured image */

enum gen_kind {
	GEN_REAL_RANDOM,   /* random bytes as 16-bit real-mode code */
	GEN_LONG_RANDOM,   /* random bytes as 64-bit code */
	GEN_REAL_PORTS,    /* real mode: in/out, rep ins/outs on vmm's ports */
	GEN_LONG_PORTS,    /* long mode: the same */
	GEN_REAL_UCALL,    /* real mode: ucalls with random fields */
	GEN_LONG_UCALL,    /* long mode: ucalls with random fields */
	GEN_LONG_BLK,      /* long mode: disk requests with random fields */
	GEN_LONG_MMIO,     /* long mode: loads, stores, jumps past RAM */
	GEN_REAL_MMIO,     /* real mode: the same, above 1 MiB */
	GEN_LONG_PROLOGUE, /* the runtime's HELLO and a print, then garbage */
	GEN_KINDS
};

struct gen_input {
	uint64_t seed;
	enum gen_kind kind;
	int real;          /* --mode real */
	uint64_t mem;      /* --mem, bytes */
	uint64_t addr;     /* --flat FILE@addr, also the entry point */
	unsigned cpus;     /* --cpus */
	int disk, disk_ro; /* --disk FILE[,ro] */
	int trace, stats;  /* --trace=4, --stats [--json] */
	int json;
	int mutated;       /* some bytes flipped after generation */
	size_t len;
	uint8_t code[GEN_MAX];
};

/* Fills *in from seed. Always succeeds. */
void gen_input(uint64_t seed, struct gen_input *in);

/* "long-ucall" for GEN_LONG_UCALL. */
const char *gen_kind_name(enum gen_kind k);

/* splitmix64: the next value of the stream *state (also mixes seeds). */
uint64_t gen_next(uint64_t *state);

#endif /* VMM_FUZZ_GUESTGEN_H */
