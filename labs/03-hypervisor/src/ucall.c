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

static int bad_ucall(struct vm_result *res, uint32_t cmd, uint64_t gpa,
		     const char *why)
{
	res->end = VM_END_BAD_UCALL;
	res->u.ucall.cmd = cmd;
	res->u.ucall.gpa = gpa;
	snprintf(res->text, sizeof(res->text), "%s", why);
	return 1;
}

/* >>> SOLUTION 03.4: act on each command; check every guest address first */
/*
 * Copies the NUL-terminated guest string at gpa into out (n bytes), and
 * returns 0; -EFAULT when it starts outside guest RAM or runs to RAM's
 * end without its NUL (longer than n - 1 bytes inside RAM: cut short).
 * Each byte is found with vm_gpa(), never past RAM. Only printable ASCII
 * is copied as is: the string ends up in vmm's diagnosis, and a newline
 * or an escape sequence from the guest would forge a line of it or
 * rewrite the user's terminal. Any other byte becomes '?'.
 */
static int guest_str(struct vm *vm, uint64_t gpa, char *out, size_t n)
{
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
}

static int on_print(struct vm *vm, const struct ucall *uc, uint64_t gpa,
		    struct vm_result *res)
{
	uint8_t *bytes = vm_gpa(vm, uc->buf, uc->len);

	if (uc->len > UCALL_PRINT_MAX || !bytes)
		return bad_ucall(res, uc->cmd, gpa,
				 "print: the buffer is not inside guest RAM"
				 " or is longer than 4096 bytes");
	/* Through the console device, as if written to port 0xE9. */
	pthread_mutex_lock(&vm->lock);
	int r = serial_io(&vm->console, ABI_DEBUGCON_PORT, 1, bytes, 1, uc->len);

	pthread_mutex_unlock(&vm->lock);
	return r;
}

static int on_assert(struct vm *vm, const struct ucall *uc, uint64_t gpa,
		     struct vm_result *res)
{
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
}

static uint64_t query(struct vm *vm, unsigned cpu, uint64_t what)
{
	switch (what) {
	case UCALL_Q_RAM_SIZE: return vm->ram_size;
	case UCALL_Q_VCPUS: return vm->cfg.cpus;
	case UCALL_Q_CPU_ID: return cpu;
	case UCALL_Q_DISK_SIZE: return vm->disk.fd >= 0 ? vm->disk.size : 0;
	default: return (uint64_t)-1;
	}
}

/*
 * A query's answer goes into the guest's struct, which the guest reads
 * after its next KVM_RUN. The guest chose the address: it may be odd, so
 * the answer is copied in, never stored through a struct pointer.
 */
static void answer(uint8_t *p, uint64_t ret)
{
	memcpy(p + offsetof(struct ucall, ret), &ret, sizeof(ret));
}
/* === STUB
*/
/* <<< SOLUTION */

int ucall_handle(struct vm *vm, unsigned cpu, uint64_t gpa,
		 struct vm_result *res)
{
	uint8_t *p = vm_gpa(vm, gpa, sizeof(struct ucall));
	struct ucall uc;

	if (!p)
		return bad_ucall(res, 0, gpa, "the ucall struct is not inside"
				 " guest RAM");
	memcpy(&uc, p, sizeof(uc));
	/* >>> SOLUTION 03.4: dispatch on uc.cmd */
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
