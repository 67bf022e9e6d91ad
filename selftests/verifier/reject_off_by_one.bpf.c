// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "invalid access to packet"
 *
 * Checks 20 bytes but reads the 21st.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int off_by_one(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	return data[20] == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
