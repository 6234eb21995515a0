/*
 * grade_kvm.c: the /dev/kvm probe (grade_kvm.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "grade_kvm.h"

int grade_kvm_probe(const char **step)
{
	int kvm, vm = -1, cpu = -1, rc = 0;
	*step = "open /dev/kvm";
	if (getenv("GRADE_NO_KVM"))
		return -ENODEV;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return -errno;
	*step = "KVM_GET_API_VERSION";
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		rc = -EINVAL;
		goto out;
	}
	*step = "KVM_CREATE_VM";
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		rc = -errno;
		goto out;
	}
	*step = "KVM_CREATE_VCPU";
	cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (cpu < 0)
		rc = -errno;
out:
	if (cpu >= 0)
		close(cpu);
	if (vm >= 0)
		close(vm);
	close(kvm);
	return rc;
}
