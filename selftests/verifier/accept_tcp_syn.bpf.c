// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * Drops TCP SYNs without ACK to port 22 from outside 10/8: IPv4 header
 * length from IHL, TCP header checked, flags and port read.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int tcp_syn(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u8 *tcp;
	__u32 ihl;

	if (data + 20 > data_end || data[9] != 6)
		return KBPF_NF_ACCEPT;
	ihl = data[0] & 0x0f;
	if (ihl < 5)
		return KBPF_NF_DROP;
	tcp = data + ihl * 4;
	if (tcp + 20 > data_end)
		return KBPF_NF_ACCEPT;
	if (data[12] == 10)
		return KBPF_NF_ACCEPT;
	if ((tcp[13] & 0x12) == 0x02 && tcp[2] == 0 && tcp[3] == 22)
		return KBPF_NF_DROP;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
