// SPDX-License-Identifier: GPL-2.0
/*
 * Four programs for the scheduling e2e test (selftests/e2e/sched.sh).  On
 * every ICMP echo request each appends its digit to trace[0] (trace =
 * trace * 10 + digit), so the decimal value spells the order the chain ran
 * in, packet after packet.  chain_d also drops the request, which must end
 * the chain.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} trace SEC(".maps");

static __always_inline int is_echo_request(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;

	/* IPv4 without options (as ping sends), protocol ICMP, type 8. */
	if (data + 21 > data_end)
		return 0;
	return data[0] == 0x45 && data[9] == 1 && data[20] == 8;
}

static __always_inline int record(struct kbpf_nf_ctx *ctx, __u64 digit,
				  int verdict)
{
	__u32 key = 0;
	__u64 *v;

	if (!is_echo_request(ctx))
		return KBPF_NF_ACCEPT;
	v = bpf_map_lookup_elem(&trace, &key);
	if (v)
		*v = *v * 10 + digit;
	return verdict;
}

SEC("kbpf/ipv4/local_in")
int chain_a(struct kbpf_nf_ctx *ctx)
{
	return record(ctx, 1, KBPF_NF_ACCEPT);
}

SEC("kbpf/ipv4/local_in")
int chain_b(struct kbpf_nf_ctx *ctx)
{
	return record(ctx, 2, KBPF_NF_ACCEPT);
}

SEC("kbpf/ipv4/local_in")
int chain_c(struct kbpf_nf_ctx *ctx)
{
	return record(ctx, 3, KBPF_NF_ACCEPT);
}

SEC("kbpf/ipv4/local_in")
int chain_d(struct kbpf_nf_ctx *ctx)
{
	return record(ctx, 4, KBPF_NF_DROP);
}

char LICENSE[] SEC("license") = "GPL";
