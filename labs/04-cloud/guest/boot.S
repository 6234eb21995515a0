/*
 * boot.S: where lab 04's guests start. A multiboot loader (QEMU's
 * -kernel) enters here in 32-bit protected mode, paging off, interrupts
 * off, with no stack: give it one and call guest_main(); if that returns,
 * power off.
 */
	.section .multiboot, "a"
	.align 4
	.long 0x1BADB002            /* multiboot magic */
	.long 0                     /* flags: nothing asked of the loader */
	.long -0x1BADB002           /* checksum: the three sum to 0 */

	.text
	.globl start
start:
	cli
	movl $stack_top, %esp
	call guest_main
	call guest_poweroff
1:	hlt
	jmp 1b

	.bss
	.align 16
	.space 16384
stack_top:
.section .note.GNU-stack,"",@progbits
