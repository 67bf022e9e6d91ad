// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: scalar arithmetic, register initialisation, return values and
 * pointer arithmetic rules.  A netfilter program must return 0 or 1, so
 * most cases prove a value's range by returning it.
 */
#include "verifier_test.h"

static const struct verifier_test verifier_alu_tests[] = {
	{
		.name = "return of constant 0 is accepted",
		.insns = { VT_RET(0) },
	},
	{
		.name = "return of constant 2 is outside [0, 1]",
		.insns = { VT_RET(2) },
		.expect = -EACCES,
		.log_has = "R0 has smin=2 smax=2, should have been in [0, 1]",
	},
	{
		.name = "return of -1 is outside [0, 1]",
		.insns = { VT_RET(-1) },
		.expect = -EACCES,
		.log_has = "smin=-1 smax=-1",
	},
	{
		.name = "exit without setting r0 is refused",
		.insns = { KBPF_EXIT_INSN() },
		.expect = -EACCES,
		.log_has = "R0 !read_ok",
	},
	{
		.name = "returning the ctx pointer leaks it",
		.insns = { KBPF_MOV64_REG(VR(0), VR(1)), KBPF_EXIT_INSN() },
		.expect = -EACCES,
		.log_has = "R0 leaks addr as return value",
	},
	{
		.name = "reading an uninitialised register is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ALU64_REG(ADD, VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R2 !read_ok",
	},
	{
		.name = "r1 holds the context at entry, r2 does not",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(1)),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "writing the frame pointer is refused",
		.insns = { KBPF_MOV64_IMM(VR(10), 0), VT_RET(0) },
		.expect = -EACCES,
		.log_has = "frame pointer is read only",
	},
	{
		.name = "and with 1 bounds an unknown u32 to [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "and with 3 leaves [0, 3]: refused as a verdict",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 3),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "u32 shifted right by 31 is [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(RSH, VR(0), 31),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "u32 shifted right by 30 is [0, 3]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(RSH, VR(0), 30),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smax=3",
	},
	{
		.name = "modulo 2 of an unknown is [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(MOD, VR(0), 2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "modulo 3 of an unknown is [0, 2]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(MOD, VR(0), 3),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "31-bit value divided by 0x7fffffff is [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 0x7fffffff),
			KBPF_ALU64_IMM(DIV, VR(0), 0x7fffffff),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "32-bit value divided by 0x7fffffff is [0, 2]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(DIV, VR(0), 0x7fffffff),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "32-bit add wraps: 0xffffffff + 2 is 1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), -1),
			KBPF_ALU32_IMM(ADD, VR(0), 2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "32-bit subtract wraps: 0 - 1 is 0xffffffff",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ALU32_IMM(SUB, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=4294967295",
	},
	{
		.name = "64-bit subtract: 0 - 1 is -1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ALU64_IMM(SUB, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=-1",
	},
	{
		.name = "2 - 1 is 1",
		.insns = {
			KBPF_MOV32_IMM(VR(0), 2),
			KBPF_ALU32_IMM(SUB, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "1 << 63 >> 63 (logical) is 1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(LSH, VR(0), 63),
			KBPF_ALU64_IMM(RSH, VR(0), 63),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "1 << 63 s>> 63 (arithmetic) is -1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(LSH, VR(0), 63),
			KBPF_ALU64_IMM(ARSH, VR(0), 63),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=-1",
	},
	{
		.name = "32-bit arithmetic shift keeps the sign of the low half",
		.insns = {
			KBPF_MOV32_IMM(VR(0), -2),
			KBPF_ALU32_IMM(ARSH, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=4294967295",
	},
	{
		.name = "32-bit arithmetic shift of 2 by 1 is 1",
		.insns = {
			KBPF_MOV32_IMM(VR(0), 2),
			KBPF_ALU32_IMM(ARSH, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "64-bit shift by a constant 64 is malformed",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(LSH, VR(0), 64),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "invalid shift 64",
	},
	{
		.name = "32-bit shift by a constant 32 is malformed",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU32_IMM(RSH, VR(0), 32),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "invalid shift 32",
	},
	{
		.name = "division by constant zero is malformed",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(DIV, VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "division by zero",
	},
	{
		.name = "division by a zero register is allowed (result 0)",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_REG(DIV, VR(0), VR(2)),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "division by a register leaves the result unknown",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_REG(DIV, VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "negation of -1 is 1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), -1),
			KBPF_ALU64_IMM(NEG, VR(0), 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "negation of 1 is -1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(NEG, VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=-1",
	},
	{
		.name = "0 | 1 is 1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ALU64_IMM(OR, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "1 | 2 is 3",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_ALU64_IMM(OR, VR(0), 2),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=3 smax=3",
	},
	{
		.name = "3 ^ 2 is 1",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 3),
			KBPF_ALU64_IMM(XOR, VR(0), 2),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "[0, 1] * 1 stays [0, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_ALU64_IMM(MUL, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "[0, 1] * 2 is [0, 2]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_ALU64_IMM(MUL, VR(0), 2),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smax=2",
	},
	{
		.name = "byte swap to big endian 16 gives [0, 0xffff]",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_RAW_INSN(KBPF_ALU | KBPF_END | KBPF_TO_BE, VR(0),
				      0, 0, 16),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "umax=65535",
	},
	{
		.name = "byte swap result masked to one bit is a verdict",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_RAW_INSN(KBPF_ALU | KBPF_END | KBPF_TO_BE, VR(0),
				      0, 0, 16),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "sign-extending move of 0xff from 8 bits is -1",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0xff),
			KBPF_RAW_INSN(KBPF_ALU64 | KBPF_MOV | KBPF_X, VR(0),
				      VR(2), 8, 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=-1",
	},
	{
		.name = "sign-extending move of 1 from 8 bits is 1",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_RAW_INSN(KBPF_ALU64 | KBPF_MOV | KBPF_X, VR(0),
				      VR(2), 8, 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "64-bit immediate load: (1 << 32) >> 32 is 1",
		.insns = {
			VT_LD_IMM64(VR(0), 0, 0, 1),
			KBPF_ALU64_IMM(RSH, VR(0), 32),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "64-bit immediate load keeps the high half",
		.insns = {
			VT_LD_IMM64(VR(0), 0, 0, 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=4294967296",
	},
	{
		.name = "32-bit move zero-extends: w0 = -1 is 0xffffffff",
		.insns = {
			KBPF_MOV32_IMM(VR(0), -1),
			KBPF_ALU64_IMM(RSH, VR(0), 31),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "32-bit add drops the high half of a 64-bit value",
		.insns = {
			VT_LD_IMM64(VR(0), 0, 0, 1),
			KBPF_ALU32_IMM(ADD, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "32-bit move of a 64-bit value keeps only the low half",
		.insns = {
			VT_LD_IMM64(VR(2), 0, 1, 1),
			KBPF_MOV32_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "64-bit move of the same value keeps the high half",
		.insns = {
			VT_LD_IMM64(VR(2), 0, 1, 1),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=4294967297",
	},
	{
		.name = "arithmetic shift of [-4, 3] by 2 is [-1, 0]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 7),
			KBPF_ALU64_IMM(SUB, VR(0), 4),
			KBPF_ALU64_IMM(ARSH, VR(0), 2),
			KBPF_ALU64_IMM(ADD, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "arithmetic shift of [-4, 3] by 1 is [-2, 1]",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 7),
			KBPF_ALU64_IMM(SUB, VR(0), 4),
			KBPF_ALU64_IMM(ARSH, VR(0), 1),
			KBPF_ALU64_IMM(ADD, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "smin=-1",
	},
	{
		.name = "multiplying a pointer is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(MUL, VR(2), 2),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 pointer arithmetic with *= operator prohibited",
	},
	{
		.name = "32-bit copy of a pointer is refused",
		.insns = {
			KBPF_MOV32_REG(VR(2), VR(10)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R10 partial copy of pointer",
	},
	{
		.name = "32-bit arithmetic on a pointer is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU32_IMM(ADD, VR(2), 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 32-bit pointer arithmetic prohibited",
	},
	{
		.name = "negating a pointer is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(NEG, VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 neg on pointer prohibited",
	},
	{
		.name = "pointer plus pointer is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_REG(ADD, VR(2), VR(1)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "pointer += pointer prohibited",
	},
	{
		.name = "scalar minus pointer is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_ALU64_REG(SUB, VR(2), VR(10)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "tried to subtract pointer from scalar",
	},
	{
		.name = "stack pointer minus stack pointer is refused",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_REG(SUB, VR(2), VR(10)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "pointer -= pointer prohibited",
	},
	{
		.name = "data_end minus data is a scalar (packet length)",
		.insns = {
			VT_PKT(),
			KBPF_ALU64_REG(SUB, VR(3), VR(2)),
			KBPF_MOV64_REG(VR(0), VR(3)),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "scalar plus pointer gives a pointer",
		.insns = {
			KBPF_MOV64_IMM(VR(2), -8),
			KBPF_ALU64_REG(ADD, VR(2), VR(10)),
			KBPF_ST_MEM(DW, VR(2), 0, 1),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "pointer arithmetic on pkt_end is refused",
		.insns = {
			VT_PKT(),
			KBPF_ALU64_IMM(ADD, VR(3), 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R3 pointer arithmetic on pkt_end prohibited",
	},
};

VERIFIER_TEST_SUITE(verifier_alu, "kbpf_verifier_alu", verifier_alu_tests);
