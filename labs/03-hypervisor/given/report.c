/*
 * report: diagnoses, dumps, statistics.
 *
 * One function per kind of ending; each says what the machine did, in its
 * terms, then the usual cause. The register dump follows for the endings
 * where the registers tell something.
 */
#include "report.h"
#include "diag.h"
#include "vmlab_abi.h"

#include <json-c/json.h>
#include <inttypes.h>

#define X(v) ((unsigned long long)(v))

static void on_exception(FILE *f, const char *prog, const struct vm_result *r)
{
	fprintf(f, "%s: guest CPU exception %s (vector %llu) at RIP 0x%llx\n",
		prog, diag_exception(r->u.exc.vector), X(r->u.exc.vector),
		X(r->u.exc.rip));
	if (r->u.exc.vector == 14)
		fprintf(f, "%s: page fault on a %s at address 0x%llx (CR2), %s\n",
			prog, r->u.exc.error & 2 ? "write" : "read",
			X(r->u.exc.cr2), r->u.exc.error & 1 ?
			"a protection violation" : "not mapped in the page tables");
}

static void on_mmio(FILE *f, const char *prog, const struct vm *vm,
		    const struct vm_result *r)
{
	fprintf(f, "%s: guest %s %u bytes at unmapped guest-physical address"
		" 0x%llx (KVM_EXIT_MMIO): the VM's RAM ends at 0x%llx and no"
		" device lives there\n", prog,
		r->u.mmio.write ? "wrote" : "read", r->u.mmio.len,
		X(r->u.mmio.addr), X(vm->ram_size));
}

static void on_io(FILE *f, const char *prog, const struct vm_result *r)
{
	fprintf(f, "%s: guest %s %u byte%s %s I/O port 0x%x, which no device"
		" answers (console: 0x3f8-0x3ff, 0xe9; ucall: 0x%x)\n", prog,
		r->u.io.out ? "wrote" : "read",
		r->u.io.size * r->u.io.count,
		r->u.io.size * r->u.io.count == 1 ? "" : "s",
		r->u.io.out ? "to" : "from", r->u.io.port, ABI_UCALL_PORT);
}

static void on_fatal(FILE *f, const char *prog, const struct vm *vm,
		     const struct vm_result *r)
{
	switch (r->end) {
	case VM_END_SHUTDOWN:
		fprintf(f, "%s: triple fault (KVM_EXIT_SHUTDOWN): an exception"
			" hit while the CPU was delivering a double fault, so it"
			" gave up. The registers below are read after the"
			" shutdown (some kernels have reset them by then); an"
			" IDT, as the guest runtime installs, reports the first"
			" exception instead.\n", prog);
		break;
	case VM_END_HALT_FOREVER:
		fprintf(f, "%s: guest halted with interrupts %s and this VM has"
			" no interrupt source: it would sleep forever (a guest"
			" with the runtime ends with guest_exit)\n", prog,
			r->regs.rflags & (1u << 9) ? "enabled" : "disabled");
		break;
	case VM_END_FAIL_ENTRY:
		fprintf(f, "%s: KVM_EXIT_FAIL_ENTRY: the CPU refused to enter the"
			" guest: hardware reason 0x%llx, %s\n", prog,
			X(r->u.entry.hw_reason),
			diag_fail_entry(r->u.entry.hw_reason));
		break;
	case VM_END_INTERNAL:
		fprintf(f, "%s: KVM_EXIT_INTERNAL_ERROR suberror %u: %s\n", prog,
			r->u.internal.suberror,
			diag_internal(r->u.internal.suberror));
		break;
	case VM_END_TIMEOUT:
		fprintf(f, "%s: timeout: the guest ran %.3g s without ending;"
			" the watchdog stopped it (an endless loop? raise"
			" --timeout if it is just slow)\n", prog,
			vm->cfg.timeout);
		break;
	default:
		fprintf(f, "%s: unexpected exit %s (%u): vmm has no handler for"
			" it\n", prog, diag_exit_name(r->reason), r->reason);
	}
}

void report_run(FILE *f, const char *name, const struct vm *vm,
		const struct vm_result *r)
{
	char prog[64];

	/* With several vCPUs, say which one. */
	if (vm->cfg.cpus > 1)
		snprintf(prog, sizeof(prog), "%s: vCPU %u", name, r->cpu);
	else
		snprintf(prog, sizeof(prog), "%s", name);
	switch (r->end) {
	case VM_END_HALT:
		return;
	case VM_END_EXIT:
		if (diag_status(r) == DIAG_EX_BAD_UCALL)
			fprintf(f, "%s: guest_exit(%d): exit codes are 0-63\n",
				prog, r->code);
		return;
	case VM_END_EXCEPTION:
		on_exception(f, prog, r);
		return;
	case VM_END_ASSERT:
		fprintf(f, "%s: guest assertion failed: %s\n", prog, r->text);
		return;
	case VM_END_BAD_UCALL:
		fprintf(f, "%s: bad ucall (command %u, struct at 0x%llx): %s\n",
			prog, r->u.ucall.cmd, X(r->u.ucall.gpa), r->text);
		return;
	case VM_END_CHECK:
		fprintf(f, "%s: pre-entry check failed, the guest was not"
			" entered: %s\n", prog, r->text);
		break;
	case VM_END_MMIO:
		on_mmio(f, prog, vm, r);
		break;
	case VM_END_BAD_IO:
		on_io(f, prog, r);
		break;
	default:
		on_fatal(f, prog, vm, r);
	}
	if (r->have_regs)
		report_regs(f, &r->regs, &r->sregs);
}

static void seg(FILE *f, const char *name, const struct kvm_segment *s)
{
	fprintf(f, "  %-3s sel 0x%04x base 0x%llx limit 0x%x type 0x%x"
		" p %u dpl %u s %u l %u db %u g %u\n", name, s->selector,
		X(s->base), s->limit, s->type, s->present, s->dpl, s->s, s->l,
		s->db, s->g);
}

void report_regs(FILE *f, const struct kvm_regs *r, const struct kvm_sregs *s)
{
	fprintf(f, "  rip 0x%016llx  rsp 0x%016llx  rflags 0x%llx\n"
		"  rax 0x%016llx  rbx 0x%016llx  rcx 0x%016llx  rdx 0x%016llx\n"
		"  rsi 0x%016llx  rdi 0x%016llx  rbp 0x%016llx\n",
		X(r->rip), X(r->rsp), X(r->rflags), X(r->rax), X(r->rbx),
		X(r->rcx), X(r->rdx), X(r->rsi), X(r->rdi), X(r->rbp));
	fprintf(f, "  cr0 0x%llx  cr2 0x%llx  cr3 0x%llx  cr4 0x%llx"
		"  efer 0x%llx\n", X(s->cr0), X(s->cr2), X(s->cr3), X(s->cr4),
		X(s->efer));
	seg(f, "cs", &s->cs);
	seg(f, "ds", &s->ds);
	seg(f, "ss", &s->ss);
	fprintf(f, "  gdt base 0x%llx limit 0x%x  idt base 0x%llx limit 0x%x\n",
		X(s->gdt.base), s->gdt.limit, X(s->idt.base), s->idt.limit);
}

static double mean_us(uint64_t ns, uint64_t n)
{
	return n ? (double)ns / (double)n / 1000.0 : 0.0;
}

void report_stats(FILE *f, const struct stats *st)
{
	fprintf(f, "%" PRIu64 " exits in %.3f ms\n", st->exits,
		(double)st->ns_total / 1e6);
	fprintf(f, "%-24s %10s %16s %14s\n", "exit reason", "count",
		"in KVM_RUN (us)", "in vmm (us)");
	for (unsigned i = 0; i < STATS_REASONS; i++) {
		if (!st->count[i])
			continue;
		fprintf(f, "%-24s %10" PRIu64 " %16.2f %14.2f\n",
			diag_exit_name(i), st->count[i],
			mean_us(st->ns_run[i], st->count[i]),
			mean_us(st->ns_vmm[i], st->count[i]));
	}
	fprintf(f, "(times are means per exit; in KVM_RUN = guest time + the"
		" world switch)\n");
}

/* snprintf's count, bounded to what fits in n. */
static size_t fit(int k, size_t n)
{
	return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n ? n - 1 : 0;
}

size_t report_trace_line(char *buf, size_t n, const struct trace_ent *e,
			 int with_rip)
{
	size_t len = fit(snprintf(buf, n, "  #%-6llu %-24s", X(e->seq),
				  diag_exit_name(e->reason)), n);

	if (with_rip)
		len += fit(snprintf(buf + len, n - len, " rip 0x%llx",
				    X(e->rip)), n - len);
	if (e->reason == KVM_EXIT_IO)
		len += fit(snprintf(buf + len, n - len,
				    "  %s port 0x%llx size %u count %u",
				    e->info >> 31 ? "out" : "in", X(e->detail),
				    (e->info >> 16) & 0x7fff, e->info & 0xffff),
			   n - len);
	else if (e->reason == KVM_EXIT_MMIO)
		len += fit(snprintf(buf + len, n - len, "  %s 0x%llx len %u",
				    e->info >> 31 ? "write" : "read",
				    X(e->detail), e->info & 0xffff), n - len);
	return len + fit(snprintf(buf + len, n - len, "\n"), n - len);
}

void report_trace(FILE *f, const struct trace *t)
{
	unsigned n = trace_len(t);
	char line[160];

	fprintf(f, "last %u exit%s (of %llu):\n", n, n == 1 ? "" : "s",
		X(t->seq));
	for (unsigned i = 0; i < n; i++) {
		report_trace_line(line, sizeof(line), trace_get(t, i),
				  t->with_rip);
		fputs(line, f);
	}
}

void report_json(FILE *f, const struct stats *st, const struct vm_result *res)
{
	json_object *o = json_object_new_object();
	json_object *reasons = json_object_new_array();

	json_object_object_add(o, "end", json_object_new_string(diag_end_name(res->end)));
	json_object_object_add(o, "exit_status", json_object_new_int(diag_status(res)));
	json_object_object_add(o, "exits", json_object_new_int64((int64_t)st->exits));
	json_object_object_add(o, "total_ms", json_object_new_double((double)st->ns_total / 1e6));
	for (unsigned i = 0; i < STATS_REASONS; i++) {
		if (!st->count[i])
			continue;
		json_object *r = json_object_new_object();

		json_object_object_add(r, "reason", json_object_new_string(diag_exit_name(i)));
		json_object_object_add(r, "count", json_object_new_int64((int64_t)st->count[i]));
		json_object_object_add(r, "mean_us_in_kvm_run", json_object_new_double(mean_us(st->ns_run[i], st->count[i])));
		json_object_object_add(r, "mean_us_in_vmm", json_object_new_double(mean_us(st->ns_vmm[i], st->count[i])));
		json_object_array_add(reasons, r);
	}
	json_object_object_add(o, "reasons", reasons);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

void report_probe(FILE *f, const struct probe *p)
{
	fprintf(f, "KVM API version   %d (vmm needs 12)\n", p->api_version);
	fprintf(f, "KVM_CREATE_VM     %s\n", p->vm_ok ? "works" : "fails");
	fprintf(f, "%-24s %6s  %-9s %s\n", "capability", "value", "", "vmm uses it for");
	for (unsigned i = 0; i < p->ncap; i++) {
		const struct probe_cap *c = &p->cap[i];

		fprintf(f, "%-24s %6d  %-9s %s\n", c->name, c->value,
			c->required ? (c->value ? "required" : "MISSING") : "",
			c->why);
	}
}

void report_probe_json(FILE *f, const struct probe *p)
{
	json_object *o = json_object_new_object();
	json_object *caps = json_object_new_object();

	json_object_object_add(o, "api_version", json_object_new_int(p->api_version));
	json_object_object_add(o, "create_vm", json_object_new_boolean(p->vm_ok));
	for (unsigned i = 0; i < p->ncap; i++)
		json_object_object_add(caps, p->cap[i].name, json_object_new_int(p->cap[i].value));
	json_object_object_add(o, "capabilities", caps);
	json_object_object_add(o, "missing_required", json_object_new_int((int)p->missing));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

void report_image(FILE *f, const char *prog, const char *path,
		  const struct image_error *e, uint64_t ram_size)
{
	fprintf(f, "%s: %s: %s", prog, path, image_why_str(e->why));
	switch (e->why) {
	case IMAGE_OUTSIDE_RAM:
		fprintf(f, ": it needs [0x%llx, 0x%llx) but the VM has %llu MiB"
			" of RAM; give it more with --mem (e.g. --mem %lluM)\n",
			X(e->start), X(e->end), X(ram_size >> 20),
			X((e->end >> 20) + 16));
		break;
	case IMAGE_RESERVED:
		fprintf(f, ": [0x%llx, 0x%llx) is below 0x%llx; link the guest"
			" at 0x%llx or above (guest/guest.ld)\n", X(e->start),
			X(e->end), X(ABI_RESERVED_END), X(ABI_LOAD_BASE));
		break;
	case IMAGE_NO_ROOM:
		fprintf(f, ": [0x%llx, 0x%llx) leaves no 0x%llx bytes for vmm"
			" below 0x%llx or at the top of the VM's %llu MiB of"
			" RAM; give it more with --mem (e.g. --mem %lluM)\n",
			X(e->start), X(e->end), X(ABI_RESERVED_END),
			X(ABI_RESERVED_END), X(ram_size >> 20),
			X((e->end + ABI_RESERVED_END + (1 << 20) - 1) >> 20));
		break;
	case IMAGE_OVERLAP:
	case IMAGE_BAD_SEGMENT:
	case IMAGE_TRUNCATED:
		fprintf(f, " (program header %u, 0x%llx-0x%llx)\n", e->seg,
			X(e->start), X(e->end));
		break;
	case IMAGE_EMPTY:
	case IMAGE_NOT_ELF:
		fprintf(f, "; `vmm run` wants an ELF64 guest (a flat binary"
			" goes with --flat FILE@ADDR)\n");
		break;
	default:
		fputc('\n', f);
	}
}
