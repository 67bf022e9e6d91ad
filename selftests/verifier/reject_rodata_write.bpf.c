// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "write into map forbidden, value_size=4 off=0 size=4: the map is read-only for programs"
 *
 * A const global (.rodata) written through a cast: libbpf creates .rodata
 * with BPF_F_RDONLY_PROG and freezes it, so Linux refuses the store; kbpf
 * must too, whatever the program's source pretends.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 drop_port = 53;

SEC("kbpf/ipv4/local_in")
int rodata_write(struct kbpf_nf_ctx *ctx)
{
	if (ctx->mark)
		*(volatile __u32 *)&drop_port = ctx->mark;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
