/*
 * pvh_stub.S: the -kernel of a restored labvm machine, never run.
 *
 * QEMU restores a machine only onto the same devices, and -kernel decides
 * one of them: an ELF kernel with a Xen PVH entry note brings the pvh.bin
 * option ROM (a bzImage would bring linuxboot_dma.bin). Loading the real
 * vmlinux costs QEMU about 0.2 s of CPU per start, only for the restored
 * state to overwrite it; this ELF has the same note and nothing else.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4                 /* name size: "Xen\0" */
	.long 8                 /* description size */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad _start

	.text
	.code32
	.globl _start
_start:
	hlt
	jmp _start
