/*
 * lv_host.c: probing the host for KVM, nested virtualization and QEMU
 * (see lv_host.h).
 */
#include "lv_host.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int lv_host_probe_kvm(const char *dev, struct vmlab_err *err)
{
	int kvm, vm, rc;

	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return vmlab_fail_named(err, -errno, "open", "%s", dev);
	rc = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (rc != 12) {
		rc = rc < 0 ? -errno : -EPROTO;
		close(kvm);
		return vmlab_fail_named(err, rc, "KVM_GET_API_VERSION", "%s", dev);
	}
	/* A device node can exist and still refuse VMs (no VT-x/SVM, no permission). */
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	rc = vm < 0 ? -errno : 0;
	if (vm >= 0)
		close(vm);
	close(kvm);
	if (rc)
		return vmlab_fail_named(err, rc, "KVM_CREATE_VM", "%s", dev);
	vmlab_err_clear(err);
	return 0;
}

int lv_host_choose_accel(const char *force, bool kvm_ok, bool nested,
			 enum lv_accel *accel)
{
	if (!force || !*force || strcmp(force, "auto") == 0)
		*accel = kvm_ok && nested ? LV_ACCEL_KVM : LV_ACCEL_TCG;
	else if (strcmp(force, "tcg") == 0)
		*accel = LV_ACCEL_TCG;
	else if (strcmp(force, "kvm") == 0)
		*accel = LV_ACCEL_KVM;
	else
		return -EINVAL;
	return 0;
}

int lv_host_which(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		if (access(name, X_OK) != 0 || (size_t)snprintf(buf, len, "%s", name) >= len)
			return -ENOENT;
		return 0;
	}
	if (!path)
		path = "/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		if (n > 0 && (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p, name) < len &&
		    access(buf, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}
