/*
 * diag: what KVM reports, as names, and as vmm's exit codes.
 *
 *   diag_exit_name()     "KVM_EXIT_IO" for 2
 *   diag_fail_entry()    the hardware's reason for refusing a VM entry
 *   diag_internal()      KVM_EXIT_INTERNAL_ERROR's suberror
 *   diag_exception()     "#PF page fault" for vector 14
 *   diag_end_name()      "triple-fault" for VM_END_SHUTDOWN
 *   diag_status()        the exit code of vmm for a result (table below)
 *
 * Pure functions: report.c builds the sentences from them.
 */
#ifndef VMM_DIAG_H
#define VMM_DIAG_H

#include "vm.h"

/* vmm's exit codes (README.md, "Exit codes"). */
enum diag_exit {
	DIAG_EX_OK = 0,          /* the guest halted, or guest_exit(0) */
	/* 1..63: guest_exit(code), passed through */
	DIAG_EX_GUEST_MAX = 63,
	DIAG_EX_USAGE = 64,      /* bad command line */
	DIAG_EX_IMAGE = 65,      /* the guest image was refused */
	DIAG_EX_NOINPUT = 66,    /* a file could not be read */
	DIAG_EX_NOKVM = 69,      /* KVM missing, refused, or too old */
	DIAG_EX_VMM = 70,        /* an ioctl or system call of vmm failed */
	DIAG_EX_EXCEPTION = 71,  /* a CPU exception in the guest */
	DIAG_EX_ASSERT = 72,     /* GUEST_ASSERT failed */
	DIAG_EX_TRIPLE = 73,     /* triple fault */
	DIAG_EX_MMIO = 74,       /* access to unmapped guest-physical memory */
	DIAG_EX_HALTED = 75,     /* halted with nothing to wake it */
	DIAG_EX_BAD_IO = 76,     /* I/O to a port no device answers */
	DIAG_EX_ENTRY = 77,      /* KVM_EXIT_FAIL_ENTRY */
	DIAG_EX_INTERNAL = 78,   /* KVM_EXIT_INTERNAL_ERROR */
	DIAG_EX_UNEXPECTED = 79, /* an exit reason vmm does not handle */
	DIAG_EX_CHECK = 80,      /* a pre-entry check failed */
	DIAG_EX_BAD_UCALL = 81,  /* a malformed hypercall */
	DIAG_EX_TIMEOUT = 124,   /* --timeout expired (as timeout(1)) */
};

const char *diag_exit_name(uint32_t reason);
const char *diag_fail_entry(uint64_t hw_reason);
const char *diag_internal(uint32_t suberror);
/* "#PF page fault" for 14; "vector N" text for unknown ones is the caller's. */
const char *diag_exception(uint64_t vector);
/* "exit", "halt", "exception" ...: the short name of how a run ended. */
const char *diag_end_name(enum vm_end end);

int diag_status(const struct vm_result *res);

#endif /* VMM_DIAG_H */
