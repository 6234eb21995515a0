/*
 * gdt: segment descriptors, as KVM wants them and as the CPU reads them.
 *
 *   gdt_code64(), gdt_data()  the two segments a 64-bit guest runs on
 *   gdt_encode()             a struct kvm_segment as an 8-byte descriptor
 *   gdt_build()              write the GDT (null, code, data) into guest RAM
 *
 * KVM_SET_SREGS takes each segment register "unpacked" (base, limit, type,
 * flags); the GDT in guest memory holds the same facts packed into 8 bytes.
 * Both must agree: the guest reloads segments from the GDT (on an interrupt,
 * on `mov %ax, %ds`), and a mismatch shows up only then.
 */
#ifndef VMM_GDT_H
#define VMM_GDT_H

#include <linux/kvm.h>
#include <stdint.h>

/* The 64-bit code segment: L=1 (long mode), D/B=0, present, ring 0. */
struct kvm_segment gdt_code64(uint16_t selector);

/* A flat read/write data segment, present, ring 0. */
struct kvm_segment gdt_data(uint16_t selector);

/* The 8-byte descriptor for s (Intel SDM vol. 3, 3.4.5). */
uint64_t gdt_encode(const struct kvm_segment *s);

/* Writes null, code64 (ABI_SEL_CODE), data (ABI_SEL_DATA) at ram + at. */
void gdt_build(uint8_t *ram, uint64_t at);

/* The GDT's limit for the 3 entries gdt_build writes (bytes - 1). */
#define GDT_LIMIT (3 * 8 - 1)

#endif /* VMM_GDT_H */
