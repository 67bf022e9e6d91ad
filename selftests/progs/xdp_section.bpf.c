// SPDX-License-Identifier: GPL-2.0
/* A program in a section kbpf does not know: loading it must fail clearly. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int not_for_kbpf(void *ctx)
{
	return 2;
}

char LICENSE[] SEC("license") = "GPL";
