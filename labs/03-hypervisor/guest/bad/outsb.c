/*
 * outsb.c: string I/O to the console. `rep outsb` sends all its bytes in
 * ONE exit (kvm_run->io.count = 14): a VMM that looks at one byte only
 * prints "r" and loses the rest.
 */
#include "guest.h"

int main(void)
{
	static const char msg[] = "rep outsb ok!\n";
	const char *p = msg;
	size_t n = sizeof(msg) - 1;

	__asm__ volatile("cld; rep outsb"
			 : "+S"(p), "+c"(n)
			 : "d"((uint16_t)0x3f8)
			 : "memory");
	return 0;
}
