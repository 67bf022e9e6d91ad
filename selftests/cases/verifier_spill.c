// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: pointers on the stack, and every way their bytes could leak.
 *
 * A pointer is spilled whole (8 bytes, aligned) or not at all.  A store
 * over part of a spilled pointer is allowed, but the rest of the pointer's
 * bytes become unreadable: no load, helper or atomic may ever see them
 * (issue 11, finding 4).  Pointers never reach memory others can read
 * (map values, helper memory arguments) and never reach the outcome of a
 * comparison that depends on their value.  Where the outcome cannot depend
 * on the address -- a pointer against a constant no address can equal, a
 * cmpxchg of a pointer against a pointer into the same object -- the
 * program is accepted (issue 11, item 9), as are zero stores over spill
 * slots and the constants atomics fetch back from the stack.
 */
#include "verifier_test.h"

/* *(u64 *)(fp - 16) = fp; *(u8 *)(fp - 16) = 0 */
#define SP_CLOBBERED_FP()						\
	KBPF_STX_MEM(DW, VR(10), VR(10), -16),				\
	KBPF_ST_MEM(B, VR(10), -16, 0)

static const struct verifier_test verifier_spill_tests[] = {
	/* ---- finding 4 and its siblings: refused ---- */
	{
		.name = "issue 11 finding 4: the rest of a clobbered fp spill never reaches a map value",
		.insns = {
			SP_CLOBBERED_FP(),
			KBPF_LDX_MEM(W, VR(7), VR(10), -12),
			VT_LOOKUP(),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_STX_MEM(W, VR(0), VR(7), 0),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "invalid read from stack off -12+0 size 4",
	},
	{
		.name = "issue 11 finding 4: the rest of a clobbered fp spill is no map key",
		.insns = {
			SP_CLOBBERED_FP(),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -12),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_CALL_HELPER(1),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "invalid read from stack off -12+0 size 4",
	},
	{
		.name = "the clobbered bytes of a ctx spill cannot be read one by one",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_ST_MEM(H, VR(10), -2, 7),
			KBPF_LDX_MEM(B, VR(0), VR(10), -3),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -3+0 size 1",
	},
	{
		.name = "a clobbered map value spill cannot feed a map update's value",
		.insns = {
			VT_LOOKUP(),
			KBPF_JMP_IMM(JNE, VR(0), 0, 2),
			VT_RET(0),
			KBPF_STX_MEM(DW, VR(10), VR(0), -16),
			KBPF_ST_MEM(W, VR(10), -16, 1),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -16),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -4),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(2),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "invalid read from stack off -16+4 size 8",
	},
	{
		.name = "a whole spilled pointer cannot be a map update's value",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -16),
			KBPF_ST_MEM(W, VR(10), -4, 0),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -16),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -4),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(2),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "leaking pointer from stack off -16",
	},
	{
		.name = "a pointer spill at fp-12 is misaligned",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -12),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "misaligned stack access off=-12 size=8",
	},
	{
		.name = "a pointer cannot be spilled in 2 bytes",
		.insns = {
			KBPF_STX_MEM(H, VR(10), VR(10), -2),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid size of register spill",
	},
	{
		.name = "a pointer cannot be added to the stack atomically",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R1 leaks addr into mem",
	},
	{
		.name = "a pointer cannot be exchanged into a map value",
		.insns = {
			VT_LOOKUP(),
			KBPF_JMP_IMM(JNE, VR(0), 0, 2),
			VT_RET(0),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ATOMIC_OP(DW, KBPF_XCHG, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "R2 leaks addr into mem",
	},
	{
		.name = "an atomic on a spilled pointer is refused",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_MOV64_IMM(VR(2), 1),
			KBPF_ATOMIC_OP(DW, KBPF_ADD | KBPF_FETCH, VR(10), VR(2), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "leaking pointer from stack off -8",
	},
	{
		.name = "ordering the ctx pointer against a constant is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JGT, VR(1), 5, 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R1 pointer comparison prohibited: the outcome could depend on the address",
	},
	{
		.name = "comparing the stack pointer with 4096 could tell the address: refused",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(10), 4096, 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R10 pointer comparison prohibited",
	},
	{
		.name = "comparing a pointer with an unknown scalar is refused",
		.insns = {
			VT_MARK(VR(2)),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_REG(JEQ, VR(2), VR(1), 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R1 pointer comparison prohibited",
		.log_lacks = "could depend",
	},
	{
		.name = "cmpxchg of a pointer against unknown stack bytes is refused",
		.insns = {
			VT_MARK(VR(2)),
			KBPF_STX_MEM(DW, VR(10), VR(2), -8),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R0 leaks addr into mem: cmpxchg would compare a pointer with a value that could equal it",
	},
	{
		.name = "cmpxchg of a pointer against 4096 on the stack is refused",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 4096),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cmpxchg would compare a pointer with a value that could equal it",
	},
	{
		.name = "cmpxchg of a stack pointer against a ctx spill is refused",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cmpxchg would compare a pointer with a value that could equal it",
	},
	{
		.name = "a 32-bit cmpxchg of a pointer compares half of it: refused",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(W, KBPF_CMPXCHG, VR(10), VR(1), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "a 32-bit cmpxchg compares half a pointer",
	},
	{
		.name = "cmpxchg of a pointer on a map value is refused",
		.insns = {
			VT_LOOKUP(),
			KBPF_JMP_IMM(JNE, VR(0), 0, 2),
			VT_RET(0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(0), VR(1), 0),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "R0 must hold the scalar to compare for cmpxchg",
	},

	{
		/*
		 * Path one stores 0 at fp-4, path two a number >= 6; they
		 * meet at insn 5.  The first path's state must not prune the
		 * second: zero bytes are not "any bytes".
		 */
		.name = "zero stack bytes do not prune a path with unknown bytes there",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_JMP_IMM(JGT, VR(6), 5, 2),
			KBPF_ST_MEM(W, VR(10), -4, 0),
			KBPF_JMP_A(1),
			KBPF_STX_MEM(W, VR(10), VR(6), -4),
			KBPF_LDX_MEM(W, VR(7), VR(10), -4),
			KBPF_ST_MEM(W, VR(10), -8, 0),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -8),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_CALL_HELPER(1),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 2),
			KBPF_ALU64_REG(ADD, VR(0), VR(7)),
			KBPF_LDX_MEM(DW, VR(0), VR(0), 0),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "math between map_value pointer and register with unbounded value",
	},

	/* ---- item 9: accepted where nothing can leak ---- */
	{
		.name = "the zeroed half of a clobbered pointer spill reads back as 0",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_ST_MEM(W, VR(10), -8, 0),
			KBPF_LDX_MEM(W, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "two zero stores over a pointer spill make a zero slot",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_ST_MEM(W, VR(10), -8, 0),
			KBPF_ST_MEM(W, VR(10), -4, 0),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a u64 zero store over a pointer spill reads back as 0",
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(10), -8),
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "bytes of a zero register stored in pieces read back as 0",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_STX_MEM(B, VR(10), VR(2), -1),
			KBPF_STX_MEM(H, VR(10), VR(2), -4),
			KBPF_STX_MEM(B, VR(10), VR(2), -2),
			KBPF_LDX_MEM(W, VR(0), VR(10), -4),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a non-zero byte store leaves the word unknown",
		.insns = {
			KBPF_ST_MEM(W, VR(10), -4, 0),
			KBPF_ST_MEM(B, VR(10), -3, 1),
			KBPF_LDX_MEM(W, VR(0), VR(10), -4),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "a byte of a spilled constant reads back as that byte",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0x0100),
			KBPF_LDX_MEM(B, VR(0), VR(10), -7),
			KBPF_EXIT_INSN(),
		},
		.raw = true,
		.run = true,
		.retval = 1,
	},
	{
		.name = "the ctx pointer against 5 explores both sides",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(1), 5, 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		/* Both sides are checked: the taken side's r0 is out of range. */
		.name = "the ctx pointer against 5: the taken side is not pruned away",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_IMM(JEQ, VR(1), 5, 1),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 7),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "a stack pointer against -1 (an error pointer) is accepted",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -8),
			KBPF_MOV64_IMM(VR(3), -1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_JMP_REG(JNE, VR(3), VR(2), 1),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a non-null map value against 1 is accepted",
		.insns = {
			VT_LOOKUP(),
			KBPF_JMP_IMM(JNE, VR(0), 0, 2),
			VT_RET(0),
			KBPF_JMP_IMM(JEQ, VR(0), 1, 0),
			VT_RET(0),
		},
		.map = VT_ARRAY_MAP,
	},
	{
		/* Linux's "Dest pointer in r0 - fail", without returning r0's pointer. */
		.name = "cmpxchg of a stack pointer against 0 on the stack never matches",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			KBPF_LDX_MEM(DW, VR(2), VR(10), -8),
			KBPF_ALU64_REG(OR, VR(0), VR(2)),
			KBPF_EXIT_INSN(),
		},
		.raw = true,
		.run = true,
		.retval = 0,
	},
	{
		/* Linux's "Dest pointer in r0 - succeed". */
		.name = "cmpxchg of fp against its own spill matches and stores the new value",
		.insns = {
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_STX_MEM(DW, VR(10), VR(0), -8),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			KBPF_LDX_MEM(DW, VR(0), VR(0), -8),
			KBPF_EXIT_INSN(),
		},
		.raw = true,
		.run = true,
		.retval = 1,
	},
	{
		.name = "cmpxchg of fp against a spill of fp-8 does not match",
		.insns = {
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -8),
			KBPF_STX_MEM(DW, VR(10), VR(2), -8),
			KBPF_MOV64_REG(VR(0), VR(10)),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(10), VR(1), -8),
			/* r0 = the old spill, fp-8: still a pointer to the slot */
			KBPF_LDX_MEM(DW, VR(3), VR(0), 0),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.raw = true,
		.run = true,
		.retval = 0,
	},
	{
		.name = "an atomic fetch-add reads back the constant stored",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ATOMIC_OP(DW, KBPF_ADD | KBPF_FETCH, VR(10), VR(0), -8),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "a 32-bit atomic fetch-or reads back the low word of a constant",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_ATOMIC_OP(W, KBPF_OR | KBPF_FETCH, VR(10), VR(0), -8),
			KBPF_EXIT_INSN(),
		},
		.raw = true,
		.run = true,
		.retval = 1,
	},
	{
		.name = "after an atomic add the slot is unknown",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(10), VR(1), -8),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1]",
	},
	{
		.name = "an exchange leaves the new value in the slot and fetches the old",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_ATOMIC_OP(DW, KBPF_XCHG, VR(10), VR(1), -8),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_ALU64_REG(ADD, VR(0), VR(1)),
			KBPF_EXIT_INSN(),
		},
	},
};

VERIFIER_TEST_SUITE(verifier_spill, "kbpf_verifier_spill", verifier_spill_tests);
