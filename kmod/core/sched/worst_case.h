/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic blocks and the worst-case instruction count of a loaded program:
 * what the deadline policy's admission control and the metered interpreter
 * both count.  One instruction is one slot, except that a 64-bit immediate
 * load (two slots) counts once, as it executes once.
 */
#ifndef KBPF_CORE_SCHED_WORST_CASE_H
#define KBPF_CORE_SCHED_WORST_CASE_H

#include "../kbpf_core.h"

/*
 * For every instruction i that starts a basic block, len[i] = the
 * instructions the block executes when entered; 0 for every other i.
 * Blocks end at jumps, exits and bpf-to-bpf calls (helper calls do not
 * end a block) and before every jump target or return point.  insns must
 * have passed the load-time decode checks.
 */
void kbpf_block_lengths(const struct kbpf_insn *insns, u32 n, u32 *len);

/*
 * The most instructions any run of prog can execute, subprogram calls
 * included: exact (longest path) for a program without loops; for loops
 * and bpf_loop, the bound that the verifier's proven trip counts give
 * (verifier/worst.c); KBPF_WORST_CASE_UNBOUNDED for a tail call, or a loop
 * in a program loaded without the verifier.  0 or -ENOMEM.
 */
int kbpf_worst_case(const struct kbpf_prog *prog, u64 *worst);

/*
 * The most one run of the bpf_loop callback starting at insn entry
 * charges: its longest path over basic blocks, calls included, or
 * KBPF_WORST_CASE_UNBOUNDED if it may loop, call bpf_loop or tail-call.
 * 0 or -ENOMEM.
 */
int kbpf_callback_worst_case(const struct kbpf_insn *insns, u32 n, u32 entry,
			     u64 *worst);

#endif /* KBPF_CORE_SCHED_WORST_CASE_H */
