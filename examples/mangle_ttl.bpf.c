// SPDX-License-Identifier: GPL-2.0
/*
 * Rewrite packets on their way out, checksums fixed incrementally: every
 * ICMP echo request leaving this host gets its IPv4 TTL set to 17 (the IP
 * header checksum fixed with bpf_l3_csum_replace) and the first byte of its
 * payload set to 'K' (the ICMP checksum fixed with bpf_l4_csum_replace).
 * The receiver checks both checksums, so a reply proves them right:
 *
 *	kbpfctl load build/examples/mangle_ttl.bpf.o
 *	ping -c 1 10.0.0.2        # the request arrives with TTL 17
 *	kbpfctl map dump mangled
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define NEW_TTL			17
#define NEW_BYTE		'K'
#define IPPROTO_ICMP_NUM	1
#define ICMP_ECHO_REQUEST	8
#define IP_TTL_OFF		8	/* TTL and protocol: one 16-bit word */
#define IP_CSUM_OFF		10
#define ICMP_CSUM_OFF		2
#define ICMP_DATA_OFF		8	/* after type, code, csum, id, seq */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} mangled SEC(".maps");

SEC("kbpf/ipv4/local_out")
int mangle_ttl(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u16 old_word, new_word;
	__u32 ihl, zero = 0;
	__u8 new_byte = NEW_BYTE;
	__u64 *n;

	/* A 20-byte header (no options), ICMP echo request, a payload byte. */
	if (data + 20 + ICMP_DATA_OFF + 2 > data_end)
		return KBPF_NF_ACCEPT;
	ihl = (data[0] & 0x0f) * 4;
	if (ihl != 20 || data[9] != IPPROTO_ICMP_NUM ||
	    data[20] != ICMP_ECHO_REQUEST)
		return KBPF_NF_ACCEPT;

	/* The TTL: its 16-bit word (with the protocol) in the IP checksum. */
	old_word = bpf_htons((__u16)data[IP_TTL_OFF] << 8 | data[9]);
	new_word = bpf_htons((__u16)NEW_TTL << 8 | data[9]);
	if (bpf_l3_csum_replace((void *)ctx, IP_CSUM_OFF, old_word, new_word,
				sizeof(new_word)) ||
	    bpf_skb_store_bytes((void *)ctx, IP_TTL_OFF, &new_word, 1, 0))
		return KBPF_NF_DROP;	/* half-rewritten: do not send it */

	/* Re-read after a helper that may have moved the packet. */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + 20 + ICMP_DATA_OFF + 2 > data_end)
		return KBPF_NF_DROP;
	/* The payload byte, as the high byte of its 16-bit word. */
	old_word = bpf_htons((__u16)data[20 + ICMP_DATA_OFF] << 8 |
			     data[20 + ICMP_DATA_OFF + 1]);
	new_word = bpf_htons((__u16)NEW_BYTE << 8 |
			     data[20 + ICMP_DATA_OFF + 1]);
	if (bpf_l4_csum_replace((void *)ctx, 20 + ICMP_CSUM_OFF, old_word,
				new_word, sizeof(new_word)) ||
	    bpf_skb_store_bytes((void *)ctx, 20 + ICMP_DATA_OFF, &new_byte, 1,
				0))
		return KBPF_NF_DROP;

	n = bpf_map_lookup_elem(&mangled, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
