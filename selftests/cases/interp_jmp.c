// SPDX-License-Identifier: GPL-2.0
/*
 * Jumps: every JMP and JMP32 condition in both source forms, taken and not
 * taken, signed against unsigned, imm sign extension, 32-bit compares that
 * must ignore the upper halves; ja, gotol, and backward jumps in loops.
 * Each program returns 1 if the jump was taken, 0 if not.
 */
#include "interp_test.h"

#define ALL1	0xffffffffffffffffULL

/* r1 = a; r2 = b; r0 = 0; if r1 OP r2 goto +1; exit; r0 = 1; exit */
#define JX(name, cls, op, a, b, taken)					\
	{ name, T_INSNS(KBPF_LD_IMM64(1, a), KBPF_LD_IMM64(2, b),	\
			KBPF_MOV64_IMM(0, 0),				\
			KBPF_RAW_INSN(cls | KBPF_##op | KBPF_X, 1, 2, 1, 0), \
			KBPF_EXIT_INSN(), KBPF_MOV64_IMM(0, 1),		\
			KBPF_EXIT_INSN()), .expect = (taken) }
#define JK(name, cls, op, a, imm, taken)				\
	{ name, T_INSNS(KBPF_LD_IMM64(1, a), KBPF_MOV64_IMM(0, 0),	\
			KBPF_RAW_INSN(cls | KBPF_##op | KBPF_K, 1, 0, 1, imm), \
			KBPF_EXIT_INSN(), KBPF_MOV64_IMM(0, 1),		\
			KBPF_EXIT_INSN()), .expect = (taken) }

#define J64	KBPF_JMP
#define J32	KBPF_JMP32

static const struct interp_test jmp_tests[] = {
	JX("jeq taken", J64, JEQ, 5, 5, 1),
	JX("jeq not taken", J64, JEQ, 5, 6, 0),
	JK("jeq imm -1 is sign-extended", J64, JEQ, ALL1, -1, 1),
	JK("jeq imm -1 does not match 0xffffffff", J64, JEQ, 0xffffffffULL,
	   -1, 0),
	JK("jeq32 imm -1 matches the low half", J32, JEQ, 0x1ffffffffULL, -1, 1),
	JX("jne taken", J64, JNE, 5, 6, 1),
	JX("jne32 ignores the upper halves", J32, JNE, 0x100000005ULL, 5, 0),
	JX("jne64 sees the upper halves", J64, JNE, 0x100000005ULL, 5, 1),
	JX("jgt is unsigned", J64, JGT, ALL1, 1, 1),
	JX("jgt equal not taken", J64, JGT, 7, 7, 0),
	JX("jsgt is signed", J64, JSGT, ALL1, 1, 0),
	JK("jsgt imm", J64, JSGT, 1, -1, 1),
	JX("jge equal taken", J64, JGE, 5, 5, 1),
	JX("jge smaller not taken", J64, JGE, 4, 5, 0),
	JX("jsge -1 >= -1", J64, JSGE, ALL1, ALL1, 1),
	JK("jsge32 0x80000000 >= 0 is false", J32, JSGE, 0x80000000ULL, 0, 0),
	JK("jge32 0x80000000 >= 0 is true", J32, JGE, 0x80000000ULL, 0, 1),
	JX("jlt is unsigned", J64, JLT, 1, ALL1, 1),
	JX("jslt -1 < 1", J64, JSLT, ALL1, 1, 1),
	JX("jslt 1 < -1 is false", J64, JSLT, 1, ALL1, 0),
	JK("jlt imm", J64, JLT, 3, 4, 1),
	JX("jle larger not taken", J64, JLE, 5, 4, 0),
	JK("jle equal imm", J64, JLE, 4, 4, 1),
	JX("jsle INT64_MIN <= 0", J64, JSLE, 0x8000000000000000ULL, 0, 1),
	JK("jsle imm -2 <= -3 is false", J64, JSLE, (u64)-2LL, -3, 0),
	JX("jset common bit", J64, JSET, 0x10, 0x30, 1),
	JX("jset no common bit", J64, JSET, 0x10, 0x20, 0),
	JX("jset64 sees bit 32", J64, JSET, 0x100000000ULL, 0x100000000ULL, 1),
	JX("jset32 ignores bit 32", J32, JSET, 0x100000000ULL, 0x100000000ULL, 0),
	JK("jset imm", J64, JSET, 6, 2, 1),
	JK("jgt32 0xffffffff > imm -1 is false", J32, JGT, 0xffffffffULL, -1, 0),
	JK("jsgt32 0 > imm -1", J32, JSGT, 0, -1, 1),
	JX("jsgt32 low halves only", J32, JSGT, 0x100000001ULL,
	   0xffffffff00000002ULL, 0),
	JX("jslt32 0x80000000 < 0", J32, JSLT, 0x80000000ULL, 0, 1),
	JX("jlt32 upper halves ignored", J32, JLT, 0xff00000001ULL, 2, 1),
	JX("jle32 5 <= 5", J32, JLE, 0x500000005ULL, 5, 1),
	JX("jsle32 -1 <= -1", J32, JSLE, 0xffffffffULL, ALL1, 1),
	JX("jeq32 equal low halves", J32, JEQ, 0x1234500000007ULL, 7, 1),
	JX("jge32 unsigned", J32, JGE, 0xffffffffULL, 1, 1),
	JK("jne32 imm", J32, JNE, 3, 3, 0),
	{ "ja skips forward",
	  T_INSNS(KBPF_MOV64_IMM(0, 1), KBPF_JMP_A(1), KBPF_MOV64_IMM(0, 2),
		  KBPF_EXIT_INSN()), .expect = 1 },
	{ "ja backward loops: 10 times r0 += 2",
	  T_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(1, 10),
		  KBPF_ALU64_IMM(ADD, 0, 2), KBPF_ALU64_IMM(SUB, 1, 1),
		  KBPF_JMP_IMM(JEQ, 1, 0, 1), KBPF_JMP_A(-4),
		  KBPF_EXIT_INSN()), .expect = 20 },
	{ "conditional backward jump sums 1..100",
	  T_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_MOV64_IMM(1, 100),
		  KBPF_ALU64_REG(ADD, 0, 1), KBPF_ALU64_IMM(SUB, 1, 1),
		  KBPF_JMP_IMM(JNE, 1, 0, -3), KBPF_EXIT_INSN()),
	  .expect = 5050 },
	{ "gotol jumps by imm",
	  T_INSNS(KBPF_MOV64_IMM(0, 1), KBPF_JMP32_A(2), KBPF_MOV64_IMM(0, 2),
		  KBPF_MOV64_IMM(0, 3), KBPF_EXIT_INSN()), .expect = 1 },
	{ "gotol backward",
	  T_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_JMP_A(2),
		  KBPF_ALU64_IMM(ADD, 0, 5), KBPF_EXIT_INSN(),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_JMP32_A(-4)),
	  .expect = 6 },
	{ "jump over ld_imm64",
	  T_INSNS(KBPF_MOV64_IMM(0, 4), KBPF_JMP_A(2),
		  KBPF_LD_IMM64(0, 99), KBPF_EXIT_INSN()), .expect = 4 },
};

INTERP_TEST_SUITE(interp_jmp, "kbpf_interp_jmp", jmp_tests);
