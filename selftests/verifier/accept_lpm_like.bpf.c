// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * LPM-like lookup: a hash map keyed by (prefix length, masked address),
 * probed from the longest prefix down; the first hit gives the verdict.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct prefix_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct prefix_key);
	__type(value, __u32);
} prefixes SEC(".maps");

SEC("kbpf/ipv4/local_in")
int lpm_like(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	struct prefix_key key;
	__u32 saddr, *verdict;
	int len;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	saddr = (__u32)data[12] << 24 | (__u32)data[13] << 16 |
		(__u32)data[14] << 8 | data[15];
	for (len = 32; len >= 8; len -= 8) {
		key.prefixlen = len;
		key.addr = len == 32 ? saddr : saddr & ~(0xffffffffu >> len);
		verdict = bpf_map_lookup_elem(&prefixes, &key);
		if (verdict)
			return *verdict ? KBPF_NF_ACCEPT : KBPF_NF_DROP;
	}
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
