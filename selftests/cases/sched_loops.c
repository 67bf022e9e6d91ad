// SPDX-License-Identifier: GPL-2.0
/*
 * Worst-case counts of verified programs with bounded loops and bpf_loop,
 * against the metered interpreter.  Each program reads its input from the
 * 8 bytes of raw memory r1 points at.  Every expected figure is worked out
 * by hand in the comments, in the meter's units: a basic block costs its
 * length when entered (a 64-bit immediate load counts once; blocks start
 * at jump targets, after jumps and exits, and at subprogram entries and
 * return points; a helper call does not end a block).
 *
 * Each case runs the program metered on the input that takes its longest
 * path, which must charge exactly the worst case (so the bound is neither
 * too low, which would let admission accept an overrun, nor loose), and on
 * a shorter input, which must charge its own hand-computed figure.
 */
#include "cases.h"
#include "../../kmod/core/sched/worst_case.h"

#define LOOP_MAX_INSNS	64
#define UNBOUNDED	KBPF_WORST_CASE_UNBOUNDED
/* r2 = the address of the subprogram at pc + 1 + rel (two slots). */
#define LD_FUNC(DST, REL)	KBPF_LD_IMM64_RAW(DST, 4, REL)
#define BPF_LOOP		181
/*
 * return bpf_loop(mem[0], the callback right after, 0, 0): insns 0-7, one
 * block of 7 (the ld_imm64 counts once); the callback starts at insn 8.
 */
#define BPF_LOOP_MEM0_TIMES						\
	KBPF_LDX_MEM(B, 6, 1, 0), KBPF_MOV64_REG(1, 6), LD_FUNC(2, 5),	\
	KBPF_MOV64_IMM(3, 0), KBPF_MOV64_IMM(4, 0),			\
	KBPF_CALL_HELPER(BPF_LOOP), KBPF_EXIT_INSN()

/*
 * fp - 8 = mem[1] & MASK; return bpf_loop(mem[0], the callback at insn
 * 12, fp - 8, 0): insns 0-11, one block of 11 (the ld_imm64 once).
 */
#define BPF_LOOP_MEM0_CTX_MEM1(MASK)					\
	KBPF_LDX_MEM(B, 6, 1, 0), KBPF_LDX_MEM(B, 7, 1, 1),		\
	KBPF_ALU64_IMM(AND, 7, MASK), KBPF_STX_MEM(DW, 10, 7, -8),	\
	KBPF_MOV64_REG(1, 6), LD_FUNC(2, 6),				\
	KBPF_MOV64_REG(3, 10), KBPF_ALU64_IMM(ADD, 3, -8),		\
	KBPF_MOV64_IMM(4, 0),						\
	KBPF_CALL_HELPER(BPF_LOOP), KBPF_EXIT_INSN()

struct loop_case {
	const char *name;
	struct kbpf_insn insns[LOOP_MAX_INSNS];
	u64 worst;		/* by hand, or UNBOUNDED */
	u8 long_mem[8];		/* takes the longest path ... */
	u64 long_used;		/* ... and is charged this */
	u8 short_mem[8];	/* a shorter run ... */
	u64 short_used;		/* ... charged this */
	bool no_verify;		/* loaded with KBPF_LOAD_NO_VERIFY */
};

#define L_INSNS(...)	.insns = { __VA_ARGS__ }
/* Ten insns that only set r5, which nothing reads. */
#define FILLER_10							\
	KBPF_MOV64_IMM(5, 1), KBPF_MOV64_IMM(5, 2),		\
	KBPF_MOV64_IMM(5, 1), KBPF_MOV64_IMM(5, 2),		\
	KBPF_MOV64_IMM(5, 1), KBPF_MOV64_IMM(5, 2),		\
	KBPF_MOV64_IMM(5, 1), KBPF_MOV64_IMM(5, 2),		\
	KBPF_MOV64_IMM(5, 1), KBPF_MOV64_IMM(5, 2)

static const struct loop_case loop_cases[] = {
	{ "a loop counting to 10: 2 + 10 x 2 + 1",
	  /*
	   * [0-1] 2 | [2-3] 2, the loop body, 10 times | [4] 1.  No input
	   * changes the path.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(2, 0),
		  KBPF_ALU64_IMM(ADD, 2, 1), KBPF_JMP_IMM(JLT, 2, 10, -2),
		  KBPF_EXIT_INSN()),
	  .worst = 23, .long_used = 23, .short_used = 23 },
	{ "a loop bounded by an input byte and by 20: 3 + 20 x 4 + 1",
	  /*
	   * r3 = mem[0]; for (r2 = 0; r2 < r3; ) { r2++; r0 += 2;
	   * if (r2 >= 20) break; }.  [0-2] 3 | [3] 1 | [4-6] 3 | [7] 1.
	   * mem[0] >= 20: 3 + 20 x (1 + 3) + 1 = 84.  mem[0] = 5: five
	   * iterations, the test once more, exit: 3 + 20 + 1 + 1 = 25.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_LDX_MEM(B, 3, 1, 0),
		  KBPF_MOV64_IMM(2, 0),
		  KBPF_JMP_REG(JGE, 2, 3, 3),
		  KBPF_ALU64_IMM(ADD, 2, 1), KBPF_ALU64_IMM(ADD, 0, 2),
		  KBPF_JMP_IMM(JLT, 2, 20, -4),
		  KBPF_EXIT_INSN()),
	  .worst = 84, .long_mem = { 255 }, .long_used = 84,
	  .short_mem = { 5 }, .short_used = 25 },
	{ "nested loops, 3 x 4: 2 + 3 x (1 + 4 x 3 + 2) + 1",
	  /*
	   * [0-1] 2 | [2] 1 outer head | [3-5] 3 inner body | [6-7] 2 outer
	   * latch | [8] 1: 2 + 3 x 15 + 1 = 48.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(2, 0),
		  KBPF_MOV64_IMM(3, 0),
		  KBPF_ALU64_IMM(ADD, 3, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_JMP_IMM(JLT, 3, 4, -3),
		  KBPF_ALU64_IMM(ADD, 2, 1), KBPF_JMP_IMM(JLT, 2, 3, -6),
		  KBPF_EXIT_INSN()),
	  .worst = 48, .long_used = 48, .short_used = 48 },
	{ "a triangular nest (j < i < 4) counts 0 + 1 + 2 + 3 inner runs, not 4 x 3",
	  /*
	   * [0-1] 2 | [2] 1 | [3] 1 the inner test | [4-5] 2 the inner body
	   * | [6-7] 2 | [8] 1.  Outer run i: 1 + (i + 1) + 2 i + 2 = 3 i + 4,
	   * so 4 + 7 + 10 + 13 = 34; in all 2 + 34 + 1 = 37.  Every inner
	   * loop counted at its largest trip count (3) would give 55.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(2, 0),
		  KBPF_MOV64_IMM(3, 0),
		  KBPF_JMP_REG(JGE, 3, 2, 2),
		  KBPF_ALU64_IMM(ADD, 3, 1), KBPF_JMP_A(-3),
		  KBPF_ALU64_IMM(ADD, 2, 1), KBPF_JMP_IMM(JLT, 2, 4, -6),
		  KBPF_EXIT_INSN()),
	  .worst = 37, .long_used = 37, .short_used = 37 },
	{ "a loop calling a subprogram 5 times: 2 + 5 x (2 + 3 + 3) + 2",
	  /*
	   * [0-1] 2 | [2-3] 2 up to the call | [9-11] 3 the callee |
	   * [4-6] 3 after it | [7-8] 2: 2 + 5 x 8 + 2 = 44.
	   */
	  L_INSNS(KBPF_MOV64_IMM(6, 0), KBPF_MOV64_IMM(7, 0),
		  KBPF_MOV64_REG(1, 6), KBPF_CALL_REL(5),
		  KBPF_ALU64_REG(ADD, 7, 0), KBPF_ALU64_IMM(ADD, 6, 1),
		  KBPF_JMP_IMM(JLT, 6, 5, -5),
		  KBPF_MOV64_REG(0, 7), KBPF_EXIT_INSN(),
		  KBPF_MOV64_REG(0, 1), KBPF_ALU64_IMM(MUL, 0, 2),
		  KBPF_EXIT_INSN()),
	  .worst = 44, .long_used = 44, .short_used = 44 },
	{ "an arm pruned where it joins a loop counts the loop: 4 + 3 + 1 + 10 x 2 + 1",
	  /*
	   * if (mem[0] & 1) { three dead insns } then a loop of 10.  The
	   * short arm (fall-through) is explored first, to the end; the long
	   * arm then meets an equal live state at the join (insn 8) and is
	   * pruned: its count must add what the loop charges after it.
	   * [0-3] 4 | [4] 1 short arm | [5-7] 3 long arm | [8] 1 | [9-10] 2,
	   * 10 times | [11] 1.  Odd: 4 + 3 + 1 + 20 + 1 = 29; even: 27.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_LDX_MEM(B, 4, 1, 0),
		  KBPF_ALU64_IMM(AND, 4, 1), KBPF_JMP_IMM(JNE, 4, 0, 1),
		  KBPF_JMP_A(3),
		  KBPF_MOV64_IMM(5, 1), KBPF_ALU64_IMM(ADD, 5, 2),
		  KBPF_ALU64_IMM(ADD, 5, 3),
		  KBPF_MOV64_IMM(2, 0),
		  KBPF_ALU64_IMM(ADD, 2, 1), KBPF_JMP_IMM(JLT, 2, 10, -2),
		  KBPF_EXIT_INSN()),
	  .worst = 29, .long_mem = { 1 }, .long_used = 29,
	  .short_mem = { 2 }, .short_used = 27 },
	{ "a data-dependent arm in every iteration: 2 + 8 x (5 + 2 + 3) + 1",
	  /*
	   * For i < 8: if (mem[i] & 1) { r5 = 1; r5 += 2; } r0 += 1: the
	   * count must take the longer arm in every iteration.  [0-1] 2 |
	   * [2-6] 5 | [7-8] 2 the long
	   * arm | [9-11] 3 | [12] 1.  All odd: 2 + 8 x 10 + 1 = 83.  Three
	   * odd bytes: 2 + 8 x 8 + 3 x 2 + 1 = 73.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(2, 0),
		  KBPF_MOV64_REG(3, 1), KBPF_ALU64_REG(ADD, 3, 2),
		  KBPF_LDX_MEM(B, 4, 3, 0), KBPF_ALU64_IMM(AND, 4, 1),
		  KBPF_JMP_IMM(JEQ, 4, 0, 2),
		  KBPF_MOV64_IMM(5, 1), KBPF_ALU64_IMM(ADD, 5, 2),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_ALU64_IMM(ADD, 2, 1),
		  KBPF_JMP_IMM(JLT, 2, 8, -10),
		  KBPF_EXIT_INSN()),
	  .worst = 83, .long_mem = { 1, 3, 5, 7, 9, 11, 13, 15 },
	  .long_used = 83, .short_mem = { 1, 2, 3, 4, 5, 6, 0, 0 },
	  .short_used = 73 },
	{ "halving an input u32 until 0 takes at most 32 rounds: 3 + 32 x 3 + 1",
	  /*
	   * [0-2] 3 | [3-5] 3 | [6] 1.  0xffffffff: 32 rounds, 100.  1: one
	   * round, 3 + 3 + 1 = 7.
	   */
	  L_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_LDX_MEM(W, 2, 1, 0),
		  KBPF_JMP_IMM(JEQ, 2, 0, 3),
		  KBPF_ALU64_IMM(RSH, 2, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_JMP_IMM(JNE, 2, 0, -3),
		  KBPF_EXIT_INSN()),
	  .worst = 100, .long_mem = { 0xff, 0xff, 0xff, 0xff },
	  .long_used = 100, .short_mem = { 1 }, .short_used = 7 },
	{ "bpf_loop 6 times over a 3-insn callback: 6 + 6 x 3",
	  /*
	   * [0-6] 6 (the ld_imm64 once) | callback [7-9] 3, six times: 24.
	   */
	  L_INSNS(KBPF_MOV64_IMM(1, 6), LD_FUNC(2, 5),
		  KBPF_MOV64_IMM(3, 0), KBPF_MOV64_IMM(4, 0),
		  KBPF_CALL_HELPER(BPF_LOOP), KBPF_EXIT_INSN(),
		  KBPF_MOV64_IMM(0, 0), KBPF_ALU64_IMM(ADD, 1, 1),
		  KBPF_EXIT_INSN()),
	  .worst = 24, .long_used = 24, .short_used = 24 },
	{ "bpf_loop over an input byte: 7 + 255 x 3",
	  /*
	   * [0-7] 7 | callback [8-10] 3, mem[0] times, at most 255: 772.
	   * mem[0] = 3: 7 + 9 = 16.
	   */
	  L_INSNS(BPF_LOOP_MEM0_TIMES,
		  KBPF_MOV64_IMM(0, 0), KBPF_ALU64_IMM(ADD, 1, 1),
		  KBPF_EXIT_INSN()),
	  .worst = 772, .long_mem = { 255 }, .long_used = 772,
	  .short_mem = { 3 }, .short_used = 16 },
	{ "bpf_loop whose callback stops early still counts every iteration it may run",
	  /*
	   * The context is mem[1], the callback stops (returns 1) when its
	   * index equals it: [0-7] 7 | callback [8-9] 2, then [10] 1 and
	   * [11] 1 to go on (4), or [11] 1 to stop (3).  nr = mem[0] <= 255:
	   * 7 + 255 x 4 = 1027.  mem = {255, 255}: no index is 255, 1027.
	   * mem = {255, 2}: 7 + 4 + 4 + 3 = 18.
	   */
	  L_INSNS(KBPF_LDX_MEM(B, 6, 1, 0), KBPF_LDX_MEM(B, 3, 1, 1),
		  KBPF_MOV64_REG(1, 6), LD_FUNC(2, 4),
		  KBPF_MOV64_IMM(4, 0),
		  KBPF_CALL_HELPER(BPF_LOOP), KBPF_EXIT_INSN(),
		  /* callback(i, stop): return i == stop */
		  KBPF_MOV64_IMM(0, 1), KBPF_JMP_REG(JEQ, 1, 2, 1),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 1027, .long_mem = { 255, 255 }, .long_used = 1027,
	  .short_mem = { 255, 2 }, .short_used = 18 },
	{ "bpf_loop whose callback writes the caller's stack: each run counts once",
	  /*
	   * The callback adds i + 1 to the caller's fp - 8, so the verifier
	   * goes round it again from the call site; that must not count one
	   * run twice.  [0-9] 9 | callback [10-15] 6, 5 times: 39.
	   */
	  L_INSNS(KBPF_ST_MEM(DW, 10, -8, 0), KBPF_MOV64_IMM(1, 5),
		  LD_FUNC(2, 7),
		  KBPF_MOV64_REG(3, 10), KBPF_ALU64_IMM(ADD, 3, -8),
		  KBPF_MOV64_IMM(4, 0),
		  KBPF_CALL_HELPER(BPF_LOOP),
		  KBPF_LDX_MEM(DW, 0, 10, -8), KBPF_EXIT_INSN(),
		  KBPF_LDX_MEM(DW, 3, 2, 0), KBPF_ALU64_REG(ADD, 3, 1),
		  KBPF_ALU64_IMM(ADD, 3, 1), KBPF_STX_MEM(DW, 2, 3, 0),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 39, .long_used = 39, .short_used = 39 },
	{ "bpf_loop whose call starts a block, over a callback writing the caller's stack: the block counts once",
	  /*
	   * The count (r1 = 5, or 6 for an even mem[0]) is chosen by a jump
	   * that joins at the call, so the call starts a block; the callback
	   * adds 1 to the caller's fp - 8, so the verifier goes round it
	   * again from the call, which is the middle of the call, not a new
	   * arrival at its block.  [0-8] 8 (the ld_imm64 once) | [9] 1 |
	   * [10-12] 3 | callback [13-17] 5.  Even: 8 + 1 + 3 + 6 x 5 = 42;
	   * odd: 8 + 3 + 5 x 5 = 36.
	   */
	  L_INSNS(KBPF_ST_MEM(DW, 10, -8, 0), KBPF_LDX_MEM(B, 6, 1, 0),
		  LD_FUNC(2, 10),
		  KBPF_MOV64_REG(3, 10), KBPF_ALU64_IMM(ADD, 3, -8),
		  KBPF_MOV64_IMM(4, 0), KBPF_MOV64_IMM(1, 5),
		  KBPF_JMP_IMM(JSET, 6, 1, 1), KBPF_MOV64_IMM(1, 6),
		  KBPF_CALL_HELPER(BPF_LOOP),
		  KBPF_LDX_MEM(DW, 0, 10, -8), KBPF_EXIT_INSN(),
		  /* 13: callback(i, &s): s++ */
		  KBPF_LDX_MEM(DW, 3, 2, 0), KBPF_ALU64_IMM(ADD, 3, 1),
		  KBPF_STX_MEM(DW, 2, 3, 0),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 42, .long_mem = { 2 }, .long_used = 42,
	  .short_mem = { 1 }, .short_used = 36 },
	{ "bpf_loop over a callback whose long arm its context rules out: 8 + 5 x (2 + 2)",
	  /*
	   * The caller passes fp - 8 = 1; the callback skips ten insns when
	   * *ctx == 1, which it always is.  [0-8] 8 | callback [9-10] 2,
	   * [11-20] 10 never run, [21-22] 2.  The callback's longest path
	   * over blocks (14) would give 8 + 5 x 14 = 78; its runs as the
	   * verifier explored them charge 4: 8 + 5 x 4 = 28.
	   */
	  L_INSNS(KBPF_ST_MEM(DW, 10, -8, 1), KBPF_MOV64_IMM(1, 5),
		  LD_FUNC(2, 6),
		  KBPF_MOV64_REG(3, 10), KBPF_ALU64_IMM(ADD, 3, -8),
		  KBPF_MOV64_IMM(4, 0),
		  KBPF_CALL_HELPER(BPF_LOOP), KBPF_EXIT_INSN(),
		  /* 9: callback(i, &one) */
		  KBPF_LDX_MEM(DW, 3, 2, 0), KBPF_JMP_IMM(JEQ, 3, 1, 10),
		  FILLER_10,
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 28, .long_used = 28, .short_used = 28 },
	{ "bpf_loop reached by two paths, the second pruned inside the callback",
	  /*
	   * mem[0] even (A, explored first): s = the u64 at mem, a short
	   * prefix.  Odd (B): s = 0 and 20 more insns.  They join at 30 with
	   * r8 3 vs 5 (so B is not pruned there), then r8 = r6 = 0; bpf_loop
	   * mem[1] & 15 times over a callback adding 1 to s; after it,
	   * s > 5 takes a 7-insn tail, else 1.  Inside the callback B's
	   * state is covered by A's and pruned: B's runs must still count
	   * its own prefix with the iterations and the long tail that s
	   * unknown (A) needs.  Blocks: [0-3] 4, [4-6] 3, [7-29] 23,
	   * [30-42] 12, [43] 1, [44-50] 7; callback [51-54] 4 + [55-56] 2.
	   * B, mem[1] = 15: 4 + 23 + 12 + 15 x 6 + 7 = 136.  A with mem =
	   * {2, 3}: s = 0x0302 + 3 runs > 5, 4 + 3 + 12 + 3 x 6 + 7 = 44.
	   * (Pruned this way, B once counted 130: only its own path after
	   * the call, where s = 0 takes the short tail.)
	   */
	  L_INSNS(KBPF_LDX_MEM(B, 6, 1, 0), KBPF_LDX_MEM(DW, 7, 1, 0),
		  KBPF_LDX_MEM(B, 9, 1, 1),
		  KBPF_JMP_IMM(JSET, 6, 1, 3),
		  KBPF_MOV64_IMM(8, 3), KBPF_STX_MEM(DW, 10, 7, -8),
		  KBPF_JMP_A(23),
		  KBPF_MOV64_IMM(8, 5), KBPF_MOV64_IMM(7, 0),
		  KBPF_STX_MEM(DW, 10, 7, -8),
		  FILLER_10, FILLER_10,
		  /* 30: the join */
		  KBPF_ALU64_IMM(AND, 8, 0), KBPF_MOV64_IMM(6, 0),
		  KBPF_MOV64_REG(1, 9), KBPF_ALU64_IMM(AND, 1, 15),
		  LD_FUNC(2, 16),
		  KBPF_MOV64_REG(3, 10), KBPF_ALU64_IMM(ADD, 3, -8),
		  KBPF_MOV64_IMM(4, 0), KBPF_CALL_HELPER(BPF_LOOP),
		  KBPF_LDX_MEM(DW, 2, 10, -8), KBPF_MOV64_REG(0, 8),
		  KBPF_JMP_IMM(JGT, 2, 5, 1), KBPF_EXIT_INSN(),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_EXIT_INSN(),
		  /* 51: callback(i, &s): s++, a pruning point at 55 */
		  KBPF_LDX_MEM(DW, 3, 2, 0), KBPF_ALU64_IMM(ADD, 3, 1),
		  KBPF_STX_MEM(DW, 2, 3, 0), KBPF_JMP_IMM(JGT, 1, 1000, 0),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 136, .long_mem = { 1, 15 }, .long_used = 136,
	  .short_mem = { 2, 3 }, .short_used = 44 },
	{ "bpf_loop over a callback with a loop of 3: 7 + 255 x (1 + 3 x 2 + 2)",
	  /*
	   * The callback loops 3 times: [8] 1, [9-10] 2 x 3, [11-12] 2 = 9
	   * per run.  mem[0] <= 255: 7 + 255 x 9 = 2302.  mem[0] = 4: 7 +
	   * 4 x 9 = 43.
	   */
	  L_INSNS(BPF_LOOP_MEM0_TIMES,
		  KBPF_MOV64_IMM(0, 0),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_JMP_IMM(JLT, 0, 3, -2),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 2302, .long_mem = { 255 }, .long_used = 2302,
	  .short_mem = { 4 }, .short_used = 43 },
	{ "bpf_loop over a callback looping as often as its context says (mem[1] & 7): 11 + 255 x (3 x 7 + 5)",
	  /*
	   * The caller stores n = mem[1] & 7 at fp - 8 and passes fp - 8; the
	   * callback runs for (j = 0; j < n; j++).  [0-11] 11 | callback
	   * [12-13] 2, [14] 1 (n + 1 times), [15-16] 2 (n times), [17-18] 2:
	   * 3 n + 5 per run, 26 at n = 7, which the verifier proved the most
	   * (the loop's own longest path over blocks is unbounded).
	   * mem = {255, 7}: 11 + 255 x 26 = 6641.  mem = {3, 2}: 11 + 3 x 11
	   * = 44.
	   */
	  L_INSNS(BPF_LOOP_MEM0_CTX_MEM1(7),
		  /* 12: callback(i, &n) */
		  KBPF_LDX_MEM(DW, 3, 2, 0), KBPF_MOV64_IMM(0, 0),
		  KBPF_JMP_REG(JGE, 0, 3, 2),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_JMP_A(-3),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .worst = 6641, .long_mem = { 255, 7 }, .long_used = 6641,
	  .short_mem = { 3, 2 }, .short_used = 44 },
	{ "bpf_loop over a callback calling bpf_loop: 11 + 255 x (7 + 15 x 3)",
	  /*
	   * The caller passes fp - 8 = mem[1] & 15; the outer callback calls
	   * bpf_loop that many times over a 3-insn callback.  [0-11] 11 |
	   * outer [12-19] 7 (the ld_imm64 once) | inner [20-22] 3.  An outer
	   * run: 7 + 15 x 3 = 52; 11 + 255 x 52 = 13271 for mem = {255, 15}.
	   * mem = {2, 3}: 11 + 2 x (7 + 3 x 3) = 43.
	   */
	  L_INSNS(BPF_LOOP_MEM0_CTX_MEM1(15),
		  /* 12: outer(i, &n): bpf_loop(n, inner, 0, 0) */
		  KBPF_LDX_MEM(DW, 1, 2, 0), LD_FUNC(2, 6),
		  KBPF_MOV64_IMM(3, 0), KBPF_MOV64_IMM(4, 0),
		  KBPF_CALL_HELPER(BPF_LOOP),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN(),
		  /* 20: inner */
		  KBPF_MOV64_IMM(0, 0), KBPF_ALU64_IMM(ADD, 1, 1),
		  KBPF_EXIT_INSN()),
	  .worst = 13271, .long_mem = { 255, 15 }, .long_used = 13271,
	  .short_mem = { 2, 3 }, .short_used = 43 },
	{ "a callback with a loop, loaded without the verifier: nothing proves it bounded",
	  /*
	   * The first looping case again, unverified: no trip count is
	   * proven, so the count is unbounded (admitted on its budget); the
	   * meter still counts 43 and 16.
	   */
	  L_INSNS(BPF_LOOP_MEM0_TIMES,
		  KBPF_MOV64_IMM(0, 0),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_JMP_IMM(JLT, 0, 3, -2),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .no_verify = true,
	  .worst = UNBOUNDED, .long_mem = { 4 }, .long_used = 43,
	  .short_mem = { 1 }, .short_used = 16 },
};

static u32 loop_insn_count(const struct loop_case *c)
{
	u32 n = LOOP_MAX_INSNS;

	while (n && !c->insns[n - 1].code && !c->insns[n - 1].imm)
		n--;
	return n;
}

static int load_verified(const struct loop_case *c, struct kbpf_prog **prog)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insns = c->insns,
		.insn_cnt = loop_insn_count(c),
		.mem_size = 8,
		.flags = c->no_verify ? KBPF_LOAD_NO_VERIFY : 0,
	};

	return kbpf_prog_load(&opts, prog);
}

/* One metered run on mem: it must charge exactly want and not overrun. */
static int metered_run_charges(struct kbpf_prog *prog, const u8 *in, u64 want,
			       const char *what, char *msg, size_t msg_size)
{
	struct kbpf_run_meter m = { .budget = 1000000 };
	u8 mem[8];

	memcpy(mem, in, sizeof(mem));
	kbpf_run_section_begin();
	kbpf_prog_run_metered(prog, mem, NULL, &m);
	kbpf_run_section_end();
	CHECK(!m.overrun && m.used == want,
	      "%s run: charged %llu (overrun %d), expected %llu", what,
	      (unsigned long long)m.used, m.overrun, (unsigned long long)want);
	return 0;
}

static int check_loop_case(struct kbpf_prog *prog, const struct loop_case *c,
			   char *msg, size_t msg_size)
{
	int err;

	CHECK(prog->worst_case == c->worst, "worst case %llu, expected %llu",
	      (unsigned long long)prog->worst_case,
	      (unsigned long long)c->worst);
	CHECK(!kbpf_prog_prepare_metered(prog), "no metered image");
	err = metered_run_charges(prog, c->long_mem, c->long_used, "longest",
				  msg, msg_size);
	if (!err)
		err = metered_run_charges(prog, c->short_mem, c->short_used,
					  "shorter", msg, msg_size);
	if (err || c->worst == UNBOUNDED)
		return err;
	/* Never too low: no run charges more than the worst case. */
	CHECK(c->long_used <= c->worst && c->short_used <= c->worst,
	      "a run charges more than the worst case %llu",
	      (unsigned long long)c->worst);
	return 0;
}

static int run_loop_case(const struct loop_case *c, char *msg, size_t msg_size)
{
	struct kbpf_prog *prog;
	int err = load_verified(c, &prog);

	if (err) {
		snprintf(msg, msg_size, "load: %d", err);
		return err;
	}
	err = check_loop_case(prog, c, msg, msg_size);
	kbpf_prog_free(prog);
	return err;
}

KBPF_TABLE_TEST_SUITE(sched_loops, "kbpf_sched_loops", loop_cases,
		      run_loop_case);
