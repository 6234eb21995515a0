/*
 * kvm_probe.c: the smallest real use of /dev/kvm, run inside labvm by the
 * tests (static: the guest has no libraries).
 *
 * Opens /dev/kvm, requires API version 12, creates a VM with one page of
 * memory holding a real-mode guest (out 0x10, al=42; hlt), runs it, and
 * requires exactly two exits: KVM_EXIT_IO with the byte 42, then KVM_EXIT_HLT.
 * Prints one line per step; exits 0 when all pass, 1 at the first failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_ADDR 0x1000

static const uint8_t guest[] = {
	0xb0, 0x2a,  /* mov al, 42 */
	0xe6, 0x10,  /* out 0x10, al */
	0xf4,        /* hlt */
};

static int fail(const char *what)
{
	printf("kvm_probe: %s: %s\n", what, strerror(errno));
	return 1;
}

static int setup_vcpu(int vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	/* Real mode: the code segment starts at 0, so RIP is the guest address. */
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_ADDR;
	regs.rflags = 0x2; /* bit 1 is reserved and must be set */
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");
	return 0;
}

static int run_guest(int vcpu, struct kvm_run *run)
{
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return fail("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_IO || run->io.port != 0x10 ||
	    *((uint8_t *)run + run->io.data_offset) != 42) {
		printf("kvm_probe: expected KVM_EXIT_IO on port 0x10, got exit %u\n",
		       run->exit_reason);
		return 1;
	}
	printf("kvm_probe: KVM_EXIT_IO port 0x10 value 42\n");
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return fail("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_HLT) {
		printf("kvm_probe: expected KVM_EXIT_HLT, got exit %u\n", run->exit_reason);
		return 1;
	}
	printf("kvm_probe: KVM_EXIT_HLT\n");
	return 0;
}

int main(void)
{
	int kvm, vm, vcpu, api, size;
	struct kvm_userspace_memory_region region;
	struct kvm_run *run;
	void *mem;

	if ((kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0)
		return fail("open /dev/kvm");
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	printf("kvm_probe: KVM_GET_API_VERSION %d\n", api);
	if (api != 12)
		return 1;
	if ((vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0)
		return fail("KVM_CREATE_VM");
	mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	memcpy(mem, guest, sizeof(guest));
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = GUEST_ADDR, .memory_size = 0x1000,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");
	if ((vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0)
		return fail("KVM_CREATE_VCPU");
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (size < 0 || run == MAP_FAILED)
		return fail("mmap kvm_run");
	if (setup_vcpu(vcpu) || run_guest(vcpu, run))
		return 1;
	printf("kvm_probe: ok\n");
	return 0;
}
