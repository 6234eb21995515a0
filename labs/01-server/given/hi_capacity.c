/*
 * hi_capacity: a host's capacity in three numbers, the summary that lab 02
 * (partition) plans with: logical CPUs online, MemTotal, and the size of
 * the filesystem holding "/". Built from hi_cpu and hi_mem; only the disk
 * needs the live machine (statvfs), so a captured tree reports it as 0.
 */
#include "hi_capacity.h"

#include "hi_cpu.h"
#include "hi_file.h"
#include "hi_mem.h"

#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

/* The size of the filesystem holding path, as df counts it (f_blocks). */
static int fs_size(const char *path, uint64_t *out)
{
	struct statvfs st;

	if (statvfs(path, &st) != 0)
		return -errno;
	return hi_mul_u64(st.f_blocks, st.f_frsize, out);
}

int hi_capacity_read(const char *root, struct hi_capacity *out)
{
	struct hi_mem mem;
	int err;

	memset(out, 0, sizeof(*out));
	err = hi_cpu_online(root, &out->cpus);
	if (err)
		return err;
	err = hi_mem_read(root, &mem, NULL);
	if (err)
		return err;
	out->mem_bytes = mem.total;
	if (hi_root_is_live(root))
		return fs_size("/", &out->disk_bytes);
	return 0;
}
