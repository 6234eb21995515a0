/*
 * grade_kvm.h: can tests use /dev/kvm on this machine?
 *
 * The device existing proves little (nested setups, permissions, a module
 * without hardware support): the probe creates a VM and a vCPU for real.
 */
#ifndef GRADER_GRADE_KVM_H
#define GRADER_GRADE_KVM_H

#include "vmlab_err.h"

/* 0 when /dev/kvm can create a VM with a vCPU, else -errno of the step that
 * failed, err (NULL: only the code) naming it (e.g. "KVM_CREATE_VM").
 * GRADE_NO_KVM=1 in the environment forces "unusable" (-ENODEV, to test
 * the labvm path). */
int grade_kvm_probe(struct vmlab_err *err);

/* 1 when this machine's CPU shows hardware virtualization (a "vmx" or
 * "svm" flag in /proc/cpuinfo), else 0. A /dev/kvm without it (kvm_pvm,
 * which runs guests under shadow page tables in software) runs the labs'
 * small guests but cannot boot Linux: a lab's GRADE_HW_TESTS go to labvm
 * there. GRADE_NO_HWVIRT=1 forces 0 (to test that path). */
int grade_kvm_hardware(void);

#endif /* GRADER_GRADE_KVM_H */
