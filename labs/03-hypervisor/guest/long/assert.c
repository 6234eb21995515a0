/* assert.c: a failing GUEST_ASSERT; the VMM names file, line, expression. */
#include "guest.h"

int main(void)
{
	int two = 1 + 1;

	GUEST_ASSERT(two == 2);
	GUEST_ASSERT(two == 3);
	return 0;
}
