/*
 * guestrun: one guest under vmm, watched and judged (for guestfuzz.c).
 *
 *   run_vmm()       start vmm, keep the head of its output, kill it when it
 *                   outlives its watchdog
 *   run_classify()  did this run keep vmm's promises? (README.md, "Exit
 *                   codes": a documented code, a diagnosis, no crash)
 *   run_now()
 */
#ifndef VMM_FUZZ_GUESTRUN_H
#define VMM_FUZZ_GUESTRUN_H

#include "guestgen.h"

#define KEEP_OUT 4096      /* bytes of the guest's console kept */
#define KEEP_ERR 65536     /* bytes of vmm's stderr kept */

struct run {
	int status;          /* waitpid's */
	int hung;            /* killed after timeout + grace (2: it would not die) */
	double secs;
	char out[KEEP_OUT + 1], err[KEEP_ERR + 1];
	size_t nout, nerr;
	char cmd[1024];      /* the command line, for the report */
};

enum verdict { V_OK, V_FINDING, V_SETUP };

/*
 * Runs argv (vmm and its arguments) in a process group of its own, stdin
 * /dev/null, and waits for it; after limit seconds it kills the group and
 * sets r->hung (2 when even SIGKILL did not end it within 10 s). Returns 0
 * with *r filled, or -errno when it could not start.
 */
int run_vmm(char **argv, double limit, struct run *r);

/*
 * Judges run r of guest in: V_OK, V_FINDING (a promise broken), or
 * V_SETUP (vmm refused to run at all: no KVM, a bad path). why says what.
 */
enum verdict run_classify(const struct gen_input *in, const struct run *r,
			  char *why, size_t n);

/* Seconds on the monotonic clock. */
double run_now(void);

#endif /* VMM_FUZZ_GUESTRUN_H */
