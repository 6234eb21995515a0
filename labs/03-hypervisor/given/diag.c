/*
 * diag: names, decoders and the diagnosis of a run.
 *
 * A student meets most of these the first time something goes wrong; each
 * message says what happened in the machine's terms (exit reason, vector,
 * address) and, where there is one, the usual cause.
 */
#include "diag.h"

#include <stdint.h>

#define N(x) [x] = #x
static const char *const exit_names[] = {
	N(KVM_EXIT_UNKNOWN), N(KVM_EXIT_EXCEPTION), N(KVM_EXIT_IO),
	N(KVM_EXIT_HYPERCALL), N(KVM_EXIT_DEBUG), N(KVM_EXIT_HLT),
	N(KVM_EXIT_MMIO), N(KVM_EXIT_IRQ_WINDOW_OPEN), N(KVM_EXIT_SHUTDOWN),
	N(KVM_EXIT_FAIL_ENTRY), N(KVM_EXIT_INTR), N(KVM_EXIT_SET_TPR),
	N(KVM_EXIT_TPR_ACCESS), N(KVM_EXIT_S390_SIEIC), N(KVM_EXIT_S390_RESET),
	N(KVM_EXIT_DCR), N(KVM_EXIT_NMI), N(KVM_EXIT_INTERNAL_ERROR),
	N(KVM_EXIT_OSI), N(KVM_EXIT_PAPR_HCALL), N(KVM_EXIT_S390_UCONTROL),
	N(KVM_EXIT_WATCHDOG), N(KVM_EXIT_S390_TSCH), N(KVM_EXIT_EPR),
	N(KVM_EXIT_SYSTEM_EVENT), N(KVM_EXIT_S390_STSI), N(KVM_EXIT_IOAPIC_EOI),
	N(KVM_EXIT_HYPERV),
};
#undef N

const char *diag_exit_name(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) &&
	    exit_names[reason])
		return exit_names[reason];
	return "KVM_EXIT_(unknown)";
}

const char *diag_fail_entry(uint64_t hw_reason)
{
	/* AMD SVM: VMRUN reports VMEXIT_INVALID (-1) for a bad VMCB. */
	if (hw_reason == (uint64_t)-1)
		return "SVM: VMEXIT_INVALID, the VMCB guest state failed the"
		       " consistency checks";
	/* Intel VMX: the basic exit reason, bit 31 set for a failed entry. */
	switch (hw_reason & 0xffff) {
	case 33: return "VMX: invalid guest state (SDM 26.3: check CR0, CR4,"
			" EFER, segment registers, RFLAGS)";
	case 34: return "VMX: MSR loading failed";
	case 41: return "VMX: machine-check event during entry";
	default: return "unknown hardware reason";
	}
}

const char *diag_internal(uint32_t suberror)
{
	switch (suberror) {
	case 1: return "emulation failure: KVM could not emulate an"
		       " instruction (often: code running from memory that is"
		       " not RAM, or a real-mode guest off its segment)";
	case 2: return "simultaneous exceptions";
	case 3: return "an event could not be delivered (e.g. an exception"
		       " while its IDT entry pointed nowhere)";
	case 4: return "unexpected exit reason inside KVM";
	default: return "unknown suberror";
	}
}

const char *diag_exception(uint64_t vector)
{
	static const char *const v[] = {
		"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
		"#OF overflow", "#BR bound range", "#UD invalid opcode",
		"#NM device not available", "#DF double fault",
		"coprocessor segment overrun", "#TS invalid TSS",
		"#NP segment not present", "#SS stack-segment fault",
		"#GP general protection", "#PF page fault", "reserved",
		"#MF x87 floating point", "#AC alignment check",
		"#MC machine check", "#XM SIMD floating point",
		"#VE virtualization", "#CP control protection",
	};

	return vector < sizeof(v) / sizeof(v[0]) ? v[vector] : "unknown vector";
}

const char *diag_end_name(enum vm_end end)
{
	static const char *const s[VM_END_COUNT] = {
		"halt", "exit", "exception", "assert", "triple-fault", "mmio",
		"halted-forever", "bad-io", "bad-ucall", "fail-entry",
		"internal-error", "unexpected-exit", "pre-entry-check",
		"timeout", "parked",
	};

	return (unsigned)end < VM_END_COUNT ? s[end] : "unknown";
}

int diag_status(const struct vm_result *res)
{
	static const int code[VM_END_COUNT] = {
		[VM_END_HALT] = DIAG_EX_OK,
		[VM_END_EXCEPTION] = DIAG_EX_EXCEPTION,
		[VM_END_ASSERT] = DIAG_EX_ASSERT,
		[VM_END_SHUTDOWN] = DIAG_EX_TRIPLE,
		[VM_END_MMIO] = DIAG_EX_MMIO,
		[VM_END_HALT_FOREVER] = DIAG_EX_HALTED,
		[VM_END_BAD_IO] = DIAG_EX_BAD_IO,
		[VM_END_BAD_UCALL] = DIAG_EX_BAD_UCALL,
		[VM_END_FAIL_ENTRY] = DIAG_EX_ENTRY,
		[VM_END_INTERNAL] = DIAG_EX_INTERNAL,
		[VM_END_UNEXPECTED] = DIAG_EX_UNEXPECTED,
		[VM_END_CHECK] = DIAG_EX_CHECK,
		[VM_END_TIMEOUT] = DIAG_EX_TIMEOUT,
	};

	if (res->end == VM_END_EXIT)
		return res->code >= 0 && res->code <= DIAG_EX_GUEST_MAX ?
			       res->code : DIAG_EX_BAD_UCALL;
	return (unsigned)res->end < VM_END_COUNT ? code[res->end]
						 : DIAG_EX_UNEXPECTED;
}
