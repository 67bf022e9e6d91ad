// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "infinite loop"
 *
 * Spins until a mark it never re-reads changes.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int infinite_loop(struct kbpf_nf_ctx *ctx)
{
	volatile __u32 spin = 0;

	while (spin == 0)
		;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
