/* loop.c: an endless loop, no exits at all: only --timeout stops it. */
#include "guest.h"

int main(void)
{
	for (volatile int i = 0;; i++)
		;
}
