// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 * WORST: unbounded
 *
 * A loop-free program that tail-calls: what runs after the call is
 * whatever the prog_array holds at run time, so no worst case can be
 * known at load; admission takes such a program on its budget.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} next_prog SEC(".maps");

SEC("kbpf/ipv4/local_in")
int tail_call_unbounded(struct kbpf_nf_ctx *ctx)
{
	bpf_tail_call(ctx, &next_prog, 0);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
