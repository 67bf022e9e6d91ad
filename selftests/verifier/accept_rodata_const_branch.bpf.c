// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * libbpf's configuration idiom: a const volatile global (.rodata, set by
 * the loader, then frozen) switches code off.  The switched-off branch
 * reads the packet without checking data_end, which is refused wherever it
 * is explored; Linux's verifier reads frozen read-only .rodata as
 * constants and never explores it, and so must kbpf.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 unchecked_debug_read = 0;

SEC("kbpf/ipv4/local_in")
int rodata_const_branch(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	if (unchecked_debug_read)
		return data[0] & 1;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
