/*
 * test_faults.c: the VMM library under injected faults (SECURITY.md, "Fault
 * injection"; built and run by `make check-faults` at the top, not graded).
 *
 * mk/faultinj.c is compiled into this test: it stands in front of the C
 * library's ioctl, open, malloc, write and fsync for the whole process.
 * Each test fails the Nth call of one of them, for every N a clean run
 * makes, once and from N on, and checks what vm_create(), vm_run() and
 * vm_destroy() did about it:
 *   - a failure is -errno with err naming the call (never a crash);
 *   - a run that went on anyway ended as a clean run does, or as a guest
 *     diagnosis (the guest saw the error), never as a VMM crash;
 *   - afterwards no file descriptor and no mapping is left open: the same
 *     /proc/self/fd and /proc/self/maps as before.
 * It needs a /dev/kvm that creates VMs: check-faults runs it inside labvm
 * when this machine has none.
 */
#ifndef __SANITIZE_ADDRESS__
#include "../../../../mk/faultinj.c"
#endif

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vm.h"

#ifndef LAB_BUILD
#define LAB_BUILD "build"
#endif

static int kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm = -1;

	if (fd >= 0)
		vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm >= 0)
		close(vm);
	if (fd >= 0)
		close(fd);
	return vm >= 0;
}

/* Entries in /proc/self/fd, or lines of /proc/self/maps. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	closedir(d);
	return n;
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	for (int c; f && (c = fgetc(f)) != EOF;)
		n += c == '\n';
	fclose(f);
	return n;
}

static void *read_guest(const char *rel, size_t *len)
{
	static char buf[1 << 20];
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", LAB_BUILD, rel);
	f = fopen(path, "rb");
	cr_assert(f, "open %s (run make in labs/03-hypervisor first)", path);
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

struct outcome {
	int r;               /* 0, or the -errno of the VMM's failure */
	struct vmlab_err err; /* its code, the call named, the line */
	struct vm_result res;
};

/* One VM from nothing to destroyed: create, load the ELF guest, run. */
static unsigned cpus = 1; /* vCPUs of the VMs a sweep makes */

static void one_run(const void *img, size_t len, const char *disk, int console,
		    struct outcome *o)
{
	struct blk_spec spec = {.size = 0};
	struct vm_config cfg = {.mem_size = 64 << 20, .mode = VM_MODE_LONG,
				.console_fd = console, .disk = disk ? &spec : NULL,
				.cpus = cpus};
	struct image_error e;
	struct vm *vm = NULL;
	uint64_t entry;

	if (disk)
		snprintf(spec.path, sizeof(spec.path), "%s", disk);
	memset(o, 0, sizeof(*o));
	o->r = vm_create(&cfg, &vm, &o->err);
	if (!o->r && vm_load_elf(vm, img, len, &entry, &e))
		o->r = vm_fail(&o->err, -ENOEXEC, "vm_load_elf");
	if (!o->r)
		o->r = vm_run(vm, entry, &o->res, &o->err);
	vm_destroy(vm);
}

/* A disk image of 64 KiB, sector 0 saying hello (as test_guests.c's). */
static void make_disk(const char *path)
{
	static char img[65536];
	FILE *f = fopen(path, "wb");

	memset(img, 0, sizeof(img));
	strcpy(img, "hello from the host");
	cr_assert(f && fwrite(img, 1, sizeof(img), f) == sizeof(img));
	fclose(f);
}

/*
 * Every fault of fn over one run of guest (with a disk when disk is set):
 * each N, once and from N on. Returns the runs made.
 */
static long sweep(const char *guest, const char *fn, int disk)
{
	char dpath[] = "/tmp/vmm-faults-disk-XXXXXX";
	FILE *con = tmpfile();
	struct outcome clean, o;
	size_t len;
	const void *img = read_guest(guest, &len);
	long calls, runs = 0;

	if (disk)
		close(mkstemp(dpath));
	if (disk)
		make_disk(dpath);
	one_run(img, len, disk ? dpath : NULL, fileno(con), &clean);
	cr_assert_eq(clean.r, 0, "the clean run: %s", clean.err.msg);
	int fds = count_fds(), maps = count_maps();
	faultinj_arm(fn, 0, 0);
	one_run(img, len, disk ? dpath : NULL, fileno(con), &o);
	calls = faultinj_disarm();
	for (long n = 1; n <= calls; n++)
		for (int every = 0; every <= 1; every++, runs++) {
			if (disk)
				make_disk(dpath);
			faultinj_arm(fn, n, every);
			one_run(img, len, disk ? dpath : NULL, fileno(con), &o);
			faultinj_disarm();
			cr_assert(o.r <= 0 && o.r > -4096, "%s:%ld: %d", fn, n, o.r);
			cr_assert(o.r == 0 || (o.err.code == o.r && o.err.name && *o.err.name),
				  "%s:%ld: %s without a call named", fn, n, strerror(-o.r));
			/* Went on: ended as the clean run, or the guest said what it saw. */
			cr_assert(o.r || o.res.end == clean.res.end || o.res.end == VM_END_ASSERT ||
				  o.res.end == VM_END_EXIT || o.res.end == VM_END_EXCEPTION,
				  "%s:%ld: ended %d", fn, n, o.res.end);
			cr_assert_eq(count_fds(), fds, "%s:%ld%s: a descriptor left open (%s)", fn, n,
				     every ? "+" : "", o.err.msg);
			cr_assert_eq(count_maps(), maps, "%s:%ld%s: a mapping left (%s)", fn, n,
				     every ? "+" : "", o.err.msg);
		}
	if (disk)
		unlink(dpath);
	fclose(con);
	printf("vmm faults: %s (%u vCPU) %s: %ld calls, %ld faulted runs, all clean\n", guest, cpus, fn,
	       calls, runs);
	return runs;
}

static void need(void)
{
#ifdef __SANITIZE_ADDRESS__
	cr_skip_test("fault injection replaces malloc: not under AddressSanitizer");
#endif
	if (!kvm_usable())
		cr_skip_test("no usable /dev/kvm here: `make check-faults` runs this inside labvm");
}

#ifndef __SANITIZE_ADDRESS__
Test(faults, kvm_ioctls_fail_cleanly, .timeout = 120)
{
	need();
	sweep("guest/long/hello.elf", "ioctl", 0);
}

/* vCPU 1 makes its ioctls on a thread of its own (vm.c, cpu_main). */
Test(faults, ioctls_of_two_vcpus_fail_cleanly, .timeout = 120)
{
	need();
	cpus = 2;
	sweep("guest/long/smp.elf", "ioctl", 0);
}

Test(faults, opens_fail_cleanly, .timeout = 60)
{
	need();
	sweep("guest/long/disk.elf", "open", 1);
}

Test(faults, allocations_fail_cleanly, .timeout = 60)
{
	need();
	sweep("guest/long/hello.elf", "malloc", 0);
}

Test(faults, console_and_disk_writes_fail_cleanly, .timeout = 60)
{
	need();
	sweep("guest/long/disk.elf", "write", 1);
	sweep("guest/long/disk.elf", "fsync", 1);
}
#endif
