// SPDX-License-Identifier: GPL-2.0
/*
 * Calls: helper calls pass r1..r5 in order and return in r0; bpf-to-bpf
 * calls get their own 512-byte frame, keep the caller's r6..r9 and r10, and
 * nest as deep as KBPF_MAX_CALL_FRAMES (8 frames: main plus 7 calls).
 */
#include "interp_test.h"

static const struct interp_test call_tests[] = {
	{ "helper receives r1..r5 in order",
	  T_INSNS(KBPF_MOV64_IMM(1, 1), KBPF_MOV64_IMM(2, 2),
		  KBPF_MOV64_IMM(3, 3), KBPF_MOV64_IMM(4, 4),
		  KBPF_MOV64_IMM(5, 5), KBPF_CALL_HELPER(INTERP_HELPER_WEIGHTED),
		  KBPF_EXIT_INSN()), .expect = 55 },
	{ "helper return value lands in r0",
	  T_INSNS(KBPF_LD_IMM64(1, 0xdeadbeefcafeULL),
		  KBPF_CALL_HELPER(INTERP_HELPER_RET_ARG1), KBPF_EXIT_INSN()),
	  .expect = 0xdeadbeefcafeULL },
	{ "bpf-to-bpf call passes r1 and returns r0",
	  T_INSNS(KBPF_MOV64_IMM(1, 10), KBPF_CALL_REL(2),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_EXIT_INSN(),
		  KBPF_MOV64_REG(0, 1), KBPF_ALU64_IMM(MUL, 0, 3),
		  KBPF_EXIT_INSN()), .expect = 31 },
	{ "callee clobbering r6..r9 does not reach the caller",
	  T_INSNS(KBPF_MOV64_IMM(6, 1), KBPF_MOV64_IMM(7, 2),
		  KBPF_MOV64_IMM(8, 3), KBPF_MOV64_IMM(9, 4),
		  KBPF_CALL_REL(6),
		  KBPF_MOV64_REG(0, 6), KBPF_ALU64_REG(ADD, 0, 7),
		  KBPF_ALU64_REG(ADD, 0, 8), KBPF_ALU64_REG(ADD, 0, 9),
		  KBPF_ALU64_IMM(MUL, 0, 100), KBPF_EXIT_INSN(),
		  /* callee */
		  KBPF_MOV64_IMM(6, 50), KBPF_MOV64_IMM(7, 60),
		  KBPF_MOV64_IMM(8, 70), KBPF_MOV64_IMM(9, 80),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()), .expect = 1000 },
	{ "each frame has its own stack and r10 comes back",
	  T_INSNS(KBPF_ST_MEM(DW, 10, -8, 5), KBPF_CALL_REL(3),
		  KBPF_LDX_MEM(DW, 1, 10, -8), KBPF_ALU64_REG(ADD, 0, 1),
		  KBPF_EXIT_INSN(),
		  /* callee: writes its own slot, returns it */
		  KBPF_ST_MEM(DW, 10, -8, 9), KBPF_ST_MEM(DW, 10, -512, 1),
		  KBPF_LDX_MEM(DW, 0, 10, -8), KBPF_EXIT_INSN()),
	  .expect = 14 },
	/*
	 * f(n) = n ? 2 * f(n - 1) + n : 0, with n kept in the frame across
	 * the call.  f(6) from main uses 8 frames: f(1)=1, f(2)=4, f(3)=11,
	 * f(4)=26, f(5)=57, f(6)=120.
	 */
	{ "calls nest 8 frames deep, each frame's stack intact",
	  T_INSNS(KBPF_MOV64_IMM(1, 6), KBPF_CALL_REL(1), KBPF_EXIT_INSN(),
		  KBPF_JMP_IMM(JNE, 1, 0, 2), KBPF_MOV64_IMM(0, 0),
		  KBPF_EXIT_INSN(),
		  KBPF_STX_MEM(DW, 10, 1, -8), KBPF_ALU64_IMM(SUB, 1, 1),
		  KBPF_CALL_REL(-6), KBPF_ALU64_IMM(LSH, 0, 1),
		  KBPF_LDX_MEM(DW, 2, 10, -8), KBPF_ALU64_REG(ADD, 0, 2),
		  KBPF_EXIT_INSN()), .expect = 120 },
	{ "calls nest 8 frames deep, r6 restored at every level",
	  T_INSNS(KBPF_MOV64_IMM(1, 6), KBPF_MOV64_IMM(6, 1000),
		  KBPF_CALL_REL(2), KBPF_ALU64_REG(ADD, 0, 6),
		  KBPF_EXIT_INSN(),
		  KBPF_JMP_IMM(JNE, 1, 0, 2), KBPF_MOV64_IMM(0, 0),
		  KBPF_EXIT_INSN(),
		  KBPF_MOV64_REG(6, 1), KBPF_ALU64_IMM(SUB, 1, 1),
		  KBPF_CALL_REL(-6), KBPF_ALU64_IMM(LSH, 0, 1),
		  KBPF_ALU64_REG(ADD, 0, 6), KBPF_EXIT_INSN()),
	  .expect = 1120 },
	/* r0 = imm; exit runs as one op (fuse_returns()); the exit keeps its own. */
	{ "a constant return sign-extends a 64-bit mov",
	  T_INSNS(KBPF_MOV64_IMM(0, -2), KBPF_EXIT_INSN()),
	  .expect = 0xfffffffffffffffeULL },
	{ "a constant return zero-extends a 32-bit mov",
	  T_INSNS(KBPF_MOV64_IMM(0, -1), KBPF_MOV32_IMM(0, -2),
		  KBPF_EXIT_INSN()), .expect = 0xfffffffeULL },
	{ "a jump past a constant return to its exit keeps r0",
	  T_INSNS(KBPF_MOV64_IMM(0, 5), KBPF_JMP_IMM(JEQ, 0, 5, 1),
		  KBPF_MOV64_IMM(0, 9), KBPF_EXIT_INSN()), .expect = 5 },
	{ "a callee's constant return goes back to its caller",
	  T_INSNS(KBPF_MOV64_IMM(6, 3), KBPF_CALL_REL(2),
		  KBPF_ALU64_REG(ADD, 0, 6), KBPF_EXIT_INSN(),
		  KBPF_MOV64_IMM(0, 40), KBPF_EXIT_INSN()), .expect = 43 },
	{ "a mov to another register before exit returns r0",
	  T_INSNS(KBPF_MOV64_IMM(0, 1), KBPF_MOV64_IMM(1, 7),
		  KBPF_EXIT_INSN()), .expect = 1 },
	{ "a call after a call returns to the right place",
	  T_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_CALL_REL(4), KBPF_CALL_REL(3),
		  KBPF_CALL_REL(2), KBPF_EXIT_INSN(), KBPF_EXIT_INSN(),
		  KBPF_ALU64_IMM(ADD, 0, 7), KBPF_EXIT_INSN()),
	  .expect = 21 },
};

INTERP_TEST_SUITE(interp_call, "kbpf_interp_call", call_tests);
