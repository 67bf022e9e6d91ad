// SPDX-License-Identifier: GPL-2.0
/*
 * Packet helpers on a live local_in hook:
 *  - UDP to port 7000 is rewritten to port 7001 (bpf_skb_store_bytes) with
 *    the UDP checksum fixed (bpf_l4_csum_replace): a socket on 7001 gets it
 *    only if the receiving stack accepts the result;
 *  - UDP to port 7002 (sent large, so reassembled with data past the linear
 *    part): bpf_skb_load_bytes() reads the last byte of the packet, which is
 *    recorded in "seen" with the whole and the linear length.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct seen {
	__u32 len;
	__u32 headlen;
	__s32 err;
	__u32 last;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct seen);
} seen SEC(".maps");

#define UDP_OFF		sizeof(struct iphdr)	/* no IP options in the test */

SEC("kbpf/ipv4/local_in")
int pkt_helpers(struct kbpf_nf_ctx *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data;
	struct udphdr *udp = data + UDP_OFF;
	__u16 old_port, new_port = bpf_htons(7001);
	struct seen *s;
	__u32 zero = 0;
	__u8 last = 0;

	if ((void *)(udp + 1) > end || ip->protocol != IPPROTO_UDP ||
	    ip->ihl != 5)
		return KBPF_NF_ACCEPT;
	old_port = udp->dest;
	if (old_port == bpf_htons(7000)) {
		bpf_skb_store_bytes((void *)ctx, UDP_OFF + offsetof(struct udphdr, dest),
				    &new_port, sizeof(new_port), 0);
		bpf_l4_csum_replace((void *)ctx, UDP_OFF + offsetof(struct udphdr, check),
				    old_port, new_port,
				    BPF_F_MARK_MANGLED_0 | sizeof(new_port));
		return KBPF_NF_ACCEPT;
	}
	if (old_port != bpf_htons(7002))
		return KBPF_NF_ACCEPT;
	s = bpf_map_lookup_elem(&seen, &zero);
	if (!s)
		return KBPF_NF_ACCEPT;
	s->len = ctx->len;
	s->headlen = ctx->data_end - ctx->data;
	s->err = bpf_skb_load_bytes(ctx, ctx->len - 1, &last, 1);
	s->last = last;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
