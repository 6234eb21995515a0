/*
 * bare: the smallest program that runs a guest on KVM, for comparison.
 *
 *   bare FLAT.bin ADDR      run a real-mode flat binary loaded at ADDR
 *
 * The benchmark's baseline: the same guest as `vmm run --mode real`, with
 * nothing but the KVM_RUN loop around it. Port writes go to stdout through
 * stdio, as vmm's console buffers them; HLT ends it. No checks, no
 * diagnostics, no statistics: whatever vmm spends beyond this per exit is
 * the price of being a real VMM.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM (1 << 20)

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int setup(const char *path, uint64_t addr, struct kvm_run **run)
{
	int kvm = open("/dev/kvm", O_RDWR), vm, vcpu, fd;
	uint8_t *mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kvm_userspace_memory_region r = {0, 0, 0, MEM, 0};
	struct kvm_sregs s;
	struct kvm_regs regs = {.rip = addr & 0xffff, .rflags = 2};

	if (kvm < 0 || mem == MAP_FAILED)
		die("open /dev/kvm or mmap");
	if ((fd = open(path, O_RDONLY)) < 0 || read(fd, mem + addr, MEM - addr) <= 0)
		die(path);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	r.userspace_addr = (uintptr_t)mem;
	if (vm < 0 || ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000) < 0 ||
	    ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		die("KVM_CREATE_VM");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	*run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		    PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (vcpu < 0 || *run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
		die("KVM_CREATE_VCPU");
	s.cs.selector = (uint16_t)((addr >> 4) & 0xf000);
	s.cs.base = (uint64_t)s.cs.selector << 4;
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS");
	return vcpu;
}

int main(int argc, char **argv)
{
	struct kvm_run *run;
	int vcpu;

	if (argc != 3) {
		fprintf(stderr, "usage: bare FLAT.bin ADDR\n");
		return 2;
	}
	vcpu = setup(argv[1], strtoull(argv[2], NULL, 0), &run);
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			die("KVM_RUN");
		if (run->exit_reason == KVM_EXIT_IO) {
			char *p = (char *)run + run->io.data_offset;

			fwrite(p, run->io.size, run->io.count, stdout);
			if (*p == '\n')
				fflush(stdout);
		} else if (run->exit_reason == KVM_EXIT_HLT) {
			return 0;
		} else {
			fprintf(stderr, "exit reason %u\n", run->exit_reason);
			return 1;
		}
	}
}
