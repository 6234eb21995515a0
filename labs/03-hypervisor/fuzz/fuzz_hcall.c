/*
 * fuzz_hcall: a guest's port write, with guest RAM as the guest left it,
 * into the VMM's exit handler (lab 03): exits_handle() and what it calls,
 * ucall_handle() (hypercalls), blk_serve() (disk requests) and the console.
 *
 * No KVM: the vCPU's kvm_run page and the VM are built here by hand, as
 * KVM_RUN would have left them after an `out`/`in` (KVM_EXIT_IO). Input:
 *   byte 0     port: one of the VMM's ports (or raw, bytes 1-2, when >= 0xf0)
 *   byte 3     size (1, 2, 4), direction, disk read-only, vCPUs
 *   byte 4     count (rep outs/ins), mostly 1
 *   bytes 5-8  the value written (eax): a gpa (mod RAM + 256 when bit 7
 *              of byte 3 is clear)
 *   the rest   guest RAM from address 0 (RAM is 64 KiB)
 * Checked, beyond "no crash, no ASan/UBSan report":
 *   - the handler goes on (0) or ends the VM (1), never fails (-errno);
 *   - guest RAM changes only where the request says the VMM writes: a
 *     query's .ret, a disk request's .status (and .count), a read's buffer;
 *   - a query answers what the VM is; an accepted print prints its bytes;
 *   - an ending maps to a documented exit code, and its diagnosis is lines
 *     "vmm: ..." of printable text (a guest cannot forge or hide a line).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "diag.h"
#include "exits.h"
#include "report.h"
#include "vmlab_abi.h"

#define RAM  (64u << 10)
#define DISK (64u * 512)
#define HDR  9

static uint8_t *ram, *before, *page;
static int console = -1, disk = -1;

static void setup(void)
{
	ram = malloc(RAM);
	before = malloc(RAM);
	page = aligned_alloc(4096, 4096); /* the kvm_run page */
	console = memfd_create("fuzz-console", 0);
	disk = memfd_create("fuzz-disk", 0);
	if (!ram || !before || !page || console < 0 || disk < 0 ||
	    ftruncate(disk, DISK) != 0)
		abort();
}

static uint16_t pick_port(const uint8_t *d)
{
	static const uint16_t ports[] = {ABI_UCALL_PORT, ABI_BLK_PORT,
		ABI_DEBUGCON_PORT, 0x3f8, 0x3f9, 0x3fb, 0x3fd, 0x3ff, 0x80};

	if (d[0] >= 0xf0)
		return (uint16_t)(d[1] | d[2] << 8);
	return ports[d[0] % (sizeof(ports) / sizeof(ports[0]))];
}

/* Builds the VM and the exit as KVM would leave them. */
static void build(const uint8_t *d, struct vm *vm, struct vcpu *v)
{
	struct kvm_run *run = (struct kvm_run *)page;
	uint32_t value;
	static const unsigned sizes[4] = {1, 2, 4, 4};
	unsigned size = sizes[d[3] & 3];
	unsigned count = d[4] < 0xf0 ? 1 : d[4] - 0xef;

	memset(vm, 0, sizeof(*vm));
	vm->ram = ram;
	vm->ram_size = RAM;
	vm->cfg.cpus = 1 + (d[3] >> 5 & 3);
	pthread_mutex_init(&vm->lock, NULL);
	serial_init(&vm->console, console);
	vm->disk = (struct blk){.fd = disk, .size = DISK, .ro = d[3] >> 3 & 1};
	memset(page, 0, 4096);
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = d[3] & 4 ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = (uint8_t)size;
	run->io.port = pick_port(d);
	run->io.count = count;
	run->io.data_offset = 2048;
	memcpy(&value, d + 5, 4);
	if (!(d[3] & 0x80))
		value %= RAM + 256;
	for (unsigned i = 0; i < size * count; i++) /* rep outs: value again */
		page[2048 + i] = (uint8_t)(value >> (8 * (i % 4)));
	*v = (struct vcpu){.vm = vm, .id = 0, .run = run};
}

/* May the VMM have written RAM byte at? (the request, read from before) */
static int may_write(const struct kvm_run *run, uint64_t at)
{
	uint32_t gpa;

	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
	    run->io.count != 1)
		return 0;
	memcpy(&gpa, page + 2048, 4);
	if (run->io.port == ABI_UCALL_PORT)
		return at >= (uint64_t)gpa + offsetof(struct ucall, ret) &&
		       at < (uint64_t)gpa + sizeof(struct ucall);
	if (run->io.port == ABI_BLK_PORT) {
		struct blk_req r;

		if ((uint64_t)gpa + sizeof(r) > RAM)
			return 0;
		memcpy(&r, before + gpa, sizeof(r));
		/* A read's buffer may cover the request itself: it is RAM. */
		if (r.op == BLK_READ && r.count <= ABI_BLK_MAX && at >= r.buf &&
		    at - r.buf < r.count * ABI_SECTOR)
			return 1;
		return (at - gpa >= 4 && at - gpa < 8) ||
		       (at - gpa >= 16 && at - gpa < 24);
	}
	return 0;
}

/* What the console shows of n bytes: control bytes but \n, \t as \xNN. */
static size_t shown(const uint8_t *in, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if ((in[i] >= 0x20 && in[i] != 0x7f) || in[i] == '\n' ||
		    in[i] == '\t')
			out[len++] = (char)in[i];
		else
			len += (size_t)sprintf(out + len, "\\x%02x", in[i]);
	}
	return len;
}

/* A ucall the VMM accepted: a query's answer, a print's bytes. */
static void check_ucall(const struct vm *vm, const struct kvm_run *run)
{
	uint32_t gpa;
	struct ucall uc, now;
	static char out[4 * UCALL_PRINT_MAX + 1], want[4 * UCALL_PRINT_MAX + 1];
	size_t n;

	memcpy(&gpa, page + 2048, 4);
	if (run->io.port != ABI_UCALL_PORT || (uint64_t)gpa + sizeof(uc) > RAM)
		return;
	memcpy(&uc, before + gpa, sizeof(uc));
	memcpy(&now, ram + gpa, sizeof(now));
	if (uc.cmd == UCALL_QUERY) {
		uint64_t want = uc.args[0] == UCALL_Q_RAM_SIZE ? RAM :
				uc.args[0] == UCALL_Q_VCPUS ? vm->cfg.cpus :
				uc.args[0] == UCALL_Q_DISK_SIZE ? DISK :
				uc.args[0] == UCALL_Q_CPU_ID ? 0 : (uint64_t)-1;

		FUZZ_ASSERT(now.ret == want);
	}
	if (uc.cmd == UCALL_PRINT && uc.len) {
		n = shown(before + uc.buf, uc.len, want);
		FUZZ_ASSERT(lseek(console, 0, SEEK_END) == (off_t)n);
		FUZZ_ASSERT(pread(console, out, n, 0) == (ssize_t)n);
		FUZZ_ASSERT(!memcmp(out, want, n));
	}
}

/* The diagnosis: a documented code; lines "vmm: " of printable text. */
static void check_ending(const struct vm *vm, const struct vm_result *res)
{
	int code = diag_status(res);
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (res->end == VM_END_PARKED)
		return; /* vm_run() waits for the other vCPUs */
	FUZZ_ASSERT(code <= 63 || (code >= 71 && code <= 81) || code == 124);
	f = open_memstream(&text, &len);
	FUZZ_ASSERT(f);
	report_run(f, "vmm", vm, res);
	fclose(f);
	if (code <= 63)
		FUZZ_ASSERT(len == 0); /* a success says nothing */
	else
		FUZZ_ASSERT(len > 5 && text[len - 1] == '\n');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		FUZZ_ASSERT((c >= 0x20 && c < 0x7f) || c == '\n');
		if (i == 0 || text[i - 1] == '\n')
			FUZZ_ASSERT(!strncmp(text + i, "vmm: ", 5));
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm vm;
	struct vcpu v;
	struct vm_result res;
	struct vmlab_err what = {0};
	int r;

	if (!ram)
		setup();
	if (size < HDR)
		return 0;
	memset(ram, 0, RAM);
	memcpy(ram, data + HDR, size - HDR < RAM ? size - HDR : RAM);
	memcpy(before, ram, RAM);
	FUZZ_ASSERT(ftruncate(console, 0) == 0 && lseek(console, 0, SEEK_SET) == 0);
	build(data, &vm, &v);
	memset(&res, 0, sizeof(res));
	r = exits_handle(&v, &res, &what);
	FUZZ_ASSERT(r == EXITS_CONTINUE || r == EXITS_END);
	FUZZ_ASSERT(serial_flush(&vm.console) == 0);
	for (uint64_t c = 0; c < RAM; c += 256) { /* by chunks: fast */
		if (!memcmp(ram + c, before + c, 256))
			continue;
		for (uint64_t i = c; i < c + 256; i++)
			if (ram[i] != before[i])
				FUZZ_ASSERT(may_write(v.run, i));
	}
	if (r == EXITS_CONTINUE)
		check_ucall(&vm, v.run);
	else
		check_ending(&vm, &res);
	pthread_mutex_destroy(&vm.lock);
	return 0;
}
