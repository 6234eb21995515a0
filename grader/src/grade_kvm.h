/*
 * grade_kvm.h: can tests use /dev/kvm on this machine?
 *
 * The device existing proves little (nested setups, permissions, a module
 * without hardware support): the probe creates a VM and a vCPU for real.
 */
#ifndef GRADER_GRADE_KVM_H
#define GRADER_GRADE_KVM_H

/* 0 when /dev/kvm can create a VM with a vCPU, else -errno of the step that
 * failed; *step names it (e.g. "KVM_CREATE_VM"). GRADE_NO_KVM=1 in the
 * environment forces "unusable" (to test the labvm path). */
int grade_kvm_probe(const char **step);

#endif /* GRADER_GRADE_KVM_H */
