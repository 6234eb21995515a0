/*
 * cli: vmm's command line, parsed into a struct (no I/O, no exit).
 *
 *   vmm probe [--json]
 *   vmm run [--mem SIZE] [--mode long|real] [--cpus N] [--timeout S] [--trace[=N]]
 *           [--stats [--json]] [--disk FILE[:OFFSET:SIZE][,ro]]
 *           (GUEST.elf | --flat FILE@ADDR [--entry ADDR])
 *   vmm run [--mem SIZE] [--cpus N] [--timeout S] --kernel bzImage
 *           [--initrd FILE] [--cmdline TEXT]        (the Linux challenge)
 *   vmm run-many [--timeout S] CONFIG   (the config's format: many.h)
 *   vmm help
 *
 * Invariant after a successful cli_parse(): exactly one of image, flat and
 * kernel is set for run; real mode comes with a flat binary and one vCPU;
 * a kernel comes with mode VM_MODE_LINUX.
 */
#ifndef VMM_CLI_H
#define VMM_CLI_H

#include "blk.h"
#include "vm.h"

#include <stddef.h>
#include <stdint.h>

enum cli_cmd { CLI_HELP, CLI_PROBE, CLI_RUN, CLI_RUN_MANY };

#define CLI_DEFAULT_MEM (64ULL << 20)
#define CLI_DEFAULT_TRACE 16

struct cli {
	enum cli_cmd cmd;
	const char *image;   /* ELF64 guest, or NULL */
	const char *flat;    /* flat binary's path (flat_path), or NULL */
	char flat_path[4096];
	uint64_t flat_addr;  /* where the flat binary goes */
	uint64_t entry;      /* --entry, else flat_addr */
	uint64_t mem;        /* --mem, bytes */
	enum vm_mode mode;   /* --mode */
	double timeout;      /* --timeout seconds, 0: none */
	unsigned trace;      /* --trace[=N], 0: off */
	int stats, json;
	unsigned cpus;       /* --cpus */
	const char *kernel;  /* --kernel bzImage, or NULL */
	const char *initrd;  /* --initrd, or NULL */
	const char *cmdline; /* --cmdline, or NULL: the default */
	int has_disk;        /* --disk given: disk is filled */
	struct blk_spec disk;
};

/*
 * Parses argv. Returns 0 and fills c, or -EINVAL with a one-line message
 * in err->msg (it may name the flag: this is main's side).
 */
int cli_parse(int argc, char **argv, struct cli *c, struct vmlab_err *err);

/*
 * Parses a size: a number with an optional K, M or G suffix (powers of
 * 1024), "64M". Returns 0, or -EINVAL.
 */
int cli_size(const char *s, uint64_t *out);

/* Parses a number in C syntax (0x100000, 4096). Returns 0, or -EINVAL. */
int cli_number(const char *s, uint64_t *out);

#endif /* VMM_CLI_H */
