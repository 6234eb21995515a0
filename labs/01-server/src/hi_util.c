/*
 * hi_util: utilization, how much of the server is busy and how much idles.
 *
 * A server bought for one application rarely keeps its CPUs busy: most of
 * the ticks land in "idle". That unused capacity is what virtualization
 * sells: carve the machine into virtual servers and rent them out. hi_util
 * measures it the way top(1) does, from two readings of /proc/stat.
 */
#include "hi_util.h"

#include "hi_cpu.h"
#include "hi_diag.h"
#include "hi_file.h"
#include "hi_mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Reads the numbers of one "cpu" line, from p (just past the label) to end:
 * each a decimal (hi_parse_u64) followed by spaces; the first 8 go to user,
 * nice, system, idle, iowait, irq, softirq, steal, in that order (the rest
 * are dropped); *t is cleared first. Returns 0; hi_parse_u64's errors;
 * -EINVAL for fewer than 4 or more than 16 numbers, or a number followed by
 * anything but a space. Stage 01.7, README "Steps" 7.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int cpu_line(const char *p, const char *end, struct hi_cputimes *t)
{
	/* >>> SOLUTION 01.7: an array of pointers to the 8 fields; a loop of number, then spaces */
	uint64_t *col[] = { &t->user, &t->nice, &t->system, &t->idle,
			    &t->iowait, &t->irq, &t->softirq, &t->steal };
	uint64_t v;
	unsigned n = 0;
	int err;

	memset(t, 0, sizeof(*t));
	while (p < end) {
		err = hi_parse_u64(p, &p, &v);
		if (err)
			return err;
		if (n < 8)
			*col[n] = v;
		if (++n > 16 || (p < end && *p != ' ')) /* 10 today */
			return -EINVAL;
		while (p < end && *p == ' ')
			p++;
	}
	return n >= 4 ? 0 : -EINVAL;
	/* === STUB
	(void)p;
	(void)end;
	memset(t, 0, sizeof(*t));
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * All the ticks of t: the sum of its 8 states, steal included (it was not
 * free for us). Returns 0 with *sum set; -ERANGE when the sum overflows 64
 * bits. Stage 01.7, README "Steps" 7.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int ticks_all(const struct hi_cputimes *t, uint64_t *sum)
{
	/* >>> SOLUTION 01.7: add them up, checking that no addition wrapped */
	uint64_t s = t->user + t->nice + t->system + t->idle + t->iowait +
		     t->irq + t->softirq;

	if (s < t->user || s + t->steal < s)
		return -ERANGE;
	*sum = s + t->steal;
	return 0;
	/* === STUB
	(void)t;
	*sum = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_util.h. Clears *out and *line. Lines that do not
 * start with "cpu" are skipped. "cpu " is the total (out->total; none at
 * all is -ENODATA); "cpuN " one CPU (out->cpu[out->ncpu++], those beyond
 * HI_SAMPLE_CPUS are skipped); "cpu" followed by anything else, a label not
 * followed by a space, or an incomplete last line is -EINVAL (*line set).
 * The numbers go through cpu_line, whose error stops the parse.
 * Stage 01.7, README "Steps" 7.
 */
int hi_stat_parse(const char *text, struct hi_stat *out, unsigned *line)
{
	/* >>> SOLUTION 01.7: "cpu" is the total, "cpuN" one CPU; skip every other line */
	struct hi_lines it = { .next = text };
	int seen_total = 0, err;

	memset(out, 0, sizeof(*out));
	*line = 0;
	while (hi_lines_next(&it)) {
		const char *end = it.line + it.len, *p;
		struct hi_cputimes *t;
		*line = it.num;
		if (it.len < 4 || memcmp(it.line, "cpu", 3) != 0)
			continue;
		if (it.line[3] == ' ') {
			t = &out->total;
			seen_total = 1;
		} else if (it.line[3] >= '0' && it.line[3] <= '9') {
			if (out->ncpu >= HI_SAMPLE_CPUS)
				continue;
			t = &out->cpu[out->ncpu++];
		} else {
			return -EINVAL;
		}
		p = it.line + 3 + strspn(it.line + 3, "0123456789");
		if (!it.complete || *p != ' ')
			return -EINVAL;
		err = cpu_line(p, end, t);
		if (err)
			return err;
	}
	*line = 0;
	return seen_total ? 0 : -ENODATA;
	/* === STUB
	(void)text;
	memset(out, 0, sizeof(*out));
	*line = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_util.h. all = ticks_all (its -ERANGE passes on),
 * idle = idle + iowait (waiting for a disk leaves the CPU free). Counters
 * only grow and idle is part of all: all or idle going backwards, or idle
 * growing more than all, is -ERANGE; no tick at all is -ENODATA. Then
 * *busy = 1 - delta idle / delta all, between 0 and 1.
 * Stage 01.7, README "Steps" 7.
 */
int hi_busy(const struct hi_cputimes *before, const struct hi_cputimes *after,
	    double *busy)
{
	/* >>> SOLUTION 01.7: differences of all ticks and of idle ticks (idle + iowait); busy = 1 - idle/all */
	uint64_t all0, all1, idle0, idle1;

	if (ticks_all(before, &all0) || ticks_all(after, &all1))
		return -ERANGE;
	/* waiting for a disk (iowait) leaves the CPU free: idle too */
	idle0 = before->idle + before->iowait;
	idle1 = after->idle + after->iowait;
	if (all1 < all0 || idle1 < idle0 || idle1 - idle0 > all1 - all0)
		return -ERANGE; /* counters only grow; idle is part of all */
	if (all1 == all0)
		return -ENODATA;
	*busy = 1.0 - (double)(idle1 - idle0) / (double)(all1 - all0);
	return 0;
	/* === STUB
	(void)before;
	(void)after;
	*busy = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

static int stat_read(const char *root, struct hi_stat *st, struct hi_diags *ds)
{
	unsigned line;
	char *text;
	int err = hi_file_load(root, "proc/stat", &text, NULL);

	if (err) {
		hi_diag_add(ds, err, root, "proc/stat", 0,
			    "cannot read CPU times");
		return err;
	}
	err = hi_stat_parse(text, st, &line);
	free(text);
	if (err)
		hi_diag_add(ds, err, root, "proc/stat", line, "%s",
			    err == -ENOSYS ? "parser not written yet"
			    : "expected \"cpuN user nice system idle ...\"");
	return err;
}

static void sleep_for(double seconds)
{
	time_t whole = (time_t)seconds;
	struct timespec ts = { whole, (long)((seconds - (double)whole) * 1e9) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The per-CPU and total busy fractions between two snapshots. */
static int busy_all(const struct hi_stat *a, const struct hi_stat *b,
		    struct hi_sample *out)
{
	int err = hi_busy(&a->total, &b->total, &out->busy);

	out->ncpu = a->ncpu < b->ncpu ? a->ncpu : b->ncpu;
	for (unsigned i = 0; !err && i < out->ncpu; i++)
		if (hi_busy(&a->cpu[i], &b->cpu[i], &out->cpu_busy[i]))
			out->cpu_busy[i] = -1; /* no tick seen: unknown */
	return err;
}

int hi_sample(const char *root, double seconds, struct hi_sample *out,
	      struct hi_diags *ds)
{
	struct hi_stat *snap = calloc(2, sizeof(*snap));
	struct hi_mem mem;
	int err;

	memset(out, 0, sizeof(*out));
	if (!snap)
		return -ENOMEM;
	if (seconds < 0.01 || seconds > 3600) {
		err = -EINVAL;
		goto out;
	}
	err = stat_read(root, &snap[0], ds);
	if (err)
		goto out;
	sleep_for(seconds);
	err = stat_read(root, &snap[1], ds);
	if (!err)
		err = busy_all(&snap[0], &snap[1], out);
	if (err == -ERANGE || err == -ENODATA)
		hi_diag_add(ds, err, root, "proc/stat", 0, "%s", err == -ERANGE
			    ? "CPU times went backwards between two readings"
			    : "no time passed between two readings");
	if (err)
		goto out;
	out->seconds = seconds;
	if (hi_cpu_online(root, &out->cpus) || out->cpus == 0)
		out->cpus = out->ncpu;
	if (hi_mem_read(root, &mem, ds) == 0) {
		out->mem_total = mem.total;
		out->mem_available = mem.available;
	}
out:
	free(snap);
	return err;
}

int hi_idle_sentence(const struct hi_sample *s, char *buf, unsigned size)
{
	double idle = 1.0 - s->busy;
	double gib = 1024.0 * 1024 * 1024;
	const char *verdict = idle >= 0.5   ? "room for other tenants"
			      : idle >= 0.2 ? "some room left"
					    : "this server is busy";
	int n = snprintf(buf, size, "Over %.1f s, %.0f%% of %u CPU%s sat idle",
			 s->seconds, idle * 100, s->cpus,
			 s->cpus == 1 ? "" : "s");

	if (n < 0 || (unsigned)n >= size)
		return 0;
	if (s->mem_total)
		snprintf(buf + n, size - (unsigned)n,
			 " and %.1f of %.1f GiB were free: %s.",
			 (double)s->mem_available / gib,
			 (double)s->mem_total / gib, verdict);
	else
		snprintf(buf + n, size - (unsigned)n, ": %s.", verdict);
	return 0;
}
