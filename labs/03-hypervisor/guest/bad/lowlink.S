/*
 * lowlink.S: an ELF linked at 0x8000, inside the VMM's own area (page
 * tables, GDT, stack below 1 MiB): vmm refuses to load it.
 */
	.code64
	.text
	.globl _start
_start:
	hlt
