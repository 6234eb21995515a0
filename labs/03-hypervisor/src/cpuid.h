/*
 * cpuid: the CPUID table a guest sees.
 *
 *   cpuid_supported()   what this host's KVM can offer (KVM_GET_SUPPORTED_CPUID)
 *   cpuid_set_signature()  mark the hypervisor leaf 0x40000000 as vmlab's
 *   cpuid_find()        one entry of a table
 *
 * A VMM must hand KVM a CPUID table (KVM_SET_CPUID2) before it can enter
 * long mode: KVM refuses EFER.LME unless the guest's CPUID says "long mode".
 * Leaf 0x40000000 is where a hypervisor names itself (KVM says "KVMKVMKVM");
 * a guest that reads it learns it runs in a virtual machine, and whose.
 */
#ifndef VMM_CPUID_H
#define VMM_CPUID_H

#include <linux/kvm.h>

#define CPUID_HV_LEAF 0x40000000u

/*
 * Returns the supported table of the KVM system fd kvm, with room for
 * `spare` more entries (free() it), or NULL with errno set.
 */
struct kvm_cpuid2 *cpuid_supported(int kvm, unsigned spare);

/*
 * Makes leaf 0x40000000 say sig (12 bytes) with EAX = 0x40000000 (no
 * further hypervisor leaves) and removes leaves 0x40000001-0x400000ff
 * (KVM's own paravirtual features, which this VMM does not provide), and
 * sets the "hypervisor present" bit (leaf 1, ECX bit 31).
 * The table has room for cap entries. Returns 0, or -ENOSPC.
 */
int cpuid_set_signature(struct kvm_cpuid2 *c, unsigned cap, const char *sig);

/*
 * Makes leaf ABI_CPUID_VCPUS_LEAF (0x40000001) say n vCPUs in EAX and
 * raises the highest hypervisor leaf to it. Call after
 * cpuid_set_signature(). Returns 0, or -ENOSPC.
 */
int cpuid_set_vcpus(struct kvm_cpuid2 *c, unsigned cap, unsigned n);

/* The entry for (function, index), or NULL. */
struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c, unsigned function,
				    unsigned index);

#endif /* VMM_CPUID_H */
