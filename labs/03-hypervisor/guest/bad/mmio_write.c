/* mmio_write.c: a write past the end of RAM: KVM_EXIT_MMIO, is_write. */
#include "guest.h"

int main(void)
{
	volatile uint64_t *p = (volatile uint64_t *)0xc0001000UL;

	*p = 0x1234;
	return 0;
}
