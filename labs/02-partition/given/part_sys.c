/*
 * part_sys: this machine's capacity (see part_sys.h). Given code.
 *
 * sysconf(_SC_NPROCESSORS_ONLN) counts the CPUs in
 * /sys/devices/system/cpu/online; sysinfo() reports the kernel's total
 * RAM in units of mem_unit bytes; statvfs() the filesystem's blocks. Each
 * product is checked for overflow before it is stored.
 */
#include "part_sys.h"

#include <errno.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>

int part_sys_host(const char *path, struct part_host *h)
{
	struct sysinfo si;
	struct statvfs st;
	long cpus;
	uint64_t mem, disk;

	errno = 0;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		return errno ? -errno : -ENOENT;
	if (cpus > PART_HOST_CPUS_MAX)
		return -ERANGE;
	if (sysinfo(&si) != 0 || statvfs(path, &st) != 0)
		return -errno;
	if (__builtin_mul_overflow((uint64_t)si.totalram, (uint64_t)si.mem_unit, &mem) ||
	    __builtin_mul_overflow((uint64_t)st.f_blocks, (uint64_t)st.f_frsize, &disk))
		return -ERANGE;
	*h = (struct part_host){.cpus = (uint32_t)cpus, .mem = mem, .disk = disk};
	return 0;
}
