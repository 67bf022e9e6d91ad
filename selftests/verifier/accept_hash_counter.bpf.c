// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * A hash map counter keyed by the packet mark: look up, bump if present,
 * insert 1 otherwise.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} by_mark SEC(".maps");

SEC("kbpf/ipv4/local_in")
int hash_counter(struct kbpf_nf_ctx *ctx)
{
	__u32 mark = ctx->mark;
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(&by_mark, &mark);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&by_mark, &mark, &one, BPF_NOEXIST);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
