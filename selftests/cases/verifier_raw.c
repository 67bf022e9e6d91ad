// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: the raw program type (KBPF_PROG_TYPE_UNSPEC, kbpf-run --verify).
 * r1 points at mem_size bytes the program may read and write at any
 * alignment, r2 holds mem_size, any scalar r0 is a valid result.  With
 * mem_size 0 r1 is the scalar 0.  The memory belongs to the caller: no
 * pointer may be stored in it or returned.  Accepted programs run over
 * memory whose byte i holds i + 1, so the results below are hand-computed.
 */
#include "verifier_test.h"

/* r0 = sum of the mem_size bytes at r1, walking r3 from 0 to r2. */
#define VT_SUM_LOOP()							\
	KBPF_MOV64_IMM(VR(0), 0),					\
	KBPF_MOV64_IMM(VR(3), 0),					\
	KBPF_JMP_REG(JGE, VR(3), VR(2), 6),				\
	KBPF_MOV64_REG(VR(4), VR(1)),					\
	KBPF_ALU64_REG(ADD, VR(4), VR(3)),				\
	KBPF_LDX_MEM(B, VR(5), VR(4), 0),				\
	KBPF_ALU64_REG(ADD, VR(0), VR(5)),				\
	KBPF_ALU64_IMM(ADD, VR(3), 1),					\
	KBPF_JMP_A(-7),							\
	KBPF_EXIT_INSN()

static const struct verifier_test verifier_raw_tests[] = {
	{
		.name = "raw: first byte of the memory is readable",
		.insns = {
			KBPF_LDX_MEM(B, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 1,
	},
	{
		.name = "raw: the last 8 bytes are readable as a u64",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(1), 8),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 16, .run = true,
		.retval = 0x100f0e0d0c0b0a09ULL,
	},
	{
		.name = "raw: a u64 read crossing the end is refused",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(1), 12),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 16,
		.expect = -EACCES,
		.log_has = "invalid access to mem, mem_size=16 off=12 size=8",
	},
	{
		.name = "raw: a read before the start is refused",
		.insns = {
			KBPF_LDX_MEM(B, VR(0), VR(1), -1),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 16,
		.expect = -EACCES,
		.log_has = "invalid access to mem",
	},
	{
		.name = "raw: misaligned u32 access is fine",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), 1),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 0x05040302,
	},
	{
		.name = "raw: a stored value reads back",
		.insns = {
			KBPF_ST_MEM(W, VR(1), 4, 0x1234),
			KBPF_LDX_MEM(W, VR(0), VR(1), 4),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 0x1234,
	},
	{
		.name = "raw: a store past the end is refused",
		.insns = {
			KBPF_ST_MEM(W, VR(1), 6, 0),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "invalid access to mem, mem_size=8 off=6 size=4",
	},
	{
		.name = "raw: storing the frame pointer into the memory is refused",
		.insns = {
			KBPF_STX_MEM(DW, VR(1), VR(10), 0),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "R10 leaks addr into mem",
	},
	{
		.name = "raw: storing the memory's own address into it is refused",
		.insns = {
			KBPF_STX_MEM(DW, VR(1), VR(1), 0),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "R1 leaks addr into mem",
	},
	{
		.name = "raw: r2 holds mem_size",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 24, .run = true, .retval = 24,
	},
	{
		.name = "raw: r2 is a known constant, so it bounds an access",
		.insns = {
			KBPF_MOV64_REG(VR(3), VR(1)),
			KBPF_ALU64_REG(ADD, VR(3), VR(2)),
			KBPF_LDX_MEM(B, VR(0), VR(3), -1),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 16, .run = true, .retval = 16,
	},
	{
		.name = "raw: r1 + r2 is one past the end",
		.insns = {
			KBPF_MOV64_REG(VR(3), VR(1)),
			KBPF_ALU64_REG(ADD, VR(3), VR(2)),
			KBPF_LDX_MEM(B, VR(0), VR(3), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 16,
		.expect = -EACCES,
		.log_has = "invalid access to mem, mem_size=16 off=16 size=1",
	},
	{
		.name = "raw: any 64-bit r0 is a valid result",
		.insns = {
			KBPF_MOV64_IMM(VR(0), -1),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = ~0ULL,
	},
	{
		.name = "raw: -1 is out of range for netfilter",
		.insns = {
			KBPF_MOV64_IMM(VR(0), -1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "raw: returning the memory pointer is refused",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(1)),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "R0 leaks addr as return value",
	},
	{
		.name = "raw: without memory r1 is the scalar 0",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(1)),
			KBPF_ALU64_REG(ADD, VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 0, .run = true, .retval = 0,
	},
	{
		.name = "raw: without memory r1 cannot be dereferenced",
		.insns = {
			KBPF_LDX_MEM(B, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 0,
		.expect = -EACCES,
		.log_has = "R1 invalid mem access 'scalar'",
	},
	{
		.name = "raw: netfilter programs get no r2",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R2 !read_ok",
	},
	{
		.name = "raw: an 8-byte load from r1 is a number, not a packet pointer",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(1), 0),
			KBPF_ALU64_IMM(RSH, VR(0), 56),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 40, .run = true, .retval = 8,
	},
	{
		.name = "raw: a masked variable offset stays inside",
		.insns = {
			KBPF_LDX_MEM(B, VR(3), VR(1), 0),
			KBPF_ALU64_IMM(AND, VR(3), 7),
			KBPF_ALU64_REG(ADD, VR(1), VR(3)),
			KBPF_LDX_MEM(B, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 2,
	},
	{
		.name = "raw: a masked variable offset that may reach past the end",
		.insns = {
			KBPF_LDX_MEM(B, VR(3), VR(1), 0),
			KBPF_ALU64_IMM(AND, VR(3), 15),
			KBPF_ALU64_REG(ADD, VR(1), VR(3)),
			KBPF_LDX_MEM(B, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "invalid access to mem",
	},
	{
		.name = "raw: an unbounded offset cannot be added to the memory pointer",
		.insns = {
			KBPF_LDX_MEM(DW, VR(3), VR(1), 0),
			KBPF_ALU64_REG(ADD, VR(1), VR(3)),
			KBPF_LDX_MEM(B, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "math between mem pointer and register with unbounded value",
	},
	{
		.name = "raw: a loop bounded by r2 sums the memory",
		.insns = { VT_SUM_LOOP() },
		.raw = true, .mem_size = 16, .run = true, .retval = 136,
	},
	{
		.name = "raw: the same loop with one byte too many is refused",
		.insns = {
			KBPF_ALU64_IMM(ADD, VR(2), 1),
			VT_SUM_LOOP(),
		},
		.raw = true, .mem_size = 16,
		.expect = -EACCES,
		.log_has = "invalid access to mem",
	},
	{
		.name = "raw: atomic fetch-add on the memory",
		.insns = {
			KBPF_MOV64_IMM(VR(3), 0x100),
			KBPF_ATOMIC_OP(DW, KBPF_ADD | KBPF_FETCH, VR(1), VR(3), 8),
			KBPF_LDX_MEM(DW, VR(0), VR(1), 8),
			KBPF_ALU64_REG(SUB, VR(0), VR(3)),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 16, .run = true, .retval = 0x100,
	},
	{
		.name = "raw: a misaligned atomic is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(3), 1),
			KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(1), VR(3), 4),
			VT_RET(0),
		},
		.raw = true, .mem_size = 16,
		.expect = -EACCES,
		.log_has = "misaligned atomic access off=4 size=8",
	},
	{
		.name = "raw: an atomic past the end is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(3), 1),
			KBPF_ATOMIC_OP(W, KBPF_ADD, VR(1), VR(3), 8),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "invalid access to mem",
	},
	{
		.name = "raw: the memory pointer is never null",
		.insns = {
			KBPF_JMP_IMM(JNE, VR(1), 0, 1),
			KBPF_LDX_MEM(B, VR(1), VR(1), 100),
			VT_RET(3),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 3,
	},
	{
		.name = "raw: multiplying the memory pointer is refused",
		.insns = {
			KBPF_ALU64_IMM(MUL, VR(1), 2),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "pointer arithmetic with *= operator prohibited",
	},
	{
		.name = "raw: 32-bit arithmetic on the memory pointer is refused",
		.insns = {
			KBPF_ALU32_IMM(ADD, VR(1), 2),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "32-bit pointer arithmetic prohibited",
	},
	{
		.name = "raw: moving the pointer out and back keeps it usable",
		.insns = {
			KBPF_ALU64_IMM(ADD, VR(1), 100),
			KBPF_ALU64_IMM(SUB, VR(1), 98),
			KBPF_LDX_MEM(H, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 0x0403,
	},
	{
		.name = "raw: the pointer spills to the stack and fills back",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_MOV64_IMM(VR(1), 0),
			KBPF_LDX_MEM(DW, VR(3), VR(10), -8),
			KBPF_LDX_MEM(B, VR(0), VR(3), 7),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8, .run = true, .retval = 8,
	},
	{
		.name = "raw: comparing the memory pointer with the frame pointer is refused",
		.insns = {
			KBPF_JMP_REG(JGT, VR(1), VR(10), 0),
			VT_RET(0),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "pointer comparison prohibited",
	},
	{
		.name = "raw: the memory serves as a map key",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(1)),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_CALL_HELPER(1),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.raw = true, .mem_size = 4,
	},
	{
		.name = "raw: memory smaller than the map key is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(1)),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_CALL_HELPER(1),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.raw = true, .mem_size = 2,
		.expect = -EACCES,
		.log_has = "invalid access to mem, mem_size=2 off=0 size=4",
	},
	{
		.name = "raw: memory larger than pointer offsets can reach is refused",
		.insns = { VT_RET(0) },
		.raw = true, .mem_size = (1u << 29) + 1,
		.expect = -E2BIG,
		.log_has = "too large",
	},
	{
		.name = "raw: the memory size is logged with the pointer",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(1), 4),
			KBPF_EXIT_INSN(),
		},
		.raw = true, .mem_size = 8,
		.expect = -EACCES,
		.log_has = "R1=mem(off=0,sz=8)",
	},
};

VERIFIER_TEST_SUITE(verifier_raw, "kbpf_verifier_raw", verifier_raw_tests);
