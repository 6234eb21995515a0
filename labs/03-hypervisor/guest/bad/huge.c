/* huge.c: a 64 MiB .bss, more than a 16 MiB VM has. */
#include "guest.h"

char big[64 << 20]; /* not static: the compiler must keep all of it */

int main(void)
{
	big[sizeof(big) - 1] = 1;
	return big[0];
}
