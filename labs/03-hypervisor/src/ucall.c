/*
 * ucall: the guest's requests to the VMM.
 *
 * The struct is copied out of guest memory first and only the copy is
 * used: a guest (or, with several vCPUs, another vCPU) could change the
 * original between the check and the use.
 */
#include "ucall.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
 * Ends the VM for a malformed ucall: vmm prints "bad ucall (command CMD,
 * struct at GPA): WHY" and exits 81. Returns 1 (EXITS_END).
 */
static int bad_ucall(struct vm_result *res, uint32_t cmd, uint64_t gpa,
		     const char *why)
{
	res->end = VM_END_BAD_UCALL;
	res->u.ucall.cmd = cmd;
	res->u.ucall.gpa = gpa;
	snprintf(res->text, sizeof(res->text), "%s", why);
	return 1;
}

/*
 * Stage 03.4 (README "Stage 4 · the guest runtime and hypercalls"): copies
 * the NUL-terminated guest string at gpa into out (n bytes) and returns 0.
 * Returns -EFAULT (out = "") when a byte before the NUL is outside guest
 * RAM: find each byte with vm_gpa(vm, gpa + i, 1), never past RAM, and
 * refuse gpa + i wrapping past 2^64. A string longer than n - 1 bytes
 * inside RAM is cut short, not refused. Only printable ASCII (0x20..0x7e)
 * is copied as is; any other byte becomes '?': the string ends up in
 * vmm's diagnosis, where a newline or an escape sequence from the guest
 * would forge a line or rewrite the user's terminal.
 */
__attribute__((unused)) /* called from on_assert() */
static int guest_str(struct vm *vm, uint64_t gpa, char *out, size_t n)
{
	/* >>> SOLUTION 03.4: byte by byte through vm_gpa(), to the NUL or n - 1 bytes; -EFAULT outside RAM */
	size_t i = 0;

	for (; i + 1 < n; i++) {
		const unsigned char *c = vm_gpa(vm, gpa + i, 1);

		if (!c || gpa + i < gpa) {
			out[0] = '\0';
			return -EFAULT;
		}
		if (*c == '\0')
			break;
		out[i] = *c >= 0x20 && *c < 0x7f ? (char)*c : '?';
	}
	out[i] = '\0';
	return 0;
	/* === STUB
	(void)vm;
	(void)gpa;
	(void)n;
	out[0] = '\0';
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.4: UCALL_PRINT, uc->len bytes at guest-physical uc->buf to the
 * console, through serial_io(&vm->console, ABI_DEBUGCON_PORT, 1, bytes,
 * 1, uc->len) as if written to port 0xE9, holding vm->lock. Returns what
 * serial_io() returns (0: the guest goes on). A buffer longer than
 * UCALL_PRINT_MAX (4096) or not wholly inside RAM (vm_gpa(vm, buf, len)
 * is NULL) ends the VM: return bad_ucall(res, uc->cmd, gpa, "print: the
 * buffer is not inside guest RAM or is longer than 4096 bytes"), exactly.
 * Stage 03.4, README "Stage 4 · the guest runtime and hypercalls".
 */
__attribute__((unused)) /* called from ucall_handle() */
static int on_print(struct vm *vm, const struct ucall *uc, uint64_t gpa,
		    struct vm_result *res)
{
	/* >>> SOLUTION 03.4: check len and the buffer, then the bytes to the console as on port 0xE9 */
	uint8_t *bytes = vm_gpa(vm, uc->buf, uc->len);

	if (uc->len > UCALL_PRINT_MAX || !bytes)
		return bad_ucall(res, uc->cmd, gpa,
				 "print: the buffer is not inside guest RAM"
				 " or is longer than 4096 bytes");
	pthread_mutex_lock(&vm->lock);
	int r = serial_io(&vm->console, ABI_DEBUGCON_PORT, 1, bytes, 1, uc->len);

	pthread_mutex_unlock(&vm->lock);
	return r;
	/* === STUB
	(void)vm;
	(void)uc;
	(void)gpa;
	(void)res;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.4: UCALL_ASSERT, a GUEST_ASSERT that failed: args[0] is the
 * line, args[1] and args[2] the guest addresses of the file name and the
 * expression, each read with guest_str() into UCALL_STR_MAX bytes. Ends
 * the VM (return 1): res->end = VM_END_ASSERT, res->u.assert.line, and
 * res->text = "FILE:LINE: EXPR" (vmm prints "guest assertion failed:
 * guest/long/assert.c:9: two == 3"). A string guest_str() refuses ends it
 * with bad_ucall(res, uc->cmd, gpa, "assert: the file name or the
 * expression is not a string inside guest RAM"), exactly.
 * Stage 03.4, README "Stage 4 · the guest runtime and hypercalls".
 */
__attribute__((unused)) /* called from ucall_handle() */
static int on_assert(struct vm *vm, const struct ucall *uc, uint64_t gpa,
		     struct vm_result *res)
{
	/* >>> SOLUTION 03.4: both strings through guest_str(), then VM_END_ASSERT and "FILE:LINE: EXPR" */
	char file[UCALL_STR_MAX], expr[UCALL_STR_MAX];

	if (guest_str(vm, uc->args[1], file, sizeof(file)) ||
	    guest_str(vm, uc->args[2], expr, sizeof(expr)))
		return bad_ucall(res, uc->cmd, gpa, "assert: the file name"
				 " or the expression is not a string inside"
				 " guest RAM");
	res->end = VM_END_ASSERT;
	res->u.assert.line = uc->args[0];
	snprintf(res->text, sizeof(res->text), "%s:%llu: %s", file,
		 (unsigned long long)uc->args[0], expr);
	return 1;
	/* === STUB
	(void)vm;
	(void)uc;
	(void)gpa;
	(void)res;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.4: the answer to UCALL_QUERY what, asked by vCPU cpu:
 * UCALL_Q_RAM_SIZE the bytes of guest RAM, UCALL_Q_VCPUS vm->cfg.cpus,
 * UCALL_Q_CPU_ID cpu, UCALL_Q_DISK_SIZE the disk's bytes (0 without a
 * disk: vm->disk.fd < 0); anything else (uint64_t)-1.
 * Stage 03.4, README "Stage 4 · the guest runtime and hypercalls".
 */
__attribute__((unused)) /* called from ucall_handle() */
static uint64_t query(struct vm *vm, unsigned cpu, uint64_t what)
{
	/* >>> SOLUTION 03.4: one answer per enum ucall_query, (uint64_t)-1 for any other */
	switch (what) {
	case UCALL_Q_RAM_SIZE: return vm->ram_size;
	case UCALL_Q_VCPUS: return vm->cfg.cpus;
	case UCALL_Q_CPU_ID: return cpu;
	case UCALL_Q_DISK_SIZE: return vm->disk.fd >= 0 ? vm->disk.size : 0;
	default: return (uint64_t)-1;
	}
	/* === STUB
	(void)vm;
	(void)cpu;
	(void)what;
	return (uint64_t)-1;
	*/
	/* <<< SOLUTION */
}

/*
 * A query's answer goes into the guest's struct, which the guest reads
 * after its next KVM_RUN. The guest chose the address: it may be odd, so
 * the answer is copied in, never stored through a struct pointer.
 */
__attribute__((unused)) /* called from ucall_handle() */
static void answer(uint8_t *p, uint64_t ret)
{
	memcpy(p + offsetof(struct ucall, ret), &ret, sizeof(ret));
}

/*
 * Stage 03.4: acts on the copy uc of the struct at guest-physical gpa (p
 * points to the original in RAM). Returns 0 (the guest goes on), 1 (the
 * VM ends: res says how) or -errno (vmm itself failed).
 *   UCALL_PRINT on_print()          UCALL_ASSERT on_assert()
 *   UCALL_EXIT  VM_END_EXIT, res->code = (int)args[0]
 *   UCALL_EXCEPTION VM_END_EXCEPTION, res->u.exc = vector, rip, cr2,
 *               error code from args[0..3]
 *   UCALL_QUERY answer(p, query(vm, cpu, args[0])), then 0
 *   UCALL_HELLO args[0] must be ABI_VERSION, else bad_ucall() "the guest
 *               runtime speaks another ABI version: rebuild the guest";
 *               then set vm->runtime_up to 1 (__atomic_store_n), 0
 *   UCALL_PARK  VM_END_PARKED (this vCPU is done, the others go on)
 *   any other   bad_ucall() "unknown ucall command"
 * Stage 03.4, README "Stage 4 · the guest runtime and hypercalls".
 */
int ucall_handle(struct vm *vm, unsigned cpu, uint64_t gpa,
		 struct vm_result *res)
{
	uint8_t *p = vm_gpa(vm, gpa, sizeof(struct ucall));
	struct ucall uc;

	if (!p)
		return bad_ucall(res, 0, gpa, "the ucall struct is not inside"
				 " guest RAM");
	memcpy(&uc, p, sizeof(uc));
	/* >>> SOLUTION 03.4: dispatch on uc.cmd, one case per enum ucall_cmd */
	switch (uc.cmd) {
	case UCALL_PRINT:
		return on_print(vm, &uc, gpa, res);
	case UCALL_EXIT:
		res->end = VM_END_EXIT;
		res->code = (int)uc.args[0];
		return 1;
	case UCALL_ASSERT:
		return on_assert(vm, &uc, gpa, res);
	case UCALL_EXCEPTION:
		res->end = VM_END_EXCEPTION;
		res->u.exc.vector = uc.args[0];
		res->u.exc.rip = uc.args[1];
		res->u.exc.cr2 = uc.args[2];
		res->u.exc.error = uc.args[3];
		return 1;
	case UCALL_QUERY:
		answer(p, query(vm, cpu, uc.args[0]));
		return 0;
	case UCALL_HELLO:
		if (uc.args[0] != ABI_VERSION)
			return bad_ucall(res, uc.cmd, gpa, "the guest runtime"
					 " speaks another ABI version: rebuild"
					 " the guest");
		__atomic_store_n(&vm->runtime_up, 1, __ATOMIC_RELAXED);
		return 0;
	case UCALL_PARK:
		res->end = VM_END_PARKED;
		return 1;
	default:
		return bad_ucall(res, uc.cmd, gpa, "unknown ucall command");
	}
	/* === STUB
	(void)cpu;
	return bad_ucall(res, uc.cmd, gpa, "ucalls not written yet");
	*/
	/* <<< SOLUTION */
}
