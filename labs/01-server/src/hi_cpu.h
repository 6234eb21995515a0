/*
 * hi_cpu: the processor, from /proc/cpuinfo and /sys/devices/system/cpu.
 * hi_cpuinfo.c parses /proc/cpuinfo; hi_cpu.c does the rest.
 *
 *   hi_cpuinfo_parse(text, &info, &line)   what /proc/cpuinfo says
 *   hi_cpulist_parse("0-3,8-11", set, n)   the kernel's CPU list format
 *   hi_topology_count(ids, n, &topo)       sockets, cores, threads from ids
 *   hi_cpu_read(root, &cpu, diags)         all of it for one machine
 *
 * A logical CPU is what the scheduler runs a thread on. Several of them can
 * share one core (hyperthreads), several cores share one socket (the chip).
 * Unknown numbers are 0, unknown strings are empty.
 */
#ifndef HI_CPU_H
#define HI_CPU_H

#include <stdint.h>

struct hi_diags;

#define HI_CPU_MAX 8192   /* the kernel's largest NR_CPUS on x86-64 */
#define HI_CACHE_MAX 8

struct hi_cpuinfo {
	char model[128];            /* "model name", or built from ARM ids */
	char vendor[64];            /* "vendor_id", or the ARM implementer */
	unsigned processors;        /* "processor" entries */
	unsigned sockets;           /* distinct "physical id" values */
	unsigned cores_per_socket;  /* "cpu cores" */
	unsigned siblings;          /* "siblings": logical CPUs per socket */
	unsigned mhz;               /* "cpu MHz" of the first CPU */
	int has_flags;              /* a "flags" line was there (x86) */
	int vmx, svm;               /* hardware virt.: Intel VT-x, AMD-V */
	int hypervisor;             /* "hypervisor" flag: we run in a VM */
};

struct hi_cpu_id {
	unsigned package;           /* topology/physical_package_id */
	unsigned core;              /* topology/core_id (unique per package) */
};

struct hi_topology {
	unsigned sockets;
	unsigned cores_per_socket;
	unsigned threads_per_core;
};

struct hi_cache {
	unsigned level;             /* 1, 2, 3 */
	char type;                  /* 'd'ata, 'i'nstruction, 'u'nified */
	uint64_t size;              /* bytes */
};

struct hi_cpu {
	struct hi_cpuinfo info;
	int cpuinfo_ok;              /* /proc/cpuinfo parsed cleanly */
	unsigned online;            /* logical CPUs online */
	struct hi_topology topo;
	const char *topo_source;    /* "sysfs", "/proc/cpuinfo" or NULL */
	uint64_t max_khz;           /* cpufreq's cpuinfo_max_freq, 0 unknown */
	unsigned ncache;
	struct hi_cache cache[HI_CACHE_MAX]; /* as seen by CPU 0 */
};

/*
 * Parses /proc/cpuinfo (x86 or ARM64). Returns 0; -EINVAL for a line without
 * a colon or a bad number (*line set); -ERANGE for a number too large
 * (*line set); -ENODATA when no "processor" line is there. On error, out
 * holds what was parsed before the bad line.
 */
int hi_cpuinfo_parse(const char *text, struct hi_cpuinfo *out, unsigned *line);

/*
 * Parses a CPU list ("0-3,8-11\n", as in /sys/devices/system/cpu/online)
 * into *count and, if set is not NULL, a bitmap of nbits bits, which it
 * clears first (callers pass an uninitialised buffer). Returns 0,
 * -EINVAL for bad syntax or a range that runs backwards, -ERANGE for a CPU
 * number >= nbits.
 */
int hi_cpulist_parse(const char *s, uint8_t *set, unsigned nbits,
		     unsigned *count);

/*
 * Counts sockets (distinct packages), cores per socket (distinct
 * (package, core) pairs per package) and threads per core among n logical
 * CPUs. Returns 0, or -EINVAL when n is 0. ids is reordered.
 */
int hi_topology_count(struct hi_cpu_id *ids, unsigned n,
		      struct hi_topology *out);

/* Parses a sysfs cache size ("32K", "1024K", "16M") into bytes. 0 or -errno. */
int hi_cache_size_parse(const char *s, uint64_t *out);

/* The number of logical CPUs online under root. Returns 0 or -errno. */
int hi_cpu_online(const char *root, unsigned *count);

/*
 * Reads everything above for the machine under root. Returns 0 if the
 * essentials (CPUs online, and a model or a topology) were found, else
 * -errno; every problem is recorded in ds and the rest is still filled in.
 */
int hi_cpu_read(const char *root, struct hi_cpu *out, struct hi_diags *ds);

#endif /* HI_CPU_H */
