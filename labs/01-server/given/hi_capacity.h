/*
 * hi_capacity: a host's capacity in three numbers, the summary that lab 02
 * (partition) plans with. Built from the other hi_ modules.
 */
#ifndef HI_CAPACITY_H
#define HI_CAPACITY_H

#include <stdint.h>

struct hi_capacity {
	unsigned cpus;       /* logical CPUs online */
	uint64_t mem_bytes;  /* MemTotal */
	uint64_t disk_bytes; /* size of the filesystem holding root ("/") */
};

/*
 * Reads the capacity of the machine whose /proc, /sys and /etc are under
 * root ("/" for this machine; disk_bytes is 0 for any other root, since
 * statvfs answers only for the live machine). Returns 0, or -errno.
 */
int hi_capacity_read(const char *root, struct hi_capacity *out);

#endif /* HI_CAPACITY_H */
