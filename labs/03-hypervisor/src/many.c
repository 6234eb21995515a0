/*
 * many: a config of VMs, and running them side by side.
 *
 * Each VM gets a thread that calls vm_run() (which runs its vCPU 0 there
 * and starts threads for the others): the VMs share nothing but the vmm
 * process and its stdout, and an ending in one is only that VM's.
 */
#include "many.h"
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One "key=value" word of a VM's line. */
static int option(struct many_vm *v, char *word, char *why, size_t n)
{
	char *eq = strchr(word, '=');
	uint64_t k;

	if (!eq)
		return snprintf(why, n, "'%s' is not key=value", word), -EINVAL;
	*eq++ = '\0';
	if (!strcmp(word, "mem") && !cli_size(eq, &v->mem))
		return 0;
	if (!strcmp(word, "cpus") && !cli_number(eq, &k) && k >= 1 &&
	    k <= VM_MAX_VCPUS) {
		v->cpus = (unsigned)k;
		return 0;
	}
	if (!strcmp(word, "disk")) {
		v->has_disk = 1;
		return blk_parse(eq, &v->disk, why, n);
	}
	snprintf(why, n, "bad option %s=%s (mem=SIZE, cpus=N, disk=SPEC)",
		 word, eq);
	return -EINVAL;
}

/* NAME IMAGE [key=value ...] */
static int line(struct many_vm *v, char *text, char *why, size_t n)
{
	char *save, *name = strtok_r(text, " \t", &save);
	char *image = strtok_r(NULL, " \t", &save), *w;

	memset(v, 0, sizeof(*v));
	v->mem = CLI_DEFAULT_MEM;
	v->cpus = 1;
	if (!image || strlen(name) >= sizeof(v->name) ||
	    strlen(image) >= sizeof(v->image))
		return snprintf(why, n, "want NAME IMAGE [mem=SIZE] [cpus=N]"
				" [disk=SPEC]"), -EINVAL;
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return snprintf(why, n, "the name has a control"
					" character (byte 0x%02x)",
					(unsigned char)*c), -EINVAL;
	strcpy(v->name, name);
	strcpy(v->image, image);
	while ((w = strtok_r(NULL, " \t", &save)))
		if (option(v, w, why, n))
			return -EINVAL;
	return 0;
}

int many_parse(const char *text, struct many_vm *vms, unsigned max,
	       char *why, size_t n)
{
	char *copy = strdup(text), *save, *l;
	unsigned count = 0, no = 0;
	char sub[200];
	int r = 0;

	if (!copy)
		return -ENOMEM;
	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		no++; /* strtok_r skips empty lines: numbers count the others */
		l[strcspn(l, "#")] = '\0';
		if (strspn(l, " \t") == strlen(l))
			continue;
		if (count == max) {
			snprintf(why, n, "more than %u VMs", max);
			r = -EINVAL;
			break;
		}
		if (line(&vms[count], l, sub, sizeof(sub))) {
			snprintf(why, n, "line %u: %s", no, sub);
			r = -EINVAL;
			break;
		}
		count++;
	}
	free(copy);
	if (!r && count == 0) {
		snprintf(why, n, "no VM in the config");
		r = -EINVAL;
	}
	return r ? r : (int)count;
}

/* Where VM v's disk lies: its file (device, inode) and bytes [*lo, *hi). */
static int extent(const struct many_vm *v, struct stat *st, uint64_t *lo,
		  uint64_t *hi)
{
	if (!v->has_disk || v->disk.ro || stat(v->disk.path, st) < 0)
		return 0; /* nothing written (a missing file fails later) */
	*lo = v->disk.offset;
	*hi = v->disk.size ? v->disk.offset + v->disk.size
			   : (uint64_t)st->st_size;
	return *hi > *lo;
}

int many_check_disks(const struct many_vm *vms, unsigned n, char *why,
		     size_t len)
{
	for (unsigned i = 0; i < n; i++) {
		struct stat a, b;
		uint64_t alo, ahi, blo, bhi;

		if (!extent(&vms[i], &a, &alo, &ahi))
			continue;
		for (unsigned j = i + 1; j < n; j++) {
			if (!extent(&vms[j], &b, &blo, &bhi) ||
			    a.st_dev != b.st_dev || a.st_ino != b.st_ino ||
			    ahi <= blo || bhi <= alo)
				continue;
			snprintf(why, len, "%s and %s would both write bytes"
				 " [%llu, %llu) of %s: give each VM a slice of"
				 " its own, or add ,ro to all but one",
				 vms[i].name, vms[j].name,
				 (unsigned long long)(alo > blo ? alo : blo),
				 (unsigned long long)(ahi < bhi ? ahi : bhi),
				 vms[j].disk.path);
			return -EBUSY;
		}
	}
	return 0;
}

/* What each VM's thread needs. */
struct runner {
	struct vm *vm;
	uint64_t entry;
	struct vm_result *res;
	int *err;
	const char **what;
	pthread_t thread;
};

/* A VM's thread: its vm_run(), with its own result and error. */
__attribute__((unused)) /* started by many_run() */
static void *run_vm(void *arg)
{
	struct runner *r = arg;

	*r->err = vm_run(r->vm, r->entry, r->res, r->what);
	return NULL;
}

/*
 * Stage 03.7 (README "Stage 7 · several VMs", step 1; many.h has the
 * contract): the n VMs side by side, not one after another. For each
 * (at most MANY_MAX), fill a struct runner with its vm, entry and the
 * addresses of its res, err and what slots, and start run_vm() on it with
 * pthread_create; then pthread_join every thread that started. Returns 0,
 * or -EAGAIN when a pthread_create failed (the ones started are still
 * joined first). Two of the run_side_by_side test's VMs wait for a mark
 * that a third writes: VMs run one at a time leave one waiting.
 */

/*
 * The contract is in many.h.
 * Stage 03.7, README "Stage 7 · several VMs".
 */
int many_run(struct vm **vm, const uint64_t *entry, unsigned n,
	     struct vm_result *res, int *err, const char **what)
{
	/* >>> SOLUTION 03.7: a thread per VM running run_vm(); then join every one that started */
	struct runner r[MANY_MAX];
	unsigned started = 0;
	int rc = 0;

	for (; started < n && started < MANY_MAX; started++) {
		r[started] = (struct runner){.vm = vm[started],
					     .entry = entry[started],
					     .res = &res[started],
					     .err = &err[started],
					     .what = &what[started]};
		if (pthread_create(&r[started].thread, NULL, run_vm, &r[started])) {
			rc = -EAGAIN;
			break;
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(r[i].thread, NULL);
	return rc;
	/* === STUB
	(void)vm;
	(void)entry;
	(void)n;
	(void)res;
	(void)err;
	(void)what;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}
