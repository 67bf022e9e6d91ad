// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "invalid access to packet"
 *
 * Reads the protocol byte without checking the packet is that long.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int unchecked_packet_read(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	return data[9] == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
