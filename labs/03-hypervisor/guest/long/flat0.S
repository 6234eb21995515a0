/*
 * flat0.S: the classic minimal KVM example's layout: a 64-bit flat binary
 * loaded at guest-physical 0, entry 0 (no ELF, no runtime). vmm's GDT,
 * page tables and stack, which live below 1 MiB for every other guest,
 * move to the top of RAM for it. It prints through a subroutine (so the
 * stack vmm gave it works) and halts.
 * vmm run --flat flat0.bin@0
 */
	.code64
	.text
	.globl _start
_start:
	lea msg(%rip), %rsi
	call puts
	hlt

/* Prints the NUL-terminated string at %rsi on port 0xE9. */
puts:
	lodsb
	test %al, %al
	jz 1f
	outb %al, $0xe9
	jmp puts
1:	ret

msg:
	.asciz "Hello from a flat image at guest-physical 0, entry 0.\n"
