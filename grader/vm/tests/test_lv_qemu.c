/*
 * test_lv_qemu.c: QEMU's command line (lv_qemu.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "lv_qemu.h"

static const char *after(const struct lv_strs *a, const char *opt, int nth)
{
	for (size_t i = 0; i + 1 < a->n; i++)
		if (strcmp(a->v[i], opt) == 0 && nth-- == 0)
			return a->v[i + 1];
	return NULL;
}

static struct lv_machine machine = {
	.qemu = "qemu-system-x86_64", .accel = LV_ACCEL_TCG, .cpus = 2, .mem_mib = 1024,
	.kernel = "/k", .initrd = "/i", .console_fd = 5, .stdout_fd = 7, .stderr_fd = 9,
};

Test(lv_qemu, tcg_emulates_svm_on_q35)
{
	struct lv_strs a = { 0 };

	cr_assert_eq(lv_qemu_argv(&machine, &a), 0);
	cr_assert_str_eq(a.v[0], "qemu-system-x86_64");
	cr_assert_str_eq(after(&a, "-machine", 0), "q35");
	cr_assert_str_eq(after(&a, "-accel", 0), "tcg,thread=single");
	cr_assert_str_eq(after(&a, "-cpu", 0), "qemu64,+svm");
	cr_assert_str_eq(after(&a, "-smp", 0), "2");
	cr_assert_str_eq(after(&a, "-m", 0), "1024M");
	cr_assert_str_eq(after(&a, "-kernel", 0), "/k");
	cr_assert_str_eq(after(&a, "-initrd", 0), "/i");
	cr_assert(strstr(after(&a, "-append", 0), "console=ttyS0"));
	cr_assert_null(a.v[a.n]);
	lv_strs_free(&a);
}

Test(lv_qemu, kvm_passes_the_host_cpu)
{
	struct lv_machine m = machine;
	struct lv_strs a = { 0 };

	m.accel = LV_ACCEL_KVM;
	cr_assert_eq(lv_qemu_argv(&m, &a), 0);
	cr_assert_str_eq(after(&a, "-accel", 0), "kvm");
	cr_assert_str_eq(after(&a, "-cpu", 0), "host");
	lv_strs_free(&a);
}

Test(lv_qemu, tcg_multi_only_when_asked)
{
	struct lv_machine m = machine;
	struct lv_strs a = { 0 };

	m.tcg_multi = 1;
	cr_assert_eq(lv_qemu_argv(&m, &a), 0);
	cr_assert_str_eq(after(&a, "-accel", 0), "tcg,thread=multi");
	lv_strs_free(&a);
}

Test(lv_qemu, serial_ports_are_the_pipes_in_order)
{
	struct lv_machine m = machine;
	struct lv_strs a = { 0 };

	m.out_file = "/tmp/x/out.cpio";
	cr_assert_eq(lv_qemu_argv(&m, &a), 0);
	cr_assert_str_eq(after(&a, "-chardev", 0), "file,id=ttyS0,path=/dev/fd/5");
	cr_assert_str_eq(after(&a, "-chardev", 1), "file,id=ttyS1,path=/dev/fd/7");
	cr_assert_str_eq(after(&a, "-chardev", 2), "file,id=ttyS2,path=/dev/fd/9");
	cr_assert_str_eq(after(&a, "-chardev", 3), "file,id=ttyS3,path=/tmp/x/out.cpio");
	cr_assert_str_eq(after(&a, "-serial", 3), "chardev:ttyS3");
	lv_strs_free(&a);
}

Test(lv_qemu, shell_uses_the_terminal)
{
	struct lv_machine m = machine;
	struct lv_strs a = { 0 };

	m.shell = 1;
	cr_assert_eq(lv_qemu_argv(&m, &a), 0);
	cr_assert(strstr(after(&a, "-chardev", 0), "stdio"));
	cr_assert(strstr(after(&a, "-chardev", 0), "signal=off"), "Ctrl-C must reach the guest");
	cr_assert_str_eq(after(&a, "-serial", 1), "null");
	lv_strs_free(&a);
}

Test(lv_qemu, firmware_and_plain_boot)
{
	struct lv_machine m = machine;
	struct lv_strs a = { 0 };

	cr_assert_eq(lv_qemu_argv(&m, &a), 0);
	cr_assert_null(after(&a, "-bios", 0), "no firmware given: QEMU's default");
	cr_assert(strstr(after(&a, "-append", 0), "cryptomgr.notests"));
	cr_assert(strstr(after(&a, "-append", 0), "rcupdate.rcu_expedited=1"));
	lv_strs_free(&a);
	m.firmware = "/usr/share/qemu/qboot.rom";
	m.plain = 1;
	m.append = "loglevel=7";
	cr_assert_eq(lv_qemu_argv(&m, &a), 0);
	cr_assert_str_eq(after(&a, "-bios", 0), "/usr/share/qemu/qboot.rom");
	cr_assert_str_eq(after(&a, "-append", 0), "console=ttyS0 quiet panic=-1 loglevel=7");
	lv_strs_free(&a);
}
