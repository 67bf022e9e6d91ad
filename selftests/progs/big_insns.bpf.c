// SPDX-License-Identifier: GPL-2.0
/*
 * 3074 instructions (24592 bytes) that accept every packet: more than
 * what is left of an embedded pool that still has room for a program's
 * registry entry (embedded.sh's instruction-copy exhaustion check).
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define X4(s)		s s s s
#define MOV_1024	X4(X4(X4(X4(X4("r2 = 0;\n")))))

SEC("kbpf/ipv4/local_in")
int big_insns(struct kbpf_nf_ctx *ctx)
{
	asm volatile(MOV_1024 MOV_1024 MOV_1024 ::: "r2");
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
