/*
 * grade_kvm.c: the /dev/kvm probe (grade_kvm.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "grade_kvm.h"
#include "vmlab_hwvirt.h"

/* -en, err naming the step that failed. */
static int failed(struct vmlab_err *err, int en, const char *step)
{
	return vmlab_fail_named(err, -en, step, "%s: %s", step, strerror(en));
}

int grade_kvm_probe(struct vmlab_err *err)
{
	int kvm, vm = -1, cpu = -1, rc = 0;
	vmlab_err_clear(err);
	if (getenv("GRADE_NO_KVM"))
		return vmlab_fail_named(err, -ENODEV, "open /dev/kvm",
					"GRADE_NO_KVM is set: KVM counts as unusable");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return failed(err, errno, "open /dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		rc = failed(err, EINVAL, "KVM_GET_API_VERSION");
		goto out;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		rc = failed(err, errno, "KVM_CREATE_VM");
		goto out;
	}
	cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (cpu < 0)
		rc = failed(err, errno, "KVM_CREATE_VCPU");
out:
	if (cpu >= 0)
		close(cpu);
	if (vm >= 0)
		close(vm);
	close(kvm);
	return rc;
}

int grade_kvm_hardware(void)
{
	return getenv("GRADE_NO_HWVIRT") ? 0 : vmlab_hwvirt();
}
