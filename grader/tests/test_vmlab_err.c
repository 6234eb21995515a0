/*
 * test_vmlab_err: the one error idiom (include/vmlab_err.h) every lab and
 * the grader use: a failure returns its code and, when asked, says why.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "vmlab_err.h"

Test(vmlab_err, fail_returns_the_code_and_fills_the_struct)
{
	struct vmlab_err e = { .code = 1, .name = "old" };

	cr_assert_eq(vmlab_fail(&e, -EINVAL, "line %u: no '='", 7u), -EINVAL);
	cr_assert_eq(e.code, -EINVAL);
	cr_assert_null(e.name);
	cr_assert_str_eq(e.msg, "line 7: no '='");
}

Test(vmlab_err, a_null_struct_only_returns)
{
	cr_assert_eq(vmlab_fail(NULL, -ENOMEM, "out of memory"), -ENOMEM);
	cr_assert_eq(vmlab_fail_named(NULL, -EIO, "KVM_RUN", "x"), -EIO);
	vmlab_err_clear(NULL);
}

Test(vmlab_err, named_keeps_the_name)
{
	struct vmlab_err e;

	cr_assert_eq(vmlab_fail_named(&e, -EACCES, "KVM_CREATE_VM", "%s",
				      "run as a member of group kvm"), -EACCES);
	cr_assert_str_eq(e.name, "KVM_CREATE_VM");
	cr_assert_str_eq(e.msg, "run as a member of group kvm");
	vmlab_err_clear(&e);
	cr_assert_eq(e.code, 0);
	cr_assert_null(e.name);
	cr_assert_str_eq(e.msg, "");
}

Test(vmlab_err, a_long_message_is_cut_not_overrun)
{
	struct vmlab_err e;
	char big[2000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vmlab_fail(&e, -E2BIG, "%s", big);
	cr_assert_eq(strlen(e.msg), sizeof(e.msg) - 1);
}

static int pass_on(struct vmlab_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int pass_on(struct vmlab_err *e, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vmlab_vfail(e, -ENOENT, "open", fmt, ap);
	va_end(ap);
	return rc;
}

Test(vmlab_err, vfail_takes_a_format_passed_on)
{
	struct vmlab_err e;

	cr_assert_eq(pass_on(&e, "%s: %d", "disk.img", 3), -ENOENT);
	cr_assert_str_eq(e.name, "open");
	cr_assert_str_eq(e.msg, "disk.img: 3");
	cr_assert_eq(pass_on(NULL, "%s", "x"), -ENOENT);
}
