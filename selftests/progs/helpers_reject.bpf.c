// SPDX-License-Identifier: GPL-2.0
/*
 * KBPF_NF_REJECT: TCP to port 7100 gets a reset, UDP to port 7101 an ICMP
 * port unreachable, although sockets listen on both.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("kbpf/ipv4/local_in")
int reject_ports(struct kbpf_nf_ctx *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data;
	__u16 *ports = data + sizeof(*ip);

	if ((void *)(ports + 2) > end || ip->ihl != 5)
		return KBPF_NF_ACCEPT;
	if (ip->protocol == IPPROTO_TCP && ports[1] == bpf_htons(7100))
		return KBPF_NF_REJECT;
	if (ip->protocol == IPPROTO_UDP && ports[1] == bpf_htons(7101))
		return KBPF_NF_REJECT;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
