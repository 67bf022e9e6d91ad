// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: what conditional jumps prove about scalars on each side, dead
 * branches, and which comparisons involving pointers are allowed.
 */
#include "verifier_test.h"

/* r0 = mark; if r0 OP imm goto +2; exit with r0; r0 = 0; exit */
#define CLAMP(OP, IMM)							\
	VT_MARK(VR(0)),							\
	KBPF_JMP_IMM(OP, VR(0), IMM, 1),				\
	KBPF_EXIT_INSN(),						\
	VT_RET(0)

/* Same with the jump taken when the value is small. */
#define CLAMP_TAKEN(OP, IMM)						\
	VT_MARK(VR(0)),							\
	KBPF_JMP_IMM(OP, VR(0), IMM, 2),				\
	KBPF_MOV64_IMM(VR(0), 0),					\
	KBPF_EXIT_INSN(),						\
	KBPF_EXIT_INSN()

static const struct verifier_test verifier_branch_tests[] = {
	{
		.name = "r0 > 1 jumps away: r0 <= 1 falls through",
		.insns = { CLAMP(JGT, 1) },
	},
	{
		.name = "r0 > 2 jumps away: r0 may be 2",
		.insns = { CLAMP(JGT, 2) },
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "r0 >= 2 jumps away: r0 <= 1 falls through",
		.insns = { CLAMP(JGE, 2) },
	},
	{
		.name = "r0 >= 3 jumps away: r0 may be 2",
		.insns = { CLAMP(JGE, 3) },
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "r0 < 2 jumps to exit with r0 in [0, 1]",
		.insns = { CLAMP_TAKEN(JLT, 2) },
	},
	{
		.name = "r0 < 3 jumps to exit with r0 in [0, 2]",
		.insns = { CLAMP_TAKEN(JLT, 3) },
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "r0 <= 1 jumps to exit with r0 in [0, 1]",
		.insns = { CLAMP_TAKEN(JLE, 1) },
	},
	{
		.name = "r0 <= 2 jumps to exit with r0 in [0, 2]",
		.insns = { CLAMP_TAKEN(JLE, 2) },
		.expect = -EACCES,
	},
	{
		.name = "signed r0 s> 1 jumps away from a non-negative u32",
		.insns = { CLAMP(JSGT, 1) },
	},
	{
		.name = "signed r0 s>= 2 jumps away from a non-negative u32",
		.insns = { CLAMP(JSGE, 2) },
	},
	{
		.name = "signed r0 s< 2 jumps to exit",
		.insns = { CLAMP_TAKEN(JSLT, 2) },
	},
	{
		.name = "signed r0 s<= 1 jumps to exit",
		.insns = { CLAMP_TAKEN(JSLE, 1) },
	},
	{
		.name = "signed upper bound alone leaves negative values",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), NF_LEN),
			KBPF_ALU64_IMM(SUB, VR(0), 5),
			KBPF_JMP_IMM(JSGT, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "smin=-5",
	},
	{
		.name = "signed upper and lower bounds give [0, 1]",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), NF_LEN),
			KBPF_ALU64_IMM(SUB, VR(0), 5),
			KBPF_JMP_IMM(JSGT, VR(0), 1, 2),
			KBPF_JMP_IMM(JSLT, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "r0 == 1 jumps to exit with r0 = 1, else r0 = 0",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JEQ, VR(0), 1, 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "r0 == 2 jumps to exit with r0 = 2",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JEQ, VR(0), 2, 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=2 smax=2",
	},
	{
		.name = "r0 != 0 jumps to r0 = 1: both sides return a verdict",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JNE, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "r0 != 0 falls through with r0 = 0 only",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JNE, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "excluding the ends 3 and 2 of [0, 3] leaves [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 3),
			KBPF_JMP_IMM(JEQ, VR(0), 3, 2),
			KBPF_JMP_IMM(JEQ, VR(0), 2, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "excluding only the end 3 of [0, 3] leaves [0, 2]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 3),
			KBPF_JMP_IMM(JEQ, VR(0), 3, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "bit test false clears the tested bits",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JSET, VR(0), -2, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "bit test of bit 0 false leaves bit 1",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 3),
			KBPF_JMP_IMM(JSET, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "32-bit compare bounds a zero-extended u32",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP32_IMM(JGT, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "32-bit compare says nothing of the high half",
		.insns = {
			VT_MARK(VR(0)),
			VT_LD_IMM64(VR(2), 0, 0, 1),
			KBPF_ALU64_REG(OR, VR(0), VR(2)),
			KBPF_JMP32_IMM(JGT, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "signed 64-bit compare of a zero-extended u32",
		.insns = { CLAMP_TAKEN(JSLT, 2) },
	},
	{
		.name = "signed 32-bit compare lets 0x80000000 and up through",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP32_IMM(JSLT, VR(0), 2, 2),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "signed 32-bit compare with a lower bound too is [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP32_IMM(JSLT, VR(0), 0, 2),
			KBPF_JMP32_IMM(JSGT, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "signed 32-bit lower bound alone leaves [0, 0x7fffffff]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP32_IMM(JSLT, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "umax=2147483647",
	},
	{
		.name = "register compare against 1 bounds r0",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_JMP_REG(JGT, VR(0), VR(2), 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "register compare against 2 leaves r0 = 2",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_MOV64_IMM(VR(2), 2),
			KBPF_JMP_REG(JGT, VR(0), VR(2), 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
	},
	{
		.name = "register compare bounds both sides: 1 > r0 means r0 = 0",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_JMP_REG(JGT, VR(2), VR(0), 2),
			VT_RET(1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a bound proven on a copy holds for the original",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_JMP_IMM(JGT, VR(2), 1, 2),
			KBPF_MOV64_REG(VR(0), VR(6)),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "a bound proven on the original holds for a spilled copy",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_STX_MEM(DW, VR(10), VR(6), -8),
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_STX_MEM(DW, VR(10), VR(2), -8),
			KBPF_JMP_IMM(JGT, VR(6), 1, 2),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "a copy changed after copying is not bounded by the original",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JGT, VR(6), 1, 2),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "a copy reloaded after copying is not bounded by the original",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(2), VR(6)),
			VT_MARK(VR(2)),
			KBPF_JMP_IMM(JGT, VR(6), 1, 2),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "a branch that is never taken is not verified",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 7),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a branch that may be taken is verified",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JEQ, VR(0), 1, 2),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 7),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=7",
	},
	{
		.name = "a branch that is always taken skips its fall-through",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 2),
			KBPF_MOV64_IMM(VR(0), 7),
			KBPF_EXIT_INSN(),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "comparing with an uninitialised register is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_REG(JGT, VR(0), VR(5), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R5 !read_ok",
	},
	{
		.name = "comparing two stack pointers is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_JMP_REG(JGT, VR(2), VR(10), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "pointer comparison prohibited",
	},
	{
		.name = "comparing the ctx pointer with 0x10000 is refused",
		.insns = {
			KBPF_JMP_IMM(JEQ, VR(1), 0x10000, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R1 pointer comparison prohibited",
	},
	{
		.name = "the ctx pointer is never null: == 0 is never taken",
		.insns = {
			KBPF_JMP_IMM(JEQ, VR(1), 0, 2),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 9),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "32-bit comparison of a pointer is refused",
		.insns = {
			KBPF_JMP32_IMM(JEQ, VR(1), 0, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "pointer comparison prohibited",
	},
	{
		.name = "signed 32-bit compare of a negative constant",
		.insns = {
			KBPF_MOV32_IMM(VR(0), -3),
			KBPF_JMP32_IMM(JSLT, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "unsigned 64-bit view of a 32-bit negative constant",
		.insns = {
			KBPF_MOV32_IMM(VR(0), -3),
			KBPF_JMP_IMM(JSLT, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "smin=4294967293",
	},
};

VERIFIER_TEST_SUITE(verifier_branch, "kbpf_verifier_branch",
		    verifier_branch_tests);
