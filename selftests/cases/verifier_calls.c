// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: BPF-to-BPF calls.  A call passes r1-r5, gives the callee its
 * own r10 and stack, returns r0 and clobbers the caller's r1-r5; r6-r9
 * survive.  No recursion, at most 8 frames, at most 512 stack bytes along
 * any chain of calls, no pointer into a dying frame escapes.
 */
#include "verifier_test.h"

/* call the next-but-one insn, then exit with what it returned */
#define NEST()	KBPF_CALL_REL(1), KBPF_EXIT_INSN()

static const struct verifier_test verifier_calls_tests[] = {
	{
		.name = "a subprogram returning 1",
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
	},
	{
		.name = "a subprogram returning 2 fails at the main exit",
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			VT_RET(2),
		},
		.expect = -EACCES,
		.log_has = "smin=2 smax=2",
	},
	{
		.name = "a subprogram may return any scalar",
		.insns = {
			KBPF_CALL_REL(2),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
			VT_RET(7),
		},
	},
	{
		.name = "arguments reach the callee in r1",
		.insns = {
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_REG(VR(0), VR(1)),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "an argument the caller never set is uninitialised",
		.insns = {
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_REG(VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R2 !read_ok",
	},
	{
		.name = "the callee cannot read the caller's r6",
		.insns = {
			KBPF_MOV64_IMM(VR(6), 1),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_REG(VR(0), VR(6)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R6 !read_ok",
	},
	{
		.name = "the caller's r6 survives the call",
		.insns = {
			KBPF_MOV64_IMM(VR(6), 1),
			KBPF_CALL_REL(2),
			KBPF_MOV64_REG(VR(0), VR(6)),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(6), 9),
			VT_RET(0),
		},
	},
	{
		.name = "the caller's r1 is clobbered by the call",
		.insns = {
			KBPF_CALL_REL(2),
			KBPF_MOV64_REG(VR(0), VR(1)),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R1 !read_ok",
	},
	{
		.name = "the callee reads the caller's stack through r1",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 1),
			KBPF_MOV64_REG(VR(1), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(1), -8),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_LDX_MEM(DW, VR(0), VR(1), 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "the callee writes the caller's stack, the caller reads it",
		.insns = {
			KBPF_MOV64_REG(VR(1), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(1), -8),
			KBPF_CALL_REL(2),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
			KBPF_ST_MEM(DW, VR(1), 0, 1),
			VT_RET(0),
		},
		.check_stack = true,
		.stack_depth = 8,
	},
	{
		.name = "the callee's own stack is separate from the caller's",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 1),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8+0 size 8",
	},
	{
		.name = "returning a pointer to the callee's stack is refused",
		.insns = {
			KBPF_CALL_REL(2),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "cannot return stack pointer to the caller",
	},
	{
		.name = "returning a pointer to the caller's stack is allowed",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_REG(VR(1), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(1), -8),
			KBPF_CALL_REL(2),
			KBPF_LDX_MEM(DW, VR(0), VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_REG(VR(0), VR(1)),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "storing the callee's frame pointer in the caller's stack is refused",
		.insns = {
			KBPF_MOV64_REG(VR(1), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(1), -8),
			KBPF_CALL_REL(2),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
			KBPF_STX_MEM(DW, VR(1), VR(10), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cannot spill pointers to stack into stack frame of the caller",
	},
	{
		.name = "a call to itself is recursion",
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_CALL_REL(-1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "recursive call",
	},
	{
		.name = "two subprograms calling each other are recursion",
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_CALL_REL(-3),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "recursive call",
	},
	{
		.name = "8 frames (main and 7 nested calls) are allowed",
		.insns = {
			NEST(), NEST(), NEST(), NEST(), NEST(), NEST(), NEST(),
			VT_RET(1),
		},
	},
	{
		.name = "9 frames are too deep",
		.insns = {
			NEST(), NEST(), NEST(), NEST(), NEST(), NEST(), NEST(),
			NEST(),
			VT_RET(1),
		},
		.expect = -E2BIG,
		.log_has = "the call stack of 9 frames is too deep",
	},
	{
		.name = "256 + 256 stack bytes along a call chain fit",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -256, 0),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_ST_MEM(DW, VR(10), -256, 0),
			VT_RET(0),
		},
		.check_stack = true,
		.stack_depth = 512,
	},
	{
		.name = "512 + 8 stack bytes along a call chain do not",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -512, 0),
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "combined stack size of calls is 520",
	},
	{
		.name = "a subprogram must not fall into the next one",
		.insns = {
			KBPF_CALL_REL(2),
			KBPF_CALL_REL(2),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 0),
			VT_RET(0),
		},
		.expect = -EINVAL,
		.log_has = "last insn of a subprogram is not an exit or jump",
	},
	{
		.name = "a jump from main into a subprogram is refused",
		.insns = {
			KBPF_CALL_REL(2),
			KBPF_JMP_A(1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
		.expect = -EINVAL,
		.log_has = "jump out of subprogram from insn 1 to 3",
	},
	{
		.name = "a subprogram doing a map lookup for its caller",
		.insns = {
			KBPF_CALL_REL(4),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_LDX_MEM(B, VR(0), VR(0), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
			VT_LOOKUP(),
			KBPF_EXIT_INSN(),
		},
		.map = VT_ARRAY_MAP,
	},
	{
		.name = "a subprogram's lookup result still needs the null check",
		.insns = {
			KBPF_CALL_REL(3),
			KBPF_LDX_MEM(B, VR(0), VR(0), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
			VT_LOOKUP(),
			KBPF_EXIT_INSN(),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "invalid mem access 'map_value_or_null'",
	},
	{
		.name = "a subprogram reading the packet through its argument",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_MOV64_REG(VR(1), VR(2)),
			KBPF_CALL_REL(3),
			KBPF_EXIT_INSN(),
			VT_RET(0),
			KBPF_LDX_MEM(B, VR(0), VR(1), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a subprogram reading past the caller's packet check",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_MOV64_REG(VR(1), VR(2)),
			KBPF_CALL_REL(3),
			KBPF_EXIT_INSN(),
			VT_RET(0),
			KBPF_LDX_MEM(B, VR(0), VR(1), 1),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "off=1 size=1, R1 range=1",
	},
};

VERIFIER_TEST_SUITE(verifier_calls, "kbpf_verifier_calls",
		    verifier_calls_tests);
