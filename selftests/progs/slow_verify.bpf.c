// SPDX-License-Identifier: GPL-2.0
/*
 * A program that takes the verifier a long time: 30 tests of distinct bits
 * of an unknown (ctx->mark), each forking every path, so no state prunes
 * another and verification runs until the instruction budget is spent
 * (-E2BIG after 1M insns processed: seconds in a TCG guest).  The e2e test
 * selftests/e2e/verifier_limits.sh kills `kbpfctl prog load` of it
 * mid-verification and expects it to end at once.
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

/*
 * "if r6 & bit goto +0" (opcode 0x45, dst r6) as raw words: clang 14's BPF
 * assembler has no syntax for JSET.
 */
#define JSET(bit)	".quad " #bit "00000645\n"

SEC("kbpf/ipv4/local_in")
int slow_verify(struct kbpf_nf_ctx *ctx)
{
	__u64 m = ctx->mark;

	asm volatile("r6 = %[m]\n"
		     JSET(0x00000001) JSET(0x00000002) JSET(0x00000004) JSET(0x00000008)
		     JSET(0x00000010) JSET(0x00000020) JSET(0x00000040) JSET(0x00000080)
		     JSET(0x00000100) JSET(0x00000200) JSET(0x00000400) JSET(0x00000800)
		     JSET(0x00001000) JSET(0x00002000) JSET(0x00004000) JSET(0x00008000)
		     JSET(0x00010000) JSET(0x00020000) JSET(0x00040000) JSET(0x00080000)
		     JSET(0x00100000) JSET(0x00200000) JSET(0x00400000) JSET(0x00800000)
		     JSET(0x01000000) JSET(0x02000000) JSET(0x04000000) JSET(0x08000000)
		     JSET(0x10000000) JSET(0x20000000)
		     : : [m] "r"(m) : "r6");
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
