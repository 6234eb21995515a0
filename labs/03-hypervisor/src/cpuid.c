/*
 * cpuid: the guest's CPUID table.
 *
 * The signature is 12 ASCII bytes returned in EBX, ECX, EDX (in that
 * order), the same convention the CPU vendor string uses at leaf 0.
 */
#include "cpuid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

struct kvm_cpuid2 *cpuid_supported(int kvm, unsigned spare)
{
	/* The kernel says E2BIG until the buffer is large enough. */
	for (unsigned n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
					      (n + spare) * sizeof(c->entries[0]));

		if (!c)
			return NULL;
		c->nent = n;
		if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		int en = errno;

		free(c);
		errno = en;
		if (en != E2BIG)
			return NULL;
	}
	errno = E2BIG;
	return NULL;
}

struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c, unsigned function,
				    unsigned index)
{
	for (unsigned i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		int indexed = e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX;

		if (e->function == function && (!indexed || e->index == index))
			return e;
	}
	return NULL;
}

/*
 * Stage 03.2 (README "Stage 2 · real mode"; cpuid.h has the contract; the
 * guest OS of stage 8 reads it): the c->nent entries of c, room for cap.
 *   1. remove leaves 0x40000001..0x400000ff (KVM's paravirtual ones),
 *      keeping the others in their order
 *   2. find leaf CPUID_HV_LEAF (cpuid_find(c, CPUID_HV_LEAF, 0)), or add
 *      it at the end (-ENOSPC when nent reaches cap); zero it, then
 *      function = CPUID_HV_LEAF, EAX = CPUID_HV_LEAF (the highest
 *      hypervisor leaf), EBX, ECX, EDX = sig's 12 bytes, 4 each, in order
 *      ("vmlabvmlabvm" where KVM alone says "KVMKVMKVM")
 *   3. set leaf 1's ECX bit 31, "a hypervisor is present", when leaf 1 is
 *      there (not every kernel's KVM sets it)
 * Returns 0, or -ENOSPC.
 */
int cpuid_set_signature(struct kvm_cpuid2 *c, unsigned cap, const char *sig)
{
	/* >>> SOLUTION 03.2: drop 0x40000001.., write leaf 0x40000000 (EAX, the 12 bytes), leaf 1 ECX bit 31 */
	unsigned n = 0;

	for (unsigned i = 0; i < c->nent; i++) {
		unsigned f = c->entries[i].function;

		if (f > CPUID_HV_LEAF && f <= CPUID_HV_LEAF + 0xff)
			continue; /* KVM's paravirtual leaves: not ours */
		c->entries[n++] = c->entries[i];
	}
	c->nent = n;
	struct kvm_cpuid_entry2 *e = cpuid_find(c, CPUID_HV_LEAF, 0);

	if (!e) {
		if (c->nent >= cap)
			return -ENOSPC;
		e = &c->entries[c->nent++];
	}
	memset(e, 0, sizeof(*e));
	e->function = CPUID_HV_LEAF;
	e->eax = CPUID_HV_LEAF; /* the highest hypervisor leaf */
	memcpy(&e->ebx, sig, 4);
	memcpy(&e->ecx, sig + 4, 4);
	memcpy(&e->edx, sig + 8, 4);
	/* Leaf 1, ECX bit 31: "a hypervisor is present". Not every kernel's
	 * KVM sets it in its supported table; the VMM must. */
	if ((e = cpuid_find(c, 1, 0)))
		e->ecx |= 1u << 31;
	return 0;
	/* === STUB
	(void)c;
	(void)cap;
	(void)sig;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.8 (README "Stage 8 · the guest OS", step 2): leaf 0x40000001
 * (CPUID_HV_LEAF + 1; found, or added when nent < cap) zeroed, function
 * set, EAX = n; then the EAX of leaf CPUID_HV_LEAF (the highest hypervisor
 * leaf) = 0x40000001. -ENOSPC without leaf CPUID_HV_LEAF or without room.
 */
int cpuid_set_vcpus(struct kvm_cpuid2 *c, unsigned cap, unsigned n)
{
	/* >>> SOLUTION 03.8: leaf 0x40000001 EAX = n, and 0x40000000 EAX points to it */
	struct kvm_cpuid_entry2 *hv = cpuid_find(c, CPUID_HV_LEAF, 0);
	struct kvm_cpuid_entry2 *e = cpuid_find(c, CPUID_HV_LEAF + 1, 0);

	if (!hv)
		return -ENOSPC;
	if (!e) {
		if (c->nent >= cap)
			return -ENOSPC;
		e = &c->entries[c->nent++];
	}
	memset(e, 0, sizeof(*e));
	e->function = CPUID_HV_LEAF + 1;
	e->eax = n;
	hv->eax = CPUID_HV_LEAF + 1; /* now the highest hypervisor leaf */
	return 0;
	/* === STUB
	(void)c;
	(void)cap;
	(void)n;
	return 0;
	*/
	/* <<< SOLUTION */
}
