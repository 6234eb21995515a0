/*
 * test_diag: names and exit codes (README.md, "Exit codes").
 */
#include "graded.h"
#include "diag.h"

GRADED(diag, names, 0, "03.9 diagnostics", 5)
{
	cr_assert_str_eq(diag_exit_name(KVM_EXIT_IO), "KVM_EXIT_IO");
	cr_assert_str_eq(diag_exit_name(KVM_EXIT_SHUTDOWN), "KVM_EXIT_SHUTDOWN");
	cr_assert_str_eq(diag_exit_name(9999), "KVM_EXIT_(unknown)");
	cr_assert_str_eq(diag_exception(14), "#PF page fault");
	cr_assert(strstr(diag_internal(1), "emulation failure"));
	cr_assert(strstr(diag_fail_entry(0x80000021), "invalid guest state"));
	cr_assert(strstr(diag_fail_entry((uint64_t)-1), "VMEXIT_INVALID"));
}

GRADED(diag, exit_codes, 0, "03.9 diagnostics", 5)
{
	struct vm_result r = {.end = VM_END_EXIT, .code = 7};

	cr_assert_eq(diag_status(&r), 7);
	r.code = 64;
	cr_assert_eq(diag_status(&r), DIAG_EX_BAD_UCALL, "guest codes are 0-63");
	r.end = VM_END_HALT;
	cr_assert_eq(diag_status(&r), 0);
	r.end = VM_END_SHUTDOWN;
	cr_assert_eq(diag_status(&r), 73);
	r.end = VM_END_TIMEOUT;
	cr_assert_eq(diag_status(&r), 124);
	for (int e = 0; e < VM_END_COUNT; e++) {
		r.end = e;
		cr_assert_str_neq(diag_end_name(e), "unknown");
	}
}
