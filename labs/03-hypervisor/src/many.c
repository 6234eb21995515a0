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
static int option(struct many_vm *v, char *word, struct vmlab_err *err)
{
	char *eq = strchr(word, '=');
	struct vmlab_err e;
	uint64_t k;

	if (!eq)
		return vmlab_fail(err, -EINVAL, "'%s' is not key=value", word);
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
		if (blk_parse(eq, &v->disk, &e))
			return vmlab_fail(err, -EINVAL, "disk%s %s", e.name &&
					  !strcmp(e.name, BLK_ERR_SYNTAX) ? "" : ":",
					  e.msg);
		return 0;
	}
	return vmlab_fail(err, -EINVAL, "bad option %s=%s (mem=SIZE, cpus=N,"
			  " disk=SPEC)", word, eq);
}

/* NAME IMAGE [key=value ...] */
static int line(struct many_vm *v, char *text, struct vmlab_err *err)
{
	char *save, *name = strtok_r(text, " \t", &save);
	char *image = strtok_r(NULL, " \t", &save), *w;

	memset(v, 0, sizeof(*v));
	v->mem = CLI_DEFAULT_MEM;
	v->cpus = 1;
	if (!image || strlen(name) >= sizeof(v->name) ||
	    strlen(image) >= sizeof(v->image))
		return vmlab_fail(err, -EINVAL, "want NAME IMAGE [mem=SIZE]"
				  " [cpus=N] [disk=SPEC]");
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return vmlab_fail(err, -EINVAL, "the name has a control"
					  " character (byte 0x%02x)",
					  (unsigned char)*c);
	strcpy(v->name, name);
	strcpy(v->image, image);
	while ((w = strtok_r(NULL, " \t", &save)))
		if (option(v, w, err))
			return -EINVAL;
	return 0;
}

int many_parse(const char *text, struct many_vm *vms, unsigned max,
	       struct vmlab_err *err)
{
	char *copy = strdup(text), *save, *l;
	unsigned count = 0, no = 0;
	struct vmlab_err sub;
	int r = 0;

	if (!copy)
		return vm_fail(err, -ENOMEM, "strdup");
	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		no++; /* strtok_r skips empty lines: numbers count the others */
		l[strcspn(l, "#")] = '\0';
		if (strspn(l, " \t") == strlen(l))
			continue;
		if (count == max) {
			r = vmlab_fail(err, -EINVAL, "more than %u VMs", max);
			break;
		}
		if (line(&vms[count], l, &sub)) {
			r = vmlab_fail(err, -EINVAL, "line %u: %s", no, sub.msg);
			break;
		}
		count++;
	}
	free(copy);
	if (!r && count == 0)
		r = vmlab_fail(err, -EINVAL, "no VM in the config");
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

int many_check_disks(const struct many_vm *vms, unsigned n,
		     struct vmlab_err *err)
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
			return vmlab_fail(err, -EBUSY, "%s and %s would both"
					  " write bytes [%llu, %llu) of %s: give"
					  " each VM a slice of its own, or add"
					  " ,ro to all but one",
					  vms[i].name, vms[j].name,
					  (unsigned long long)(alo > blo ? alo : blo),
					  (unsigned long long)(ahi < bhi ? ahi : bhi),
					  vms[j].disk.path);
		}
	}
	return 0;
}

/* What each VM's thread needs. */
struct runner {
	struct vm *vm;
	uint64_t entry;
	struct vm_result *res;
	struct vmlab_err *err;
	pthread_t thread;
};

/* A VM's thread: its vm_run(), with its own result and error. */
__attribute__((unused)) /* started by many_run() */
static void *run_vm(void *arg)
{
	struct runner *r = arg;
	int rc;

	vmlab_err_clear(r->err);
	rc = vm_run(r->vm, r->entry, r->res, r->err);
	if (rc && r->err->code != rc) /* the code alone: still say it */
		vm_fail(r->err, rc, "vm_run");
	return NULL;
}

/*
 * Stage 03.7 (README "Stage 7 · several VMs", step 1; many.h has the
 * contract): the n VMs side by side, not one after another. For each
 * (at most MANY_MAX), fill a struct runner with its vm, entry and the
 * addresses of its res and err slots, and start run_vm() on it with
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
	     struct vm_result *res, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.7: a thread per VM running run_vm(); then join every one that started */
	struct runner r[MANY_MAX];
	unsigned started = 0;
	int rc = 0;

	for (; started < n && started < MANY_MAX; started++) {
		r[started] = (struct runner){.vm = vm[started],
					     .entry = entry[started],
					     .res = &res[started],
					     .err = &err[started]};
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
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}
