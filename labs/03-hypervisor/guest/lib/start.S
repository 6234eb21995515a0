/*
 * start.S: the first instruction of every 64-bit guest.
 *
 * The VMM enters here in long mode with RSP at the top of its stack
 * (ABI_STACK_TOP, 16-byte aligned) and interrupts off.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	xor %ebp, %ebp          /* the end of the frame-pointer chain */
	call guest_start        /* runtime.c: IDT, hello, main, exit */
1:	hlt                     /* not reached: guest_start does not return */
	jmp 1b
