// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: control-flow checks before abstract interpretation (jump
 * targets, unreachable code, falling off the end), and the log: first root
 * cause only, the instruction trace at the verbose level, statistics.
 */
#include "verifier_test.h"

static const struct verifier_test verifier_flow_tests[] = {
	{
		.name = "a jump past the end is malformed",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 5),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
	},
	{
		.name = "a jump before the start is malformed",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, -3),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
	},
	{
		.name = "a jump into the second slot of ld_imm64 is malformed",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_LD_IMM64(VR(2), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "jump into the middle of ld_imm64",
	},
	{
		.name = "a jump over ld_imm64 is fine",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 2),
			KBPF_LD_IMM64(VR(2), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "code after exit that nothing jumps to is unreachable",
		.insns = {
			VT_RET(0),
			VT_RET(1),
		},
		.expect = -EINVAL,
		.log_has = "unreachable insn 2",
	},
	{
		.name = "code jumped over by goto is unreachable",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_A(1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "unreachable insn 2",
	},
	{
		.name = "code jumped over by a conditional jump is reachable",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a program ending in a move falls off its end",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 0),
		},
		.expect = -EINVAL,
		.log_has = "last insn of the program is not an exit or jump",
	},
	{
		.name = "a program ending in a conditional jump falls off its end",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, -2),
		},
		.expect = -EINVAL,
		.log_has = "not an exit or jump",
	},
	{
		.name = "a program ending in goto back is fine when it terminates",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "gotol (32-bit offset in imm) jumps over code",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP32_IMM(JEQ, VR(0), 0, 1),
			KBPF_JMP32_A(1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "gotol to its own second-next insn leaves one unreachable",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP32_A(1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "unreachable insn 2",
	},
	{
		.name = "a backward jump is a loop, checked by do_check",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 3),
			KBPF_ALU64_IMM(SUB, VR(2), 1),
			KBPF_JMP_IMM(JSGT, VR(2), 0, -2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "only the first root cause is logged",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(5)),
			KBPF_ST_MEM(DW, VR(10), 8, 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "0: (bf) r0 = r5\nR5 !read_ok",
		.log_lacks = "invalid stack access",
	},
	{
		.name = "the register state of the culprit follows the reason",
		.insns = {
			VT_PKT(),
			KBPF_LDX_MEM(H, VR(0), VR(2), 4),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "(check against data_end)\nR2=pkt(off=0,r=0)",
	},
	{
		.name = "the verbose log traces every processed insn",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.log_level = KBPF_LOG_LEVEL_VERBOSE,
		.log_has = "0: (b7) r0 = 0\n1: (95) exit",
	},
	{
		.name = "the verbose log shows where a pending branch resumes",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.log_level = KBPF_LOG_LEVEL_VERBOSE,
		.log_has = "from 1 to 3:",
	},
	{
		.name = "the errors-only log of an accepted program is empty",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.log_lacks = "exit",
	},
	{
		.name = "statistics count processed insns and states",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.log_level = KBPF_LOG_LEVEL_STATS,
		.log_has = "processed 7 insns, states 3, peak 3, time ",
	},
	{
		.name = "statistics are written for a rejected program too",
		.insns = { VT_RET(3) },
		.log_level = KBPF_LOG_LEVEL_ERRORS | KBPF_LOG_LEVEL_STATS,
		.expect = -EACCES,
		.log_has = "processed 2 insns, states 0, peak 0",
	},
	{
		.name = "a budget of one insn is too small for two",
		.insns = { VT_RET(0) },
		.max_processed = 1,
		.expect = -E2BIG,
		.log_has = "program too complex",
	},
	{
		.name = "a budget of two insns is enough for two",
		.insns = { VT_RET(0) },
		.max_processed = 2,
	},
};

VERIFIER_TEST_SUITE(verifier_flow, "kbpf_verifier_flow", verifier_flow_tests);
