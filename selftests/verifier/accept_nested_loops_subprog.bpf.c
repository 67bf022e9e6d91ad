// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 * WORST: 403
 *
 * Nested bounded loops, 4 x (mark & 7) iterations, with a bpf-to-bpf call
 * in the inner body: the worst case counts the callee in every iteration
 * the verifier proved the loops can run.  By hand from clang 14's code
 * (mix() linked at insn 24): blocks [0-4] 5, [5-8] 4 + mix [24-27] 4 +
 * [9-13] 5 = 13 per inner iteration, [14-18] 5, [19-20] 2, [21] 1,
 * [22-23] 2.  With mark & 7 = 7: 5 + 4 x (1 + 2 + 7 x 13 + 5) + 2 = 403.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 mix(__u32 a, __u32 b)
{
	return (a ^ b) * 2654435761u;
}

SEC("kbpf/ipv4/local_in")
int nested_loops_subprog(struct kbpf_nf_ctx *ctx)
{
	__u32 inner = ctx->mark & 7, acc = ctx->len, i, j;

#pragma clang loop unroll(disable)
	for (i = 0; i < 4; i++) {
#pragma clang loop unroll(disable)
		for (j = 0; j < inner; j++)
			acc = mix(acc, i + j);
	}
	return acc & 1;
}

char LICENSE[] SEC("license") = "GPL";
