/*
 * test_vm: the library's VM, driven directly (no vmm program): the ioctl
 * sequence, guest RAM, the vCPU's registers in each mode, vm_stop().
 */
#include "graded.h"
#include "util.h"
#include "check.h"
#include "vcpu.h"
#include "vm.h"
#include "vmlab_abi.h"

#include <pthread.h>
#include <sys/ioctl.h>

static struct vm *make_vm(enum vm_mode mode, uint64_t mem, FILE *console)
{
	struct vm_config cfg = {.mem_size = mem, .mode = mode,
				.console_fd = fileno(console)};
	struct vm *vm = NULL;
	struct vmlab_err what = {0};
	int r = vm_create(&cfg, &vm, &what);

	cr_assert_eq(r, 0, "vm_create: %s", what.msg);
	return vm;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];

	cr_assert(f, "open %s (run `make` first)", path);
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

/* Real mode: bytes copied into guest RAM by the VMM run as the guest. */
GRADED(vm, real_mode_guest_from_guest_ram, 3, "03.2 real mode", 10)
{
	FILE *con = tmpfile();
	struct vm *vm;
	struct vm_result res;
	struct image_error e;
	struct vmlab_err what = {0};
	char out[256];
	size_t len;
	void *img = read_file(bpath("guest/real/hello.bin"), &len);

	NEED_KVM();
	vm = make_vm(VM_MODE_REAL, 1 << 20, con);
	cr_assert_eq(vm_load_flat(vm, img, len, 0x7c00, &e), 0);
	cr_assert_eq(memcmp(vm->ram + 0x7c00, img, len), 0);
	cr_assert_eq(vm_run(vm, 0x7c00, &res, &what), 0, "%s", what.msg);
	cr_assert_eq(res.end, VM_END_HALT);
	cr_assert_eq(res.reason, KVM_EXIT_HLT);
	slurp_fd(fileno(con), out, sizeof(out));
	cr_assert_str_eq(out, "Hello from real mode: a 16-bit guest, on COM1.\n");
	vm_destroy(vm);
	fclose(con);
}

/* The guest writes its RAM; the VMM sees the same bytes: one memory. */
GRADED(vm, guest_ram_is_vmm_memory, 2, "03.2 real mode", 10)
{
	/* mov $0x42, %al; mov %al, (0x2000) as "mov %al, 0x2000"; hlt */
	static const uint8_t code[] = {0xb0, 0x42, 0xa2, 0x00, 0x20, 0xf4};
	FILE *con = tmpfile();
	struct vm *vm;
	struct vm_result res;
	struct image_error e;
	struct vmlab_err what;

	NEED_KVM();
	vm = make_vm(VM_MODE_REAL, 1 << 20, con);
	cr_assert_eq(vm_load_flat(vm, code, sizeof(code), 0x1000, &e), 0);
	cr_assert_eq(vm_run(vm, 0x1000, &res, &what), 0);
	cr_assert_eq(res.end, VM_END_HALT);
	cr_assert_eq(vm->ram[0x2000], 0x42);
	vm_destroy(vm);
	fclose(con);
}

/* Long mode: the state the VMM set passes every pre-entry check. */
GRADED(vm, long_mode_state_is_consistent, 3, "03.3 long mode", 10)
{
	FILE *con = tmpfile();
	struct vm *vm;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct vmlab_err what = {0};
	struct vmlab_err why = {0};

	NEED_KVM();
	vm = make_vm(VM_MODE_LONG, 4 << 20, con);
	cr_assert_eq(vcpu_setup_long(vm->vcpu[0], 0x100000, &what), 0, "%s", what.msg);
	cr_assert_eq(ioctl(vm->vcpu[0]->fd, KVM_GET_SREGS, &sregs), 0);
	cr_assert_eq(ioctl(vm->vcpu[0]->fd, KVM_GET_REGS, &regs), 0);
	cr_assert_eq(check_entry(&regs, &sregs, vm->ram_size, 1, &why),
		     0, "%s", why.msg);
	cr_assert(sregs.efer & EFER_LMA);
	cr_assert_eq(sregs.cs.l, 1);
	cr_assert_eq(sregs.cr3, ABI_PML4);
	cr_assert_eq(regs.rip, 0x100000);
	vm_destroy(vm);
	fclose(con);
}

/* The hypervisor's CPUID leaf, read by the guest through KVM. */
GRADED(vm, cpuid_signature_reaches_the_vcpu, 1, "03.2 real mode", 10)
{
	FILE *con = tmpfile();
	struct vm *vm;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	int found = 0;

	NEED_KVM();
	vm = make_vm(VM_MODE_LONG, 4 << 20, con);
	c->nent = 256;
	cr_assert_eq(ioctl(vm->vcpu[0]->fd, KVM_GET_CPUID2, c), 0);
	for (unsigned i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x40000000)
			found = !memcmp(&c->entries[i].ebx, "vmla", 4);
	cr_assert(found);
	free(c);
	vm_destroy(vm);
	fclose(con);
}

static void *stop_later(void *arg)
{
	usleep(200 * 1000);
	vm_stop(arg, VM_END_TIMEOUT);
	return NULL;
}

/* vm_stop() from another thread ends a guest that never exits. */
GRADED(vm, stop_ends_an_endless_guest, 2, "03.9 diagnostics", 10)
{
	static const uint8_t spin[] = {0xeb, 0xfe}; /* jmp . */
	FILE *con = tmpfile();
	struct vm *vm;
	struct vm_result res;
	struct image_error e;
	struct vmlab_err what;
	pthread_t t;

	NEED_KVM();
	vm = make_vm(VM_MODE_LONG, 2 << 20, con);
	cr_assert_eq(vm_load_flat(vm, spin, sizeof(spin), 0x100000, &e), 0);
	pthread_create(&t, NULL, stop_later, vm);
	cr_assert_eq(vm_run(vm, 0x100000, &res, &what), 0);
	pthread_join(t, NULL);
	cr_assert_eq(res.end, VM_END_TIMEOUT);
	vm_destroy(vm);
	fclose(con);
}
