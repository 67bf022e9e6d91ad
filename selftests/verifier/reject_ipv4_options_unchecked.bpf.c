// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "invalid access to packet"
 *
 * The same walk without the check of the variable-length header against
 * data_end: the port read may lie past the end of the packet.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int ipv4_options_unchecked(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u8 *l4;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	l4 = data + (data[0] & 0x0f) * 4;
	return l4[3] == 23 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
