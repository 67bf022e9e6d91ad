/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Benchmark programs, built instruction by instruction so that the very same
 * bytecode runs in kbpf's interpreter (natively and through the module's
 * test-run ioctl) and in the Linux kernel's own interpreter.
 *
 * Each program is verifier-clean for both kbpf and Linux and reports how many
 * instructions one run executes, so figures come out per instruction.
 */
#ifndef KBPF_BENCH_PROGRAMS_H
#define KBPF_BENCH_PROGRAMS_H

#include "../../kmod/core/isa.h"

/* Where the packet pointers live in the context of the target runtime. */
struct bench_ctx_layout {
	u8 data_size;		/* KBPF_W (Linux xdp_md) or KBPF_DW (kbpf) */
	s16 data_off;
	s16 data_end_off;
};

struct bench_prog {
	const char *name;
	const char *what;
	struct kbpf_insn *insns;
	u32 insn_cnt;
	u64 executed;		/* instructions one run executes */
	u32 packet_len;		/* bytes of packet it wants (0: none) */
	u64 expect_r0;		/* what a correct run returns */
};

enum bench_id {
	BENCH_EMPTY,
	BENCH_EMPTY_STACK,
	BENCH_ALU,
	BENCH_BRANCH,
	BENCH_MEMORY,
	BENCH_CALLS,
	BENCH_PACKET,
	BENCH_CSUM,
	BENCH_COUNT,
};

/* Build program id for the layout; 0 or -ENOMEM.  Free with bench_free(). */
int bench_build(enum bench_id id, const struct bench_ctx_layout *layout,
		struct bench_prog *out);
void bench_free(struct bench_prog *p);
/* The packet the packet-parsing benchmark expects. */
u32 bench_packet(u8 *buf, u32 size);

#endif /* KBPF_BENCH_PROGRAMS_H */
