/*
 * report: the words a person reads after a run.
 *
 *   report_run()    the diagnosis: how the guest ended, and why
 *   report_regs()   the register and segment dump
 *   report_stats()  exits per reason, mean time per exit (--stats)
 *   report_json()   the same facts as JSON (--stats --json)
 *   report_trace()  the last N exits (--trace)
 *   report_probe(), report_probe_json()  what `vmm probe` found
 *   report_image()  why a guest image was refused
 *
 * Each writes to the FILE the caller passes (main passes stderr): the
 * library picks the words, the program picks where they go.
 */
#ifndef VMM_REPORT_H
#define VMM_REPORT_H

#include "probe.h"
#include "vm.h"

#include <stdio.h>

/* Writes "prog: what happened" lines for res; nothing for a clean end. */
void report_run(FILE *f, const char *prog, const struct vm *vm,
		const struct vm_result *res);

void report_regs(FILE *f, const struct kvm_regs *r, const struct kvm_sregs *s);
void report_stats(FILE *f, const struct stats *st);
void report_trace(FILE *f, const struct trace *t);

/*
 * One line of a trace, "  #36     KVM_EXIT_IO  rip 0x100a  out port ...\n"
 * (no rip unless with_rip), into buf (n bytes). Returns its length.
 * snprintf only: a signal handler may call it (vmm's SIGTERM report).
 */
size_t report_trace_line(char *buf, size_t n, const struct trace_ent *e,
			 int with_rip);

/* Writes stats and the end of the run as one line of JSON. */
void report_json(FILE *f, const struct stats *st, const struct vm_result *res);

void report_probe(FILE *f, const struct probe *p);
void report_probe_json(FILE *f, const struct probe *p);

/* "prog: path: why, and what to do" for a refused image. */
void report_image(FILE *f, const char *prog, const char *path,
		  const struct image_error *e, uint64_t ram_size);

#endif /* VMM_REPORT_H */
