// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * The read-only twin of reject_rodata_write: a const global (.rodata,
 * read-only for programs) is read, and a plain global (.bss) is written
 * next to it.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 drop_mark = 53;
__u32 seen;

SEC("kbpf/ipv4/local_in")
int rodata_read(struct kbpf_nf_ctx *ctx)
{
	seen = ctx->mark;
	return ctx->mark == drop_mark ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
