// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 * WORST: 1110
 *
 * bpf_loop (mark >> 28 times, at most 15) over a callback that runs a
 * bounded loop (mark & 7 rounds, read from the caller's stack) and then
 * calls bpf_loop 3 times itself: the worst case counts the loop's proven
 * trip count and the nested calls in every run, where the callback's
 * longest path over blocks would be unbounded.  By hand from clang 14's
 * code (outer() linked at insn 16, inner() at 36): the program is one
 * block of 15 (the ld_imm64 once); outer's blocks are [16-18] 3,
 * [19-22] 4, [23-27] 5 per round, [28] 1, [29-35] 6, and inner's one
 * block [36-43] 8.  A run of outer with 7 rounds: 3 + 4 + 7 x 5 + 1 +
 * 6 + 3 x 8 = 73; in all 15 + 15 x 73 = 1110.  Both callbacks write the
 * caller's stack (sum), so the verifier goes round them again; that must
 * not count one run twice.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct acc {
	__u64 sum;
	__u64 rounds;
};

static int inner(__u32 j, void *data)
{
	struct acc *a = data;

	a->sum = a->sum * 31 + j;
	return 0;
}

/* Each run: a loop of a->rounds (at most 7) iterations, then bpf_loop 3 times. */
static int outer(__u32 i, void *data)
{
	struct acc *a = data;
	__u64 k;

#pragma clang loop unroll(disable)
	for (k = 0; k < a->rounds; k++)
		a->sum ^= i + k;
	bpf_loop(3, inner, a, 0);
	return 0;
}

SEC("kbpf/ipv4/local_in")
int loop_callback_loop_worst(struct kbpf_nf_ctx *ctx)
{
	struct acc a = { .sum = ctx->len, .rounds = ctx->mark & 7 };

	bpf_loop(ctx->mark >> 28, outer, &a, 0);
	return a.sum & 1;
}

char LICENSE[] SEC("license") = "GPL";
