/*
 * part_sys: this machine's capacity, the host a plan gets when --host is
 * not given. Given code, not the lab's exercise: three numbers straight
 * from the C library (CPUs online, memory, the size of the root
 * filesystem). Lab 01's hostinfo reads the same facts from /proc and /sys
 * by hand; this lab does not need its parsers, so it builds and is graded
 * on its own.
 */
#ifndef PART_SYS_H
#define PART_SYS_H

#include "part_req.h"

/*
 * Fills h with this machine: cpus = CPUs online (sysconf), mem = total
 * memory (sysinfo: /proc/meminfo's MemTotal), disk = the size of the
 * filesystem holding path, as df counts it (statvfs). Returns 0, or
 * -errno (-ERANGE if a figure does not fit h).
 */
int part_sys_host(const char *path, struct part_host *h);

#endif /* PART_SYS_H */
