/*
 * count.S: N console writes, then HLT; the benchmark's guest (bench/).
 * Each `out` is one VM exit, so the run time is N exit round trips.
 * N is set at build time: as --defsym N=...
 */
	.code16
	.text
	.globl _start
_start:
	mov $'!', %al
	outb %al, $0xe9         /* the first instruction's sign of life */
	mov $'\n', %al
	outb %al, $0xe9
	mov $N, %ecx
	mov $'.', %al
1:	outb %al, $0xe9
	dec %ecx
	jnz 1b
	mov $'\n', %al
	outb %al, $0xe9
	hlt
