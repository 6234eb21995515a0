/*
 * flat64.S: a 64-bit guest as a flat binary (no ELF, no runtime): the
 * VMM's long-mode setup (GDT, page tables, EFER, CS.L) is all it needs.
 * It prints through port 0xE9 and halts.
 * vmm run --flat flat64.bin@0x100000
 */
	.code64
	.text
	.globl _start
_start:
	lea msg(%rip), %rsi
1:	lodsb
	test %al, %al
	jz 2f
	outb %al, $0xe9
	jmp 1b
2:	hlt

msg:
	.asciz "Hello from 64-bit long mode, a flat binary.\n"
