/*
 * bench/cpuprof.c: where the CPU time of a command goes, process by process.
 *
 *   cpuprof [--out FILE] [--runner NAME] -- COMMAND [ARG ...]
 *   cpuprof --report FILE [--runner NAME]
 *
 * Runs COMMAND with the kernel's process accounting on (acct(2), root
 * only): each process that ends writes one record into FILE (default
 * build/cpuprof.pacct): its command name (15 characters at most), pid,
 * parent's pid, start, run time and CPU time. Then it prints COMMAND's
 * CPU time three ways:
 *
 *   by step      each process charged to its step: the nearest ancestor
 *                (itself included) whose parent is a RUNNER process
 *                (default lanes.sh: mk/lanes.sh's lanes run every step of
 *                `make test`), else to COMMAND itself. One line a step,
 *                with its start, its time and its busiest commands; match
 *                them to the log's "-- STEP: N s" lines.
 *   by command   all of COMMAND's processes, summed by name.
 *   machine      the whole machine's CPU time over the run (/proc/stat),
 *                against the part the records account for: kernel
 *                threads have no record, and a process still running when
 *                COMMAND ends has none either.
 *
 * The kernel keeps one accounting file per pid namespace: cpuprof replaces
 * any accounting in effect in its own (from the host: the machine's) and
 * leaves it off. COMMAND gets CPUPROF_OUT=FILE, and a cpuprof run under it
 * refuses rather than take the accounting over (tests/cpuprof.sh runs
 * its own in pid namespaces of their own). Records of processes that are
 * not COMMAND's descendants are counted apart ("outside").
 *
 * Exit: COMMAND's status (128 + signal when killed); as env(1) and
 * timeout(1) do, 125 when cpuprof itself fails (usage; the accounting
 * could not start: not root; FILE cannot be read), 126 when COMMAND
 * cannot run, 127 when it is not found.
 * grader/README.md, "How long make test takes", shows a run.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/acct.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The kernel's clock for accounting: USER_HZ, 100 on x86 (linux/acct.h
 * says HZ, which user space does not have). */
#undef AHZ
#define AHZ 100

struct rec {
	char comm[ACCT_COMM + 1];
	unsigned pid, ppid;
	double start, wall, cpu;        /* seconds: start since the epoch */
	long parent;                    /* index of its parent's record, or -1 */
	long step;                      /* index of its step's record, -1: none */
	int mine;                       /* a descendant of COMMAND */
};

struct tally {
	char name[ACCT_COMM + 1];
	double cpu;
};

/* comp_t: 13 bits of mantissa, 3 of base-8 exponent, in AHZ ticks. */
static double ticks(comp_t c)
{
	return (double)((unsigned long)(c & 0x1fff) << (3 * (c >> 13))) / AHZ;
}

/* The machine's CPU time so far, in seconds: /proc/stat's first line,
 * user, nice, system, irq and softirq (guest time is inside user; idle,
 * iowait and the time a hypervisor stole are not this machine's work). */
static double machine_cpu(void)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "re");
	int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) : 0;
	if (f)
		fclose(f);
	if (n != 8)
		return -1;
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / sysconf(_SC_CLK_TCK);
}

static int by_pid_start(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* The record of r's parent: of the processes of pid r->ppid, the last to
 * start by r's start and end after r's end (pids are reused, rarely within
 * one run), or -1. A record's start is in whole seconds, computed when
 * it ends (the time then less the time it ran), so a child's can read a
 * second before its parent's, and its end two: allowed for. */
static long find_parent(const struct rec *v, long n, const struct rec *r)
{
	long lo = 0, hi = n, best = -1;
	while (lo < hi) {               /* the first record of pid r->ppid */
		long mid = (lo + hi) / 2;
		if (v[mid].pid < r->ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (long i = lo; i < n && v[i].pid == r->ppid; i++)
		if (&v[i] != r && v[i].start <= r->start + 1 &&
		    v[i].start + v[i].wall >= r->start + r->wall - 2)
			best = i;
	return best;
}

static void add(struct tally *t, size_t *n, size_t max, const char *name, double cpu)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(t[i].name, name)) {
			t[i].cpu += cpu;
			return;
		}
	if (*n < max) {
		snprintf(t[*n].name, sizeof(t[*n].name), "%s", name);
		t[(*n)++].cpu = cpu;
	}
}

static const struct rec *sorted_by;    /* by_start's records */

static int by_start(const void *a, const void *b)
{
	const struct rec *x = &sorted_by[*(const long *)a], *y = &sorted_by[*(const long *)b];
	return (x->start > y->start) - (x->start < y->start);
}

static int by_cpu(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	return (x->cpu < y->cpu) - (x->cpu > y->cpu);
}

/* The records of the accounting file at path, *n of them; NULL (and why,
 * on stderr) when it cannot be read or is not the kernel's. */
static struct rec *load(const char *path, long *n)
{
	struct stat st;
	struct acct_v3 a;
	struct rec *v;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long k = 0;

	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "cpuprof: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	v = calloc((size_t)st.st_size / sizeof(a) + 1, sizeof(*v));
	while (v && read(fd, &a, sizeof(a)) == (ssize_t)sizeof(a)) {
		if (a.ac_version != 3) {    /* acct_v3: Linux's format since 2.6.8 */
			fprintf(stderr, "cpuprof: %s: not the kernel's process accounting "
				"(version %d records, not 3)\n", path, a.ac_version);
			free(v);
			close(fd);
			return NULL;
		}
		struct rec *r = &v[k++];
		memcpy(r->comm, a.ac_comm, ACCT_COMM);
		r->pid = a.ac_pid;
		r->ppid = a.ac_ppid;
		r->start = a.ac_btime;
		r->wall = a.ac_etime / AHZ;
		r->cpu = ticks(a.ac_utime) + ticks(a.ac_stime);
	}
	close(fd);
	*n = k;
	return v;
}

/* The pid of the process, among those without a parent in the records,
 * whose tree used the most CPU (--report: the command run). */
static unsigned busiest_tree(const struct rec *v, long n)
{
	double *sum = calloc((size_t)n + 1, sizeof(*sum)), most = -1;
	unsigned top = 0;
	for (long i = 0; sum && i < n; i++) {
		long x = i;
		for (int d = 0; v[x].parent >= 0 && d < 256; d++)
			x = v[x].parent;
		sum[x] += v[i].cpu;
	}
	for (long i = 0; sum && i < n; i++)
		if (v[i].parent < 0 && sum[i] > most) {
			most = sum[i];
			top = v[i].pid;
		}
	free(sum);
	return top;
}

/* Marks v[i] as COMMAND's when the process of pid top is among its
 * ancestors (itself included, 256 generations at most), and gives it its
 * step: the nearest such ancestor whose parent is a runner. */
static void mark(struct rec *v, long i, unsigned top, const char *runner)
{
	long step = -1;

	v[i].step = -1;
	for (long x = i, d = 0; x >= 0 && d < 256; d++, x = v[x].parent) {
		long p = v[x].parent;
		if (step < 0 && p >= 0 && !strcmp(v[p].comm, runner) &&
		    strcmp(v[x].comm, runner))
			step = x;
		if (v[x].pid == top) {
			v[i].mine = 1;
			v[i].step = step;
			return;
		}
	}
}

/* Sorts the records by pid, links each to its parent's and marks
 * COMMAND's (top: its pid; 0 for the busiest tree, as --report has it). */
static void link_records(struct rec *v, long n, unsigned top, const char *runner)
{
	qsort(v, (size_t)n, sizeof(*v), by_pid_start);
	for (long i = 0; i < n; i++)
		v[i].parent = find_parent(v, n, &v[i]);
	if (!top)
		top = busiest_tree(v, n);
	for (long i = 0; i < n; i++)
		mark(v, i, top, runner);
}

/* One line of the by-step view: step s (-1: COMMAND's own processes),
 * its start after t0, its time, its CPU and its four busiest programs.
 * Steps under a tenth of a CPU-second are left out. */
static void print_step(const struct rec *v, long n, long s, double t0)
{
	enum { MAX = 4096 };
	static struct tally in[MAX];
	size_t nin = 0;
	double cpu = 0;

	for (long i = 0; i < n; i++)
		if (v[i].mine && v[i].step == s) {
			cpu += v[i].cpu;
			add(in, &nin, MAX, v[i].comm, v[i].cpu);
		}
	if (cpu < 0.1 && s >= 0)
		return;
	qsort(in, nin, sizeof(*in), by_cpu);
	if (s >= 0)
		printf("  %6.0f  %6.0f  %8.1f  %-16s", v[s].start - t0, v[s].wall, cpu,
		       v[s].comm);
	else
		printf("  %6s  %6s  %8.1f  %-16s", "", "", cpu, "(the command)");
	for (size_t j = 0; j < nin && j < 4 && in[j].cpu >= 0.05; j++)
		printf(" %s %.1f", in[j].name, in[j].cpu);
	printf("\n");
}

/* The by-step view: COMMAND's own processes, then each step in the order
 * they started. */
static void print_steps(const struct rec *v, long n, const char *runner)
{
	long *steps = malloc(((size_t)n + 1) * sizeof(*steps)), ns = 0;
	double t0 = 1e300;

	if (!steps)
		return;
	for (long i = 0; i < n; i++) {
		if (v[i].mine && v[i].start < t0)
			t0 = v[i].start;
		if (v[i].mine && v[i].step == i)
			steps[ns++] = i;
	}
	sorted_by = v;
	qsort(steps, (size_t)ns, sizeof(*steps), by_start);
	printf("by step (each process charged to its step: the nearest ancestor "
	       "whose parent is %s; the rest to the command):\n", runner);
	printf("  %6s  %6s  %8s  %-16s %s\n", "start", "wall", "CPU-s", "step",
	       "its busiest commands (CPU-s)");
	print_step(v, n, -1, t0);
	for (long k = 0; k < ns; k++)
		print_step(v, n, steps[k], t0);
	free(steps);
}

/* The by-program view, and what the records account for beside the
 * machine's CPU-s over the run (machine; -1: not known). */
static void print_commands(const struct rec *v, long n, double machine)
{
	enum { MAX = 4096 };
	static struct tally cmds[MAX];
	size_t ncmd = 0;
	double mine = 0, outside = 0;

	for (long i = 0; i < n; i++) {
		if (v[i].mine) {
			mine += v[i].cpu;
			add(cmds, &ncmd, MAX, v[i].comm, v[i].cpu);
		} else {
			outside += v[i].cpu;
		}
	}
	qsort(cmds, ncmd, sizeof(*cmds), by_cpu);
	printf("by command (all of the command's processes):\n");
	for (size_t j = 0; j < ncmd && j < 12; j++)
		printf("  %8.1f  %5.1f%%  %s\n", cmds[j].cpu,
		       mine > 0 ? 100 * cmds[j].cpu / mine : 0, cmds[j].name);
	printf("accounted: %.0f CPU-s for the command, %.0f outside it", mine, outside);
	if (machine >= 0)
		printf("; the machine's: %.0f CPU-s over the run (kernel threads "
		       "have no record)", machine);
	printf("\n");
}

/* The three views of the records in path (top, machine: as above). */
static int report(const char *path, unsigned top, const char *runner, double machine)
{
	long n;
	struct rec *v = load(path, &n);

	if (!v)
		return 125;
	link_records(v, n, top, runner);
	fflush(stdout);
	print_steps(v, n, runner);
	print_commands(v, n, machine);
	free(v);
	return 0;
}

/* Process accounting into path, from now on: 0, or 125 and why. */
static int start_accounting(const char *path)
{
	const char *outer = getenv("CPUPROF_OUT");
	int fd;

	if (outer) {
		fprintf(stderr, "cpuprof: an outer cpuprof records into %s (CPUPROF_OUT), "
			"and the kernel keeps one accounting file: run this one "
			"after it\n", outer);
		return 125;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "cpuprof: %s: %s\n", path, strerror(errno));
		return 125;
	}
	close(fd);
	if (acct(path) != 0) {
		fprintf(stderr, "cpuprof: process accounting: %s%s\n", strerror(errno),
			errno == EPERM ? " (it needs root: run cpuprof as root)" : "");
		unlink(path);
		return 125;
	}
	return 0;
}

/* Runs cmd (CPUPROF_OUT=out in its environment; its pid in *cmd_pid) and
 * waits for it: its exit status, 128 + the signal that killed it, or -1 (fork failed). ^C
 * reaches cmd; cpuprof waits for it, to turn the accounting off. */
static int run(char **cmd, const char *out, unsigned *cmd_pid)
{
	int status;
	pid_t pid;

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	pid = fork();
	if (pid == 0) {
		setenv("CPUPROF_OUT", out, 1);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(cmd[0], cmd);
		fprintf(stderr, "cpuprof: %s: %s\n", cmd[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (pid < 0) {
		fprintf(stderr, "cpuprof: fork: %s\n", strerror(errno));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*cmd_pid = (unsigned)pid;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int usage(void)
{
	fprintf(stderr, "usage: cpuprof [--out FILE] [--runner NAME] -- COMMAND [ARG ...]\n"
			"       cpuprof --report FILE [--runner NAME]\n");
	return 125;
}

int main(int argc, char **argv)
{
	const char *out = "build/cpuprof.pacct", *runner = "lanes.sh", *from = NULL;
	int i = 1, status, rc;
	double before, after;
	unsigned pid;

	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--runner") && i + 1 < argc)
			runner = argv[++i];
		else if (!strcmp(argv[i], "--report") && i + 1 < argc)
			from = argv[++i];
		else
			return usage();
	}
	if (from)
		return i < argc ? usage() : report(from, 0, runner, -1);
	if (i + 1 >= argc)
		return usage();
	if ((rc = start_accounting(out)) != 0)
		return rc;
	before = machine_cpu();
	status = run(argv + i + 1, out, &pid);
	after = machine_cpu();
	acct(NULL);
	if (status < 0)
		return 125;
	rc = report(out, pid, runner, before >= 0 && after >= 0 ? after - before : -1);
	return rc ? rc : status;
}
