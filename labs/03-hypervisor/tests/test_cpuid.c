/*
 * test_cpuid: the hypervisor leaf in a CPUID table (no KVM: a table made
 * by hand, shaped like what KVM_GET_SUPPORTED_CPUID returns).
 */
#include "graded.h"
#include "cpuid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct kvm_cpuid2 *table(unsigned cap, const unsigned *fns, unsigned n)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + cap * sizeof(c->entries[0]));

	cr_assert(c);
	for (unsigned i = 0; i < n; i++) {
		c->entries[i].function = fns[i];
		c->entries[i].eax = 0x1000 + i;
	}
	c->nent = n;
	return c;
}

GRADED(cpuid, signature_replaces_kvms, 2, "03.2 real mode", 5)
{
	static const unsigned fns[] = {0, 1, 0x40000000, 0x40000001, 0x80000001};
	struct kvm_cpuid2 *c = table(8, fns, 5);
	struct kvm_cpuid_entry2 *e;
	char sig[13] = {0};

	memcpy(&c->entries[2].ebx, "KVMKVMKVM\0\0\0", 4);
	cr_assert_eq(cpuid_set_signature(c, 8, "vmlabvmlabvm"), 0);
	cr_assert_eq(c->nent, 4, "0x40000001 (KVM's own features) is gone");
	cr_assert_null(cpuid_find(c, 0x40000001, 0));
	e = cpuid_find(c, 0x40000000, 0);
	cr_assert_not_null(e);
	cr_assert_eq(e->eax, 0x40000000);
	memcpy(sig, &e->ebx, 4);
	memcpy(sig + 4, &e->ecx, 4);
	memcpy(sig + 8, &e->edx, 4);
	cr_assert_str_eq(sig, "vmlabvmlabvm");
	cr_assert_eq(cpuid_find(c, 0x80000001, 0)->eax, 0x1004, "others kept");
	cr_assert(cpuid_find(c, 1, 0)->ecx & (1u << 31), "hypervisor bit set");
	free(c);
}

GRADED(cpuid, signature_added_when_absent, 1, "03.2 real mode", 5)
{
	static const unsigned fns[] = {0, 1};
	struct kvm_cpuid2 *c = table(3, fns, 2), *full = table(2, fns, 2);

	cr_assert_eq(cpuid_set_signature(c, 3, "vmlabvmlabvm"), 0);
	cr_assert_eq(c->nent, 3);
	cr_assert_not_null(cpuid_find(c, 0x40000000, 0));
	cr_assert_eq(cpuid_set_signature(full, 2, "vmlabvmlabvm"), -ENOSPC);
	free(c);
	free(full);
}

GRADED(cpuid, vcpu_count_leaf, 1, "03.8 guest OS", 5)
{
	static const unsigned fns[] = {0, 1, 0x40000000};
	struct kvm_cpuid2 *c = table(5, fns, 3);

	cr_assert_eq(cpuid_set_signature(c, 5, "vmlabvmlabvm"), 0);
	cr_assert_eq(cpuid_set_vcpus(c, 5, 6), 0);
	cr_assert_eq(cpuid_find(c, 0x40000001, 0)->eax, 6);
	cr_assert_eq(cpuid_find(c, 0x40000000, 0)->eax, 0x40000001,
		     "the highest hypervisor leaf now includes it");
	free(c);
}
