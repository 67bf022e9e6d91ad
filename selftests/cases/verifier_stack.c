// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: the stack.  Bytes must be written before they are read;
 * accesses stay within fp-512 .. fp-1, naturally aligned; an 8-byte store of
 * a register spills it and an 8-byte load at the same place fills it back
 * with its type; pointers are never split.  Atomics work on initialised
 * stack and map values only.
 */
#include "verifier_test.h"

static const struct verifier_test verifier_stack_tests[] = {
	{
		.name = "u64 written then read back",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 1),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
		.check_stack = true,
		.stack_depth = 8,
	},
	{
		.name = "reading a stack slot never written is refused",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8+0 size 8",
	},
	{
		.name = "u64 read over a half-written slot is refused",
		.insns = {
			KBPF_ST_MEM(W, VR(10), -4, 1),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8+0 size 8",
	},
	{
		.name = "u64 read over two written halves is a scalar",
		.insns = {
			KBPF_ST_MEM(W, VR(10), -8, 1),
			KBPF_ST_MEM(W, VR(10), -4, 1),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "u32 written, its upper neighbour byte is not",
		.insns = {
			KBPF_ST_MEM(W, VR(10), -8, 1),
			KBPF_LDX_MEM(B, VR(0), VR(10), -4),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -4+0 size 1",
	},
	{
		.name = "the deepest slot fp-512 is usable",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -512, 0),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -512),
			KBPF_EXIT_INSN(),
		},
		.check_stack = true,
		.stack_depth = 512,
	},
	{
		.name = "fp-520 is below the stack",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -520, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid stack access off=-520 size=8",
	},
	{
		.name = "fp+0 is above the stack",
		.insns = {
			KBPF_ST_MEM(W, VR(10), 0, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid stack access off=0 size=4",
	},
	{
		.name = "u64 at fp-4 crosses the top of the stack",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -4, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid stack access off=-4 size=8",
	},
	{
		.name = "u32 at fp-6 is misaligned",
		.insns = {
			KBPF_ST_MEM(W, VR(10), -6, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "misaligned stack access off=-6 size=4",
	},
	{
		.name = "u16 at fp-6 is aligned",
		.insns = {
			KBPF_ST_MEM(H, VR(10), -6, 0),
			KBPF_LDX_MEM(H, VR(0), VR(10), -6),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.check_stack = true,
		.stack_depth = 8,
	},
	{
		.name = "a spilled ctx pointer fills back as ctx",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_LDX_MEM(DW, VR(2), VR(10), -8),
			KBPF_LDX_MEM(W, VR(0), VR(2), NF_MARK),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "half of a spilled pointer cannot be read",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_LDX_MEM(W, VR(2), VR(10), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "corrupted spill memory",
	},
	{
		/* The other half still holds half the address: unreadable. */
		.name = "a partly overwritten pointer cannot be filled back",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_ST_MEM(W, VR(10), -8, 0),
			KBPF_LDX_MEM(DW, VR(2), VR(10), -8),
			KBPF_LDX_MEM(W, VR(0), VR(2), NF_MARK),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8+4 size 8",
	},
	{
		.name = "a pointer cannot be stored in 4 bytes",
		.insns = {
			KBPF_STX_MEM(W, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid size of register spill",
	},
	{
		.name = "a spilled packet pointer keeps its proven range",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 4),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 4),
			KBPF_STX_MEM(DW, VR(10), VR(2), -16),
			KBPF_LDX_MEM(DW, VR(5), VR(10), -16),
			KBPF_LDX_MEM(W, VR(0), VR(5), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			VT_RET(0),
		},
		.check_stack = true,
		.stack_depth = 16,
	},
	{
		.name = "a spilled packet pointer spilled before the check gains the range",
		.insns = {
			VT_PKT(),
			KBPF_STX_MEM(DW, VR(10), VR(2), -8),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 4),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 2),
			KBPF_LDX_MEM(DW, VR(5), VR(10), -8),
			KBPF_LDX_MEM(W, VR(0), VR(5), 0),
			VT_RET(0),
		},
	},
	{
		.name = "a spilled constant fills back exactly",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_STX_MEM(DW, VR(10), VR(2), -8),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a stored 8-byte immediate fills back exactly",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 7),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=7 smax=7",
	},
	{
		.name = "a 4-byte value reads back unknown",
		.insns = {
			KBPF_ST_MEM(W, VR(10), -4, 1),
			KBPF_LDX_MEM(W, VR(0), VR(10), -4),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "stack pointer plus a constant addresses the stack",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -16),
			KBPF_ST_MEM(DW, VR(2), 8, 1),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "stack pointer moved up past fp is refused at the access",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), 8),
			KBPF_ST_MEM(DW, VR(2), -16, 1),
			KBPF_ST_MEM(DW, VR(2), 0, 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid stack access off=8 size=8",
	},
	{
		.name = "a variable offset on the stack pointer is refused",
		.insns = {
			VT_MARK(VR(3)),
			KBPF_ALU64_IMM(AND, VR(3), 7),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_REG(SUB, VR(2), VR(3)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "variable fp pointer arithmetic prohibited",
	},
	{
		.name = "returning the frame pointer leaks it",
		.insns = { KBPF_MOV64_REG(VR(0), VR(10)), KBPF_EXIT_INSN() },
		.expect = -EACCES,
		.log_has = "R0 leaks addr as return value",
	},
	{
		.name = "atomic add on an initialised stack slot",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(10), VR(1), -8),
			VT_RET(0),
		},
	},
	{
		.name = "atomic add on an uninitialised stack slot is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8+0 size 8",
	},
	{
		.name = "atomic fetch-add of unknown stack bytes fetches an unknown",
		.insns = {
			VT_MARK(VR(2)),
			KBPF_STX_MEM(W, VR(10), VR(2), -8),
			KBPF_STX_MEM(W, VR(10), VR(2), -4),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ATOMIC_OP(DW, KBPF_ADD | KBPF_FETCH, VR(10), VR(0), -8),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "atomic on the ctx is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_ATOMIC_OP(W, KBPF_ADD, VR(1), VR(2), NF_MARK),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "atomic operation on ctx prohibited",
	},
	{
		.name = "atomic storing a pointer leaks it",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_ATOMIC_OP(DW, KBPF_XCHG, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R1 leaks addr into mem",
	},
	{
		.name = "atomic u32 at fp-6 is misaligned",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(W, KBPF_ADD, VR(10), VR(1), -6),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "misaligned atomic access",
	},
	{
		.name = "compare-and-exchange needs r0",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R0 must hold the scalar to compare",
	},
	{
		.name = "compare-and-exchange with r0 set",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "two frames' worth of slots are tracked independently",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_ST_MEM(DW, VR(10), -256, 1),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -256),
			KBPF_LDX_MEM(DW, VR(2), VR(10), -16),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -16+0 size 8",
	},
};

VERIFIER_TEST_SUITE(verifier_stack, "kbpf_verifier_stack",
		    verifier_stack_tests);
