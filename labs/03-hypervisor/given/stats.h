/*
 * stats: what the VM exits cost, and the last few of them.
 *
 *   stats_add()    count one exit and the time it took
 *   trace_init() / trace_add() / trace_get()  a ring of the last N exits
 *
 * Every return from KVM_RUN is a VM exit: the guest stopped, the CPU
 * switched back to the host, KVM handed the exit to user space. Counting
 * them per reason, and timing both halves (inside KVM_RUN: guest time plus
 * the world switch; in the VMM: handling the exit), is how one learns where
 * a virtual machine spends its time.
 */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdint.h>

#define STATS_REASONS 64 /* KVM exit reasons are small integers */

struct stats {
	uint64_t exits;                    /* all of them */
	uint64_t count[STATS_REASONS];     /* per exit reason */
	uint64_t ns_run[STATS_REASONS];    /* inside KVM_RUN, per reason */
	uint64_t ns_vmm[STATS_REASONS];    /* handling in the VMM, per reason */
	uint64_t ns_total;                 /* first KVM_RUN to the end */
};

/* Counts one exit with reason, ns_run inside KVM_RUN, ns_vmm after it. */
void stats_add(struct stats *st, uint32_t reason, uint64_t ns_run,
	       uint64_t ns_vmm);

struct trace_ent {
	uint64_t seq;       /* exit number, from 1 */
	uint32_t reason;    /* KVM_EXIT_* */
	uint64_t rip;       /* where the guest was */
	uint64_t detail;    /* IO: port; MMIO: address */
	uint32_t info;      /* IO: direction<<31 | size<<16 | count; MMIO: write<<31 | len */
};

struct trace {
	unsigned cap;           /* entries kept, 0: tracing off */
	int with_rip;           /* rip recorded (--trace): a KVM_GET_REGS each */
	uint64_t seq;           /* exits seen */
	struct trace_ent *ring; /* cap entries */
};

/* Keeps the last cap exits. Returns 0 or -ENOMEM. */
int trace_init(struct trace *t, unsigned cap);
void trace_free(struct trace *t);
void trace_add(struct trace *t, const struct trace_ent *e);

/* How many entries are kept now; entry i, oldest first. */
unsigned trace_len(const struct trace *t);
const struct trace_ent *trace_get(const struct trace *t, unsigned i);

/* The monotonic clock in nanoseconds. */
uint64_t stats_now_ns(void);

#endif /* VMM_STATS_H */
