// SPDX-License-Identifier: GPL-2.0
/*
 * Arithmetic: every ALU and ALU64 operation in both source forms, with the
 * edge values RFC 9669 gives meaning to (wrap-around, sign extension of imm,
 * 32-bit zero extension, division and modulo by zero, the most negative
 * value divided by -1, masked shift amounts, byte swaps).  Expected values
 * are worked out by hand; byte swaps assume a little-endian host.
 */
#include "interp_test.h"

#define S64MIN	0x8000000000000000ULL
#define ALL1	0xffffffffffffffffULL

/* r0 = a; r1 = b; r0 OP= r1 (in the given class and off); exit */
#define BINX(name, cls, op, off, a, b, exp)				\
	{ name, T_INSNS(KBPF_LD_IMM64(0, a), KBPF_LD_IMM64(1, b),	\
			KBPF_RAW_INSN(cls | KBPF_##op | KBPF_X, 0, 1, off, 0), \
			KBPF_EXIT_INSN()), .expect = (exp) }
/* r0 = a; r0 OP= imm; exit */
#define BINK(name, cls, op, off, a, imm, exp)				\
	{ name, T_INSNS(KBPF_LD_IMM64(0, a),				\
			KBPF_RAW_INSN(cls | KBPF_##op | KBPF_K, 0, 0, off, imm), \
			KBPF_EXIT_INSN()), .expect = (exp) }
/* r0 = a; insn; exit */
#define UNARY(name, a, insn, exp)					\
	{ name, T_INSNS(KBPF_LD_IMM64(0, a), insn, KBPF_EXIT_INSN()),	\
	  .expect = (exp) }
/* r1 = a; r0 = (s<off>)r1 in class cls; exit */
#define MOVSX(name, cls, off, a, exp)					\
	{ name, T_INSNS(KBPF_LD_IMM64(0, 0x5555555555555555ULL),	\
			KBPF_LD_IMM64(1, a),				\
			KBPF_RAW_INSN(cls | KBPF_MOV | KBPF_X, 0, 1, off, 0), \
			KBPF_EXIT_INSN()), .expect = (exp) }
#define END(cls, src, width)						\
	KBPF_RAW_INSN(cls | KBPF_END | src, 0, 0, 0, width)

#define A64	KBPF_ALU64
#define A32	KBPF_ALU

static const struct interp_test alu_tests[] = {
	/* ---- ALU64 ---- */
	BINX("add64 crosses into the sign bit", A64, ADD, 0,
	     0x7fffffffffffffffULL, 1, S64MIN),
	BINX("add64 wraps modulo 2^64", A64, ADD, 0, ALL1, 2, 1),
	BINK("add64 imm -1 is sign-extended", A64, ADD, 0, 5, -1, 4),
	BINX("sub64 below zero wraps", A64, SUB, 0, 0, 1, ALL1),
	BINK("sub64 imm", A64, SUB, 0, 10, 3, 7),
	BINX("mul64 of 2^32 * 2^32 wraps to 0", A64, MUL, 0,
	     0x100000000ULL, 0x100000000ULL, 0),
	BINX("mul64 0xffffffff squared", A64, MUL, 0, 0xffffffffULL,
	     0xffffffffULL, 0xfffffffe00000001ULL),
	BINK("mul64 by imm -2", A64, MUL, 0, 3, -2, 0xfffffffffffffffaULL),
	BINX("or64", A64, OR, 0, 0xf0f0, 0x0ff0, 0xfff0),
	BINX("and64", A64, AND, 0, 0xf0f0, 0x0ff0, 0x00f0),
	BINX("xor64", A64, XOR, 0, 0xf0f0, 0x0ff0, 0xff00),
	BINK("and64 imm -1 keeps the upper half", A64, AND, 0,
	     0xffffffff00000000ULL, -1, 0xffffffff00000000ULL),
	BINK("and64 imm 0x7fffffff clears the upper half", A64, AND, 0,
	     0xffffffff00000000ULL, 0x7fffffff, 0),
	BINK("or64 imm negative sets the upper half", A64, OR, 0, 0,
	     -2, 0xfffffffffffffffeULL),
	BINK("xor64 imm", A64, XOR, 0, 0xff, 0x0f, 0xf0),
	BINK("mov64 imm -1 is all ones", A64, MOV, 0, 7, -1, ALL1),
	BINX("mov64 reg copies 64 bits", A64, MOV, 0, 7,
	     0x123456789abcdef0ULL, 0x123456789abcdef0ULL),

	/* ---- ALU32: low halves, result zero-extended ---- */
	BINK("add32 wraps and clears the upper half", A32, ADD, 0,
	     0x123456789abcdef0ULL, 0x10, 0x9abcdf00ULL),
	BINX("add32 0xffffffff + 1 is 0", A32, ADD, 0, 0xffffffffULL, 1, 0),
	BINX("sub32 below zero is 0xffffffff", A32, SUB, 0, 0, 1,
	     0xffffffffULL),
	BINX("mul32 2^16 * 2^16 wraps to 0", A32, MUL, 0, 0x10000, 0x10000, 0),
	BINK("mul32 imm -1", A32, MUL, 0, 3, -1, 0xfffffffdULL),
	BINK("mov32 imm -1 is zero-extended", A32, MOV, 0, ALL1, -1,
	     0xffffffffULL),
	BINX("mov32 reg takes the low half", A32, MOV, 0, 0,
	     0xaaaaaaaabbbbbbbbULL, 0xbbbbbbbbULL),
	BINK("or32 drops the upper half", A32, OR, 0, 0xffffffff00000001ULL,
	     2, 3),
	BINX("xor32 ignores upper bits of both", A32, XOR, 0,
	     0x1000000ffULL, 0x70000000fULL, 0xf0),
	BINK("and32", A32, AND, 0, ALL1, 0x0f0f0f0f, 0x0f0f0f0f),

	/* ---- division and modulo ---- */
	BINX("div64 100 / 7", A64, DIV, 0, 100, 7, 14),
	BINX("mod64 100 % 7", A64, MOD, 0, 100, 7, 2),
	BINX("div64 by zero register gives 0", A64, DIV, 0, 100, 0, 0),
	BINK("div64 by zero imm gives 0", A64, DIV, 0, 100, 0, 0),
	BINX("mod64 by zero leaves dst", A64, MOD, 0, 0xdeadbeefcafebabeULL,
	     0, 0xdeadbeefcafebabeULL),
	BINK("mod64 by zero imm leaves dst", A64, MOD, 0, 0x1234567890ULL, 0,
	     0x1234567890ULL),
	BINK("div64 imm -1 divides by 2^64-1", A64, DIV, 0, ALL1, -1, 1),
	BINK("div64 100 by imm -1 is 0", A64, DIV, 0, 100, -1, 0),
	BINK("div64 is unsigned", A64, DIV, 0, 0xfffffffffffffff8ULL, 2,
	     0x7ffffffffffffffcULL),
	BINK("div32 uses the low half only", A32, DIV, 0, 0x1fffffff8ULL, 2,
	     0x7ffffffcULL),
	BINX("div32 by zero gives 0", A32, DIV, 0, 0xffffffff12345678ULL, 0, 0),
	BINX("mod32 by zero zero-extends dst", A32, MOD, 0,
	     0xffffffff12345678ULL, 0, 0x12345678ULL),
	BINK("mod32 imm", A32, MOD, 0, 100, 7, 2),
	BINK("div32 imm -1 divides by 0xffffffff", A32, DIV, 0, 0xffffffffULL,
	     -1, 1),
	BINX("sdiv64 -7 / 2 truncates toward zero", A64, DIV, 1, -7LL, 2,
	     (u64)-3LL),
	BINX("smod64 -7 % 2 is -1", A64, MOD, 1, -7LL, 2, ALL1),
	BINX("smod64 7 % -2 is 1", A64, MOD, 1, 7, -2LL, 1),
	BINX("smod64 -7 % -2 is -1", A64, MOD, 1, -7LL, -2LL, ALL1),
	BINX("sdiv64 INT64_MIN / -1 wraps to INT64_MIN", A64, DIV, 1, S64MIN,
	     ALL1, S64MIN),
	BINX("smod64 INT64_MIN % -1 is 0", A64, MOD, 1, S64MIN, ALL1, 0),
	BINX("sdiv64 by zero gives 0", A64, DIV, 1, -5LL, 0, 0),
	BINX("smod64 by zero leaves dst", A64, MOD, 1, -5LL, 0, (u64)-5LL),
	BINK("sdiv64 imm: -100 / 7 is -14", A64, DIV, 1, -100LL, 7,
	     (u64)-14LL),
	BINK("smod64 imm -1 gives 0", A64, MOD, 1, S64MIN, -1, 0),
	BINX("sdiv32 INT32_MIN / -1 wraps, zero-extended", A32, DIV, 1,
	     0x80000000ULL, 0xffffffffULL, 0x80000000ULL),
	BINX("sdiv32 -7 / 2 is -3", A32, DIV, 1, 0xfffffff9ULL, 2,
	     0xfffffffdULL),
	BINX("smod32 -7 % 2 is -1", A32, MOD, 1, 0xfffffff9ULL, 2,
	     0xffffffffULL),
	BINK("smod32 INT32_MIN % -1 is 0", A32, MOD, 1, 0x80000000ULL, -1, 0),
	BINX("smod32 by zero zero-extends dst", A32, MOD, 1,
	     0xaaaaaaaafffffff9ULL, 0, 0xfffffff9ULL),
	BINX("sdiv32 by zero gives 0", A32, DIV, 1, 0xfffffff9ULL, 0, 0),
	BINK("sdiv32 uses the low half only", A32, DIV, 1, 0x100000010ULL, 4,
	     4),
	BINK("sdiv32 imm -2 of 9 is -4", A32, DIV, 1, 9, -2, 0xfffffffcULL),

	/* ---- shifts: amounts masked to 63 / 31 ---- */
	BINK("lsh64 by 63", A64, LSH, 0, 1, 63, S64MIN),
	BINX("lsh64 by 64 is masked to 0", A64, LSH, 0, 5, 64, 5),
	BINX("lsh64 by 65 is masked to 1", A64, LSH, 0, 5, 65, 10),
	BINX("rsh64 by 63", A64, RSH, 0, S64MIN, 63, 1),
	BINX("rsh64 by 127 is masked to 63", A64, RSH, 0, S64MIN, 127, 1),
	BINK("rsh64 is logical", A64, RSH, 0, ALL1, 60, 0xf),
	BINX("arsh64 by 63 of INT64_MIN is -1", A64, ARSH, 0, S64MIN, 63, ALL1),
	BINK("arsh64 -256 by 4", A64, ARSH, 0, 0xffffffffffffff00ULL, 4,
	     0xfffffffffffffff0ULL),
	BINX("arsh64 by 66 is masked to 2", A64, ARSH, 0, (u64)-16LL, 66,
	     (u64)-4LL),
	BINK("lsh32 by 31", A32, LSH, 0, 1, 31, 0x80000000ULL),
	BINX("lsh32 by 32 is masked to 0", A32, LSH, 0, 0xffffffff00000003ULL,
	     32, 3),
	BINK("lsh32 drops bits past 32", A32, LSH, 0, 0xc0000000ULL, 1,
	     0x80000000ULL),
	BINK("rsh32 ignores the upper half", A32, RSH, 0, 0xffffffff80000000ULL,
	     31, 1),
	BINX("rsh32 by 36 is masked to 4", A32, RSH, 0, 0xf0, 36, 0xf),
	BINK("arsh32 by 31, zero-extended", A32, ARSH, 0, 0x80000000ULL, 31,
	     0xffffffffULL),
	BINX("arsh32 by 33 is masked to 1", A32, ARSH, 0, 0x80000000ULL, 33,
	     0xc0000000ULL),

	/* ---- neg, movsx ---- */
	UNARY("neg64", 5, KBPF_RAW_INSN(A64 | KBPF_NEG, 0, 0, 0, 0),
	      0xfffffffffffffffbULL),
	UNARY("neg64 of INT64_MIN is INT64_MIN", S64MIN,
	      KBPF_RAW_INSN(A64 | KBPF_NEG, 0, 0, 0, 0), S64MIN),
	UNARY("neg32 zero-extends", 0xffffffff00000005ULL,
	      KBPF_RAW_INSN(A32 | KBPF_NEG, 0, 0, 0, 0), 0xfffffffbULL),
	UNARY("neg32 of 0 is 0", 0xffffffff00000000ULL,
	      KBPF_RAW_INSN(A32 | KBPF_NEG, 0, 0, 0, 0), 0),
	MOVSX("movsx64 s8 of 0x80", A64, 8, 0x80, 0xffffffffffffff80ULL),
	MOVSX("movsx64 s8 of 0x7f", A64, 8, 0x7f, 0x7f),
	MOVSX("movsx64 s8 takes the low byte", A64, 8, 0x12345681,
	      0xffffffffffffff81ULL),
	MOVSX("movsx64 s16 of 0x8000", A64, 16, 0x8000, 0xffffffffffff8000ULL),
	MOVSX("movsx64 s32 of 0x80000000", A64, 32, 0x80000000ULL,
	      0xffffffff80000000ULL),
	MOVSX("movsx64 s32 of 0x7fffffff ignores the upper half", A64, 32,
	      0xffffffff7fffffffULL, 0x7fffffff),
	MOVSX("movsx32 s8 of 0xff is zero-extended", A32, 8, 0xff,
	      0xffffffffULL),
	MOVSX("movsx32 s16 of 0x8001", A32, 16, 0x8001, 0xffff8001ULL),

	/* ---- byte swaps (little-endian host) ---- */
	UNARY("le16 truncates", 0x1122334455667788ULL, END(A32, KBPF_TO_LE, 16),
	      0x7788),
	UNARY("le32 truncates", 0x1122334455667788ULL, END(A32, KBPF_TO_LE, 32),
	      0x55667788),
	UNARY("le64 is a no-op", 0x1122334455667788ULL,
	      END(A32, KBPF_TO_LE, 64), 0x1122334455667788ULL),
	UNARY("be16 swaps the low two bytes", 0x1122334455667788ULL,
	      END(A32, KBPF_TO_BE, 16), 0x8877),
	UNARY("be32 swaps the low four bytes", 0x1122334455667788ULL,
	      END(A32, KBPF_TO_BE, 32), 0x88776655),
	UNARY("be64 swaps all eight bytes", 0x1122334455667788ULL,
	      END(A32, KBPF_TO_BE, 64), 0x8877665544332211ULL),
	UNARY("bswap16", 0x1122334455667788ULL, END(A64, KBPF_TO_LE, 16),
	      0x8877),
	UNARY("bswap32", 0x1122334455667788ULL, END(A64, KBPF_TO_LE, 32),
	      0x88776655),
	UNARY("bswap64", 0x1122334455667788ULL, END(A64, KBPF_TO_LE, 64),
	      0x8877665544332211ULL),
};

INTERP_TEST_SUITE(interp_alu, "kbpf_interp_alu", alu_tests);
