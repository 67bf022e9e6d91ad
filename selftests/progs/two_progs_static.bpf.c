// SPDX-License-Identifier: GPL-2.0
/*
 * Two programs in one object, each calling a different static function, and
 * both calling a shared one through their own: the linker must give each
 * program only what it calls (a program carrying the other's function would
 * be refused as unreachable code), in first-call order.
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int is_marked(__u32 mark, __u32 want)
{
	return mark == want;
}

static __attribute__((noinline)) int drop_if_dead(__u32 mark)
{
	return is_marked(mark, 0xdead) ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

static __attribute__((noinline)) int drop_if_beef(__u32 mark)
{
	return is_marked(mark, 0xbeef) ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

/* A global function in .text that no program calls: linked into none. */
__attribute__((noinline)) int never_called(__u32 mark)
{
	return mark + 1;
}

SEC("kbpf/ipv4/local_in")
int drop_dead(struct kbpf_nf_ctx *ctx)
{
	return drop_if_dead(ctx->mark);
}

SEC("kbpf/ipv4/local_out")
int drop_beef(struct kbpf_nf_ctx *ctx)
{
	return drop_if_beef(ctx->mark);
}

char LICENSE[] SEC("license") = "GPL";
