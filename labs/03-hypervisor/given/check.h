/*
 * check: catch the classic mistakes in a vCPU's registers before entry.
 *
 *   check_entry()  inspect regs and sregs; explain the first mistake found
 *
 * When the registers are wrong, KVM_RUN fails with a bare EINVAL or the
 * guest dies with KVM_EXIT_FAIL_ENTRY and a hardware code. Checking the
 * same rules in user space first turns that into a sentence that names the
 * bit. The rules follow Intel SDM vol. 3, 26.3 ("checks on guest state")
 * and what KVM itself refuses in KVM_SET_SREGS.
 */
#ifndef VMM_CHECK_H
#define VMM_CHECK_H

#include "vmlab_err.h"

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

/* Control-register and EFER bits the checks name. */
#define CR0_PE   (1ULL << 0)   /* protected mode */
#define CR0_PG   (1ULL << 31)  /* paging */
#define CR4_PAE  (1ULL << 5)   /* physical address extension */
#define EFER_LME (1ULL << 8)   /* long mode enable */
#define EFER_LMA (1ULL << 10)  /* long mode active */
#define RFLAGS_FIXED (1ULL << 1) /* reserved, always 1 */
#define RFLAGS_IF (1ULL << 9)  /* interrupts enabled */

/*
 * Checks regs and sregs for a guest with ram_size bytes of RAM that should
 * start in long mode (want_long) or real mode. Returns 0, or -EINVAL with a
 * one-line explanation of the first problem in err->msg.
 */
int check_entry(const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		uint64_t ram_size, int want_long, struct vmlab_err *err);

#endif /* VMM_CHECK_H */
