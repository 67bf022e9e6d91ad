// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: loops and the complexity budget.  A loop is accepted when every
 * path leaves it within the budget of processed instructions; a path that
 * comes back to an earlier state of its own unchanged is an infinite loop;
 * one that runs out of budget is too complex.  Pruning lets equivalent
 * paths share one verification.
 */
#include "verifier_test.h"

/*
 * r6 = mark; if (r6 & bit) skip one insn; r2 = 0: both sides reach the
 * same state but for r6, which is dead there (overwritten next).
 */
#define DIAMOND(bit)	VT_MARK(VR(6)),					\
			KBPF_JMP_IMM(JSET, VR(6), bit, 1),		\
			KBPF_MOV64_IMM(VR(2), 0)

static const struct verifier_test verifier_loop_tests[] = {
	{
		.name = "a loop counting to 10 terminates",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JLT, VR(2), 10, -2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a loop counting down from 10 terminates",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_MOV64_IMM(VR(2), 10),
			KBPF_ALU64_IMM(SUB, VR(2), 1),
			KBPF_JMP_IMM(JNE, VR(2), 0, -2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a loop halving an unknown u32 terminates",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			VT_MARK(VR(2)),
			KBPF_ALU64_IMM(RSH, VR(2), 1),
			KBPF_JMP_IMM(JNE, VR(2), 0, -2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "jumping to itself is an infinite loop",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_A(-1),
		},
		.expect = -EACCES,
		.log_has = "infinite loop detected at insn 1",
	},
	{
		.name = "a loop that changes nothing is an infinite loop",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_JMP_IMM(JNE, VR(2), 0, -2),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "infinite loop detected",
	},
	{
		.name = "a loop whose exit condition never holds runs out of budget",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			VT_MARK(VR(2)),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JNE, VR(2), 0, -2),
			KBPF_EXIT_INSN(),
		},
		.max_processed = 20000,
		.expect = -E2BIG,
		.log_has = "program too complex",
	},
	{
		.name = "a loop of 100 iterations fits the cloud budget",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JLT, VR(2), 100, -2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a loop of 100 iterations exceeds a budget of 150",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JLT, VR(2), 100, -2),
			KBPF_EXIT_INSN(),
		},
		.max_processed = 150,
		.expect = -E2BIG,
		.log_has = "program too complex: more than 150 insns processed",
	},
	{
		.name = "a loop of a million iterations exceeds the cloud budget",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JLT, VR(2), 1000000, -2),
			KBPF_EXIT_INSN(),
		},
		.expect = -E2BIG,
		.log_has = "program too complex: more than 1000000 insns processed",
	},
	{
		.name = "a loop reading 8 packet bytes, each checked",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_IMM(VR(5), 0),
			KBPF_MOV64_REG(VR(6), VR(2)),
			KBPF_ALU64_REG(ADD, VR(6), VR(5)),
			KBPF_MOV64_REG(VR(7), VR(6)),
			KBPF_ALU64_IMM(ADD, VR(7), 1),
			KBPF_JMP_REG(JGT, VR(7), VR(3), 3),
			KBPF_LDX_MEM(B, VR(0), VR(6), 0),
			KBPF_ALU64_IMM(ADD, VR(5), 1),
			KBPF_JMP_IMM(JLT, VR(5), 8, -8),
			VT_RET(0),
		},
	},
	{
		.name = "a loop reading 8 packet bytes after checking 4",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(7), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(7), 4),
			KBPF_JMP_REG(JGT, VR(7), VR(3), 6),
			KBPF_MOV64_IMM(VR(5), 0),
			KBPF_MOV64_REG(VR(6), VR(2)),
			KBPF_ALU64_REG(ADD, VR(6), VR(5)),
			KBPF_LDX_MEM(B, VR(0), VR(6), 0),
			KBPF_ALU64_IMM(ADD, VR(5), 1),
			KBPF_JMP_IMM(JLT, VR(5), 8, -5),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid access to packet, off=4 size=1, R6 range=4",
	},
	{
		.name = "IPv6 extension header walk in a bounded loop",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_IMM(VR(5), 0),
			KBPF_MOV64_IMM(VR(6), 0),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_REG(ADD, VR(4), VR(5)),
			KBPF_MOV64_REG(VR(7), VR(4)),
			KBPF_ALU64_IMM(ADD, VR(7), 2),
			KBPF_JMP_REG(JGT, VR(7), VR(3), 8),
			KBPF_LDX_MEM(B, VR(8), VR(4), 0),
			KBPF_LDX_MEM(B, VR(9), VR(4), 1),
			KBPF_ALU64_IMM(ADD, VR(9), 1),
			KBPF_ALU64_IMM(LSH, VR(9), 3),
			KBPF_ALU64_REG(ADD, VR(5), VR(9)),
			KBPF_JMP_IMM(JNE, VR(8), 0, 2),
			KBPF_ALU64_IMM(ADD, VR(6), 1),
			KBPF_JMP_IMM(JLT, VR(6), 4, -13),
			VT_RET(1),
		},
	},
	{
		.name = "IPv6 extension header walk reading past its check",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_IMM(VR(5), 0),
			KBPF_MOV64_IMM(VR(6), 0),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_REG(ADD, VR(4), VR(5)),
			KBPF_MOV64_REG(VR(7), VR(4)),
			KBPF_ALU64_IMM(ADD, VR(7), 1),
			KBPF_JMP_REG(JGT, VR(7), VR(3), 8),
			KBPF_LDX_MEM(B, VR(8), VR(4), 0),
			KBPF_LDX_MEM(B, VR(9), VR(4), 1),
			KBPF_ALU64_IMM(ADD, VR(9), 1),
			KBPF_ALU64_IMM(LSH, VR(9), 3),
			KBPF_ALU64_REG(ADD, VR(5), VR(9)),
			KBPF_JMP_IMM(JNE, VR(8), 0, 2),
			KBPF_ALU64_IMM(ADD, VR(6), 1),
			KBPF_JMP_IMM(JLT, VR(6), 4, -13),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "off=1 size=1, R4 range=1",
	},
	{
		.name = "nested loops of 4 x 4 iterations",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_ALU64_IMM(ADD, VR(3), 1),
			KBPF_JMP_IMM(JLT, VR(3), 4, -2),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JLT, VR(2), 4, -5),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a loop leaving r0 unset on one exit path",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			KBPF_JMP_IMM(JEQ, VR(2), 5, 2),
			KBPF_JMP_IMM(JLT, VR(2), 10, -3),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R0 !read_ok",
	},
	{
		.name = "pruning: 2^20 paths equal but for dead registers verify in 1000 insns",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			DIAMOND(1), DIAMOND(2), DIAMOND(4), DIAMOND(8),
			DIAMOND(16), DIAMOND(32), DIAMOND(64), DIAMOND(128),
			DIAMOND(256), DIAMOND(512), DIAMOND(1024),
			DIAMOND(2048), DIAMOND(4096), DIAMOND(8192),
			DIAMOND(16384), DIAMOND(32768), DIAMOND(65536),
			DIAMOND(131072), DIAMOND(262144), DIAMOND(524288),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.max_processed = 1000,
	},
	{
		.name = "pruning does not merge a path that differs in a live value",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_JMP_IMM(JEQ, VR(6), 5, 1),
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R0 has smin=5 smax=5",
	},
	{
		.name = "pruning merges a path whose value lies inside the verified range",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_ALU64_IMM(AND, VR(2), 1),
			KBPF_JMP_IMM(JEQ, VR(6), 5, 1),
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.log_has = "processed",
		.log_level = KBPF_LOG_LEVEL_STATS,
	},
	{
		.name = "pruning keeps a path whose packet range is smaller",
		.insns = {
			VT_PKT(),
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 4),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 7),
			KBPF_JMP_IMM(JEQ, VR(6), 0, 3),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_LDX_MEM(B, VR(0), VR(2), 6),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "off=6 size=1, R2 range=4",
	},
	{
		.name = "pruning merges a path whose packet range is larger",
		.insns = {
			VT_PKT(),
			VT_MARK(VR(6)),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 7),
			KBPF_JMP_IMM(JEQ, VR(6), 0, 3),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 4),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_LDX_MEM(B, VR(0), VR(2), 6),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "pruning keeps a path that left a stack slot unwritten",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_JMP_IMM(JEQ, VR(6), 0, 1),
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8+0 size 8",
	},
	{
		.name = "pruning keeps a path whose lookup result is unchecked",
		.insns = {
			VT_MARK(VR(6)),
			VT_LOOKUP(),
			KBPF_JMP_IMM(JEQ, VR(6), 0, 2),
			KBPF_JMP_IMM(JNE, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			KBPF_LDX_MEM(B, VR(0), VR(0), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "R0 invalid mem access 'map_value_or_null'",
	},
};

VERIFIER_TEST_SUITE(verifier_loop, "kbpf_verifier_loop", verifier_loop_tests);
