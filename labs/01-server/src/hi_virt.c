/*
 * hi_virt: is this server itself a virtual machine, and can it run some?
 *
 * Witnesses, strongest first: CPUID (the hypervisor answers it for the
 * guest, so it cannot be faked by a file), /sys/hypervisor (Xen), the
 * "hypervisor" flag of /proc/cpuinfo (what a captured tree keeps of CPUID),
 * the firmware's DMI strings, the PCI vendor ids of the devices, the device
 * tree. systemd-detect-virt and lscpu ask the same sources. Whether the machine can host VMs itself is tested, not guessed:
 * open /dev/kvm, check the API version, create a VM and close it again.
 */
#include "hi_virt.h"

#include "hi_cpu.h"
#include "hi_diag.h"
#include "hi_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/*
 * The contract is in hi_virt.h. The name for each signature, exactly (the
 * tests and the report show it): "KVMKVMKVM\0\0\0" KVM, "Linux KVM Hv"
 * "KVM (Hyper-V interface)", "Microsoft Hv" Hyper-V, "VMwareVMware" VMware,
 * "XenVMMXenVMM" Xen, "VBoxVBoxVBox" VirtualBox, "TCGTCGTCGTCG" "QEMU TCG",
 * " lrpepyh  vr" Parallels, "bhyve bhyve " bhyve, "ACRNACRNACRN" ACRN,
 * " QNXQVMBSQG " QNX, "HAXMHAXMHAXM" HAXM; NULL for any other. sig is not
 * a string: compare all 12 bytes with memcmp. Stage 01.6, README "Steps" 6.
 */
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

/* Whose virtual hardware a PCI vendor id is, or NULL for anyone else's. */
static const char *pci_hypervisor(unsigned vendor)
{
	static const struct {
		unsigned id;
		const char *name;
	} ids[] = {
		{ 0x80ee, "VirtualBox" },
		{ 0x15ad, "VMware" },
		/* virtio: QEMU/KVM, bhyve, Firecracker... (and a few DPUs) */
		{ 0x1af4, "virtio devices: QEMU/KVM, bhyve, ..." },
		{ 0x1b36, "QEMU" },
		{ 0x1234, "QEMU (Bochs display)" },
		{ 0x1414, "Hyper-V" },
		{ 0x5853, "Xen" },
		{ 0x1ab8, "Parallels" },
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i].id == vendor)
			return ids[i].name;
	return NULL;
}

/* The first device on the PCI bus whose vendor is a hypervisor's. 0, or
 * -ENOMEM (a bus that could not be listed is never read as "no device"). */
static int pci_read(const char *root, struct hi_virt *v)
{
	char dir[4096], rel[512], line[16];
	struct dirent *e;
	DIR *d;

	if (hi_path(dir, sizeof(dir), root, "sys/bus/pci/devices"))
		return 0;
	if (!(d = opendir(dir)))
		return errno == ENOMEM ? -ENOMEM : 0; /* no PCI bus, or not captured */
	while (!v->pci_hypervisor && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%.200s/vendor", e->d_name);
		if (hi_file_line(root, rel, line, sizeof(line)) == 0) {
			unsigned id = (unsigned)strtoul(line, NULL, 16); /* "0x80ee" */
			v->pci_hypervisor = pci_hypervisor(id);
			v->pci_vendor = v->pci_hypervisor ? id : 0;
		}
	}
	closedir(d);
	return 0;
}

/*
 * A hypervisor's name from the DMI (firmware) strings vendor and product,
 * or NULL for real hardware. The first needle found in either string
 * (strstr, case matters) names it: "QEMU" QEMU, "KVM" KVM, "VMware" VMware,
 * "VirtualBox" or "innotek" VirtualBox, "Xen" Xen, "Virtual Machine"
 * Hyper-V, "Amazon EC2" "Amazon EC2 (Nitro/KVM)", "Google Compute Engine"
 * "Google Compute Engine (KVM)", "OpenStack" "OpenStack (KVM)", "Parallels"
 * Parallels, "BHYVE" bhyve. Stage 01.6, README "Steps" 6.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static const char *dmi_hypervisor(const char *vendor, const char *product)
{
	/* >>> SOLUTION 01.6: a table of the needles and names above, searched in order in both strings */
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
	/* === STUB
	(void)vendor;
	(void)product;
	return NULL;
	*/
	/* <<< SOLUTION */
}

/*
 * Records a witness that this is a virtual machine: v->is_vm = 1,
 * v->evidence = evidence, and v->hypervisor = name unless a name is already
 * there (CPUID's signature is the better one). Returns 1, so that the
 * witnesses chain with ||. Stage 01.6, README "Steps" 6.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int yes(struct hi_virt *v, const char *evidence, const char *name)
{
	/* >>> SOLUTION 01.6: three assignments, the name only when none is set; return 1 */
	v->is_vm = 1;
	v->evidence = evidence;
	if (!v->hypervisor)
		v->hypervisor = name;
	return 1;
	/* === STUB
	(void)v;
	(void)evidence;
	(void)name;
	return 1;
	*/
	/* <<< SOLUTION */
}

/*
 * Decides v->is_vm (1 VM, 0 physical, -1 cannot tell) and v->evidence, the
 * text the JSON report prints as "evidence". ci may be NULL. Any witness
 * decides "VM", checked in this order (the first wins), each through yes():
 *   CPUID said hypervisor (v->cpuid_checked and v->cpuid_hypervisor):
 *     "CPUID", named by DMI;   v->xen set: "/sys/hypervisor", "Xen";
 *   ci->hypervisor: "the cpuinfo \"hypervisor\" flag", named by DMI;
 *   DMI names one (dmi_hypervisor on v->dmi_vendor, v->dmi_product): "DMI";
 *   v->pci_hypervisor: "PCI vendor ids", named by it;
 *   v->board holds "virt" or "QEMU": "the device tree", "QEMU".
 * A VM still without a name takes v->pci_hypervisor's. "Physical" needs
 * firm ground: v->cpuid_checked ("CPUID"), or DMI naming a vendor while ci
 * has x86 flags without "hypervisor" ("DMI and cpuinfo flags"), or an ARM
 * board naming itself, v->board set ("the device tree"). Anything else is
 * -1 with evidence "nothing": a capture without DMI or PCI proves nothing.
 * Stage 01.6, README "Steps" 6.
 */
static void conclude(struct hi_virt *v, const struct hi_cpuinfo *ci)
{
	/* >>> SOLUTION 01.6: start at -1 and "nothing"; one || chain of the witnesses above, then the three grounds for "physical" */
	const char *dmi = dmi_hypervisor(v->dmi_vendor, v->dmi_product);
	int board_virt = strstr(v->board, "virt") || strstr(v->board, "QEMU");

	v->is_vm = -1;
	v->evidence = "nothing";
	if ((v->cpuid_checked && v->cpuid_hypervisor && yes(v, "CPUID", dmi)) ||
	    (v->xen[0] && yes(v, "/sys/hypervisor", "Xen")) ||
	    (ci && ci->hypervisor && yes(v, "the cpuinfo \"hypervisor\" flag", dmi)) ||
	    (dmi && yes(v, "DMI", dmi)) ||
	    (v->pci_hypervisor && yes(v, "PCI vendor ids", v->pci_hypervisor)) ||
	    (board_virt && yes(v, "the device tree", "QEMU"))) {
		if (!v->hypervisor) /* an unknown CPUID signature, say */
			v->hypervisor = v->pci_hypervisor;
		return;
	}
	if (v->cpuid_checked) {
		v->is_vm = 0; /* leaf 1, ECX bit 31 clear */
		v->evidence = "CPUID";
	} else if (v->dmi_vendor[0] && ci && ci->has_flags) {
		v->is_vm = 0;
		v->evidence = "DMI and cpuinfo flags";
	} else if (v->board[0]) { /* ARM boards name themselves */
		v->is_vm = 0;
		v->evidence = "the device tree";
	}
	/* === STUB
	(void)ci;
	v->is_vm = -1;
	v->evidence = "nothing";
	*/
	/* <<< SOLUTION */
}

/*
 * Can this machine run VMs? Sets v->kvm to the first step that failed, and
 * v->kvm_errno to its errno: open("/dev/kvm", O_RDWR | O_CLOEXEC) failing
 * with ENOENT is HI_KVM_ABSENT, any other failure HI_KVM_NO_ACCESS;
 * ioctl KVM_GET_API_VERSION not returning KVM_API_VERSION (12) is
 * HI_KVM_BAD_API (v->kvm_api holds what it returned; errno only if it
 * failed); ioctl KVM_CREATE_VM failing is HI_KVM_NO_VM; else the VM fd is
 * closed and it is HI_KVM_USABLE. Close every fd you opened.
 * Stage 01.6, README "Steps" 6.
 */
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
	snprintf(rel, sizeof(rel), "sys/hypervisor/type");
	(void)hi_diag_nomem(ds, root, rel, hi_file_line(root, rel, v->xen, sizeof(v->xen)));
	if (pci_read(root, v) == -ENOMEM)
		return hi_diag_nomem(ds, root, "sys/bus/pci/devices", -ENOMEM);
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
			   "(unknown: no CPUID, DMI, PCI or device tree decides)";

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
