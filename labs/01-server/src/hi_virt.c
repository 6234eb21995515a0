/*
 * hi_virt: is this server itself a virtual machine, and can it run some?
 *
 * Three witnesses, strongest first: CPUID (the hypervisor answers it for
 * the guest, so it cannot be faked by a file), the firmware's DMI strings,
 * and the "hypervisor" flag of /proc/cpuinfo (what a captured tree keeps of
 * CPUID). Whether the machine can host VMs itself is tested, not guessed:
 * open /dev/kvm, check the API version, create a VM and close it again.
 */
#include "hi_virt.h"

#include "hi_cpu.h"
#include "hi_diag.h"
#include "hi_file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

const char *hi_virt_vendor(const char sig[12])
{
	/* >>> SOLUTION 01.6: compare all 12 bytes (KVM pads with NULs) against the known signatures */
	static const struct {
		const char sig[13];
		const char *name;
	} known[] = {
		{ "KVMKVMKVM\0\0\0", "KVM" },
		{ "Linux KVM Hv", "KVM (Hyper-V interface)" },
		{ "Microsoft Hv", "Hyper-V" },
		{ "VMwareVMware", "VMware" },
		{ "XenVMMXenVMM", "Xen" },
		{ "VBoxVBoxVBox", "VirtualBox" },
		{ "TCGTCGTCGTCG", "QEMU TCG" },
		{ " lrpepyh  vr", "Parallels" },
		{ "bhyve bhyve ", "bhyve" },
		{ "ACRNACRNACRN", "ACRN" },
		{ " QNXQVMBSQG ", "QNX" },
		{ "HAXMHAXMHAXM", "HAXM" },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (memcmp(sig, known[i].sig, 12) == 0)
			return known[i].name;
	return NULL;
	/* === STUB
	(void)sig;
	return NULL;
	*/
	/* <<< SOLUTION */
}

/* CPUID leaf 1 ECX[31], then the signature of leaf 0x40000000. */
static void cpuid_read(struct hi_virt *v)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;
	char sig[12];

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return;
	v->cpuid_checked = 1;
	v->cpuid_hypervisor = (c >> 31) & 1; /* the hypervisor-present bit */
	if (!v->cpuid_hypervisor)
		return; /* leaf 0x40000000 means nothing on bare metal */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4); /* the signature is EBX, ECX, EDX in that order */
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	v->hypervisor = hi_virt_vendor(sig);
	for (int i = 0; i < 12; i++) { /* printable, for the report */
		int ok = sig[i] >= 32 && sig[i] <= 126;
		v->signature[i] = sig[i] == 0 ? 0 : ok ? sig[i] : '.';
	}
	v->signature[12] = '\0';
#else
	(void)v;
#endif
}

/* >>> SOLUTION 01.6: name a hypervisor from the DMI strings; conclude from the strongest witness there is */
/* A hypervisor's name from DMI strings, or NULL for real hardware. */
static const char *dmi_hypervisor(const char *vendor, const char *product)
{
	static const struct {
		const char *needle, *name;
	} hints[] = {
		{ "QEMU", "QEMU" },
		{ "KVM", "KVM" },
		{ "VMware", "VMware" },
		{ "VirtualBox", "VirtualBox" },
		{ "innotek", "VirtualBox" },
		{ "Xen", "Xen" },
		{ "Virtual Machine", "Hyper-V" },
		{ "Amazon EC2", "Amazon EC2 (Nitro/KVM)" },
		{ "Google Compute Engine", "Google Compute Engine (KVM)" },
		{ "OpenStack", "OpenStack (KVM)" },
		{ "Parallels", "Parallels" },
		{ "BHYVE", "bhyve" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(vendor, hints[i].needle) ||
		    strstr(product, hints[i].needle))
			return hints[i].name;
	return NULL;
}

/* Decides is_vm from the strongest witness available. */
static void conclude(struct hi_virt *v, const struct hi_cpuinfo *ci)
{
	const char *dmi = dmi_hypervisor(v->dmi_vendor, v->dmi_product);

	v->is_vm = -1;
	v->evidence = "nothing";
	if (v->cpuid_checked) {
		v->is_vm = v->cpuid_hypervisor;
		v->evidence = "CPUID";
	} else if (ci && ci->hypervisor) {
		v->is_vm = 1;
		v->evidence = "the cpuinfo \"hypervisor\" flag";
	} else if (dmi || v->dmi_vendor[0]) {
		v->is_vm = dmi != NULL;
		v->evidence = "DMI";
	} else if (ci && ci->has_flags) {
		v->is_vm = 0; /* x86 flags without "hypervisor" */
		v->evidence = "cpuinfo flags";
	} else if (v->board[0]) { /* ARM boards name themselves */
		v->is_vm = strstr(v->board, "virt") || strstr(v->board, "QEMU");
		v->evidence = "the device tree";
	}
	if (v->is_vm == 1 && !v->hypervisor)
		v->hypervisor = dmi;
}
/* === STUB
static void conclude(struct hi_virt *v, const struct hi_cpuinfo *ci)
{
	(void)ci;
	v->is_vm = -1;
	v->evidence = "nothing";
}
*/
/* <<< SOLUTION */

/* Open /dev/kvm, check the API, create and drop one VM. */
static void kvm_probe(struct hi_virt *v)
{
	/* >>> SOLUTION 01.6: open /dev/kvm, check the API version, create a VM and close it; say which step failed */
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;

	if (fd < 0) {
		v->kvm_errno = errno;
		v->kvm = errno == ENOENT ? HI_KVM_ABSENT : HI_KVM_NO_ACCESS;
		return;
	}
	v->kvm_api = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (v->kvm_api != KVM_API_VERSION) { /* 12 since 2007 */
		v->kvm_errno = v->kvm_api < 0 ? errno : 0;
		v->kvm = HI_KVM_BAD_API;
	} else if ((vm = ioctl(fd, KVM_CREATE_VM, 0)) < 0) {
		v->kvm_errno = errno;
		v->kvm = HI_KVM_NO_VM;
	} else {
		close(vm);
		v->kvm = HI_KVM_USABLE;
	}
	close(fd);
	/* === STUB
	v->kvm = HI_KVM_NOT_CHECKED;
	*/
	/* <<< SOLUTION */
}

int hi_virt_read(const char *root, const struct hi_cpuinfo *ci,
		 struct hi_virt *v, struct hi_diags *ds)
{
	const char *dmi = "sys/class/dmi/id";
	char rel[64];

	/* every source here is optional; only running out of memory is said */
	memset(v, 0, sizeof(*v));
	if (hi_root_is_live(root))
		cpuid_read(v);
	snprintf(rel, sizeof(rel), "%s/sys_vendor", dmi);
	(void)hi_diag_nomem(ds, root, rel,
			    hi_file_line(root, rel, v->dmi_vendor, sizeof(v->dmi_vendor)));
	snprintf(rel, sizeof(rel), "%s/product_name", dmi);
	(void)hi_diag_nomem(ds, root, rel,
			    hi_file_line(root, rel, v->dmi_product, sizeof(v->dmi_product)));
	snprintf(rel, sizeof(rel), "sys/firmware/devicetree/base/model");
	(void)hi_diag_nomem(ds, root, rel, hi_file_line(root, rel, v->board, sizeof(v->board)));
	conclude(v, ci);
	if (hi_root_is_live(root))
		kvm_probe(v);
	return 0;
}

/* What /dev/kvm's state means for running guests, as a clause. */
static const char *kvm_clause(const struct hi_virt *v,
			      const struct hi_cpuinfo *ci)
{
	int hw = ci && (ci->vmx || ci->svm);

	switch (v->kvm) {
	case HI_KVM_USABLE:
		if (v->is_vm == 1)
			return "it can run KVM guests too: /dev/kvm works "
			       "(nested virtualization)";
		return "it can run KVM guests: /dev/kvm works";
	case HI_KVM_ABSENT:
		if (hw)
			return "it cannot run KVM guests yet: no /dev/kvm, "
			       "though the CPU offers VT-x/AMD-V (load "
			       "kvm_intel or kvm_amd)";
		return "it cannot run KVM guests: no /dev/kvm";
	case HI_KVM_NO_ACCESS:
		return "/dev/kvm exists but cannot be opened by this user "
		       "(join the kvm group)";
	case HI_KVM_BAD_API:
		return "/dev/kvm answers with an unknown API version";
	case HI_KVM_NO_VM:
		return "/dev/kvm opens but refuses to create a VM "
		       "(KVM_CREATE_VM)";
	default:
		return "/dev/kvm was not checked (a captured tree, "
		       "not this machine)";
	}
}

int hi_virt_summary(const struct hi_virt *v, const struct hi_cpuinfo *ci,
		    char *buf, size_t size)
{
	const char *what = "may or may not be a virtual machine "
			   "(no CPUID, no DMI)";

	if (v->is_vm == 1)
		what = "is itself a virtual machine";
	else if (v->is_vm == 0)
		what = "is a physical machine";
	if (v->is_vm == 1 && v->hypervisor)
		snprintf(buf, size, "This server %s (%s); %s.", what,
			 v->hypervisor, kvm_clause(v, ci));
	else
		snprintf(buf, size, "This server %s; %s.", what,
			 kvm_clause(v, ci));
	return 0;
}
