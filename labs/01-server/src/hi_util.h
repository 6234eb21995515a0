/*
 * hi_util: utilization, how much of the server is busy and how much idles.
 *
 *   hi_stat_parse(text, &snap, &line)      one snapshot of /proc/stat
 *   hi_busy(&before, &after, &busy)        busy fraction between snapshots
 *   hi_sample(root, seconds, &s, ds)       two snapshots, seconds apart
 *   hi_idle_sentence(&s, buf, size)        the idle capacity in plain words
 *
 * The kernel counts, per CPU, the time spent in each state since boot, in
 * ticks (USER_HZ, 1/100 s). A counter alone says little; the difference
 * between two readings says what the CPU did in between.
 */
#ifndef HI_UTIL_H
#define HI_UTIL_H

#include <stdint.h>

struct hi_diags;

#define HI_SAMPLE_CPUS 1024      /* per-CPU figures kept for this many CPUs */

/* The columns of a "cpu" line of /proc/stat, in its order (proc(5)). */
struct hi_cputimes {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
};

struct hi_stat {
	struct hi_cputimes total;                   /* the "cpu" line */
	unsigned ncpu;                              /* "cpuN" lines kept */
	struct hi_cputimes cpu[HI_SAMPLE_CPUS];
};

struct hi_sample {
	double seconds;          /* how long the sample ran */
	unsigned ncpu;           /* CPUs with a per-CPU figure */
	unsigned cpus;           /* logical CPUs online */
	double busy;             /* 0..1, all CPUs together */
	double cpu_busy[HI_SAMPLE_CPUS];
	uint64_t mem_total;      /* bytes */
	uint64_t mem_available;  /* bytes, at the end of the sample */
};

/*
 * Parses the "cpu" and "cpuN" lines of /proc/stat (other lines are
 * skipped). Lines carry 10 numbers today, 4 on old kernels (up to 16 are
 * accepted, for columns a future kernel may add);
 * guest and guest_nice are already inside user and nice and are ignored.
 * Returns 0; -EINVAL for a malformed cpu line (*line set); -ERANGE for a
 * number that overflows (*line set); -ENODATA with no "cpu" line.
 */
int hi_stat_parse(const char *text, struct hi_stat *out, unsigned *line);

/*
 * The fraction of time a CPU was busy between two readings: 1 - (idle +
 * iowait) / all, over the differences. Steal (time the hypervisor gave to
 * another guest) counts as busy: it was not free for us. Returns 0;
 * -ERANGE if a counter went backwards; -ENODATA if no time passed.
 */
int hi_busy(const struct hi_cputimes *before, const struct hi_cputimes *after,
	    double *busy);

/*
 * Samples the live machine for seconds (0.01 .. 3600). Returns 0 or -errno;
 * problems recorded in ds.
 */
int hi_sample(const char *root, double seconds, struct hi_sample *out,
	      struct hi_diags *ds);

/*
 * "Over 2.0 s, 91% of 2 CPUs sat idle and 22.1 of 23.4 GiB were free:
 * room for other tenants." Returns 0.
 */
int hi_idle_sentence(const struct hi_sample *s, char *buf, unsigned size);

#endif /* HI_UTIL_H */
