// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: loads and stores of every size through r1 (the test buffer) and
 * r10 (the frame), sign-extending loads, every atomic operation in both
 * widths with the value each fetching form returns, and 64-bit immediate
 * loads including the map and map-value pseudo forms.
 */
#include "interp_test.h"

/* Bytes 0..7: 0x1122334455667788 little-endian; 8..9: 0x8000; 12..15:
 * 0x80000000.
 */
#define MEM_LOADS							\
	.mem = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	\
		 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 }

#define LOAD(name, insn, exp)						\
	{ name, T_INSNS(insn, KBPF_EXIT_INSN()), MEM_LOADS, .expect = (exp) }

/* Atomics work on u64 0x10 at offset 0 and u32 0xf0f0f0f0 at offset 8. */
#define MEM_ATOMIC_INIT							\
	0x10, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0
#define ATOMIC_TEST(name, size, op, off, src, r0_init, ret_reg, exp, ...) \
	{ name, T_INSNS(KBPF_LD_IMM64(2, src), KBPF_LD_IMM64(0, r0_init), \
			KBPF_ATOMIC_OP(size, op, 1, 2, off),		\
			KBPF_MOV64_REG(0, ret_reg), KBPF_EXIT_INSN()),	\
	  .mem = { MEM_ATOMIC_INIT }, .check_mem = true,		\
	  .mem_expect = { __VA_ARGS__ }, .expect = (exp) }

#define A_ADD	KBPF_ADD
#define A_OR	KBPF_OR
#define A_AND	KBPF_AND
#define A_XOR	KBPF_XOR
#define A_F	KBPF_FETCH

static const struct interp_test mem_tests[] = {
	LOAD("ldxb", KBPF_LDX_MEM(B, 0, 1, 0), 0x88),
	LOAD("ldxb at +7", KBPF_LDX_MEM(B, 0, 1, 7), 0x11),
	LOAD("ldxh", KBPF_LDX_MEM(H, 0, 1, 0), 0x7788),
	LOAD("ldxw", KBPF_LDX_MEM(W, 0, 1, 0), 0x55667788),
	LOAD("ldxw unaligned at +1", KBPF_LDX_MEM(W, 0, 1, 1), 0x44556677),
	LOAD("ldxdw", KBPF_LDX_MEM(DW, 0, 1, 0), 0x1122334455667788ULL),
	LOAD("ldxw zero-extends 0x80000000", KBPF_LDX_MEM(W, 0, 1, 12),
	     0x80000000ULL),
	LOAD("ldxsb sign-extends 0x88", KBPF_LDX_MEMSX(B, 0, 1, 0),
	     0xffffffffffffff88ULL),
	LOAD("ldxsb of 0x11 stays positive", KBPF_LDX_MEMSX(B, 0, 1, 7), 0x11),
	LOAD("ldxsh of 0x7788 stays positive", KBPF_LDX_MEMSX(H, 0, 1, 0),
	     0x7788),
	LOAD("ldxsh sign-extends 0x8000", KBPF_LDX_MEMSX(H, 0, 1, 8),
	     0xffffffffffff8000ULL),
	LOAD("ldxsw sign-extends 0x80000000", KBPF_LDX_MEMSX(W, 0, 1, 12),
	     0xffffffff80000000ULL),
	LOAD("ldxsw of 0x11223344 stays positive", KBPF_LDX_MEMSX(W, 0, 1, 4),
	     0x11223344),
	{ "ldx with a negative offset",
	  T_INSNS(KBPF_ALU64_IMM(ADD, 1, 8), KBPF_LDX_MEM(H, 0, 1, -2),
		  KBPF_EXIT_INSN()), MEM_LOADS, .expect = 0x1122 },
	{ "st of every size; imm truncated or sign-extended",
	  T_INSNS(KBPF_ST_MEM(B, 1, 0, 0x1ff), KBPF_ST_MEM(H, 1, 2, 0x1234),
		  KBPF_ST_MEM(W, 1, 4, -2), KBPF_ST_MEM(DW, 1, 8, -1),
		  KBPF_ST_MEM(DW, 1, 16, 0x7f), KBPF_MOV64_IMM(0, 0),
		  KBPF_EXIT_INSN()),
	  .check_mem = true,
	  .mem_expect = { 0xff, 0, 0x34, 0x12, 0xfe, 0xff, 0xff, 0xff,
			  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			  0x7f, 0, 0, 0, 0, 0, 0, 0 } },
	{ "stx of every size stores the low bytes",
	  T_INSNS(KBPF_LD_IMM64(2, 0x1122334455667788ULL),
		  KBPF_STX_MEM(B, 1, 2, 0), KBPF_STX_MEM(H, 1, 2, 2),
		  KBPF_STX_MEM(W, 1, 2, 4), KBPF_STX_MEM(DW, 1, 2, 9),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .check_mem = true,
	  .mem_expect = { 0x88, 0, 0x88, 0x77, 0x88, 0x77, 0x66, 0x55,
			  0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 } },
	{ "stack store and load through r10",
	  T_INSNS(KBPF_MOV64_IMM(2, 42), KBPF_STX_MEM(DW, 10, 2, -8),
		  KBPF_ST_MEM(W, 10, -512, 7), KBPF_LDX_MEM(W, 3, 10, -512),
		  KBPF_LDX_MEM(DW, 0, 10, -8), KBPF_ALU64_REG(ADD, 0, 3),
		  KBPF_EXIT_INSN()), .expect = 49 },

	/* ---- atomics, 64-bit on 0x10 with src 3 ---- */
	ATOMIC_TEST("atomic add64 leaves src", DW, A_ADD, 0, 3, 0, 2, 3,
		    0x13, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_add64 returns the old value", DW,
		    A_ADD | A_F, 0, 3, 0, 2, 0x10,
		    0x13, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic or64", DW, A_OR, 0, 3, 0, 2, 3,
		    0x13, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_or64", DW, A_OR | A_F, 0, 3, 0, 2, 0x10,
		    0x13, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic and64", DW, A_AND, 0, 3, 0, 2, 3,
		    0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_and64", DW, A_AND | A_F, 0, 3, 0, 2, 0x10,
		    0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic xor64", DW, A_XOR, 0, 0x11, 0, 2, 0x11,
		    0x01, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_xor64", DW, A_XOR | A_F, 0, 0x11, 0, 2, 0x10,
		    0x01, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic xchg64", DW, KBPF_XCHG, 0, 0x123456789ULL, 0, 2,
		    0x10, 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0,
		    0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic cmpxchg64 matching r0 stores", DW, KBPF_CMPXCHG, 0,
		    3, 0x10, 0, 0x10,
		    3, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic cmpxchg64 mismatch leaves memory", DW,
		    KBPF_CMPXCHG, 0, 3, 0x11, 0, 0x10,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic cmpxchg64 compares all 64 bits", DW, KBPF_CMPXCHG,
		    0, 3, 0x100000010ULL, 0, 0x10,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),

	/* ---- atomics, 32-bit on 0xf0f0f0f0; src upper half ignored ---- */
	ATOMIC_TEST("atomic add32", W, A_ADD, 8, 0xffffffff0000000fULL, 0, 2,
		    0xffffffff0000000fULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_add32 returns the old value zero-extended",
		    W, A_ADD | A_F, 8, 0xffffffff0000000fULL, 0, 2,
		    0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_add32 wraps at 32 bits", W, A_ADD | A_F, 8,
		    0x10f0f0f10ULL, 0, 2, 0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	ATOMIC_TEST("atomic or32", W, A_OR, 8, 0x0f, 0, 2, 0x0f,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic fetch_or32", W, A_OR | A_F, 8, 0x0f, 0, 2,
		    0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xf0, 0xf0, 0xf0),
	ATOMIC_TEST("atomic and32", W, A_AND, 8, 0x0f, 0, 2, 0x0f,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	ATOMIC_TEST("atomic fetch_and32", W, A_AND | A_F, 8, 0xff00ff00ULL, 0,
		    2, 0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0, 0xf0),
	ATOMIC_TEST("atomic xor32", W, A_XOR, 8, 0xffffffffULL, 0, 2,
		    0xffffffffULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x0f, 0x0f, 0x0f),
	ATOMIC_TEST("atomic fetch_xor32", W, A_XOR | A_F, 8, 0xffffffffULL, 0,
		    2, 0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x0f, 0x0f, 0x0f),
	ATOMIC_TEST("atomic xchg32", W, KBPF_XCHG, 8, 0xaaaaaaaa0000000fULL, 0,
		    2, 0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0, 0, 0),
	ATOMIC_TEST("atomic cmpxchg32 compares the low half of r0", W,
		    KBPF_CMPXCHG, 8, 0x0f, 0xaaaaaaaaf0f0f0f0ULL, 0,
		    0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0, 0, 0),
	ATOMIC_TEST("atomic cmpxchg32 mismatch leaves memory", W,
		    KBPF_CMPXCHG, 8, 0x0f, 0xf0f0f0f1ULL, 0, 0xf0f0f0f0ULL,
		    0x10, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xf0, 0xf0, 0xf0),

	/* ---- 64-bit immediates ---- */
	{ "ld_imm64 loads both halves",
	  T_INSNS(KBPF_LD_IMM64(0, 0x123456789abcdef0ULL), KBPF_EXIT_INSN()),
	  .expect = 0x123456789abcdef0ULL },
	{ "ld_imm64 does not sign-extend the low half",
	  T_INSNS(KBPF_LD_IMM64(0, 0x80000000ULL), KBPF_EXIT_INSN()),
	  .expect = 0x80000000ULL },
	/*
	 * A pointer compared with a constant no address can equal, then
	 * stored through on the path the compare excludes: native code's C
	 * compiler folds the constant into the store's address and must not
	 * fail the build on it (-Warray-bounds).
	 */
	{ "store on a path where a pointer equals a constant is not run",
	  T_INSNS(KBPF_MOV64_REG(9, 1),
		  KBPF_MOV64_IMM(0, 1),
		  KBPF_JMP_IMM(JNE, 9, 0x1ff, 1),
		  KBPF_ST_MEM(DW, 1, 0, 0),
		  KBPF_EXIT_INSN()),
	  MEM_LOADS, .check_mem = true,
	  .mem_expect = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
			  0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 },
	  .expect = 1 },
	{ "map value pseudo load writes element 0; lookup reads it",
	  T_INSNS(KBPF_LD_IMM64_RAW(3, KBPF_PSEUDO_MAP_VALUE, (8ULL << 32) | 1),
		  KBPF_ST_MEM(DW, 3, 0, 99),
		  KBPF_LD_MAP_ID(1, 1),
		  KBPF_ST_MEM(W, 10, -4, 0),
		  KBPF_MOV64_REG(2, 10), KBPF_ALU64_IMM(ADD, 2, -4),
		  KBPF_CALL_HELPER(1),
		  KBPF_JMP_IMM(JEQ, 0, 0, 2),
		  KBPF_LDX_MEM(DW, 0, 0, 8),
		  KBPF_EXIT_INSN(),
		  KBPF_MOV64_IMM(0, -1), KBPF_EXIT_INSN()),
	  .map = { .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,
		   .value_size = 16, .max_entries = 4 },
	  .expect = 99 },
	{ "global data, verified: stores, an atomic add and loads at offsets",
	  T_INSNS(KBPF_LD_IMM64_RAW(2, KBPF_PSEUDO_MAP_VALUE, (4ULL << 32) | 1),
		  KBPF_ST_MEM(W, 2, 0, 0x11223344),
		  KBPF_LD_IMM64_RAW(3, KBPF_PSEUDO_MAP_VALUE, (8ULL << 32) | 1),
		  KBPF_ST_MEM(DW, 3, 0, 5),
		  KBPF_MOV64_IMM(4, 7),
		  KBPF_ATOMIC_OP(DW, KBPF_ADD | KBPF_FETCH, 3, 4, 0),
		  KBPF_LDX_MEM(DW, 0, 3, 0),		/* 12 */
		  KBPF_ALU64_REG(ADD, 0, 4),		/* + 5 fetched */
		  KBPF_LD_IMM64_RAW(5, KBPF_PSEUDO_MAP_VALUE, 1),
		  KBPF_LDX_MEM(DW, 5, 5, 0),		/* 0x1122334400000000 */
		  KBPF_ALU64_REG(ADD, 0, 5),
		  /* a netfilter verdict: 1 if r0 is right */
		  KBPF_LD_IMM64(6, 0x1122334400000000ULL + 17),
		  KBPF_JMP_REG(JNE, 0, 6, 2),
		  KBPF_MOV64_IMM(0, 1), KBPF_EXIT_INSN(),
		  KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN()),
	  .map = { .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,
		   .value_size = 16, .max_entries = 1 },
	  .verify = true, .expect = 1 },
	{ "hash map through helpers: update, lookup, delete, lookup",
	  T_INSNS(KBPF_ST_MEM(W, 10, -4, 7),		/* key 7 */
		  KBPF_ST_MEM(DW, 10, -16, 123),	/* value 123 */
		  KBPF_LD_MAP_ID(1, 1), KBPF_MOV64_REG(2, 10),
		  KBPF_ALU64_IMM(ADD, 2, -4), KBPF_MOV64_REG(3, 10),
		  KBPF_ALU64_IMM(ADD, 3, -16), KBPF_MOV64_IMM(4, 0),
		  KBPF_CALL_HELPER(2),			/* update: 0 */
		  KBPF_MOV64_REG(6, 0),
		  KBPF_LD_MAP_ID(1, 1), KBPF_MOV64_REG(2, 10),
		  KBPF_ALU64_IMM(ADD, 2, -4), KBPF_CALL_HELPER(1),
		  KBPF_LDX_MEM(DW, 7, 0, 0),		/* 123 */
		  KBPF_LD_MAP_ID(1, 1), KBPF_MOV64_REG(2, 10),
		  KBPF_ALU64_IMM(ADD, 2, -4), KBPF_CALL_HELPER(3),
		  KBPF_ALU64_REG(ADD, 6, 0),		/* delete: 0 */
		  KBPF_LD_MAP_ID(1, 1), KBPF_MOV64_REG(2, 10),
		  KBPF_ALU64_IMM(ADD, 2, -4), KBPF_CALL_HELPER(1),
		  KBPF_ALU64_REG(ADD, 6, 0),		/* NULL now */
		  KBPF_ALU64_REG(ADD, 7, 6), KBPF_MOV64_REG(0, 7),
		  KBPF_EXIT_INSN()),
	  .map = { .type = KBPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
		   .max_entries = 4 },
	  .expect = 123 },
};

INTERP_TEST_SUITE(interp_mem, "kbpf_interp_mem", mem_tests);
