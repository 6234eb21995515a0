/*
 * hello.S: the first guest, 16-bit real mode, no runtime, no C.
 *
 * It drives COM1 the way a BIOS or a boot loader does: wait until the
 * line-status register says the transmitter is empty, then write one byte
 * to the transmit register. Then HLT: with no interrupt controller in this
 * VM, that is the end. Loaded flat at 0x7c00 (the address where a PC BIOS
 * puts a boot sector): vmm run --mode real --flat hello.bin@0x7c00
 */
	.code16
	.text
	.globl _start
_start:
	mov $msg, %si
next:
	lodsb                   /* al = *si++ */
	test %al, %al
	jz done
	mov %al, %bl
	mov $0x3fd, %dx         /* COM1 line status register */
wait:
	inb %dx, %al
	test $0x20, %al         /* THRE: transmit holding register empty */
	jz wait
	mov $0x3f8, %dx         /* COM1 transmit register */
	mov %bl, %al
	outb %al, %dx
	jmp next
done:
	hlt

msg:
	.asciz "Hello from real mode: a 16-bit guest, on COM1.\n"
