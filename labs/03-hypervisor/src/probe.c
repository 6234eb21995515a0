/*
 * probe: the first conversation with /dev/kvm.
 *
 * The table below is the list of promises vmm relies on; `vmm probe`
 * prints it with this machine's answers.
 */
#include "probe.h"
#include "vm.h" /* vm_fail() */

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const struct probe_cap wanted[] = {
	{"KVM_CAP_USER_MEMORY", "guest RAM from the VMM's memory", KVM_CAP_USER_MEMORY, 1, 0},
	{"KVM_CAP_EXT_CPUID", "the guest's CPUID table", KVM_CAP_EXT_CPUID, 1, 0},
	{"KVM_CAP_SET_TSS_ADDR", "real mode on Intel CPUs", KVM_CAP_SET_TSS_ADDR, 1, 0},
	{"KVM_CAP_IMMEDIATE_EXIT", "stopping a vCPU (--timeout)", KVM_CAP_IMMEDIATE_EXIT, 1, 0},
	{"KVM_CAP_NR_VCPUS", "vCPUs recommended per VM", KVM_CAP_NR_VCPUS, 0, 0},
	{"KVM_CAP_MAX_VCPUS", "vCPUs allowed per VM", KVM_CAP_MAX_VCPUS, 0, 0},
	{"KVM_CAP_NR_MEMSLOTS", "memory slots per VM", KVM_CAP_NR_MEMSLOTS, 0, 0},
	{"KVM_CAP_IRQCHIP", "an in-kernel interrupt controller", KVM_CAP_IRQCHIP, 0, 0},
};

/*
 * Stage 03.1 (README "Stage 1 · probe", step 1): asks the KVM device fd
 * its API version (the KVM_GET_API_VERSION ioctl, no argument) and keeps
 * the answer in p->api_version. Returns 0 for 12 (KVM_API_VERSION), else
 * vm_fail(err, code, "KVM_GET_API_VERSION") with code -EPROTO for any
 * other version, -errno when the ioctl itself fails.
 */
static int check_version(int fd, struct probe *p, struct vmlab_err *err)
{
	/* >>> SOLUTION 03.1: KVM_GET_API_VERSION into p->api_version; 12 or -EPROTO */
	p->api_version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (p->api_version < 0)
		return vm_fail(err, -errno, "KVM_GET_API_VERSION");
	if (p->api_version != KVM_API_VERSION)
		return vm_fail(err, -EPROTO, "KVM_GET_API_VERSION");
	return 0;
	/* === STUB
	(void)fd;
	(void)p;
	return vm_fail(err, -ENOSYS, "probe (not written yet)");
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.1: fills p->cap[] with the table wanted[] above (p->ncap of
 * them, in its order) and asks KVM_CHECK_EXTENSION (argument: the cap's
 * id) for each: value = the answer when it is > 0, else 0 (absent). Counts
 * in p->missing the required capabilities whose value is 0.
 * Stage 03.1, README "Stage 1 · probe".
 */
static void check_caps(int fd, struct probe *p)
{
	/* >>> SOLUTION 03.1: copy wanted[] into p->cap, KVM_CHECK_EXTENSION each, count missing required */
	p->ncap = sizeof(wanted) / sizeof(wanted[0]);
	memcpy(p->cap, wanted, sizeof(wanted));
	for (unsigned i = 0; i < p->ncap; i++) {
		int v = ioctl(fd, KVM_CHECK_EXTENSION, p->cap[i].id);

		p->cap[i].value = v > 0 ? v : 0;
		if (p->cap[i].required && p->cap[i].value == 0)
			p->missing++;
	}
	/* === STUB
	(void)fd;
	(void)p;
	(void)wanted;
	*/
	/* <<< SOLUTION */
}

int probe_kvm(const char *dev, struct probe *p, struct vmlab_err *err)
{
	int fd, vm, r;

	memset(p, 0, sizeof(*p));
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vm_fail(err, -errno, "open");
	r = check_version(fd, p, err);
	if (r)
		goto out;
	check_caps(fd, p);
	/* Opening is not enough (a nested setup may refuse): make a VM. */
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0) {
		r = vm_fail(err, -errno, "KVM_CREATE_VM");
		goto out;
	}
	close(vm);
	p->vm_ok = 1;
	r = p->missing ? -ENOTSUP : 0;
out:
	close(fd);
	return r;
}
