// SPDX-License-Identifier: GPL-2.0
/*
 * Global data: counts packets in a .bss variable and reads a verdict from
 * .data, so a loader must turn both into KBPF_PSEUDO_MAP_VALUE references.
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets;
int verdict = KBPF_NF_ACCEPT;

SEC("kbpf/ipv4/local_in")
int global_counter(struct kbpf_nf_ctx *ctx)
{
	__sync_fetch_and_add(&packets, 1);
	return verdict == KBPF_NF_DROP ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
