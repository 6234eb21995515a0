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
static char why[256];
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
	why[0] = '\0';
	want_long = 1;
}

static int check(void)
{
	return check_entry(&regs, &sregs, 64 << 20, want_long, why, sizeof(why));
}

GRADED(check, long_mode_mistakes, 2, "03.9 diagnostics", 5, .init = long_mode)
{
	cr_assert_eq(check(), 0, "a correct state passes: %s", why);
	regs.rflags = 0;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "RFLAGS bit 1"), "%s", why);
	long_mode();
	sregs.efer = EFER_LME; /* LMA forgotten */
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "EFER.LME and EFER.LMA"), "%s", why);
	long_mode();
	sregs.cr4 = 0;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "CR4.PAE"), "%s", why);
	long_mode();
	sregs.cs.db = 1;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "CS.L must be 1 and CS.DB 0"), "%s", why);
	long_mode();
	sregs.cr3 = 0x3001;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "CR3"), "%s", why);
	long_mode();
	memset(&sregs, 0, sizeof(sregs)); /* nothing set up at all */
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "still in real mode"), "%s", why);
}

GRADED(check, real_mode_mistakes, 1, "03.9 diagnostics", 5)
{
	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	want_long = 0;
	regs.rflags = 2;
	sregs.cs.selector = 0x100;
	sregs.cs.base = 0x1000;
	cr_assert_eq(check(), 0, "%s", why);
	sregs.cs.base = 0x100; /* the selector, not selector * 16 */
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "selector * 16"), "%s", why);
	sregs.cs.base = 0x1000;
	sregs.cr0 = CR0_PG;
	cr_assert_eq(check(), -EINVAL);
	cr_assert(strstr(why, "CR0.PG without CR0.PE"), "%s", why);
}
