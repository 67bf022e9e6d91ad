// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "invalid access to packet"
 *
 * The caller checks 10 bytes; the subprogram it passes the context to
 * reads the packet again without a check of its own.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int proto_of(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	return data[9];
}

SEC("kbpf/ipv4/local_in")
int subprog_packet_unchecked(struct kbpf_nf_ctx *ctx)
{
	return proto_of(ctx) == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
