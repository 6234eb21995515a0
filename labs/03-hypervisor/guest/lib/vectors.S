/*
 * vectors.S: entry stubs for the 32 CPU exception vectors.
 *
 * The CPU pushes SS, RSP, RFLAGS, CS, RIP and, for some vectors, an error
 * code. Each stub pushes a 0 where the CPU pushes none, then its vector
 * number, so that exc_common always sees the same frame:
 *   [rsp] vector, error, rip, cs, rflags, rsp, ss
 */
	.text
.macro stub n, haserr
vector\n:
	.if \haserr == 0
	pushq $0
	.endif
	pushq $\n
	jmp exc_common
.endm

stub 0,0;  stub 1,0;  stub 2,0;  stub 3,0;  stub 4,0;  stub 5,0;  stub 6,0
stub 7,0;  stub 8,1;  stub 9,0;  stub 10,1; stub 11,1; stub 12,1; stub 13,1
stub 14,1; stub 15,0; stub 16,0; stub 17,1; stub 18,0; stub 19,0; stub 20,0
stub 21,1; stub 22,0; stub 23,0; stub 24,0; stub 25,0; stub 26,0; stub 27,0
stub 28,0; stub 29,1; stub 30,1; stub 31,0

exc_common:
	mov %rsp, %rdi          /* the frame, for idt.c */
	and $-16, %rsp          /* the ABI wants a 16-byte aligned call */
	call guest_exception    /* reports to the VMM; does not return */
1:	hlt
	jmp 1b

	.section .rodata
	.globl guest_vectors
guest_vectors:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad vector\n
.endr
