/*
 * debugcon.S: real mode, printing through port 0xE9 (the Bochs/QEMU debug
 * console: one `out` per byte, no status to poll), then HLT.
 * vmm run --mode real --flat debugcon.bin@0x1000
 */
	.code16
	.text
	.globl _start
_start:
	mov $msg, %si
1:	lodsb
	test %al, %al
	jz 2f
	outb %al, $0xe9
	jmp 1b
2:	hlt

msg:
	.asciz "Hello from real mode, on port 0xE9.\n"
