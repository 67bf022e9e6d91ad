// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark programs.  Each builder also computes, in plain C, what the
 * program must return, so a run that is fast but wrong is caught.
 */
#include "programs.h"

#define BENCH_ALU_BLOCKS	200	/* 5 instructions each */
#define BENCH_BRANCH_BLOCKS	250	/* 2 instructions each, both paths */
#define BENCH_MEMORY_BLOCKS	250	/* 4 instructions each */
#define BENCH_CALL_COUNT	100	/* call + 2-instruction subprogram */

struct insn_buf {
	struct kbpf_insn *insns;
	u32 len, cap;
};

static int emit(struct insn_buf *b, struct kbpf_insn insn)
{
	if (b->len == b->cap)
		return -ENOMEM;
	b->insns[b->len++] = insn;
	return 0;
}

static int buf_init(struct insn_buf *b, u32 cap)
{
	b->insns = kbpf_zalloc(cap * sizeof(*b->insns));
	b->len = 0;
	b->cap = cap;
	return b->insns ? 0 : -ENOMEM;
}

#define BENCH_SEED	0x45	/* the packet's first byte (IPv4, IHL 5) */
#define BENCH_SEED_EXECUTED	6

/*
 * Prologue: r9 = the packet's first byte, BENCH_SEED.  The programs derive
 * their starting values from it rather than from constants, so that an
 * optimising compiler (ahead-of-time compilation) cannot fold a whole
 * benchmark into its result, which no interpreter or JIT could do either.
 * Executes BENCH_SEED_EXECUTED instructions.
 */
static int emit_seed(struct insn_buf *b, const struct bench_ctx_layout *l)
{
	u8 sz = l->data_size;
	int err = 0;

	err |= emit(b, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sz, KBPF_REG_2,
				     KBPF_REG_1, l->data_off, 0));
	err |= emit(b, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sz, KBPF_REG_3,
				     KBPF_REG_1, l->data_end_off, 0));
	err |= emit(b, KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_2));
	err |= emit(b, KBPF_ALU64_IMM(ADD, KBPF_REG_4, 1));
	err |= emit(b, KBPF_JMP_REG(JLE, KBPF_REG_4, KBPF_REG_3, 2));
	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 0));
	err |= emit(b, KBPF_EXIT_INSN());
	err |= emit(b, KBPF_LDX_MEM(B, KBPF_REG_9, KBPF_REG_2, 0));
	return err;
}

/* reg = BENCH_SEED + (value - BENCH_SEED): two instructions. */
static int emit_from_seed(struct insn_buf *b, u8 reg, s32 value)
{
	return emit(b, KBPF_MOV64_REG(reg, KBPF_REG_9)) |
	       emit(b, KBPF_ALU64_IMM(ADD, reg, value - BENCH_SEED));
}

/* r0 = r1 = ...: mixes of add, xor, mul, shift, or on five registers. */
static int build_alu(struct insn_buf *b, struct bench_prog *p,
		     const struct bench_ctx_layout *l)
{
	u64 r0 = 0, r1 = 3, r2 = 5, r3 = 7;
	int err = emit_seed(b, l);

	err |= emit_from_seed(b, KBPF_REG_0, 0);
	err |= emit_from_seed(b, KBPF_REG_1, 3);
	err |= emit_from_seed(b, KBPF_REG_2, 5);
	err |= emit_from_seed(b, KBPF_REG_3, 7);
	for (int i = 0; i < BENCH_ALU_BLOCKS; i++) {
		err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_0, KBPF_REG_1));
		err |= emit(b, KBPF_ALU64_REG(XOR, KBPF_REG_2, KBPF_REG_0));
		err |= emit(b, KBPF_ALU64_IMM(MUL, KBPF_REG_3, 13));
		err |= emit(b, KBPF_ALU64_IMM(LSH, KBPF_REG_1, 1));
		err |= emit(b, KBPF_ALU64_REG(OR, KBPF_REG_1, KBPF_REG_3));
		r0 += r1;
		r2 ^= r0;
		r3 *= 13;
		r1 <<= 1;
		r1 |= r3;
	}
	err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_0, KBPF_REG_2));
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	p->expect_r0 = (r0 + r2) & 1;
	p->executed = b->len - 2;	/* not the prologue's failure exit */
	return err;
}

/* Forward conditional jumps, half taken, half not. */
static int build_branch(struct insn_buf *b, struct bench_prog *p,
			const struct bench_ctx_layout *l)
{
	u64 r0 = 0, executed;
	int err = emit_seed(b, l);

	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 0));
	err |= emit_from_seed(b, KBPF_REG_1, 100);
	executed = BENCH_SEED_EXECUTED + 3;
	for (int i = 0; i < BENCH_BRANCH_BLOCKS; i++) {
		s32 limit = (i & 1) ? 50 : 150;	/* 100 > 50 jumps, > 150 not */

		err |= emit(b, KBPF_JMP_IMM(JGT, KBPF_REG_1, limit, 1));
		err |= emit(b, KBPF_ALU64_IMM(ADD, KBPF_REG_0, 1));
		if (100 > limit) {
			executed += 1;
		} else {
			r0 += 1;
			executed += 2;
		}
	}
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	p->expect_r0 = r0 & 1;
	p->executed = executed + 2;
	return err;
}

/* Stack stores and loads of every size. */
static int build_memory(struct insn_buf *b, struct bench_prog *p,
			const struct bench_ctx_layout *l)
{
	int err = emit_seed(b, l);

	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 0));
	err |= emit_from_seed(b, KBPF_REG_1, 0x1234);
	for (int i = 0; i < BENCH_MEMORY_BLOCKS; i++) {
		s16 off = -8 * (1 + (i % 32));

		err |= emit(b, KBPF_STX_MEM(DW, KBPF_REG_10, KBPF_REG_1, off));
		err |= emit(b, KBPF_LDX_MEM(W, KBPF_REG_2, KBPF_REG_10, off));
		err |= emit(b, KBPF_LDX_MEM(B, KBPF_REG_3, KBPF_REG_10, off));
		err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_0, KBPF_REG_3));
	}
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	/* the low byte of 0x1234 is 0x34, added BENCH_MEMORY_BLOCKS times */
	p->expect_r0 = ((u64)0x34 * BENCH_MEMORY_BLOCKS) & 1;
	p->executed = b->len - 2;	/* not the prologue's failure exit */
	return err;
}

/* BPF-to-BPF calls of a tiny subprogram: r0 = r1 & 1. */
static int build_calls(struct insn_buf *b, struct bench_prog *p,
		       const struct bench_ctx_layout *l)
{
	int err = emit_seed(b, l);

	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_6, 0));
	err |= emit_from_seed(b, KBPF_REG_7, 1);
	for (int i = 0; i < BENCH_CALL_COUNT; i++) {
		/* the subprogram sits after the 3 closing instructions */
		s32 rel = (BENCH_CALL_COUNT - i) * 3 + 1;

		err |= emit(b, KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_7));
		err |= emit(b, KBPF_CALL_REL(rel));
		err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_6, KBPF_REG_0));
	}
	err |= emit(b, KBPF_MOV64_REG(KBPF_REG_0, KBPF_REG_6));
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	/* subprogram: return r1 & 1 */
	err |= emit(b, KBPF_MOV64_REG(KBPF_REG_0, KBPF_REG_1));
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	p->expect_r0 = BENCH_CALL_COUNT & 1;
	p->executed = BENCH_SEED_EXECUTED + 3 + BENCH_CALL_COUNT * 6 + 3;
	return err;
}

/*
 * The least a run can be: r0 = 1.  Its time is the runtime's fixed cost of
 * one test-run repetition (context, call, return), which every other
 * program pays once on top of its instructions.
 */
static int build_empty(struct insn_buf *b, struct bench_prog *p)
{
	int err = emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 1));

	err |= emit(b, KBPF_EXIT_INSN());
	p->expect_r0 = 1;
	p->executed = 2;
	return err;
}

/*
 * The empty program with one stack store: a program with stack slots
 * runs on a run stack, which compiled code without them does not take.
 * Its time is the fixed cost of a repetition on that path.
 */
static int build_empty_stack(struct insn_buf *b, struct bench_prog *p)
{
	int err = emit(b, KBPF_STX_MEM(DW, KBPF_REG_10, KBPF_REG_1, -8));

	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	p->expect_r0 = 1;
	p->executed = 3;
	return err;
}

#define BENCH_PKT_LEN	40	/* IPv4 (20) + TCP (20) */

u32 bench_packet(u8 *buf, u32 size)
{
	static const u8 pkt[BENCH_PKT_LEN] = {
		0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00,
		0x40, 0x06, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01,
		0x0a, 0x00, 0x00, 0x02,			/* IPv4, proto 6 */
		0xc3, 0x50, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff,
		0x00, 0x00, 0x00, 0x00,			/* TCP 50000 -> 80 */
	};

	if (size < sizeof(pkt))
		return 0;
	memcpy(buf, pkt, sizeof(pkt));
	return sizeof(pkt);
}

/*
 * A realistic filter: bounds-check the IPv4 header, honour its IHL, and
 * accept TCP to port 80 or 443, drop other TCP, accept everything else.
 * Returns 1 (accept) on bench_packet().
 */
static int build_packet(struct insn_buf *b, struct bench_prog *p,
			const struct bench_ctx_layout *l)
{
	u8 sz = l->data_size;
	int err = 0;

	/* r2 = data, r3 = data_end */
	err |= emit(b, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sz, KBPF_REG_2,
				     KBPF_REG_1, l->data_off, 0));
	err |= emit(b, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sz, KBPF_REG_3,
				     KBPF_REG_1, l->data_end_off, 0));
	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 1));
	/* if (data + 20 > data_end) accept */
	err |= emit(b, KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_2));
	err |= emit(b, KBPF_ALU64_IMM(ADD, KBPF_REG_4, 20));
	err |= emit(b, KBPF_JMP_REG(JGT, KBPF_REG_4, KBPF_REG_3, 18));
	/* version/IHL, protocol */
	err |= emit(b, KBPF_LDX_MEM(B, KBPF_REG_5, KBPF_REG_2, 0));
	err |= emit(b, KBPF_LDX_MEM(B, KBPF_REG_6, KBPF_REG_2, 9));
	err |= emit(b, KBPF_JMP_IMM(JNE, KBPF_REG_6, 6, 15));
	/* r5 = IHL * 4; need at least 20 */
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_5, 0x0f));
	err |= emit(b, KBPF_ALU64_IMM(LSH, KBPF_REG_5, 2));
	err |= emit(b, KBPF_JMP_IMM(JLT, KBPF_REG_5, 20, 12));
	/* r2 = transport header; bounds-check 4 bytes of ports */
	err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_2, KBPF_REG_5));
	err |= emit(b, KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_2));
	err |= emit(b, KBPF_ALU64_IMM(ADD, KBPF_REG_4, 4));
	err |= emit(b, KBPF_JMP_REG(JGT, KBPF_REG_4, KBPF_REG_3, 8));
	/* destination port, big endian */
	err |= emit(b, KBPF_LDX_MEM(B, KBPF_REG_7, KBPF_REG_2, 2));
	err |= emit(b, KBPF_LDX_MEM(B, KBPF_REG_8, KBPF_REG_2, 3));
	err |= emit(b, KBPF_ALU64_IMM(LSH, KBPF_REG_7, 8));
	err |= emit(b, KBPF_ALU64_REG(OR, KBPF_REG_7, KBPF_REG_8));
	err |= emit(b, KBPF_JMP_IMM(JEQ, KBPF_REG_7, 80, 3));
	err |= emit(b, KBPF_JMP_IMM(JEQ, KBPF_REG_7, 443, 2));
	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 0));
	err |= emit(b, KBPF_EXIT_INSN());
	err |= emit(b, KBPF_EXIT_INSN());			/* r0 is 1 */
	p->expect_r0 = 1;
	/* every instruction up to the port 80 match, then the final exit */
	p->executed = 21 + 1;
	p->packet_len = BENCH_PKT_LEN;
	return err;
}

#define BENCH_CSUM_WORDS	(BENCH_PKT_LEN / 2)

/*
 * The ones' complement sum of the 40 header bytes, as a checksum is
 * computed: one bounds check, then 20 loads and adds that no compiler can
 * fold (the bytes are the packet's), the carries folded twice.  Returns the
 * sum's low bit.
 */
static int build_csum(struct insn_buf *b, struct bench_prog *p,
		      const struct bench_ctx_layout *l)
{
	u8 sz = l->data_size, pkt[BENCH_PKT_LEN];
	u64 sum = 0;
	int err = 0;

	bench_packet(pkt, sizeof(pkt));
	err |= emit(b, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sz, KBPF_REG_2,
				     KBPF_REG_1, l->data_off, 0));
	err |= emit(b, KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | sz, KBPF_REG_3,
				     KBPF_REG_1, l->data_end_off, 0));
	err |= emit(b, KBPF_MOV64_IMM(KBPF_REG_0, 0));
	err |= emit(b, KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_2));
	err |= emit(b, KBPF_ALU64_IMM(ADD, KBPF_REG_4, BENCH_PKT_LEN));
	/* too short: straight to the exit, past the loads and the folds */
	err |= emit(b, KBPF_JMP_REG(JGT, KBPF_REG_4, KBPF_REG_3,
				    BENCH_CSUM_WORDS * 2 + 8 + 1));
	for (int i = 0; i < BENCH_CSUM_WORDS; i++) {
		err |= emit(b, KBPF_LDX_MEM(H, KBPF_REG_5, KBPF_REG_2, 2 * i));
		err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_0, KBPF_REG_5));
		sum += (u16)(pkt[2 * i] | pkt[2 * i + 1] << 8);	/* LE */
	}
	for (int i = 0; i < 2; i++) {
		err |= emit(b, KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_0));
		err |= emit(b, KBPF_ALU64_IMM(RSH, KBPF_REG_1, 16));
		err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 0xffff));
		err |= emit(b, KBPF_ALU64_REG(ADD, KBPF_REG_0, KBPF_REG_1));
		sum = (sum & 0xffff) + (sum >> 16);
	}
	err |= emit(b, KBPF_ALU64_IMM(AND, KBPF_REG_0, 1));
	err |= emit(b, KBPF_EXIT_INSN());
	p->expect_r0 = sum & 1;
	p->executed = b->len;
	p->packet_len = BENCH_PKT_LEN;
	return err;
}

int bench_build(enum bench_id id, const struct bench_ctx_layout *layout,
		struct bench_prog *p)
{
	static const char *const names[BENCH_COUNT][2] = {
		[BENCH_EMPTY]  = { "empty",   "r0 = 1: the per-run cost" },
		[BENCH_EMPTY_STACK] = { "stack", "empty with a stack slot" },
		[BENCH_ALU]    = { "alu64",   "straight-line 64-bit ALU" },
		[BENCH_BRANCH] = { "branchy", "conditional jumps, half taken" },
		[BENCH_MEMORY] = { "memory",  "stack stores and loads" },
		[BENCH_CALLS]  = { "calls",   "bpf-to-bpf calls" },
		[BENCH_PACKET] = { "packet",  "IPv4/TCP port filter" },
		[BENCH_CSUM]   = { "csum",    "checksum of 40 packet bytes" },
	};
	struct insn_buf b;
	int err;

	memset(p, 0, sizeof(*p));
	if (buf_init(&b, 2048))
		return -ENOMEM;
	switch (id) {
	case BENCH_EMPTY:
		err = build_empty(&b, p);
		break;
	case BENCH_EMPTY_STACK:
		err = build_empty_stack(&b, p);
		break;
	case BENCH_ALU:
		err = build_alu(&b, p, layout);
		break;
	case BENCH_BRANCH:
		err = build_branch(&b, p, layout);
		break;
	case BENCH_MEMORY:
		err = build_memory(&b, p, layout);
		break;
	case BENCH_CALLS:
		err = build_calls(&b, p, layout);
		break;
	case BENCH_CSUM:
		err = build_csum(&b, p, layout);
		break;
	default:
		err = build_packet(&b, p, layout);
		break;
	}
	if (err) {
		kbpf_free(b.insns);
		return -ENOMEM;
	}
	p->name = names[id][0];
	p->what = names[id][1];
	p->insns = b.insns;
	p->insn_cnt = b.len;
	return 0;
}

void bench_free(struct bench_prog *p)
{
	kbpf_free(p->insns);
	p->insns = NULL;
}
