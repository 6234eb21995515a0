/*
 * hi_numa: the NUMA nodes of a server, the groups of CPUs that sit next to
 * their own memory (one per socket on most two-socket servers).
 *
 *   hi_numa_read(root, &nu, ds)   sys/devices/system/node/node<N>/{cpulist,meminfo}
 *
 * A CPU reaches its own node's memory faster than another node's, which is
 * why lab 02 keeps a virtual server's CPUs and memory on one node. A machine
 * (or a capture) without the node folders reads as zero nodes: unknown,
 * not an error.
 */
#ifndef HI_NUMA_H
#define HI_NUMA_H

#include <stdint.h>

struct hi_diags;

#define HI_NUMA_MAX 64

struct hi_numa_node {
	unsigned id;             /* the N of nodeN */
	char cpus[128];          /* its cpulist, as the kernel writes it ("0-13,28-41") */
	uint64_t mem_bytes;      /* "Node N MemTotal", 0 when not given */
};

struct hi_numa {
	unsigned n;              /* nodes found, 0 when unknown */
	unsigned more;           /* nodes past HI_NUMA_MAX, not kept */
	struct hi_numa_node node[HI_NUMA_MAX];
};

/*
 * Fills nu (sorted by node id) for the machine under root. Returns 0, or
 * -ENOMEM; a missing folder or file is not an error.
 */
int hi_numa_read(const char *root, struct hi_numa *nu, struct hi_diags *ds);

#endif /* HI_NUMA_H */
