// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: edges found while fuzzing and writing C tests.  A void
 * subprogram may leave r0 unset (the caller's r0 is then unset); "if rX op
 * rX" is decided by op alone; narrow and sign-extending context reads; the
 * return range after refinements; division forms.
 */
#include "verifier_test.h"

/* r0 = *(u64 *)(fp - 8), never written: refused wherever it is explored. */
#define VT_UNINIT_READ()	KBPF_LDX_MEM(DW, VR(0), VR(10), -8)

/* if r0 OP r0 goto +2 after r0 = mark; the jump side reads uninit stack. */
#define VT_SELF_JMP_NOT_TAKEN(CLS_OP)					\
	VT_MARK(VR(0)),							\
	CLS_OP,								\
	VT_RET(0),							\
	VT_UNINIT_READ(),						\
	KBPF_EXIT_INSN()

static const struct verifier_test verifier_edge_tests[] = {
	{
		.name = "a void subprogram may leave r0 unset",
		.insns = {
			KBPF_CALL_REL(2),
			VT_RET(1),
			KBPF_MOV64_IMM(VR(1), 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "r0 after a void subprogram is unset in the caller",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(1), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R0 !read_ok",
	},
	{
		.name = "a subprogram's r0 comes back to the caller",
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "a subprogram returning 2 makes main's verdict invalid",
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			VT_RET(2),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "if r0 > r0 is never taken",
		.insns = { VT_SELF_JMP_NOT_TAKEN(KBPF_JMP_REG(JGT, VR(0), VR(0), 2)) },
	},
	{
		.name = "if r0 != r0 is never taken",
		.insns = { VT_SELF_JMP_NOT_TAKEN(KBPF_JMP_REG(JNE, VR(0), VR(0), 2)) },
	},
	{
		.name = "if r0 < r0 is never taken",
		.insns = { VT_SELF_JMP_NOT_TAKEN(KBPF_JMP_REG(JLT, VR(0), VR(0), 2)) },
	},
	{
		.name = "if w0 s< w0 is never taken",
		.insns = { VT_SELF_JMP_NOT_TAKEN(KBPF_JMP32_REG(JSLT, VR(0), VR(0), 2)) },
	},
	{
		.name = "if r0 s> r0 is never taken",
		.insns = { VT_SELF_JMP_NOT_TAKEN(KBPF_JMP_REG(JSGT, VR(0), VR(0), 2)) },
	},
	{
		.name = "if r0 >= r0 is always taken",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_REG(JGE, VR(0), VR(0), 2),
			VT_UNINIT_READ(),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "if r0 == r0 is always taken",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_REG(JEQ, VR(0), VR(0), 2),
			VT_UNINIT_READ(),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "if w0 s<= w0 is always taken",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP32_REG(JSLE, VR(0), VR(0), 2),
			VT_UNINIT_READ(),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "if r0 & r0 explores both sides",
		.insns = { VT_SELF_JMP_NOT_TAKEN(KBPF_JMP_REG(JSET, VR(0), VR(0), 2)) },
		.expect = -EACCES,
		.log_has = "invalid read from stack",
	},
	{
		.name = "r2 > r3 for two unknowns explores the jump side",
		.insns = {
			KBPF_LDX_MEM(W, VR(2), VR(1), NF_MARK),
			KBPF_LDX_MEM(W, VR(3), VR(1), NF_LEN),
			KBPF_JMP_REG(JGT, VR(2), VR(3), 2),
			VT_RET(0),
			VT_UNINIT_READ(),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack",
	},
	{
		.name = "sign-extending read of the mark",
		.insns = {
			KBPF_LDX_MEMSX(W, VR(0), VR(1), NF_MARK),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "sign-extending read of ctx->data is refused",
		.insns = {
			KBPF_LDX_MEMSX(W, VR(0), VR(1), NF_DATA),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=0 size=4",
	},
	{
		.name = "an aligned 2-byte read of the mark",
		.insns = {
			KBPF_LDX_MEM(H, VR(0), VR(1), NF_MARK + 2),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a misaligned 2-byte read of the mark is refused",
		.insns = {
			KBPF_LDX_MEM(H, VR(0), VR(1), NF_MARK + 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=37 size=2",
	},
	{
		.name = "an 8-byte read across len and family is refused",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(1), NF_LEN),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=16 size=8",
	},
	{
		.name = "a read past the end of the context is refused",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), 40),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=40 size=4",
	},
	{
		.name = "a 4-byte read of data_end is refused",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), NF_DATA_END),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=8 size=4",
	},
	{
		.name = "an immediate store into a read-only context field is refused",
		.insns = {
			KBPF_ST_MEM(W, VR(1), NF_PROTOCOL, 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cannot write into ctx",
	},
	{
		.name = "a read through a moved context pointer is refused",
		.insns = {
			KBPF_ALU64_IMM(ADD, VR(1), 4),
			KBPF_LDX_MEM(W, VR(0), VR(1), NF_MARK - 4),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "dereference of modified ctx ptr",
	},
	{
		.name = "w0 = 1 is a valid verdict",
		.insns = {
			KBPF_MOV32_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "mark >> 31 is 0 or 1",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(RSH, VR(0), 31),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "mark & 2 may be 2",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(AND, VR(0), 2),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "an unsigned check bounds the verdict",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_JMP_IMM(JGT, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "a signed upper check alone leaves negative values",
		.insns = {
			KBPF_LDX_MEMSX(W, VR(0), VR(1), NF_MARK),
			KBPF_JMP_IMM(JSGT, VR(0), 1, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "signed checks on both sides bound the verdict",
		.insns = {
			KBPF_LDX_MEMSX(W, VR(0), VR(1), NF_MARK),
			KBPF_JMP_IMM(JSGT, VR(0), 1, 2),
			KBPF_JMP_IMM(JSLT, VR(0), 0, 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "division by a register that may be zero is fine",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_LDX_MEM(W, VR(2), VR(1), NF_LEN),
			KBPF_ALU64_REG(DIV, VR(0), VR(2)),
			KBPF_ALU64_REG(MOD, VR(0), VR(2)),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "division by the immediate 0 is refused",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(DIV, VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "division by zero",
	},
	{
		.name = "a 32-bit shift by 32 is refused",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU32_IMM(LSH, VR(0), 32),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "invalid shift 32",
	},
	{
		.name = "a 64-bit shift by 32 is fine",
		.insns = {
			VT_MARK(VR(0)),
			KBPF_ALU64_IMM(LSH, VR(0), 32),
			KBPF_ALU64_IMM(RSH, VR(0), 63),
			KBPF_EXIT_INSN(),
		},
	},
};

VERIFIER_TEST_SUITE(verifier_edge, "kbpf_verifier_edge", verifier_edge_tests);
