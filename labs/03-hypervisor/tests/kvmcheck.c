/*
 * kvmcheck: exit 0 when this machine's /dev/kvm can create a VM, else 1.
 *
 * `make test` asks it where to run the KVM tests: here, or inside labvm.
 * It is separate from vmm on purpose: a student's half-written vmm must
 * not send the tests to labvm on a machine whose KVM works.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>

int main(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	return fd >= 0 && ioctl(fd, KVM_CREATE_VM, 0) >= 0 ? 0 : 1;
}
