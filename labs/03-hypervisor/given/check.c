/*
 * check: pre-entry checks of the vCPU state.
 *
 * Each rule is one `if` and one sentence, in the order a student meets
 * them: RFLAGS first (every mode), then the mode's own rules.
 */
#include "check.h"

#include <errno.h>

#define bad(err, ...) vmlab_fail(err, -EINVAL, __VA_ARGS__)

static int check_real(const struct kvm_regs *r, const struct kvm_sregs *s,
		      struct vmlab_err *err)
{
	if (s->cs.base != (uint64_t)s->cs.selector << 4)
		return bad(err, "real mode: CS.base 0x%llx is not CS.selector"
			   " 0x%x * 16; the CPU computes addresses as"
			   " selector * 16 + offset",
			   (unsigned long long)s->cs.base, s->cs.selector);
	if (r->rip > 0xffff)
		return bad(err, "real mode: RIP 0x%llx does not fit in 16"
			   " bits; put the high bits in CS",
			   (unsigned long long)r->rip);
	return 0;
}

static int check_long(const struct kvm_regs *r, const struct kvm_sregs *s,
		      uint64_t ram_size, struct vmlab_err *err)
{
	if (!(s->cr0 & CR0_PE))
		return bad(err, "long mode wanted, but the vCPU is still in"
			   " real mode (CR0.PE = 0): set up CR0, CR3, CR4, EFER"
			   " and the segments first");
	if (!(s->efer & EFER_LME) || !(s->efer & EFER_LMA))
		return bad(err, "long mode: EFER.LME and EFER.LMA must both"
			   " be set (EFER = 0x%llx)", (unsigned long long)s->efer);
	if (!(s->cr0 & CR0_PG) || !(s->cr4 & CR4_PAE))
		return bad(err, "long mode needs paging: CR0.PG and CR4.PAE"
			   " (CR0 = 0x%llx, CR4 = 0x%llx)",
			   (unsigned long long)s->cr0, (unsigned long long)s->cr4);
	if (!s->cs.l || s->cs.db)
		return bad(err, "long mode: CS.L must be 1 and CS.DB 0 for"
			   " 64-bit code (L=%u DB=%u)", s->cs.l, s->cs.db);
	if (!s->cs.present)
		return bad(err, "CS is not present (CS.present = 0)");
	if (s->cr3 & 0xfff || s->cr3 >= ram_size)
		return bad(err, "CR3 0x%llx is not a page-aligned address in"
			   " guest RAM", (unsigned long long)s->cr3);
	if ((uint64_t)((int64_t)(r->rip << 16) >> 16) != r->rip)
		return bad(err, "RIP 0x%llx is not canonical (bits 63-47"
			   " must all equal bit 47)", (unsigned long long)r->rip);
	return 0;
}

int check_entry(const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		uint64_t ram_size, int want_long, struct vmlab_err *err)
{
	if (!(regs->rflags & RFLAGS_FIXED))
		return bad(err, "RFLAGS bit 1 is reserved and must be 1"
			   " (RFLAGS = 0x%llx): set rflags = 0x2",
			   (unsigned long long)regs->rflags);
	if ((sregs->cr0 & CR0_PG) && !(sregs->cr0 & CR0_PE))
		return bad(err, "CR0.PG without CR0.PE: paging needs"
			   " protected mode (CR0 = 0x%llx)",
			   (unsigned long long)sregs->cr0);
	if (want_long)
		return check_long(regs, sregs, ram_size, err);
	if (sregs->cr0 & CR0_PE)
		return bad(err, "real mode wanted, but CR0.PE (protected"
			   " mode) is set (CR0 = 0x%llx)",
			   (unsigned long long)sregs->cr0);
	return check_real(regs, sregs, err);
}
