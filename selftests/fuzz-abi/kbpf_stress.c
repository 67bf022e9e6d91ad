// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "kbpf_stress: not built yet\n");
	return 1;
}
