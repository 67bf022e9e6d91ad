// SPDX-License-Identifier: GPL-2.0
/*
 * Drop ICMP echo requests (pings) arriving at this host; accept everything
 * else.  Load and attach with:
 *
 *	kbpfctl load build/examples/drop_icmp_echo.bpf.o
 *
 * The section name says where it attaches: family ipv4, hook local_in.
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define IPPROTO_ICMP_NUM	1
#define ICMP_ECHO_REQUEST	8
#define IP_OFFSET_MASK		0x1fff	/* fragment offset in 8-byte units */

/* Only the fields this program reads, laid out as on the wire. */
struct ipv4_hdr {
	__u8	ver_ihl;
	__u8	tos;
	__u16	tot_len;
	__u16	id;
	__u16	frag_off;
	__u8	ttl;
	__u8	protocol;
	__u16	check;
	__u32	saddr;
	__u32	daddr;
};

struct icmp_hdr {
	__u8	type;
	__u8	code;
	__u16	checksum;
};

SEC("kbpf/ipv4/local_in")
int drop_icmp_echo(struct kbpf_nf_ctx *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ipv4_hdr *ip = data;
	struct icmp_hdr *icmp;
	__u32 hdr_len;

	if ((void *)(ip + 1) > data_end)
		return KBPF_NF_ACCEPT;
	if (ip->protocol != IPPROTO_ICMP_NUM)
		return KBPF_NF_ACCEPT;
	/* A non-first fragment carries no ICMP header: leave it alone. */
	if (ip->frag_off & bpf_htons(IP_OFFSET_MASK))
		return KBPF_NF_ACCEPT;

	/* The header may carry options: IHL counts 32-bit words. */
	hdr_len = (ip->ver_ihl & 0x0f) * 4;
	if (hdr_len < sizeof(*ip))
		return KBPF_NF_ACCEPT;
	icmp = data + hdr_len;
	if ((void *)(icmp + 1) > data_end)
		return KBPF_NF_ACCEPT;

	if (icmp->type == ICMP_ECHO_REQUEST)
		return KBPF_NF_DROP;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
