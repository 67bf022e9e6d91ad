// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * Drops DNS queries (UDP to port 53) whose payload is shorter than a DNS
 * header: IPv4 with options, the UDP length field compared to the packet.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int udp_dns(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u8 *udp;
	__u16 ulen;

	if (data + 20 > data_end || data[9] != 17)
		return KBPF_NF_ACCEPT;
	udp = data + (data[0] & 0x0f) * 4;
	if (udp + 8 > data_end)
		return KBPF_NF_ACCEPT;
	if (udp[2] != 0 || udp[3] != 53)
		return KBPF_NF_ACCEPT;
	ulen = (__u16)udp[4] << 8 | udp[5];
	return ulen < 8 + 12 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
