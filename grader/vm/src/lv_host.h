/*
 * lv_host.h: what this host offers labvm.
 *
 * labvm runs its machine with `-accel kvm` only when that machine would have
 * a /dev/kvm of its own: the host's /dev/kvm must work (a VM can be created)
 * AND the host CPU must show svm or vmx (nested virtualization). Everywhere
 * else QEMU's TCG emulates the CPU, including AMD's SVM (`-cpu qemu64,+svm`),
 * which is slower but needs nothing from the host.
 */
#ifndef LV_HOST_H
#define LV_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "vmlab_err.h"

enum lv_accel { LV_ACCEL_TCG, LV_ACCEL_KVM };

/*
 * Probes a KVM device by using it: open, KVM_GET_API_VERSION == 12,
 * KVM_CREATE_VM. Returns 0 when all work, else -errno of the first failing
 * step (-EPROTO for a wrong API version) and, in err (NULL: only the code),
 * that step's name as err->name ("open", "KVM_GET_API_VERSION",
 * "KVM_CREATE_VM") and dev as err->msg.
 */
int lv_host_probe_kvm(const char *dev, struct vmlab_err *err);

/*
 * Picks the accelerator. force is the value of LABVM_ACCEL: NULL, "" or
 * "auto" to decide from kvm_ok and nested, "tcg" or "kvm" to force.
 * Returns 0 and *accel, or -EINVAL for any other value of force.
 */
int lv_host_choose_accel(const char *force, bool kvm_ok, bool nested,
			 enum lv_accel *accel);

/*
 * Finds an executable: name itself if it holds a '/', else the first match
 * in $PATH. Returns 0 and the path in buf, or -ENOENT.
 */
int lv_host_which(const char *name, char *buf, size_t len);

#endif
