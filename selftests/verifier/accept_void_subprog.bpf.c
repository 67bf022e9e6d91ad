// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * A void subprogram (clang leaves r0 unset in it) bumps a counter.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hooks SEC(".maps");

static __attribute__((noinline)) void count_hook(__u32 hook)
{
	__u64 *v = bpf_map_lookup_elem(&hooks, &hook);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("kbpf/ipv4/local_in")
int void_subprog(struct kbpf_nf_ctx *ctx)
{
	count_hook(ctx->hook & 3);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
