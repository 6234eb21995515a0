/*
 * Tests of hi_virt: CPUID signatures, the VM-or-not conclusion on fixture
 * machines, and /dev/kvm on this machine.
 */
#include "hi_virt.h"

#include "graded.h"
#include "hi_cpu.h"
#include "live.h"
#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

GRADED(virt, signatures, 2, "01.6 virtualization", 5)
{
	cr_expect_str_eq(hi_virt_vendor("KVMKVMKVM\0\0\0"), "KVM");
	cr_expect_str_eq(hi_virt_vendor("Microsoft Hv"), "Hyper-V");
	cr_expect_str_eq(hi_virt_vendor("VMwareVMware"), "VMware");
	cr_expect_str_eq(hi_virt_vendor("XenVMMXenVMM"), "Xen");
	cr_expect_str_eq(hi_virt_vendor("VBoxVBoxVBox"), "VirtualBox");
	cr_expect_str_eq(hi_virt_vendor("TCGTCGTCGTCG"), "QEMU TCG");
	cr_expect_null(hi_virt_vendor("KVMKVMKVMxyz"), "all 12 bytes count");
	cr_expect_null(hi_virt_vendor("GenuineIntel"));
}

/* Reads cpu + virt of a fixture machine. */
static void read_fixture(const char *name, struct hi_cpu *c, struct hi_virt *v)
{
	const char *root = fixture(name);

	cr_assert_eq(hi_cpu_read(root, c, NULL), 0);
	cr_assert_eq(hi_virt_read(root, &c->info, v, NULL), 0);
}

GRADED(virt, fixture_conclusions, 2, "01.6 virtualization", 5)
{
	static struct hi_cpu c;
	struct hi_virt v;
	char s[256];

	read_fixture("xeon-2s", &c, &v);
	cr_expect_eq(v.is_vm, 0, "Dell hardware, no hypervisor flag");
	cr_expect_eq(v.kvm, HI_KVM_NOT_CHECKED);
	hi_virt_summary(&v, &c.info, s, sizeof(s));
	cr_expect_str_eq(s,
			 "This server is a physical machine; /dev/kvm was not "
			 "checked (a captured tree, not this machine).");
	read_fixture("epyc-vm", &c, &v);
	cr_expect_eq(v.is_vm, 1, "the hypervisor flag of cpuinfo");
	read_fixture("rpi4-arm64", &c, &v);
	cr_expect_eq(v.is_vm, 0);
	cr_expect_str_eq(v.board, "Raspberry Pi 4 Model B Rev 1.4");
}

GRADED(virt, summary_sentences, 0, "01.6 virtualization", 5)
{
	struct hi_cpuinfo ci = {.has_flags = 1, .vmx = 1};
	struct hi_virt v = {
	    .is_vm = 1, .hypervisor = "KVM", .kvm = HI_KVM_ABSENT};
	char s[256];

	hi_virt_summary(&v, &ci, s, sizeof(s));
	cr_expect(strstr(s, "This server is itself a virtual machine (KVM); it "
			    "cannot run KVM guests yet: no /dev/kvm"),
		  "%s", s);
	v.kvm = HI_KVM_USABLE;
	hi_virt_summary(&v, &ci, s, sizeof(s));
	cr_expect(strstr(s, "nested virtualization"), "%s", s);
}

GRADED(virt, live_cpuid_and_kvm, 2, "01.6 virtualization", 10)
{
	static struct hi_cpu c;
	struct hi_virt v;
	int fd, vm;

	cr_assert_eq(hi_cpu_read("/", &c, NULL), 0);
	cr_assert_eq(hi_virt_read("/", &c.info, &v, NULL), 0);
#if defined(__x86_64__) || defined(__i386__)
	cr_expect(v.cpuid_checked);
	cr_expect_eq(v.cpuid_hypervisor, c.info.hypervisor,
		     "CPUID and /proc/cpuinfo's hypervisor flag agree");
#endif
	/* the test's own probe, to compare hostinfo's conclusion with */
	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0) {
		cr_expect(v.kvm == HI_KVM_ABSENT || v.kvm == HI_KVM_NO_ACCESS);
		return;
	}
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		cr_expect_eq(v.kvm, HI_KVM_BAD_API);   /* not KVM's device at all */
		close(fd);
		return;
	}
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	cr_expect_eq(v.kvm, vm >= 0 ? HI_KVM_USABLE : HI_KVM_NO_VM);
	if (vm >= 0)
		close(vm);
	close(fd);
}

/*
 * Witnesses beyond CPUID: vbox-guest is epyc-vm's capture with the
 * "hypervisor" flag taken out of cpuinfo (VirtualBox with paravirtualization
 * off shows none) and VirtualBox's PCI devices added: a made-up tree, for
 * the PCI witness. A tree with x86 flags alone proves nothing either way.
 */
GRADED(virt, witnesses_beyond_cpuid, 0, "01.6 virtualization", 5)
{
	static struct hi_cpu c;
	struct hi_virt v;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char s[256], dir[256], path[512], cmd[PATH_MAX + 1024];

	read_fixture("vbox-guest", &c, &v);
	cr_expect_eq(v.is_vm, 1, "VirtualBox's PCI vendor id 0x80ee");
	cr_expect_str_eq(v.evidence, "PCI vendor ids");
	cr_expect_str_eq(v.hypervisor, "VirtualBox");
	cr_expect_eq(v.pci_vendor, 0x80eeu);

	/* cpuinfo flags without "hypervisor", and nothing else: unknown */
	snprintf(dir, sizeof(dir), "%s/hi-virt-XXXXXX", tmp);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/proc", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(cmd, sizeof(cmd), "cp %s/vbox-guest/proc/cpuinfo %s/proc/",
		 fixtures_dir(), dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(hi_cpu_read(dir, &c, NULL), 0);
	cr_assert_eq(hi_virt_read(dir, &c.info, &v, NULL), 0);
	cr_expect_eq(v.is_vm, -1, "x86 flags alone prove nothing");
	hi_virt_summary(&v, &c.info, s, sizeof(s));
	cr_expect(strstr(s, "may or may not be a virtual machine (unknown"), "%s", s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}
