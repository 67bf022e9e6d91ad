// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_loop() with a static callback: the callback's address is an ld_imm64
 * relocated against .text (BPF_PSEUDO_FUNC), so the linker must append the
 * callback and point the load at it, as it does for calls.  The loop sums
 * the first 8 bytes of the packet into a map.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct loop_ctx {
	struct kbpf_nf_ctx *nf;
	__u64 sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} loop_sum SEC(".maps");

static int add_byte(__u32 i, void *arg)
{
	struct loop_ctx *c = arg;
	__u8 *data = (void *)(long)c->nf->data;
	__u8 *data_end = (void *)(long)c->nf->data_end;

	if (i >= 8 || data + i + 1 > data_end)
		return 1;	/* stop */
	c->sum += data[i];
	return 0;
}

SEC("kbpf/ipv4/local_in")
int loop_callback(struct kbpf_nf_ctx *ctx)
{
	struct loop_ctx c = { .nf = ctx, .sum = 0 };
	__u32 zero = 0;
	__u64 *v;

	bpf_loop(8, add_byte, &c, 0);
	v = bpf_map_lookup_elem(&loop_sum, &zero);
	if (v)
		*v = c.sum;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
