// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "should have been in [0, 1]"
 *
 * Returns the low two bits of the mark: 2 and 3 are not verdicts.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int return_range(struct kbpf_nf_ctx *ctx)
{
	return ctx->mark & 3;
}

char LICENSE[] SEC("license") = "GPL";
