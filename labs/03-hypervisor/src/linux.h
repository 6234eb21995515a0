/*
 * linux: the optional challenge (README "Challenge · boot Linux"): enough
 * of a PC for the Linux kernel's x86 boot protocol
 * (Documentation/arch/x86/boot.rst).
 *
 *   linux_check()    is this file a bzImage vmm can boot? (no KVM needed)
 *   linux_machine()  the in-kernel interrupt controllers and PIT
 *   linux_load()     kernel, initrd, command line, boot_params, ACPI
 *   linux_setup_vcpu()  vCPU 0 at the 32-bit entry; the others wait for
 *                    the kernel's INIT/SIPI, as on a real board
 *   linux_exit()     a Linux guest's exits: linux_io(), linux_mmio() for
 *                    the ports and addresses no device owns, and the
 *                    virtio disk's window (virtio.c) with --disk
 *
 * What a kernel needs from a machine at boot is small: RAM and a map of it
 * (e820), its command line, a clock to calibrate (the PIT), interrupt
 * controllers (PIC, I/O APIC, one local APIC per CPU: KVM has them all),
 * the list of CPUs (ACPI's MADT), and a console (the 8250 at 0x3f8).
 */
#ifndef VMM_LINUX_H
#define VMM_LINUX_H

#include "vm.h"

#include <stddef.h>
#include <stdint.h>

/* Where vmm puts what it hands the kernel (guest-physical). */
#define LINUX_BOOT_PARAMS 0x10000ULL  /* the "zero page", struct boot_params */
#define LINUX_CMDLINE     0x20000ULL  /* the command line, NUL-terminated */
#define LINUX_ACPI        0xf0000ULL  /* RSDP, RSDT, MADT (acpi.c) */
#define LINUX_KERNEL      0x100000ULL /* the protected-mode kernel: 1 MiB */
#define LINUX_COM1_IRQ    4
#define LINUX_DEFAULT_CMDLINE "console=ttyS0 reboot=k pci=off nopv" \
	" io_delay=none i8042.noaux i8042.nomux i8042.dumbkbd"

struct linux_boot {
	const uint8_t *kernel;  /* the bzImage file */
	size_t kernel_len;
	const uint8_t *initrd;  /* or NULL */
	size_t initrd_len;
	const char *cmdline;
};

/*
 * Checks the bzImage's setup header: the "HdrS" magic, boot protocol
 * 2.06 or later, LOADED_HIGH, and that kernel (and its unpacking room,
 * init_size), initrd and command line fit in mem bytes of RAM.
 * Returns 0, or -ENOEXEC with err saying why (naming no flag); err->name
 * LINUX_ERR_MEM when it is mem that is too small.
 */
int linux_check(const struct linux_boot *b, uint64_t mem,
		struct vmlab_err *err);

/* err->name of linux_check() when the kernel does not fit in mem. */
#define LINUX_ERR_MEM "linux_check: mem"

/* KVM_CREATE_IRQCHIP and KVM_CREATE_PIT2: before any vCPU. 0 or -errno. */
int linux_machine(struct vm *vm, struct vmlab_err *err);

/*
 * Loads b into vm's RAM (checked again with linux_check()): kernel,
 * initrd and command line (load_images()), boot_params (zero_page()),
 * the e820 map (e820_map()) and the ACPI tables for vm->cfg.cpus CPUs
 * (acpi_write()). Returns 0 and the 32-bit entry point in *entry, or
 * -errno with err (-ENOSYS: "<function> (not written yet)").
 */
int linux_load(struct vm *vm, const struct linux_boot *b, uint64_t *entry,
	       struct vmlab_err *err);

/*
 * vCPU v's CPUID (its own APIC ID) and, for vCPU 0, the 32-bit entry
 * (boot_regs()). 0, or -errno with err.
 */
int linux_setup_vcpu(struct vcpu *v, uint64_t entry, struct vmlab_err *err);

/*
 * A port the console does not own: reads answer all ones (no device),
 * writes are dropped, but 0xfe to the keyboard controller (0x64, the
 * kernel's reboot=k) powers the machine off: VM_END_EXIT, code 0.
 * COM1's interrupt register and IRQ 4 live here too (uart_thre()).
 * Returns EXITS_CONTINUE or EXITS_END, or -errno with err (-ENOSYS
 * while uart_thre() is not written).
 */
int linux_io(struct vcpu *v, struct vm_result *res, struct vmlab_err *err);

/*
 * An address with no RAM: the virtio disk's window (virtio.c, with a
 * disk), else reads answer all ones and writes are dropped. Returns
 * EXITS_CONTINUE, or -errno / -ENOSYS with err.
 */
int linux_mmio(struct vcpu *v, struct vmlab_err *err);

/*
 * The exits of a Linux guest (vcpu.c calls it in place of exits_handle()):
 * its ports and addresses go to linux_io() and linux_mmio(), the rest to
 * exits_handle(). Returns what they return.
 */
int linux_exit(struct vcpu *v, struct vm_result *res, struct vmlab_err *err);

#endif /* VMM_LINUX_H */
