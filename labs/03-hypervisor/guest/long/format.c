/* format.c: guest_printf's conversions, checked from the host's side. */
#include "guest.h"

int main(void)
{
	guest_printf("[%d] [%i] [%u] [%x] [%X] [%5d] [%-d]\n", -42, 7, 42u,
		     0xbeefu, 0xbeefu, 12, 3);
	guest_printf("[%08lx] [%lu] [%lld] [%zu] [%s] [%c] [%%]\n",
		     0x1234UL, 18446744073709551615UL, -9000000000LL,
		     (size_t)4096, "str", 'c');
	return 0;
}
