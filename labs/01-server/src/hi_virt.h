/*
 * hi_virt: is this server itself a virtual machine, and can it run some?
 *
 *   hi_virt_vendor(sig)            CPUID leaf 0x40000000 signature -> name
 *   hi_virt_read(root, ci, &v, ds) CPUID, /sys/hypervisor, DMI, PCI ids,
 *                                  device tree, /dev/kvm
 *   hi_virt_summary(&v, ci, buf)   the conclusion in one sentence
 *
 * A hypervisor tells its guests that they are guests: CPUID leaf 1 sets ECX
 * bit 31 (the "hypervisor" flag of /proc/cpuinfo), and leaf 0x40000000
 * returns a 12-byte vendor signature in EBX, ECX, EDX. Firmware tables (DMI)
 * usually name the virtual hardware too ("QEMU", "VMware, Inc."), and the
 * devices a hypervisor emulates carry their maker's PCI vendor id (VirtualBox
 * 0x80ee, virtio 0x1af4). A guest can hide some witnesses, but bare metal
 * has none of them: one is enough to say "virtual machine"; "physical" needs
 * firm ground (CPUID itself, or DMI and CPU flags together); else "unknown".
 */
#ifndef HI_VIRT_H
#define HI_VIRT_H

#include <stddef.h>

struct hi_cpuinfo;
struct hi_diags;

enum hi_kvm {
	HI_KVM_NOT_CHECKED,      /* a captured tree: only a live machine says */
	HI_KVM_ABSENT,           /* no /dev/kvm */
	HI_KVM_NO_ACCESS,        /* open() refused (permissions) */
	HI_KVM_BAD_API,          /* KVM_GET_API_VERSION is not 12 */
	HI_KVM_NO_VM,            /* KVM_CREATE_VM failed */
	HI_KVM_USABLE,           /* a VM was created (and closed again) */
};

struct hi_virt {
	int cpuid_checked;       /* CPUID was executed (live x86 only) */
	int cpuid_hypervisor;    /* leaf 1, ECX bit 31 */
	char signature[13];      /* leaf 0x40000000, NUL-terminated */
	const char *hypervisor;  /* name from the signature or DMI, or NULL */
	char dmi_vendor[64];     /* /sys/class/dmi/id/sys_vendor */
	char dmi_product[64];    /* /sys/class/dmi/id/product_name */
	char board[128];         /* device tree model (ARM boards) */
	char xen[16];            /* /sys/hypervisor/type ("xen"), or "" */
	unsigned pci_vendor;     /* first PCI vendor id of virtual hardware, or 0 */
	const char *pci_hypervisor; /* whose hardware that id is, or NULL */
	int is_vm;               /* 1 yes, 0 no, -1 cannot tell */
	const char *evidence;    /* what is_vm rests on */
	enum hi_kvm kvm;
	int kvm_errno;           /* errno of the failing step */
	int kvm_api;             /* KVM_GET_API_VERSION */
};

/*
 * The hypervisor behind a 12-byte CPUID signature ("KVMKVMKVM\0\0\0" ->
 * "KVM", "Microsoft Hv" -> "Hyper-V", ...), or NULL for an unknown one.
 */
const char *hi_virt_vendor(const char sig[12]);

/*
 * Fills v for the machine under root; ci (may be NULL) gives the cpuinfo
 * flags that stand in for CPUID in a captured tree. Returns 0.
 */
int hi_virt_read(const char *root, const struct hi_cpuinfo *ci,
		 struct hi_virt *v, struct hi_diags *ds);

/* The conclusion as one sentence, e.g. "This server is itself a virtual
 * machine (KVM); it cannot run KVM guests: no /dev/kvm." Returns 0. */
int hi_virt_summary(const struct hi_virt *v, const struct hi_cpuinfo *ci,
		    char *buf, size_t size);

#endif /* HI_VIRT_H */
