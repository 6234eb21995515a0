/*
 * kvmcheck: exit 0 when this machine's /dev/kvm can create a VM, else 1.
 * kvmcheck --hardware: exit 0 when the CPU shows hardware virtualization
 * (vmx or svm, vmlab_hwvirt.h), else 1: without it a working /dev/kvm
 * (kvm_pvm) runs the small guests but not the Linux boot.
 *
 * `make test` asks it where to run the KVM tests: here, or inside labvm.
 * It is separate from vmm on purpose: a student's half-written vmm must
 * not send the tests to labvm on a machine whose KVM works.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>

#include "vmlab_hwvirt.h"

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--hardware"))
		return vmlab_hwvirt() ? 0 : 1;
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	return fd >= 0 && ioctl(fd, KVM_CREATE_VM, 0) >= 0 ? 0 : 1;
}
