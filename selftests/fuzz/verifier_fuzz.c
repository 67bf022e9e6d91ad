// SPDX-License-Identifier: GPL-2.0
/*
 * Soundness fuzzer for the kbpf verifier (libFuzzer).
 *
 * Each input is read as a sequence of choices that build a mostly valid
 * netfilter program (ALU, loads, stores, atomics, conditional jumps, helper
 * calls, map loads, and multi-insn idioms: packet bounds checks, map
 * lookups with null checks, spills of every pointer kind followed by partial
 * overwrites and narrow reads, cmpxchg with a pointer in r0), ending in
 * "r0 = 0 or 1; exit", and optionally a subprogram after it that the main
 * program calls (bpf-to-bpf).  The real verifier loads it; every program it
 * accepts then runs in the interpreter, for several packet lengths, in two
 * "worlds" that differ only in addresses:
 *
 *  - world A: packet at the end of a read-only page before an inaccessible
 *    one, the context at the end of its page, frames at one address, its
 *    own pair of maps; world B: packet at the start of a page after an
 *    inaccessible one, the context at a different page offset, frames at
 *    another address (other low bits too), a second pair of maps.  Reads
 *    past data_end or before data fault;
 *  - the interpreter's frame memory (kbpf_run_stack_acquire, wrapped at
 *    link time) sits above a guard page and is filled with different junk
 *    in each world;
 *  - non-interference: both runs must return the same r0 and leave the same
 *    map contents.  A difference means the program's result depends on an
 *    address (a pointer leaked into a value, a map or a branch) or on stack
 *    bytes it never wrote;
 *  - the context's one writable field is mark: every other byte of it must
 *    be as placed after a run;
 *  - r0 must be a netfilter verdict (0, 1 or KBPF_NF_REJECT);
 *  - the worst case is never too low: a run metered against a budget of
 *    exactly the program's worst-case count must not overrun it.
 *
 * A fault, an ASan/UBSan report, an abort() below, or a libFuzzer timeout
 * (-timeout=, a run past the budget) is a verifier bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sanitizer/asan_interface.h>

#include "kbpf_core.h"

#define KBPF_FUNC_LOOP_ID	181	/* bpf_loop */
#define FUZZ_MAX_INSNS		64	/* main program */
#define FUZZ_MAX_SUB_INSNS	24	/* the subprogram */
#define FUZZ_PAGE		4096
#define ARRAY_MAP_ID		1
#define HASH_MAP_ID		2

/* ---- input reader ------------------------------------------------------ */

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint8_t next_byte(struct reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static uint32_t next_u32(struct reader *r)
{
	uint32_t v = next_byte(r);

	v |= (uint32_t)next_byte(r) << 8;
	v |= (uint32_t)next_byte(r) << 16;
	return v | (uint32_t)next_byte(r) << 24;
}

/* An immediate: mostly small, sometimes a boundary value. */
static int32_t pick_imm(struct reader *r)
{
	static const int32_t special[] = {
		0, 1, -1, 2, 4, 7, 8, 14, 16, 20, 31, 32, 40, 63, 64, 255,
		0xffff, 0x7fffffff, INT32_MIN, -8, -16, -512, 511, 4096,
	};
	uint8_t b = next_byte(r);

	if (b < 96)
		return (int8_t)next_byte(r);
	if (b < 224)
		return special[next_byte(r) % (sizeof(special) / sizeof(special[0]))];
	return (int32_t)next_u32(r);
}

static int16_t pick_off(struct reader *r)
{
	uint8_t b = next_byte(r);

	if (b < 200)
		return (int16_t)((int8_t)next_byte(r) % 48);
	return (int16_t)-(next_byte(r) % 520);
}

static uint8_t pick_reg(struct reader *r)
{
	return next_byte(r) % 11;
}

static uint8_t pick_dst(struct reader *r)
{
	return next_byte(r) % 10;
}

static uint8_t pick_size(struct reader *r)
{
	static const uint8_t sizes[] = { KBPF_B, KBPF_H, KBPF_W, KBPF_DW };

	return sizes[next_byte(r) % 4];
}

/* ---- program generator ------------------------------------------------- */

struct gen {
	struct kbpf_insn insns[FUZZ_MAX_INSNS + FUZZ_MAX_SUB_INSNS];
	uint32_t n;		/* total length, fixed up front */
	uint32_t pos;
	/* The region being generated: [lo, hi + 2), ending "r0 = x; exit". */
	uint32_t lo, hi;
	uint32_t sub;		/* first insn of the subprogram, 0: none */
	struct reader *r;
};

/* Room left before the region's final "r0 = x; exit". */
static uint32_t room(const struct gen *g)
{
	return g->hi - g->pos;
}

static void emit(struct gen *g, struct kbpf_insn insn)
{
	g->insns[g->pos++] = insn;
}

/* A jump offset from the insn about to be emitted, kept inside the region. */
static int16_t jump_off(struct gen *g, int32_t want)
{
	int32_t target = (int32_t)g->pos + 1 + want;

	if (target < (int32_t)g->lo || target > (int32_t)g->hi)
		target = (int32_t)g->hi;
	return (int16_t)(target - (int32_t)g->pos - 1);
}

/* Offset to the region's final "r0 = x; exit" block. */
static int16_t off_to_exit(const struct gen *g)
{
	return (int16_t)(g->hi - g->pos - 1);
}

static void gen_alu(struct gen *g, bool reg)
{
	static const uint8_t ops[] = {
		KBPF_ADD, KBPF_SUB, KBPF_MUL, KBPF_DIV, KBPF_OR, KBPF_AND,
		KBPF_LSH, KBPF_RSH, KBPF_NEG, KBPF_MOD, KBPF_XOR, KBPF_MOV,
		KBPF_ARSH, KBPF_MOV, KBPF_ADD, KBPF_AND,
	};
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	uint8_t cls = (b & 1) ? KBPF_ALU : KBPF_ALU64;
	uint8_t op = ops[(b >> 1) % sizeof(ops)];
	uint8_t dst = pick_dst(r);

	if (reg)
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_X, dst, pick_reg(r), 0, 0));
	else
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_K, dst, 0, 0, pick_imm(r)));
}

static void gen_misc_alu(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r), dst = pick_dst(r);
	static const int32_t widths[] = { 16, 32, 64 };
	static const int16_t sx[] = { 8, 16, 32 };

	switch (b % 3) {
	case 0:	/* byte swap */
		emit(g, KBPF_RAW_INSN(KBPF_ALU | KBPF_END |
				      ((b & 8) ? KBPF_X : KBPF_K), dst, 0, 0,
				      widths[(b >> 4) % 3]));
		break;
	case 1:	/* movsx */
		emit(g, KBPF_RAW_INSN(((b & 8) ? KBPF_ALU : KBPF_ALU64) |
				      KBPF_MOV | KBPF_X, dst, pick_reg(r),
				      sx[(b >> 4) % ((b & 8) ? 2 : 3)], 0));
		break;
	default: /* sdiv / smod */
		emit(g, KBPF_RAW_INSN(((b & 8) ? KBPF_ALU : KBPF_ALU64) |
				      ((b & 16) ? KBPF_DIV : KBPF_MOD) |
				      ((b & 32) ? KBPF_X : KBPF_K), dst,
				      pick_reg(r), 1, pick_imm(r)));
		break;
	}
}

static void gen_ldx(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	uint8_t size = pick_size(r), dst = pick_dst(r), src = pick_reg(r);
	uint8_t mode = (b & 7) == 0 && size != KBPF_DW ? KBPF_MEMSX : KBPF_MEM;

	emit(g, KBPF_RAW_INSN(KBPF_LDX | mode | size, dst, src, pick_off(r), 0));
}

static void gen_store(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	uint8_t size = pick_size(r), dst = pick_reg(r);
	int16_t off = pick_off(r);

	if (b & 1)
		emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_MEM | size, dst,
				      pick_reg(r), off, 0));
	else
		emit(g, KBPF_RAW_INSN(KBPF_ST | KBPF_MEM | size, dst, 0, off,
				      pick_imm(r)));
}

static void gen_atomic(struct gen *g)
{
	static const int32_t ops[] = {
		KBPF_ADD, KBPF_OR, KBPF_AND, KBPF_XOR,
		KBPF_ADD | KBPF_FETCH, KBPF_OR | KBPF_FETCH,
		KBPF_AND | KBPF_FETCH, KBPF_XOR | KBPF_FETCH,
		KBPF_XCHG, KBPF_CMPXCHG,
	};
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_ATOMIC |
			      ((b & 1) ? KBPF_W : KBPF_DW), pick_reg(r),
			      pick_reg(r), pick_off(r), ops[(b >> 1) % 10]));
}

static void gen_jmp(struct gen *g)
{
	static const uint8_t ops[] = {
		KBPF_JEQ, KBPF_JGT, KBPF_JGE, KBPF_JSET, KBPF_JNE, KBPF_JSGT,
		KBPF_JSGE, KBPF_JLT, KBPF_JLE, KBPF_JSLT, KBPF_JSLE, KBPF_JA,
	};
	struct reader *r = g->r;
	uint8_t b = next_byte(r), c = next_byte(r);
	uint8_t cls = (b & 1) ? KBPF_JMP32 : KBPF_JMP;
	uint8_t op = ops[(b >> 1) % sizeof(ops)];
	int32_t want = (c & 0x80) ? -(int32_t)(1 + c % 6) : (int32_t)(c % 6);
	int16_t off = jump_off(g, want);
	uint8_t dst = pick_reg(r);

	if (op == KBPF_JA) {
		emit(g, KBPF_RAW_INSN(KBPF_JMP | KBPF_JA, 0, 0, off, 0));
		return;
	}
	if (b & 0x40)
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_X, dst, pick_reg(r), off, 0));
	else
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_K, dst, 0, off, pick_imm(r)));
}

static void gen_ld_map(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, pick_dst(r),
			      KBPF_PSEUDO_MAP_ID, 0,
			      (b & 1) ? HASH_MAP_ID : ARRAY_MAP_ID));
	emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
}

static void gen_call(struct gen *g)
{
	static const int32_t ids[] = { 1, 2, 3, 6, 6, 1, 1, 4 };

	emit(g, KBPF_CALL_HELPER(ids[next_byte(g->r) % 8]));
}

/* rD = data; rE = data_end; rD + k > rE ? exit. */
static void gen_pkt_check(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t d = pick_dst(r), e = pick_dst(r), t = pick_dst(r);
	int32_t k = next_byte(r) % 72;

	if (d == e)
		e = (e + 1) % 10;
	if (t == e)
		t = d;
	emit(g, KBPF_LDX_MEM(DW, d, KBPF_REG_1, 0));
	emit(g, KBPF_LDX_MEM(DW, e, KBPF_REG_1, 8));
	if (t != d)
		emit(g, KBPF_MOV64_REG(t, d));
	else
		emit(g, KBPF_MOV64_REG(t, t));
	emit(g, KBPF_ALU64_IMM(ADD, t, k));
	emit(g, KBPF_RAW_INSN(KBPF_JMP | ((next_byte(r) & 1) ? KBPF_JGT : KBPF_JGE) |
			      KBPF_X, t, e, off_to_exit(g), 0));
}

/* *(u32 *)(fp - 8) = k; r2 = fp - 8; r1 = map; call lookup; r0 == 0 ? exit. */
static void gen_lookup(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	emit(g, KBPF_ST_MEM(DW, KBPF_REG_10, -8, b % 6));
	emit(g, KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10));
	emit(g, KBPF_ALU64_IMM(ADD, KBPF_REG_2, -8));
	emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, KBPF_REG_1,
			      KBPF_PSEUDO_MAP_ID, 0,
			      (b & 0x80) ? HASH_MAP_ID : ARRAY_MAP_ID));
	emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
	emit(g, KBPF_CALL_HELPER(1));
	emit(g, KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, off_to_exit(g)));
	if (b & 0x40)
		emit(g, KBPF_MOV64_REG(6 + (b & 3), KBPF_REG_0));
}

/* Put a pointer of some kind in rd; returns the insns used. */
static void gen_pointer(struct gen *g, uint8_t rd, uint8_t kind)
{
	switch (kind % 7) {
	case 0:	/* ctx */
		emit(g, KBPF_MOV64_REG(rd, KBPF_REG_1));
		break;
	case 1:	/* fp */
		emit(g, KBPF_MOV64_REG(rd, KBPF_REG_10));
		break;
	case 2:	/* fp - 8k */
		emit(g, KBPF_MOV64_REG(rd, KBPF_REG_10));
		emit(g, KBPF_ALU64_IMM(ADD, rd, -8 * (int32_t)(1 + kind % 4)));
		break;
	case 3:	/* packet */
		emit(g, KBPF_LDX_MEM(DW, rd, KBPF_REG_1, 0));
		break;
	case 4:	/* packet end */
		emit(g, KBPF_LDX_MEM(DW, rd, KBPF_REG_1, 8));
		break;
	case 5:	/* map */
		emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, rd,
				      KBPF_PSEUDO_MAP_ID, 0, ARRAY_MAP_ID));
		emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
		break;
	default: /* whatever r6..r9 hold (a lookup result, often) */
		emit(g, KBPF_MOV64_REG(rd, 6 + kind % 4));
		break;
	}
}

/*
 * Spill a pointer to fp - 8k, maybe overwrite part of it (a constant, 0 or
 * a register), then read some of the slot back and maybe store what was
 * read into a map value held in r6..r9 or mix it into r0's verdict.
 */
static void gen_spill_play(struct gen *g)
{
	static const uint8_t sizes[] = { KBPF_B, KBPF_H, KBPF_W, KBPF_DW };
	static const uint32_t bytes[] = { 1, 2, 4, 8 };
	struct reader *r = g->r;
	uint8_t b = next_byte(r), c = next_byte(r), d = next_byte(r);
	int16_t slot = -8 * (int16_t)(1 + b % 4);
	uint8_t rp = 2 + c % 4, rd = 6 + d % 4;	/* rd survives calls */
	uint32_t ws = (b >> 2) % 3, rs = (c >> 2) % 4;
	int16_t woff = slot + (int16_t)(bytes[ws] * ((b >> 4) % (8 / bytes[ws])));
	int16_t roff = slot + (int16_t)(bytes[rs] * ((c >> 4) % (8 / bytes[rs])));

	gen_pointer(g, rp, next_byte(r));
	emit(g, KBPF_STX_MEM(DW, KBPF_REG_10, rp, slot));
	if (d & 0x10)
		emit(g, KBPF_RAW_INSN(KBPF_ST | KBPF_MEM | sizes[ws], KBPF_REG_10,
				      0, woff, (d & 0x20) ? 0 : pick_imm(r)));
	else if (d & 0x20)
		emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_MEM | sizes[ws],
				      KBPF_REG_10, pick_reg(r), woff, 0));
	emit(g, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sizes[rs], rd, KBPF_REG_10,
			      roff, 0));
	if (d & 0x40)
		emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_MEM | sizes[rs],
				      6 + (d >> 7) + (b >> 7) * 2, rd, 0, 0));
	else if (d & 0x80)
		emit(g, KBPF_ALU64_REG(XOR, KBPF_REG_0, rd));
}

/* r0 = pointer; the slot holds another pointer or a constant; cmpxchg. */
static void gen_cmpxchg_ptr(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	int16_t slot = -8 * (int16_t)(1 + b % 4);

	if (b & 0x10) {
		gen_pointer(g, KBPF_REG_2, next_byte(r));
		emit(g, KBPF_STX_MEM(DW, KBPF_REG_10, KBPF_REG_2, slot));
	} else {
		emit(g, KBPF_ST_MEM(DW, KBPF_REG_10, slot, pick_imm(r)));
	}
	gen_pointer(g, KBPF_REG_0, next_byte(r));
	emit(g, KBPF_MOV64_IMM(KBPF_REG_3, pick_imm(r)));
	emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_ATOMIC | ((b & 0x20) ? KBPF_W : KBPF_DW),
			      KBPF_REG_10, KBPF_REG_3, slot, KBPF_CMPXCHG));
	emit(g, KBPF_LDX_MEM(DW, pick_dst(r), KBPF_REG_10, slot));
}

/* r1..r5 = pointers or numbers; call the subprogram. */
static void gen_subprog_call(struct gen *g)
{
	uint8_t b = next_byte(g->r);

	if (b & 1)
		gen_pointer(g, KBPF_REG_2, next_byte(g->r));
	else
		emit(g, KBPF_MOV64_IMM(KBPF_REG_2, pick_imm(g->r)));
	emit(g, KBPF_RAW_INSN(KBPF_JMP | KBPF_CALL, 0, KBPF_PSEUDO_CALL, 0,
			      (int32_t)g->sub - (int32_t)g->pos - 1));
	if (b & 2)
		emit(g, KBPF_MOV64_REG(6 + (b >> 2) % 4, KBPF_REG_0));
}

#ifndef KBPF_FUZZ_AOT
/*
 * bpf_loop(n, the subprogram as the callback, ctx, 0): n up to 19, or a
 * register masked to 0-31; ctx a scalar or fp - 8.  (Native code has no
 * bpf_loop, so the differential build leaves it out.)
 */
static void gen_loop_call(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	if (b & 1) {
		emit(g, KBPF_MOV64_REG(KBPF_REG_1, pick_reg(r)));
		emit(g, KBPF_ALU64_IMM(AND, KBPF_REG_1, 31));
	} else {
		emit(g, KBPF_MOV64_IMM(KBPF_REG_1, (b >> 1) % 20));
	}
	emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, KBPF_REG_2,
			      KBPF_PSEUDO_FUNC, 0,
			      (int32_t)g->sub - (int32_t)g->pos - 1));
	emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
	if (b & 2) {
		emit(g, KBPF_MOV64_REG(KBPF_REG_3, KBPF_REG_10));
		emit(g, KBPF_ALU64_IMM(ADD, KBPF_REG_3, -8));
	} else {
		emit(g, KBPF_MOV64_IMM(KBPF_REG_3, pick_imm(r)));
	}
	emit(g, KBPF_MOV64_IMM(KBPF_REG_4, 0));
	emit(g, KBPF_CALL_HELPER(KBPF_FUNC_LOOP_ID));
}

/*
 * A bounded loop: for (rI = 0; rI < (r1 & 7 or K); rI++) { one to three
 * insns writing neither rI nor the bound }.  rI and the bound are two of
 * r6..r9; the body reads only rI (a callback has little else set) and may
 * skip an insn on one of its bits.  In the subprogram, which the main
 * program may call or pass to bpf_loop: a callback whose worst case
 * counts its loop's proven trip count, per iteration index when the bound
 * is r1 & 7.
 */
static void gen_counted_loop(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r), c = next_byte(r);
	uint8_t ri = 6 + b % 4, rk = 6 + (b % 4 + 1 + (b >> 2) % 3) % 4;
	uint32_t body = 1 + c % 3, i, head;

	if (b & 0x80) {
		emit(g, KBPF_MOV64_REG(rk, KBPF_REG_1));
		emit(g, KBPF_ALU64_IMM(AND, rk, 7));
	} else {
		emit(g, KBPF_MOV64_IMM(rk, (b >> 4) % 8));
	}
	emit(g, KBPF_MOV64_IMM(ri, 0));
	head = g->pos;
	emit(g, KBPF_JMP_REG(JGE, ri, rk, (int16_t)(body + 2)));
	for (i = 0; i < body; i++) {
		uint8_t d = next_byte(r), dst = d % 6;	/* r0..r5 */

		if ((d & 0x40) && i + 1 < body)
			emit(g, KBPF_JMP_IMM(JSET, ri, 1 << (d >> 7), 1));
		else if (d & 0x20)
			emit(g, KBPF_MOV64_REG(dst, ri));
		else
			emit(g, KBPF_MOV64_IMM(dst, pick_imm(r)));
	}
	emit(g, KBPF_ALU64_IMM(ADD, ri, 1));
	emit(g, KBPF_JMP_A((int16_t)head - (int16_t)g->pos - 1));
}
#endif

/* The forms gen_one() picks from; the last is bpf_loop. */
#ifdef KBPF_FUZZ_AOT
#define GEN_FORMS	24
#else
#define GEN_FORMS	25
#endif

static void gen_one(struct gen *g)
{
	uint8_t form = next_byte(g->r) % GEN_FORMS;

	if (form == 20 && room(g) >= 7) {
		gen_spill_play(g);
		return;
	}
	if (form == 21 && room(g) >= 8) {
		gen_cmpxchg_ptr(g);
		return;
	}
	if ((form == 22 || form == 23) && g->sub && g->lo < g->sub &&
	    room(g) >= 4) {
		gen_subprog_call(g);
		return;
	}
#ifndef KBPF_FUZZ_AOT
	if (form == 24 && g->sub && g->lo < g->sub && room(g) >= 8) {
		gen_loop_call(g);
		return;
	}
	if (form == 24 && g->sub && g->lo == g->sub && room(g) >= 8) {
		gen_counted_loop(g);
		return;
	}
#endif
	form %= 20;

	if (form == 16 && room(g) >= 6) {
		gen_pkt_check(g);
		return;
	}
	if (form == 17 && room(g) >= 9) {
		gen_lookup(g);
		return;
	}
	if (form == 18 && room(g) >= 2) {
		gen_ld_map(g);
		return;
	}
	switch (form % 16) {
	case 0: case 1: case 2:	gen_alu(g, false); break;
	case 3: case 4:		gen_alu(g, true); break;
	case 5: case 6: case 7:	gen_ldx(g); break;
	case 8: case 9:		gen_store(g); break;
	case 10: case 11:	gen_jmp(g); break;
	case 12:		gen_call(g); break;
	case 13:		gen_atomic(g); break;
	case 14:		gen_misc_alu(g); break;
	default:
		emit(g, KBPF_MOV64_IMM(pick_dst(g->r), pick_imm(g->r)));
		break;
	}
}

#define SINK_INSNS	9

/*
 * The main program's sink: rX goes to the array map's value 0, where the
 * two worlds' map contents are compared -- every bit a program computed
 * from an address would show there.
 *   r7 = rX; *(u32 *)(fp - 4) = 0; r2 = fp - 4; r1 = map; call lookup;
 *   if r0 == 0 goto +1; *(u64 *)(r0 + 0) = r7
 */
static void gen_sink(struct gen *g)
{
	emit(g, KBPF_MOV64_REG(KBPF_REG_7, 6 + next_byte(g->r) % 4));
	emit(g, KBPF_ST_MEM(W, KBPF_REG_10, -4, 0));
	emit(g, KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10));
	emit(g, KBPF_ALU64_IMM(ADD, KBPF_REG_2, -4));
	emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, KBPF_REG_1,
			      KBPF_PSEUDO_MAP_ID, 0, ARRAY_MAP_ID));
	emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
	emit(g, KBPF_CALL_HELPER(1));
	emit(g, KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, 1));
	emit(g, KBPF_STX_MEM(DW, KBPF_REG_0, KBPF_REG_7, 0));
}

/*
 * Fill [lo, lo + len) and end with "r0 = x; exit" (in a subprogram maybe
 * r0 = r1..r5), the main program often after a sink.
 */
static void gen_region(struct gen *g, uint32_t lo, uint32_t len, bool sub)
{
	struct reader *r = g->r;
	bool sink = !sub && len >= SINK_INSNS + 6 && (next_byte(r) & 1);
	uint8_t b;

	g->lo = g->pos = lo;
	g->hi = lo + len - 2;
	if (sink)
		g->hi -= SINK_INSNS;
	while (g->pos < g->hi)
		gen_one(g);
	if (sink) {
		gen_sink(g);
		g->hi += SINK_INSNS;
	}
	b = next_byte(r);
	if (sub && (b & 2))
		emit(g, KBPF_MOV64_REG(KBPF_REG_0, 1 + (b >> 2) % 5));
	else
		emit(g, KBPF_MOV64_IMM(KBPF_REG_0, b & 1));
	emit(g, KBPF_EXIT_INSN());
}

static void generate(struct gen *g, struct reader *r)
{
	uint32_t main_len, sub_len = 0;
	uint8_t b;

	g->r = r;
	main_len = 3 + next_byte(r) % (FUZZ_MAX_INSNS - 3);
	b = next_byte(r);
	if (b & 1)
		sub_len = 3 + (b >> 1) % (FUZZ_MAX_SUB_INSNS - 2);
	g->n = main_len + sub_len;
	g->sub = sub_len ? main_len : 0;
	gen_region(g, 0, main_len, false);
	if (sub_len)
		gen_region(g, main_len, sub_len, true);
}

/* ---- helpers, maps ---------------------------------------------------- */

/* Reads every byte it is given: checks the verifier's helper memory rules. */
static u64 fuzz_sum_mem(u64 ptr, u64 size, u64 r3, u64 r4, u64 r5)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)ptr;
	u64 sum = 0, i;

	for (i = 0; i < size; i++)
		sum = sum * 31 + p[i];
	return sum;
}

/*
 * map_lookup/update/delete_elem, fuzz_sum_mem and bpf_loop: all
 * deterministic.
 */
static struct kbpf_helper fuzz_helpers[KBPF_FUNC_LOOP_ID + 1];
static const struct kbpf_helper_table fuzz_helper_table = {
	.helpers = fuzz_helpers,
	.count = KBPF_FUNC_LOOP_ID + 1,
};

/*
 * One world: everything a program can take the address of.  The two worlds
 * hold the same bytes at different addresses.
 */
struct world {
	struct kbpf_map *array_map, *hash_map;
	uint8_t *pkt_page, *ctx_page;
	uint8_t *stack;		/* KBPF_RUN_STACK_SIZE above a guard page */
	bool pkt_at_end;	/* packet ends at its page's end, else starts */
	u32 ctx_off;		/* the context's offset in its page */
	uint8_t junk;		/* what fills the frames before a run */
};

static struct world worlds[2];
static struct world *cur_world;	/* being loaded or run */

static struct kbpf_map *fuzz_map_by_id(void *priv, u32 id)
{
	struct world *w = priv;
	struct kbpf_map *m = id == ARRAY_MAP_ID ? w->array_map :
			     id == HASH_MAP_ID ? w->hash_map : NULL;

	if (m)
		kbpf_map_get(m);
	return m;
}

static void reset_maps(struct world *w)
{
	uint8_t zero[16] = { 0 }, key[8], first[8] = { 1 };
	u32 i;

	for (i = 0; i < w->array_map->attrs.max_entries; i++)
		kbpf_map_update_elem(w->array_map, &i, zero, KBPF_ANY);
	while (!kbpf_map_get_next_key(w->hash_map, NULL, key))
		kbpf_map_delete_elem(w->hash_map, key);
	/* One element, so lookups of key 1 find something. */
	kbpf_map_update_elem(w->hash_map, first, zero, KBPF_ANY);
}

static u64 fnv(u64 h, const uint8_t *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/*
 * What a run left in the maps: the array in order, the hash elements as a
 * sum (their iteration order may differ between the worlds' maps).
 */
static u64 maps_digest(struct world *w)
{
	uint8_t key[8], next[8], val[16];
	u64 h = 1469598103934665603ULL, set = 0;
	const void *prev = NULL;
	u32 i;

	for (i = 0; i < w->array_map->attrs.max_entries; i++) {
		kbpf_map_lookup_copy(w->array_map, &i, val);
		h = fnv(h, val, sizeof(val));
	}
	while (!kbpf_map_get_next_key(w->hash_map, prev, next)) {
		memcpy(key, next, sizeof(key));
		prev = key;
		if (kbpf_map_lookup_copy(w->hash_map, key, val))
			continue;
		set += fnv(fnv(1469598103934665603ULL, key, sizeof(key)),
			   val, sizeof(val));
	}
	return h ^ set;
}

/* ---- guarded memory ---------------------------------------------------- */

/*
 * guard | page | guard, returning the middle page, near hint (NULL: where
 * mmap likes).  World B's hint gives its addresses other high bits too.
 */
static uint8_t *guarded_page(void *hint)
{
	uint8_t *p = mmap(hint, 3 * FUZZ_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		abort();
	}
	if (mprotect(p, FUZZ_PAGE, PROT_NONE) ||
	    mprotect(p + 2 * FUZZ_PAGE, FUZZ_PAGE, PROT_NONE)) {
		perror("mprotect");
		abort();
	}
	return p + FUZZ_PAGE;
}

static void set_prot(uint8_t *page, int prot)
{
	if (mprotect(page, FUZZ_PAGE, prot)) {
		perror("mprotect");
		abort();
	}
}

/* Frame memory above a guard page, shift bytes into its first page. */
static uint8_t *setup_stack_mem(void *hint, size_t shift)
{
	size_t len = (KBPF_RUN_STACK_SIZE + shift + FUZZ_PAGE - 1) &
		     ~(size_t)(FUZZ_PAGE - 1);
	uint8_t *p = mmap(hint, len + FUZZ_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p, FUZZ_PAGE, PROT_NONE))
		abort();
	return p + FUZZ_PAGE + shift;
}

void *__wrap_kbpf_run_stack_acquire(void);
void __wrap_kbpf_run_stack_release(void *stack);

void *__wrap_kbpf_run_stack_acquire(void)
{
	return cur_world->stack;
}

void __wrap_kbpf_run_stack_release(void *stack)
{
}

static void setup_world(struct world *w, uint8_t *hint, bool pkt_at_end,
			u32 ctx_off, size_t stack_shift, uint8_t junk)
{
	struct kbpf_map_attrs aa = {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16,
		.max_entries = 4,
	};
	struct kbpf_map_attrs ha = {
		.type = KBPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16,
		.max_entries = 8,
	};
	u32 i;

	if (kbpf_map_create(&aa, NULL, &w->array_map) ||
	    kbpf_map_create(&ha, NULL, &w->hash_map))
		abort();
	w->array_map->id = ARRAY_MAP_ID;
	w->hash_map->id = HASH_MAP_ID;
	w->pkt_page = guarded_page(hint);
	for (i = 0; i < FUZZ_PAGE; i++)
		w->pkt_page[i] = (uint8_t)(i * 7 + 0x45);
	set_prot(w->pkt_page, PROT_READ);
	w->ctx_page = guarded_page(hint ? hint + 4 * FUZZ_PAGE : NULL);
	w->stack = setup_stack_mem(hint ? hint + 8 * FUZZ_PAGE : NULL,
				   stack_shift);
	w->pkt_at_end = pkt_at_end;
	w->ctx_off = ctx_off;
	w->junk = junk;
}

static int setup(void)
{
	u32 i;

	for (i = 1; i <= 3; i++)
		fuzz_helpers[i] = kbpf_default_helpers.helpers[i];
	fuzz_helpers[6] = (struct kbpf_helper){
		.name = "fuzz_sum_mem", .fn = fuzz_sum_mem,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_PTR_TO_MEM, KBPF_ARG_CONST_SIZE },
	};
	fuzz_helpers[KBPF_FUNC_LOOP_ID] =
		*kbpf_helper_lookup(&kbpf_default_helpers, KBPF_FUNC_LOOP_ID);
	/* Different pages, page offsets and low address bits everywhere. */
	setup_world(&worlds[0], NULL, true,
		    FUZZ_PAGE - sizeof(struct kbpf_nf_ctx), 0, 0x00);
	setup_world(&worlds[1], (uint8_t *)(uintptr_t)0x5a5a00000000ULL, false,
		    0x238, 0x5a8, 0xa5);
	return 0;
}

/* ---- running ----------------------------------------------------------- */

static const u32 pkt_lens[] = { 0, 1, 14, 20, 34, 40, 54, 60, 100, 1500 };

static struct kbpf_nf_ctx *place_ctx(struct world *w, u32 len)
{
	struct kbpf_nf_ctx *ctx = (struct kbpf_nf_ctx *)(w->ctx_page + w->ctx_off);
	const uint8_t *data = w->pkt_at_end ? w->pkt_page + FUZZ_PAGE - len :
			      w->pkt_page;

	set_prot(w->ctx_page, PROT_READ | PROT_WRITE);
	memset(w->ctx_page, 0, FUZZ_PAGE);
	ctx->data = (u64)(uintptr_t)data;
	ctx->data_end = (u64)(uintptr_t)(data + len);
	ctx->len = len;
	ctx->family = 2;
	ctx->hook = 1;
	ctx->ifindex = 3;
	ctx->protocol = 0x0008;
	ctx->mark = 0x1234;
	return ctx;
}

/* Only mark is writable: every other byte of the context is as placed. */
static void check_ctx_kept(struct kbpf_nf_ctx *ctx, const struct kbpf_nf_ctx *orig)
{
	ctx->mark = orig->mark;
	if (memcmp(ctx, orig, sizeof(*ctx))) {
		fprintf(stderr, "verifier bug: a read-only context field was written\n");
		abort();
	}
}

/* The packet's bytes depend on its page offset: same bytes in both worlds. */
static void fill_packet(struct world *w, u32 len)
{
	uint8_t *data = w->pkt_at_end ? w->pkt_page + FUZZ_PAGE - len :
			w->pkt_page;
	u32 i;

	set_prot(w->pkt_page, PROT_READ | PROT_WRITE);
	for (i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + 0x45);
	set_prot(w->pkt_page, PROT_READ);
}

static u64 run_in(struct world *w, const struct kbpf_prog *prog, u32 len,
		  u64 *digest)
{
	struct kbpf_nf_ctx *ctx, orig;
	u64 r0;

	cur_world = w;
	fill_packet(w, len);
	ctx = place_ctx(w, len);
	orig = *ctx;
	memset(w->stack, w->junk, KBPF_RUN_STACK_SIZE);
	reset_maps(w);
	r0 = kbpf_prog_run(prog, ctx);
	check_ctx_kept(ctx, &orig);
	*digest = maps_digest(w);
	return r0;
}

/*
 * Admission trusts the worst case: a run metered against it must fit, or a
 * deadline chain could be admitted that overruns its budget.
 */
static void check_worst_case(struct world *w, struct kbpf_prog *prog, u32 len)
{
	struct kbpf_run_meter m = { .budget = prog->worst_case };
	struct kbpf_nf_ctx *ctx;

	if (prog->worst_case == KBPF_WORST_CASE_UNBOUNDED ||
	    kbpf_prog_prepare_metered(prog))
		return;
	cur_world = w;
	fill_packet(w, len);
	ctx = place_ctx(w, len);
	memset(w->stack, w->junk, KBPF_RUN_STACK_SIZE);
	reset_maps(w);
	kbpf_prog_run_metered(prog, ctx, NULL, &m);
	if (m.overrun || m.used > prog->worst_case) {
		fprintf(stderr,
			"worst-case bug: a run charged %llu%s, the worst case is %llu (len %u)\n",
			(unsigned long long)m.used, m.overrun ? " and more" : "",
			(unsigned long long)prog->worst_case, len);
		abort();
	}
}

/* progs[i] was loaded against worlds[i]'s maps. */
static void run_checked(struct kbpf_prog *progs[2], u32 len)
{
	u64 d1, d2, r1, r2;

	check_worst_case(&worlds[0], progs[0], len);
	r1 = run_in(&worlds[0], progs[0], len, &d1);
	r2 = run_in(&worlds[1], progs[1], len, &d2);
	if (r1 > KBPF_NF_ACCEPT && r1 != KBPF_NF_REJECT) {
		fprintf(stderr, "verifier bug: r0 = %llu is not a verdict (len %u)\n",
			(unsigned long long)r1, len);
		abort();
	}
	if (r1 != r2 || d1 != d2) {
		fprintf(stderr,
			"verifier bug: the result depends on addresses or on uninitialised stack (len %u: r0 %llu vs %llu, maps %llx vs %llx)\n",
			len, (unsigned long long)r1, (unsigned long long)r2,
			(unsigned long long)d1, (unsigned long long)d2);
		abort();
	}
}

static void run_all(struct kbpf_prog *progs[2])
{
	u32 i;

	for (i = 0; i < sizeof(pkt_lens) / sizeof(pkt_lens[0]); i++)
		run_checked(progs, pkt_lens[i]);
}

#ifdef KBPF_FUZZ_AOT
/*
 * The differential build (make fuzz-aot): every accepted program also runs
 * as native code (bpf2c, cc -O2, dlopen), and both engines must leave the
 * same r0, map contents and call frames for every packet length.
 */
#include "../../userspace-tool/aot/aot_user.h"

#define FUZZ_LENS	(sizeof(pkt_lens) / sizeof(pkt_lens[0]))

struct engine_result {
	u64 r0, maps, frames;
};

/*
 * The BPF frames of the run stack: past the run context (which holds the
 * run's pointers, set by the interpreter only) and before the interpreter's
 * call records.
 */
static u64 frames_digest(const struct world *w)
{
	const u8 *frames = w->stack + KBPF_RUN_CTX_SPACE;
	u64 h = 1469598103934665603ULL;
	u32 b;

	for (b = 0; b < KBPF_MAX_CALL_FRAMES * KBPF_STACK_SIZE; b++)
		h = (h ^ frames[b]) * 1099511628211ULL;
	return h;
}

static void run_engine(struct kbpf_prog *prog, struct engine_result *out)
{
	u32 i;

	for (i = 0; i < FUZZ_LENS; i++) {
		out[i].r0 = run_in(&worlds[0], prog, pkt_lens[i], &out[i].maps);
		out[i].frames = frames_digest(&worlds[0]);
	}
}

static unsigned long n_native;

static void print_native(void)
{
	fprintf(stderr, "verifier_fuzz: %lu programs compared with native code\n",
		n_native);
}

static void compare_with_native(struct kbpf_prog *prog)
{
	struct engine_result interp[FUZZ_LENS], native[FUZZ_LENS];
	struct aot_user_obj obj;
	u32 i;

	if (!n_native++)
		atexit(print_native);
	run_engine(prog, interp);
	if (aot_user_bind(prog, &obj)) {
		fprintf(stderr, "aot: cannot compile an accepted program\n");
		abort();
	}
	run_engine(prog, native);
	aot_user_release(prog, &obj);
	for (i = 0; i < FUZZ_LENS; i++) {
		if (!memcmp(&interp[i], &native[i], sizeof(interp[i])))
			continue;
		fprintf(stderr,
			"aot mismatch (packet %u bytes): r0 %llx vs %llx, maps %llx vs %llx, frames %llx vs %llx\n",
			pkt_lens[i], (unsigned long long)interp[i].r0,
			(unsigned long long)native[i].r0,
			(unsigned long long)interp[i].maps,
			(unsigned long long)native[i].maps,
			(unsigned long long)interp[i].frames,
			(unsigned long long)native[i].frames);
		abort();
	}
}
#endif /* KBPF_FUZZ_AOT */

static void dump_prog(const struct kbpf_insn *insns, u32 n)
{
	char buf[128];
	u32 i;

	for (i = 0; i < n; i++) {
		kbpf_disasm_insn(&insns[i], buf, sizeof(buf));
		fprintf(stderr, "%3u: %s\n", i, buf);
	}
}

/* How much of what was generated the verifier let through. */
static unsigned long n_generated, n_accepted;

static void print_acceptance(void)
{
	fprintf(stderr, "verifier_fuzz: %lu programs, %lu accepted and run\n",
		n_generated, n_accepted);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct reader r = { data, size };
	struct kbpf_prog_load_opts opts = { 0 };
	struct kbpf_prog *progs[2] = { NULL, NULL };
	struct gen g;
	int err[2], i;

	if (!ready) {
		ready = !setup();
		atexit(print_acceptance);
	}
	n_generated++;
	memset(&g, 0, sizeof(g));
	generate(&g, &r);
	limits.max_processed_insns = 50000;
	opts.type = KBPF_PROG_TYPE_NETFILTER;
	opts.insns = g.insns;
	opts.insn_cnt = g.n;
	opts.limits = &limits;
	opts.helpers = &fuzz_helper_table;
	opts.map_by_id = fuzz_map_by_id;
	/* Save the program for `kbpfctl verify --raw FILE --type netfilter`. */
	if (getenv("KBPF_FUZZ_RAW")) {
		FILE *f = fopen(getenv("KBPF_FUZZ_RAW"), "wb");

		if (f) {
			fwrite(g.insns, sizeof(g.insns[0]), g.n, f);
			fclose(f);
		}
	}
	/* Harness self-test: without the verifier the checks must fire. */
	if (getenv("KBPF_FUZZ_NO_VERIFY"))
		opts.flags = KBPF_LOAD_NO_VERIFY;
	/*
	 * Once per world: the program binds that world's maps.  A program
	 * refused once is not loaded again (verification is deterministic,
	 * which the accepted ones check).
	 */
	opts.map_priv = &worlds[0];
	err[0] = err[1] = kbpf_prog_load(&opts, &progs[0]);
	if (!err[0]) {
		opts.map_priv = &worlds[1];
		err[1] = kbpf_prog_load(&opts, &progs[1]);
	}
	if (err[0] != err[1]) {
		fprintf(stderr, "verifier bug: loads gave %d and %d\n", err[0], err[1]);
		abort();
	}
	if (!err[0]) {
		n_accepted++;
		if (getenv("KBPF_FUZZ_DUMP"))
			dump_prog(g.insns, g.n);
		run_all(progs);
#ifdef KBPF_FUZZ_AOT
		compare_with_native(progs[0]);
#endif
	}
	for (i = 0; i < 2; i++)
		if (progs[i])
			kbpf_prog_free(progs[i]);
	return 0;
}
