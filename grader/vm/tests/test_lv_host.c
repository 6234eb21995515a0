/*
 * test_lv_host.c: probing the host (lv_host.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "lv_host.h"
#include "vmlab_hwvirt.h"

Test(lv_host, nested_needs_svm_or_vmx_in_flags)
{
	cr_assert(vmlab_cpuinfo_hwvirt("processor : 0\nflags\t\t: fpu vme svm lm\n"));
	cr_assert(vmlab_cpuinfo_hwvirt("flags : fpu vmx\nbugs : x\n"));
	cr_assert_not(vmlab_cpuinfo_hwvirt("flags : fpu vme lm\n"));
	/* Words that contain "svm" are not the flag. */
	cr_assert_not(vmlab_cpuinfo_hwvirt("flags : fpu svm_lock npt\n"));
	cr_assert_not(vmlab_cpuinfo_hwvirt("model name : svm vmx\nflags : fpu\n"));
	cr_assert_not(vmlab_cpuinfo_hwvirt(""));
}

Test(lv_host, kvm_only_when_both_kvm_and_nesting_work)
{
	enum lv_accel a;

	cr_assert_eq(lv_host_choose_accel(NULL, true, true, &a), 0);
	cr_assert_eq(a, LV_ACCEL_KVM);
	cr_assert_eq(lv_host_choose_accel("auto", true, false, &a), 0);
	cr_assert_eq(a, LV_ACCEL_TCG, "a usable /dev/kvm without svm/vmx gives no nested /dev/kvm");
	cr_assert_eq(lv_host_choose_accel("", false, true, &a), 0);
	cr_assert_eq(a, LV_ACCEL_TCG);
	cr_assert_eq(lv_host_choose_accel("tcg", true, true, &a), 0);
	cr_assert_eq(a, LV_ACCEL_TCG);
	cr_assert_eq(lv_host_choose_accel("kvm", false, false, &a), 0);
	cr_assert_eq(a, LV_ACCEL_KVM);
	cr_assert_eq(lv_host_choose_accel("hvf", true, true, &a), -EINVAL);
}

Test(lv_host, probe_names_the_failing_step)
{
	struct vmlab_err e;

	cr_assert_eq(lv_host_probe_kvm("/nonexistent/kvm", &e), -ENOENT);
	cr_assert_eq(e.code, -ENOENT);
	cr_assert_str_eq(e.name, "open");
	cr_assert_str_eq(e.msg, "/nonexistent/kvm");
	/* /dev/null opens but knows no KVM ioctl. */
	cr_assert_eq(lv_host_probe_kvm("/dev/null", &e), -ENOTTY);
	cr_assert_str_eq(e.name, "KVM_GET_API_VERSION");
	cr_assert_eq(lv_host_probe_kvm("/dev/null", NULL), -ENOTTY);
}

Test(lv_host, which_searches_path)
{
	char buf[4096];

	cr_assert_eq(lv_host_which("sh", buf, sizeof(buf)), 0);
	cr_assert(strstr(buf, "/sh"), "%s", buf);
	cr_assert_eq(lv_host_which("no-such-qemu-xyz", buf, sizeof(buf)), -ENOENT);
	cr_assert_eq(lv_host_which("/nonexistent/qemu", buf, sizeof(buf)), -ENOENT);
	cr_assert_eq(lv_host_which("/bin/sh", buf, sizeof(buf)), 0);
}
