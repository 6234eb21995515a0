/*
 * probe: is KVM here, and can it do what vmm needs?
 *
 *   probe_kvm()   open /dev/kvm, check the API version, the capabilities,
 *                 and create (then drop) one VM to prove it works
 *
 * The KVM API is versioned once and extended by capabilities: a program
 * asks KVM_CHECK_EXTENSION for each feature it relies on instead of
 * guessing from the kernel version.
 */
#ifndef VMM_PROBE_H
#define VMM_PROBE_H

#include "vmlab_err.h"

#define PROBE_MAX_CAPS 12

struct probe_cap {
	const char *name;     /* "KVM_CAP_USER_MEMORY" */
	const char *why;      /* what vmm uses it for */
	int id;               /* KVM_CAP_* */
	int required;         /* vmm cannot run without it */
	int value;            /* KVM_CHECK_EXTENSION's answer (0: absent) */
};

struct probe {
	int api_version;      /* KVM_GET_API_VERSION */
	int vm_ok;            /* KVM_CREATE_VM worked */
	unsigned ncap;
	struct probe_cap cap[PROBE_MAX_CAPS];
	unsigned missing;     /* required capabilities that are absent */
};

/*
 * Probes the KVM device dev ("/dev/kvm"). Returns 0 when vmm can run
 * (p filled); -EPROTO for an API version other than 12; -ENOTSUP when a
 * required capability is missing (p->missing > 0, err untouched); other
 * -errno with err naming the failing call ("open", "KVM_CREATE_VM").
 */
int probe_kvm(const char *dev, struct probe *p, struct vmlab_err *err);

#endif /* VMM_PROBE_H */
