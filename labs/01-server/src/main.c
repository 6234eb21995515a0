#include "hi_capacity.h"
#include <stdio.h>
int main(void)
{
	struct hi_capacity c;
	return hi_capacity_read("/", &c) ? 1 : 0;
}
