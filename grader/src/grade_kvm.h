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

#endif /* GRADER_GRADE_KVM_H */
