// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * A subprogram gets a pointer into its caller's stack and fills it in;
 * the caller then uses the buffer as a map key.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, __u32);
} marks SEC(".maps");

static __attribute__((noinline)) void make_key(__u64 *key, __u32 mark, __u32 hook)
{
	*key = (__u64)hook << 32 | mark;
}

SEC("kbpf/ipv4/local_in")
int subprog_stack_arg(struct kbpf_nf_ctx *ctx)
{
	__u64 key;
	__u32 *v;

	make_key(&key, ctx->mark, ctx->hook);
	v = bpf_map_lookup_elem(&marks, &key);
	return v && *v == 0 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
