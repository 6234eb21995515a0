/*
 * test_check: each classic mistake in the vCPU state becomes a sentence.
 */
#include "graded.h"
#include "check.h"
#include "gdt.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <string.h>

static struct kvm_regs regs;
static struct kvm_sregs sregs;
static struct vmlab_err why;
static int want_long;

/* A correct long-mode state, as vcpu_setup_long() makes it. */
static void long_mode(void)
{
	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	regs.rflags = 2;
	regs.rip = 0x100000;
	sregs.cr0 = CR0_PE | CR0_PG;
	sregs.cr4 = CR4_PAE;
	sregs.cr3 = ABI_PML4;
	sregs.efer = EFER_LME | EFER_LMA;
	sregs.cs = gdt_code64(ABI_SEL_CODE);
	vmlab_err_clear(&why);
	want_long = 1;
}

static int check(void)
{
	return check_entry(&regs, &sregs, 64 << 20, want_long, &why);
}

GRADED(check, long_mode_mistakes, 2, "03.9 diagnostics", 5, .init = long_mode)
{
	cr_assert_eq(check(), 0, "a correct state passes: %s", why.msg);
	regs.rflags = 0;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "RFLAGS bit 1"), "%s", why.msg);
	long_mode();
	sregs.efer = EFER_LME; /* LMA forgotten */
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "EFER.LME and EFER.LMA"), "%s", why.msg);
	long_mode();
	sregs.cr4 = 0;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "CR4.PAE"), "%s", why.msg);
	long_mode();
	sregs.cs.db = 1;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "CS.L must be 1 and CS.DB 0"), "%s", why.msg);
	long_mode();
	sregs.cr3 = 0x3001;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "CR3"), "%s", why.msg);
	long_mode();
	memset(&sregs, 0, sizeof(sregs)); /* nothing set up at all */
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "still in real mode"), "%s", why.msg);
}

GRADED(check, real_mode_mistakes, 1, "03.9 diagnostics", 5)
{
	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	want_long = 0;
	regs.rflags = 2;
	sregs.cs.selector = 0x100;
	sregs.cs.base = 0x1000;
	cr_assert_eq(check(), 0, "%s", why.msg);
	sregs.cs.base = 0x100; /* the selector, not selector * 16 */
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "selector * 16"), "%s", why.msg);
	sregs.cs.base = 0x1000;
	sregs.cr0 = CR0_PG;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why.msg, "CR0.PG without CR0.PE"), "%s", why.msg);
}
