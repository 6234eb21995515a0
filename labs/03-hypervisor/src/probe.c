/*
 * probe: the first conversation with /dev/kvm.
 *
 * The table below is the list of promises vmm relies on; `vmm probe`
 * prints it with this machine's answers.
 */
#include "probe.h"

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

/* >>> SOLUTION 03.1: KVM_GET_API_VERSION must be 12; ask KVM_CHECK_EXTENSION for each cap */
static int check_version(int fd, struct probe *p, const char **what)
{
	p->api_version = ioctl(fd, KVM_GET_API_VERSION, 0);
	*what = "KVM_GET_API_VERSION";
	if (p->api_version < 0)
		return -errno;
	return p->api_version == KVM_API_VERSION ? 0 : -EPROTO;
}

static void check_caps(int fd, struct probe *p)
{
	p->ncap = sizeof(wanted) / sizeof(wanted[0]);
	memcpy(p->cap, wanted, sizeof(wanted));
	for (unsigned i = 0; i < p->ncap; i++) {
		int v = ioctl(fd, KVM_CHECK_EXTENSION, p->cap[i].id);

		p->cap[i].value = v > 0 ? v : 0;
		if (p->cap[i].required && p->cap[i].value == 0)
			p->missing++;
	}
}
/* === STUB
static int check_version(int fd, struct probe *p, const char **what)
{
	(void)fd;
	(void)p;
	(void)wanted;
	*what = "probe (not written yet)";
	return -ENOSYS;
}

static void check_caps(int fd, struct probe *p)
{
	(void)fd;
	(void)p;
}
*/
/* <<< SOLUTION */

int probe_kvm(const char *dev, struct probe *p, const char **what)
{
	int fd, vm, r;

	memset(p, 0, sizeof(*p));
	*what = "open";
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = check_version(fd, p, what);
	if (r)
		goto out;
	check_caps(fd, p);
	/* Opening is not enough (a nested setup may refuse): make a VM. */
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0) {
		r = -errno;
		*what = "KVM_CREATE_VM";
		goto out;
	}
	close(vm);
	p->vm_ok = 1;
	r = p->missing ? -ENOTSUP : 0;
out:
	close(fd);
	return r;
}
