// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 * WORST: 192
 *
 * bpf_loop with as many iterations as the low 4 bits of the mark say (at
 * most 15) over a loop-free callback: the worst case is the program
 * around the call plus 15 runs of the callback's longest path.  By hand
 * from clang 14's code: the program is one block of 12 (the ld_imm64
 * counts once); the callback's blocks are [0-2] 3, [3-8] 6 (odd i),
 * [9-12] 4 (even i), [13-15] 3, longest 3 + 6 + 3 = 12:
 * 12 + 15 x 12 = 192.  The callback writes the caller's stack, so the
 * verifier goes round it twice; that must not count one run twice.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct acc {
	__u64 sum;
};

static int add_index(__u32 i, void *data)
{
	struct acc *a = data;

	if (i & 1)
		a->sum += i * 3;
	else
		a->sum ^= i;
	return 0;
}

SEC("kbpf/ipv4/local_in")
int loop_callback_worst(struct kbpf_nf_ctx *ctx)
{
	struct acc a = { .sum = ctx->len };

	bpf_loop(ctx->mark & 15, add_index, &a, 0);
	return a.sum & 1;
}

char LICENSE[] SEC("license") = "GPL";
