/*
 * hi_host: everything hostinfo knows about one machine, section by section.
 *
 *   hi_sections_parse("cpu,mem", &mask, &err)   a list of section names
 *   hi_host_read(root, mask, sample_s, h, ds)
 *
 * Each section is read independently: a broken meminfo leaves the CPU
 * section intact. h->ok says which sections were read without a problem.
 */
#ifndef HI_HOST_H
#define HI_HOST_H

#include "hi_cpu.h"
#include "hi_mem.h"
#include "hi_net.h"
#include "hi_os.h"
#include "hi_storage.h"
#include "hi_util.h"
#include "hi_numa.h"
#include "hi_virt.h"
#include "vmlab_err.h"

struct hi_diags;

enum {
	HI_SEC_OS = 1 << 0,
	HI_SEC_CPU = 1 << 1,
	HI_SEC_MEM = 1 << 2,
	HI_SEC_STORAGE = 1 << 3,
	HI_SEC_NET = 1 << 4,
	HI_SEC_VIRT = 1 << 5,
	HI_SEC_UTIL = 1 << 6,     /* only with a sample */
	HI_SEC_ALL = (1 << 7) - 1,
};

struct hi_host {
	const char *root;
	int live;                 /* root is this machine */
	unsigned sections;        /* what was asked for */
	unsigned ok;              /* what was read without a problem */
	int err;                  /* the first error met, or 0 */
	struct hi_os os;
	struct hi_cpu cpu;
	struct hi_numa numa;      /* read with the cpu section */
	struct hi_mem mem;
	struct hi_storage storage;
	struct hi_net net;
	struct hi_virt virt;
	struct hi_sample sample;
};

/* The name of one section bit ("cpu"), or NULL. */
const char *hi_section_name(unsigned bit);

/*
 * Parses a comma-separated list of section names (os, cpu, mem, storage,
 * net, virt, util) into a mask. Returns 0, or -EINVAL for an unknown or
 * empty name; err (may be NULL) then says which, and which names are known:
 * "unknown section 'disk' (known: os,cpu,mem,storage,net,virt,util)".
 */
int hi_sections_parse(const char *list, unsigned *mask, struct vmlab_err *err);

/*
 * Reads the asked sections of the machine under root into h (sample_s > 0
 * adds a utilization sample of that many seconds). Returns 0 when every
 * section was read cleanly, else the first -errno; problems are in ds.
 */
int hi_host_read(const char *root, unsigned sections, double sample_s,
		 struct hi_host *h, struct hi_diags *ds);

#endif /* HI_HOST_H */
