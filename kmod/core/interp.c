// SPDX-License-Identifier: GPL-2.0
/*
 * The kbpf interpreter: RFC 9669 (cpu v4) over a decoded image.
 *
 * Design.  At load, kbpf_interp_build() turns each instruction into a
 * struct kbpf_image_insn holding the address of the label that executes it
 * (computed goto) plus its register numbers, offset and immediate.  Fields
 * that select a variant of an opcode (off of sdiv/smod and movsx, imm of
 * byte swaps and atomics, src of call) are folded into the label choice
 * then, so no handler looks at them again.  The dispatch table is indexed by
 * an internal op number (enum kbpf_iop) generated from KBPF_INSN_MAP plus
 * the refined variants listed in KBPF_IOP_VARIANTS.
 *
 * A run checks nothing the loader or verifier proved: registers are in
 * range, jumps land on instructions, helpers exist, memory accesses are
 * safe.  What remains are the semantics RFC 9669 gives to corner cases:
 * shift amounts are masked to the operand width, division by zero yields 0
 * and modulo by zero leaves the dividend, and signed division of the most
 * negative value by -1 wraps instead of trapping.  One slot past the last
 * instruction holds a sentinel, so a program run without the verifier that
 * falls off its end stops instead of running off the image.
 *
 * Call frames (KBPF_STACK_SIZE bytes each) and the registers a bpf-to-bpf
 * call saves live in memory from kbpf_run_stack_acquire(), keeping the C
 * stack of a run small.
 *
 * r0 = imm; exit, how most programs end and how a constant is returned,
 * runs as one op (fuse_returns()), saving a dispatch per run.
 *
 * Metered runs (the deadline policy) use a second image of the same
 * program, built on demand: the first instruction of every basic block
 * points at op_METER instead of its handler.  op_METER charges the whole
 * block to the run's budget (the run context's meter), stops the run if
 * that exceeds it, and jumps to the block's real handler, kept beside the
 * image.  Tail calls and bpf_loop callbacks stay in metered images.  Plain
 * runs never reach op_METER, so metering costs them nothing.
 */
#include "interp.h"
#include "prog.h"
#include "maps/map.h"
#include "helpers.h"
#include "sched/worst_case.h"

/* Lets objtool recognise the dispatch table (as the kernel's own
 * interpreter does); empty where there is no objtool.
 */
#ifndef __annotate_jump_table
#define __annotate_jump_table
#endif

/* Opcode variants decided at load from fields other than the opcode. */
#define KBPF_IOP_VARIANTS(OP)						\
	OP(ALU64_SDIV_K, 0) OP(ALU64_SDIV_X, 0)				\
	OP(ALU64_SMOD_K, 0) OP(ALU64_SMOD_X, 0)				\
	OP(ALU32_SDIV_K, 0) OP(ALU32_SDIV_X, 0)				\
	OP(ALU32_SMOD_K, 0) OP(ALU32_SMOD_X, 0)				\
	OP(ALU64_MOVSX8, 0) OP(ALU64_MOVSX16, 0) OP(ALU64_MOVSX32, 0)	\
	OP(ALU32_MOVSX8, 0) OP(ALU32_MOVSX16, 0)			\
	OP(END_TRUNC16, 0) OP(END_TRUNC32, 0) OP(END_NOP, 0)		\
	OP(END_SWAP16, 0) OP(END_SWAP32, 0) OP(END_SWAP64, 0)		\
	KBPF_IOP_ATOMICS(OP, W) KBPF_IOP_ATOMICS(OP, DW)		\
	OP(CALL_REL, 0) OP(TAIL_CALL, 0)				\
	OP(RET_IMM64, 0) OP(RET_IMM32, 0)				\
	OP(METER, 0)							\
	OP(FELL_OFF, 0)

#define KBPF_IOP_ATOMICS(OP, S)						\
	OP(ATOMIC_##S##_ADD, 0) OP(ATOMIC_##S##_OR, 0)			\
	OP(ATOMIC_##S##_AND, 0) OP(ATOMIC_##S##_XOR, 0)			\
	OP(ATOMIC_##S##_FETCH_ADD, 0) OP(ATOMIC_##S##_FETCH_OR, 0)	\
	OP(ATOMIC_##S##_FETCH_AND, 0) OP(ATOMIC_##S##_FETCH_XOR, 0)	\
	OP(ATOMIC_##S##_XCHG, 0) OP(ATOMIC_##S##_CMPXCHG, 0)

enum kbpf_iop {
#define KBPF_IOP_ENUM(name, code) KBPF_IOP_##name,
	KBPF_INSN_MAP(KBPF_IOP_ENUM)
	KBPF_IOP_VARIANTS(KBPF_IOP_ENUM)
#undef KBPF_IOP_ENUM
	KBPF_IOP_COUNT
};

/* One decoded instruction: 16 bytes, the handler first. */
struct kbpf_image_insn {
	const void *op;
	u8 dst;
	u8 src;
	s16 off;
	s32 imm;
};

/* At a block's first instruction in a metered image: its cost and op. */
struct kbpf_meter_slot {
	u32 block_len;
	u32 iop;
};

struct kbpf_prog_image {
	const struct kbpf_helper *helpers;
	u32 cnt;
	const struct kbpf_meter_slot *meter;	/* metered image only */
	struct kbpf_image_insn insns[];	/* cnt + 1: the last is a sentinel */
};

/* What a bpf-to-bpf call saves: callee-saved r6..r9, fp, return point. */
struct call_save {
	u64 regs[4];
	u64 fp;
	const struct kbpf_image_insn *ret;
	u64 __pad[2];
};

/*
 * The run context first, then frame 0: a run confined to frame 0 touches
 * only struct kbpf_run_frame0's bytes (kbpf_core.h), which a hook may keep
 * on its own stack.
 */
struct run_frames {
	union {
		struct kbpf_run_ctx run;
		u8 run_space[KBPF_RUN_CTX_SPACE];
	};
	u8 stack[KBPF_MAX_CALL_FRAMES][KBPF_STACK_SIZE];
	struct call_save calls[KBPF_MAX_CALL_FRAMES];
};

_Static_assert(sizeof(struct run_frames) <= KBPF_RUN_STACK_SIZE,
	       "KBPF_RUN_STACK_SIZE too small for the call frames");
_Static_assert(KBPF_IOP_COUNT <= 255, "op numbers must fit in u8");
_Static_assert(offsetof(struct run_frames, run) == 0 &&
	       sizeof(struct kbpf_run_ctx) <= KBPF_RUN_CTX_SPACE &&
	       offsetof(struct run_frames, stack) == KBPF_RUN_CTX_SPACE &&
	       sizeof(struct kbpf_run_frame0) ==
	       offsetof(struct run_frames, stack[1]),
	       "struct kbpf_run_frame0 must be run_frames up to frame 1");

/* Base op of each opcode byte, plus one; 0 for an invalid opcode. */
static const u8 base_iop[256] = {
#define KBPF_IOP_BASE(name, code) [code] = KBPF_IOP_##name + 1,
	KBPF_INSN_MAP(KBPF_IOP_BASE)
#undef KBPF_IOP_BASE
};

/*
 * Division, modulo and unaligned memory access are kbpf_native.h's: the
 * interpreter and compiled code share one definition of RFC 9669's corner
 * cases (division by zero gives 0, modulo by zero the dividend, S64_MIN / -1
 * wraps), so the two engines cannot drift apart.
 */

static __always_inline u64 frame_top(struct run_frames *frames, u32 depth)
{
	return (u64)(uintptr_t)frames->stack[depth] + KBPF_STACK_SIZE;
}

/*
 * The interpreter loop (kbpf_core.h).  Called with table_out set (and
 * nothing else) it only hands out its label table, which the image builder
 * needs; labels' addresses are only meaningful inside this one function,
 * hence noinline and noclone.
 */
noinline __noclone KBPF_PACKET_TEXT u64
kbpf_interp_exec(const struct kbpf_prog_image *img,
		 const struct kbpf_image_insn *start, u32 depth,
		 const u64 *args, void *run_stack,
		 const void *const **table_out)
{
	struct run_frames *frames = run_stack;
	static const void *const table[KBPF_IOP_COUNT] __annotate_jump_table = {
#define KBPF_IOP_LABEL(name, code) [KBPF_IOP_##name] = &&op_##name,
		KBPF_INSN_MAP(KBPF_IOP_LABEL)
		KBPF_IOP_VARIANTS(KBPF_IOP_LABEL)
#undef KBPF_IOP_LABEL
	};
	const struct kbpf_image_insn *insn;
	const struct kbpf_helper *helpers;
	/*
	 * Every register is set below: no -ftrivial-auto-var-init fill, which
	 * GCC makes a rep stos costing more than a short program's run.
	 */
	u64 regs[KBPF_REG_COUNT] __uninitialized;
	const u32 base = depth;	/* a callback returns at its entry depth */

	if (table_out) {
		*table_out = table;
		return 0;
	}

	helpers = img->helpers;
	insn = start ?: img->insns;
	regs[0] = 0;
	regs[1] = args[0];
	regs[2] = args[1];
	regs[3] = args[2];
	regs[4] = args[3];
	regs[5] = args[4];
	regs[6] = 0;
	regs[7] = 0;
	regs[8] = 0;
	regs[9] = 0;
	regs[10] = frame_top(frames, depth);
	goto *insn->op;

/* Flow-control macros keep each handler to its one line of semantics. */
#define DST	regs[insn->dst]
#define SRC	regs[insn->src]
#define IMM	insn->imm
#define NEXT()	do { insn++; goto *insn->op; } while (0)
#define JUMP_IF(cond)							\
	do {								\
		if (cond)						\
			insn += insn->off;				\
		NEXT();							\
	} while (0)

/*
 * ALU handlers: expr computes from d (dst) and s (src or imm) in the
 * operation's width.  ALU64 sign-extends imm; ALU32 uses its low 32 bits and
 * zero-extends the result.
 */
#define ALU64(name, expr)						\
	op_ALU64_##name##_X: {						\
		u64 d = DST, s = SRC;					\
		DST = (expr);						\
		NEXT();							\
	}								\
	op_ALU64_##name##_K: {						\
		u64 d = DST, s = (u64)(s64)IMM;				\
		DST = (expr);						\
		NEXT();							\
	}
#define ALU32(name, expr)						\
	op_ALU32_##name##_X: {						\
		u32 d = (u32)DST, s = (u32)SRC;				\
		DST = (u32)(expr);					\
		NEXT();							\
	}								\
	op_ALU32_##name##_K: {						\
		u32 d = (u32)DST, s = (u32)IMM;				\
		DST = (u32)(expr);					\
		NEXT();							\
	}

	ALU64(ADD, d + s)
	ALU64(SUB, d - s)
	ALU64(MUL, d * s)
	ALU64(DIV, kbpf_native_div64(d, s))
	ALU64(SDIV, kbpf_native_sdiv64(d, s))
	ALU64(MOD, kbpf_native_mod64(d, s))
	ALU64(SMOD, kbpf_native_smod64(d, s))
	ALU64(OR, d | s)
	ALU64(AND, d & s)
	ALU64(XOR, d ^ s)
	/* Shift amounts are masked to the width, so no shift is undefined. */
	ALU64(LSH, d << (s & 63))
	ALU64(RSH, d >> (s & 63))
	ALU64(ARSH, (u64)((s64)d >> (s & 63)))
	ALU64(MOV, ((void)d, s))

	ALU32(ADD, d + s)
	ALU32(SUB, d - s)
	ALU32(MUL, d * s)
	ALU32(DIV, kbpf_native_div32(d, s))
	ALU32(SDIV, kbpf_native_sdiv32(d, s))
	ALU32(MOD, kbpf_native_mod32(d, s))
	ALU32(SMOD, kbpf_native_smod32(d, s))
	ALU32(OR, d | s)
	ALU32(AND, d & s)
	ALU32(XOR, d ^ s)
	ALU32(LSH, d << (s & 31))
	ALU32(RSH, d >> (s & 31))
	ALU32(ARSH, (u32)((s32)d >> (s & 31)))
	ALU32(MOV, ((void)d, s))

op_ALU64_NEG:
	DST = -DST;
	NEXT();
op_ALU32_NEG:
	DST = (u32)-(u32)DST;
	NEXT();
op_ALU64_MOVSX8:
	DST = (u64)(s64)(s8)SRC;
	NEXT();
op_ALU64_MOVSX16:
	DST = (u64)(s64)(s16)SRC;
	NEXT();
op_ALU64_MOVSX32:
	DST = (u64)(s64)(s32)SRC;
	NEXT();
op_ALU32_MOVSX8:
	DST = (u32)(s32)(s8)SRC;
	NEXT();
op_ALU32_MOVSX16:
	DST = (u32)(s32)(s16)SRC;
	NEXT();

	/* Byte swaps, already resolved for the host's byte order. */
op_END_TRUNC16:
	DST = (u16)DST;
	NEXT();
op_END_TRUNC32:
	DST = (u32)DST;
	NEXT();
op_END_NOP:
	NEXT();
op_END_SWAP16:
	DST = __builtin_bswap16((u16)DST);
	NEXT();
op_END_SWAP32:
	DST = __builtin_bswap32((u32)DST);
	NEXT();
op_END_SWAP64:
	DST = __builtin_bswap64(DST);
	NEXT();

/* Conditional jumps: d and s unsigned, sd and ss signed, in the width. */
#define JMP_COND(name, cond)						\
	op_JMP_##name##_X: {						\
		u64 d = DST, s = SRC;					\
		s64 sd = (s64)d, ss = (s64)s;				\
		(void)sd; (void)ss;					\
		JUMP_IF(cond);						\
	}								\
	op_JMP_##name##_K: {						\
		u64 d = DST, s = (u64)(s64)IMM;				\
		s64 sd = (s64)d, ss = (s64)s;				\
		(void)sd; (void)ss;					\
		JUMP_IF(cond);						\
	}								\
	op_JMP32_##name##_X: {						\
		u32 d = (u32)DST, s = (u32)SRC;				\
		s32 sd = (s32)d, ss = (s32)s;				\
		(void)sd; (void)ss;					\
		JUMP_IF(cond);						\
	}								\
	op_JMP32_##name##_K: {						\
		u32 d = (u32)DST, s = (u32)IMM;				\
		s32 sd = (s32)d, ss = (s32)s;				\
		(void)sd; (void)ss;					\
		JUMP_IF(cond);						\
	}

	JMP_COND(JEQ, d == s)
	JMP_COND(JNE, d != s)
	JMP_COND(JGT, d > s)
	JMP_COND(JGE, d >= s)
	JMP_COND(JLT, d < s)
	JMP_COND(JLE, d <= s)
	JMP_COND(JSET, d & s)
	JMP_COND(JSGT, sd > ss)
	JMP_COND(JSGE, sd >= ss)
	JMP_COND(JSLT, sd < ss)
	JMP_COND(JSLE, sd <= ss)

op_JMP_JA:
	insn += insn->off;
	NEXT();
op_JMP32_JA:
	insn += insn->imm;
	NEXT();

op_JMP_CALL:
	frames->run.call = insn;
	frames->run.depth = depth;
	regs[0] = helpers[insn->imm].fn(regs[1], regs[2], regs[3], regs[4],
					regs[5]);
	NEXT();
op_TAIL_CALL:
	/*
	 * bpf_tail_call(ctx, prog_array, index): on success the target runs in
	 * this frame with r1 still the context and never returns here; on
	 * failure execution goes on after the call.  The verifier allows it
	 * only in the main frame, so depth is 0 here.
	 */
	{
		const struct kbpf_prog *next = NULL;

		if (frames->run.tail_calls < KBPF_MAX_TAIL_CALLS)
			next = kbpf_prog_array_get((struct kbpf_map *)(uintptr_t)regs[2],
						   regs[3]);
		if (!next) {
			regs[0] = (u64)-ENOENT;
			NEXT();
		}
		/* A metered run stays metered; no twin, no way to meter it. */
		if (frames->run.meter && !next->image_metered) {
			frames->run.meter->overrun = true;
			return 0;
		}
		frames->run.tail_calls++;
		frames->run.prog = next;
		/*
		 * A target bound to compiled code runs it in this frame (the
		 * main one: frame 0 of the run stack is its frame), with r1..r5
		 * as they are; its r0 is the run's.
		 */
		if (!frames->run.meter && next->native && !depth)
			return next->native(&regs[1], frames->stack[0],
					    &next->native_ctx);
		img = frames->run.meter ? next->image_metered : next->image;
		helpers = img->helpers;
		insn = img->insns;
		goto *insn->op;
	}
op_CALL_REL:
	/* The verifier bounds the depth; this guards unverified test runs. */
	if (unlikely(depth + 1 >= KBPF_MAX_CALL_FRAMES)) {
		kbpf_bug("call depth over %d frames", KBPF_MAX_CALL_FRAMES);
		return 0;
	}
	frames->calls[depth].regs[0] = regs[6];
	frames->calls[depth].regs[1] = regs[7];
	frames->calls[depth].regs[2] = regs[8];
	frames->calls[depth].regs[3] = regs[9];
	frames->calls[depth].fp = regs[10];
	frames->calls[depth].ret = insn;
	depth++;
	regs[10] = frame_top(frames, depth);
	insn += insn->imm;
	NEXT();
/* r0 = imm; exit, fused by fuse_returns(): one dispatch for the pair. */
op_RET_IMM64:
	regs[0] = (u64)(s64)IMM;
	goto op_JMP_EXIT;
op_RET_IMM32:
	regs[0] = (u32)IMM;
	goto op_JMP_EXIT;
op_JMP_EXIT:
	if (depth == base)
		return regs[0];
	depth--;
	regs[6] = frames->calls[depth].regs[0];
	regs[7] = frames->calls[depth].regs[1];
	regs[8] = frames->calls[depth].regs[2];
	regs[9] = frames->calls[depth].regs[3];
	regs[10] = frames->calls[depth].fp;
	insn = frames->calls[depth].ret;
	NEXT();

/* Loads zero-extend (MEM) or sign-extend (MEMSX) to 64 bits. */
#define MEM(S, bits)							\
	op_LDX_MEM_##S:							\
		DST = kbpf_native_ld##bits(SRC + (u64)(s64)insn->off);		\
		NEXT();							\
	op_ST_MEM_##S:							\
		kbpf_native_st##bits(DST + (u64)(s64)insn->off,		\
			      (u##bits)(s64)IMM);			\
		NEXT();							\
	op_STX_MEM_##S:							\
		kbpf_native_st##bits(DST + (u64)(s64)insn->off, (u##bits)SRC);	\
		NEXT();

	MEM(B, 8)
	MEM(H, 16)
	MEM(W, 32)
	MEM(DW, 64)

op_LDX_MEMSX_B:
	DST = (u64)(s64)(s8)kbpf_native_ld8(SRC + (u64)(s64)insn->off);
	NEXT();
op_LDX_MEMSX_H:
	DST = (u64)(s64)(s16)kbpf_native_ld16(SRC + (u64)(s64)insn->off);
	NEXT();
op_LDX_MEMSX_W:
	DST = (u64)(s64)(s32)kbpf_native_ld32(SRC + (u64)(s64)insn->off);
	NEXT();

/*
 * Atomics on *(dst + off), which the verifier proved aligned.  The fetching
 * forms put the old value in src (zero-extended for W); cmpxchg compares
 * with r0 and puts the old value there.
 */
#define ATOMIC_PTR(bits) ((u##bits *)(uintptr_t)(DST + (u64)(s64)insn->off))
#define ATOMICS(S, bits)						\
	op_ATOMIC_##S##_ADD:						\
		kbpf_atomic##bits##_add(ATOMIC_PTR(bits), (u##bits)SRC); \
		NEXT();							\
	op_ATOMIC_##S##_OR:						\
		kbpf_atomic##bits##_or(ATOMIC_PTR(bits), (u##bits)SRC);	\
		NEXT();							\
	op_ATOMIC_##S##_AND:						\
		kbpf_atomic##bits##_and(ATOMIC_PTR(bits), (u##bits)SRC); \
		NEXT();							\
	op_ATOMIC_##S##_XOR:						\
		kbpf_atomic##bits##_xor(ATOMIC_PTR(bits), (u##bits)SRC); \
		NEXT();							\
	op_ATOMIC_##S##_FETCH_ADD:					\
		SRC = kbpf_atomic##bits##_fetch_add(ATOMIC_PTR(bits),	\
						    (u##bits)SRC);	\
		NEXT();							\
	op_ATOMIC_##S##_FETCH_OR:					\
		SRC = kbpf_atomic##bits##_fetch_or(ATOMIC_PTR(bits),	\
						   (u##bits)SRC);	\
		NEXT();							\
	op_ATOMIC_##S##_FETCH_AND:					\
		SRC = kbpf_atomic##bits##_fetch_and(ATOMIC_PTR(bits),	\
						    (u##bits)SRC);	\
		NEXT();							\
	op_ATOMIC_##S##_FETCH_XOR:					\
		SRC = kbpf_atomic##bits##_fetch_xor(ATOMIC_PTR(bits),	\
						    (u##bits)SRC);	\
		NEXT();							\
	op_ATOMIC_##S##_XCHG:						\
		SRC = kbpf_atomic##bits##_xchg(ATOMIC_PTR(bits),	\
					       (u##bits)SRC);		\
		NEXT();							\
	op_ATOMIC_##S##_CMPXCHG:					\
		regs[0] = kbpf_atomic##bits##_cmpxchg(ATOMIC_PTR(bits),	\
						      (u##bits)regs[0],	\
						      (u##bits)SRC);	\
		NEXT();

	ATOMICS(W, 32)
	ATOMICS(DW, 64)

op_LD_IMM_DW:
	/* The builder put the full value, maps resolved, in the two imms. */
	DST = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
	insn++;
	NEXT();

	/* Opcodes the builder always refines into a variant above. */
op_ALU32_END_LE:
op_ALU32_END_BE:
op_ALU64_END_LE:
op_ALU64_END_BE:
op_STX_ATOMIC_W:
op_STX_ATOMIC_DW:
	kbpf_bug("unrefined opcode at insn %d",
		 (int)(insn - img->insns));
	return 0;
op_METER: {
		const struct kbpf_meter_slot *ms =
			&img->meter[insn - img->insns];
		struct kbpf_run_meter *meter = frames->run.meter;

		meter->used += ms->block_len;
		if (unlikely(meter->used > meter->budget)) {
			meter->overrun = true;
			return 0;
		}
		goto *table[ms->iop];
	}
op_FELL_OFF:
	kbpf_bug("program fell off its end");
	return 0;

#undef DST
#undef SRC
#undef IMM
#undef NEXT
#undef JUMP_IF
#undef ALU64
#undef ALU32
#undef JMP_COND
#undef MEM
#undef ATOMIC_PTR
#undef ATOMICS
}

static bool host_is_little_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}

static enum kbpf_iop select_end_iop(const struct kbpf_insn *insn)
{
	/* A swap to the host's own order only truncates. */
	bool swap = KBPF_CLASS(insn->code) == KBPF_ALU64 ||
		    (KBPF_SRC(insn->code) == KBPF_TO_BE) ==
		    host_is_little_endian();

	switch (insn->imm) {
	case 16:
		return swap ? KBPF_IOP_END_SWAP16 : KBPF_IOP_END_TRUNC16;
	case 32:
		return swap ? KBPF_IOP_END_SWAP32 : KBPF_IOP_END_TRUNC32;
	default:
		return swap ? KBPF_IOP_END_SWAP64 : KBPF_IOP_END_NOP;
	}
}

static enum kbpf_iop select_atomic_iop(const struct kbpf_insn *insn)
{
	/* W and DW variants are laid out alike, ten apart. */
	enum kbpf_iop base = KBPF_SIZE(insn->code) == KBPF_DW ?
			     KBPF_IOP_ATOMIC_DW_ADD : KBPF_IOP_ATOMIC_W_ADD;

	switch (insn->imm) {
	case KBPF_ADD:			return base + 0;
	case KBPF_OR:			return base + 1;
	case KBPF_AND:			return base + 2;
	case KBPF_XOR:			return base + 3;
	case KBPF_ADD | KBPF_FETCH:	return base + 4;
	case KBPF_OR | KBPF_FETCH:	return base + 5;
	case KBPF_AND | KBPF_FETCH:	return base + 6;
	case KBPF_XOR | KBPF_FETCH:	return base + 7;
	case KBPF_XCHG:			return base + 8;
	default:			return base + 9;	/* cmpxchg */
	}
}

static enum kbpf_iop select_movsx_iop(const struct kbpf_insn *insn,
				      enum kbpf_iop iop)
{
	bool alu64 = iop == KBPF_IOP_ALU64_MOV_X;

	switch (insn->off) {
	case 8:
		return alu64 ? KBPF_IOP_ALU64_MOVSX8 : KBPF_IOP_ALU32_MOVSX8;
	case 16:
		return alu64 ? KBPF_IOP_ALU64_MOVSX16 : KBPF_IOP_ALU32_MOVSX16;
	case 32:
		return KBPF_IOP_ALU64_MOVSX32;
	default:
		return iop;
	}
}

/* The op executing a checked instruction. */
static enum kbpf_iop select_iop(const struct kbpf_insn *insn)
{
	enum kbpf_iop iop = (enum kbpf_iop)(base_iop[insn->code] - 1);
	bool is_signed = insn->off == 1;

	switch (iop) {
	case KBPF_IOP_ALU64_DIV_K:
		return is_signed ? KBPF_IOP_ALU64_SDIV_K : iop;
	case KBPF_IOP_ALU64_DIV_X:
		return is_signed ? KBPF_IOP_ALU64_SDIV_X : iop;
	case KBPF_IOP_ALU64_MOD_K:
		return is_signed ? KBPF_IOP_ALU64_SMOD_K : iop;
	case KBPF_IOP_ALU64_MOD_X:
		return is_signed ? KBPF_IOP_ALU64_SMOD_X : iop;
	case KBPF_IOP_ALU32_DIV_K:
		return is_signed ? KBPF_IOP_ALU32_SDIV_K : iop;
	case KBPF_IOP_ALU32_DIV_X:
		return is_signed ? KBPF_IOP_ALU32_SDIV_X : iop;
	case KBPF_IOP_ALU32_MOD_K:
		return is_signed ? KBPF_IOP_ALU32_SMOD_K : iop;
	case KBPF_IOP_ALU32_MOD_X:
		return is_signed ? KBPF_IOP_ALU32_SMOD_X : iop;
	case KBPF_IOP_ALU64_MOV_X:
	case KBPF_IOP_ALU32_MOV_X:
		return select_movsx_iop(insn, iop);
	case KBPF_IOP_ALU32_END_LE:
	case KBPF_IOP_ALU32_END_BE:
	case KBPF_IOP_ALU64_END_LE:
		return select_end_iop(insn);
	case KBPF_IOP_STX_ATOMIC_W:
	case KBPF_IOP_STX_ATOMIC_DW:
		return select_atomic_iop(insn);
	case KBPF_IOP_JMP_CALL:
		if (insn->src_reg == KBPF_PSEUDO_CALL)
			return KBPF_IOP_CALL_REL;
		return insn->imm == KBPF_FUNC_tail_call ? KBPF_IOP_TAIL_CALL : iop;
	default:
		return iop;
	}
}

int kbpf_ld_imm64_value(const struct kbpf_prog *prog,
			const struct kbpf_insn *insn, u64 *value)
{
	struct kbpf_map *map = kbpf_prog_ld_map(prog, insn);

	switch (insn->src_reg) {
	case KBPF_PSEUDO_MAP_ID:
		*value = (u64)(uintptr_t)map;
		return map ? 0 : -EFAULT;
	case KBPF_PSEUDO_MAP_VALUE:
		if (!map)
			return -EFAULT;
		return kbpf_map_direct_value_addr(map, (u32)insn[1].imm, value);
	case KBPF_PSEUDO_FUNC:
		*value = 0;	/* the caller knows the image */
		return 0;
	default:
		*value = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
		return 0;
	}
}

/*
 * objtool cannot follow dispatch through label addresses kept in the image;
 * env_kernel.h is expected to provide this via <linux/objtool.h>.
 */
#ifdef STACK_FRAME_NON_STANDARD
STACK_FRAME_NON_STANDARD(kbpf_interp_exec);
#endif
KBPF_EXPORT_FOR_KUNIT(kbpf_interp_exec);

/*
 * r0 = imm; exit, how most programs end and how a constant is returned,
 * becomes one op at the mov: one dispatch instead of two per run.  The
 * exit keeps its own op for jumps landing on it.  Plain images only: a
 * metered image charges the exit's block on its own (unfuse_returns()).
 */
static void fuse_returns(const struct kbpf_prog *prog,
			 struct kbpf_prog_image *img,
			 const void *const *labels)
{
	u32 i;

	for (i = 0; i + 1 < img->cnt; i++) {
		const struct kbpf_insn *in = &prog->insns[i];
		enum kbpf_iop iop = select_iop(in);

		if (in->dst_reg != KBPF_REG_0 ||
		    select_iop(&in[1]) != KBPF_IOP_JMP_EXIT)
			continue;
		if (iop == KBPF_IOP_ALU64_MOV_K)
			img->insns[i].op = labels[KBPF_IOP_RET_IMM64];
		else if (iop == KBPF_IOP_ALU32_MOV_K)
			img->insns[i].op = labels[KBPF_IOP_RET_IMM32];
	}
}

/* The mov of each fused return back to its own op. */
static void unfuse_returns(const struct kbpf_prog *prog,
			   struct kbpf_prog_image *img,
			   const void *const *labels)
{
	u32 i;

	for (i = 0; i < img->cnt; i++)
		if (img->insns[i].op == labels[KBPF_IOP_RET_IMM64] ||
		    img->insns[i].op == labels[KBPF_IOP_RET_IMM32])
			img->insns[i].op = labels[select_iop(&prog->insns[i])];
}

int kbpf_interp_build(struct kbpf_prog *prog)
{
	const void *const *labels;
	struct kbpf_prog_image *img;
	u32 i, n = prog->insn_cnt;
	int err;

	kbpf_interp_exec(NULL, NULL, 0, NULL, NULL, &labels);
	img = kbpf_zalloc(sizeof(*img) + ((size_t)n + 1) * sizeof(img->insns[0]));
	if (!img)
		return -ENOMEM;
	img->helpers = prog->helpers->helpers;
	img->cnt = n;

	for (i = 0; i < n; i++) {
		const struct kbpf_insn *in = &prog->insns[i];
		struct kbpf_image_insn *out = &img->insns[i];

		out->op = labels[select_iop(in)];
		out->dst = in->dst_reg;
		out->src = in->src_reg;
		out->off = in->off;
		out->imm = in->imm;
		if (kbpf_insn_is_ld_imm64(in)) {
			u64 v;

			err = kbpf_ld_imm64_value(prog, in, &v);
			/* A callback's address: its first decoded insn. */
			if (in->src_reg == KBPF_PSEUDO_FUNC)
				v = (u64)(uintptr_t)&img->insns[i + in->imm + 1];
			if (err) {
				kbpf_bug("insn %u: unresolved map load", i);
				kbpf_free(img);
				return err;
			}
			out->src = 0;
			out->imm = (s32)(u32)v;
			/* Never executed: the handler skips it. */
			out[1].op = labels[KBPF_IOP_FELL_OFF];
			out[1].imm = (s32)(u32)(v >> 32);
			i++;
		}
	}
	img->insns[n].op = labels[KBPF_IOP_FELL_OFF];
	fuse_returns(prog, img, labels);
	/* Typed format call sites: the helper finds its site by insn. */
	for (i = 0; i < prog->fmt_site_cnt; i++)
		img->insns[prog->fmt_sites[i].insn].off = (s16)(i + 1);
	prog->image = img;
	return 0;
}

size_t kbpf_prog_image_copy_size(const struct kbpf_prog *prog, size_t max)
{
	size_t size;

	/*
	 * Jumps are relative, but a callback's or a bpf-to-bpf call's target
	 * is an address in the image: only programs with neither (frame 0
	 * only) run from a copy.  Compiled ones run no image.
	 */
	if (prog->native || !prog->image || !kbpf_prog_frame0_only(prog))
		return 0;
	size = sizeof(*prog->image) +
	       ((size_t)prog->image->cnt + 1) * sizeof(prog->image->insns[0]);
	return size <= max ? size : 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_image_copy_size);

const struct kbpf_prog_image *kbpf_prog_image_copy(const struct kbpf_prog *prog,
						   void *dst, size_t size)
{
	memcpy(dst, prog->image, size);
	return dst;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_image_copy);

void kbpf_interp_free(struct kbpf_prog_image *image)
{
	if (image)
		kbpf_free(image->meter);
	kbpf_free(image);
}

/* The metered twin of prog->image: op_METER at every block's start. */
static int build_metered_image(const struct kbpf_prog *prog,
			       struct kbpf_prog_image **out)
{
	const struct kbpf_prog_image *plain = prog->image;
	size_t size = sizeof(*plain) +
		      ((size_t)plain->cnt + 1) * sizeof(plain->insns[0]);
	struct kbpf_meter_slot *meter;
	struct kbpf_prog_image *img;
	const void *const *labels;
	u32 *len, i;

	kbpf_interp_exec(NULL, NULL, 0, NULL, NULL, &labels);
	img = kbpf_zalloc(size);
	meter = kbpf_zalloc((size_t)plain->cnt * sizeof(*meter));
	len = kbpf_zalloc((size_t)plain->cnt * sizeof(*len));
	if (!img || !meter || !len) {
		kbpf_free(img);
		kbpf_free(meter);
		kbpf_free(len);
		return -ENOMEM;
	}
	memcpy(img, plain, size);
	unfuse_returns(prog, img, labels);
	kbpf_block_lengths(prog->insns, plain->cnt, len);
	for (i = 0; i < plain->cnt; i++) {
		if (!len[i])
			continue;
		meter[i].block_len = len[i];
		meter[i].iop = select_iop(&prog->insns[i]);
		img->insns[i].op = labels[KBPF_IOP_METER];
	}
	kbpf_free(len);
	img->meter = meter;
	*out = img;
	return 0;
}

int kbpf_prog_prepare_metered(struct kbpf_prog *prog)
{
	if (prog->image_metered)
		return 0;
	return build_metered_image(prog, &prog->image_metered);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_prepare_metered);

/* What a run starts from; hook_priv and meter are the caller's. */
static void run_ctx_start(struct kbpf_run_ctx *run,
			  const struct kbpf_prog *prog)
{
	run->prog = prog;
	run->call = NULL;
	run->depth = 0;
	run->tail_calls = 0;
	run->loops_left = KBPF_MAX_LOOPS;
}

/* One run on frames, whose hook_priv and meter are set. */
static u64 frames_run(struct run_frames *frames, const struct kbpf_prog *prog,
		      const u64 *args)
{
	const struct kbpf_run_meter *meter = frames->run.meter;
	const struct kbpf_prog_image *img = meter ? prog->image_metered :
						    prog->image;

	run_ctx_start(&frames->run, prog);
	/* Metered runs are interpreted: compiled code has no meter. */
	if (!meter && prog->native)
		return prog->native(args, frames->stack[0], &prog->native_ctx);
	return kbpf_interp_exec(img, NULL, 0, args, frames, NULL);
}

static u64 prog_run(const struct kbpf_prog *prog, const u64 *args,
		    void *hook_priv)
{
	struct run_frames *frames;
	u64 ret;

	/*
	 * Compiled code keeps calls on the C stack; frames are only its BPF
	 * stack, which a verified program with no stack slots never touches.
	 */
	if (kbpf_prog_native_direct(prog))
		return prog->native(args, NULL, &prog->native_ctx);
	frames = kbpf_run_chain_begin(hook_priv);
	if (unlikely(!frames))
		return 0;
	ret = frames_run(frames, prog, args);
	kbpf_run_chain_end(frames);
	return ret;
}

void *kbpf_run_chain_begin(void *hook_priv)
{
	struct run_frames *frames = kbpf_run_stack_acquire();

	if (unlikely(!frames)) {
		kbpf_bug("no frame memory for a program run");
		return NULL;
	}
	frames->run.hook_priv = hook_priv;
	frames->run.meter = NULL;
	return frames;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_run_chain_begin);

u64 kbpf_run_chain_prog(void *chain, const struct kbpf_prog *prog,
			const u64 *args)
{
	return frames_run(chain, prog, args);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_run_chain_prog);

void kbpf_run_chain_start(void *chain, const struct kbpf_prog *prog)
{
	struct run_frames *frames = chain;

	run_ctx_start(&frames->run, prog);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_run_chain_start);

u64 kbpf_run_chain_prog_metered(void *chain, const struct kbpf_prog *prog,
				const u64 *args, struct kbpf_run_meter *meter)
{
	struct run_frames *frames = chain;
	u64 r0;

	meter->used = 0;
	meter->overrun = false;
	if (unlikely(!prog->image_metered)) {
		kbpf_bug("metered run of a program without a metered image");
		meter->overrun = true;
		return 0;
	}
	frames->run.meter = meter;
	r0 = frames_run(frames, prog, args);
	frames->run.meter = NULL;
	return r0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_run_chain_prog_metered);

u64 kbpf_prog_run_args(const struct kbpf_prog *prog, const u64 *args)
{
	return prog_run(prog, args, NULL);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_run_args);

u64 kbpf_prog_run(const struct kbpf_prog *prog, const void *ctx)
{
	u64 args[KBPF_HELPER_ARGS] = { (u64)(uintptr_t)ctx };

	return prog_run(prog, args, NULL);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_run);

u64 kbpf_prog_run_hook_stacked(const struct kbpf_prog *prog, const u64 *args,
			       void *hook_priv)
{
	return prog_run(prog, args, hook_priv);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_run_hook_stacked);

u64 kbpf_prog_run_metered(const struct kbpf_prog *prog, const void *ctx,
			  void *hook_priv, struct kbpf_run_meter *meter)
{
	u64 args[KBPF_HELPER_ARGS] = { (u64)(uintptr_t)ctx };
	void *chain = kbpf_run_chain_begin(hook_priv);
	u64 r0;

	if (unlikely(!chain)) {
		meter->used = 0;
		meter->overrun = false;
		return 0;
	}
	r0 = kbpf_run_chain_prog_metered(chain, prog, args, meter);
	kbpf_run_chain_end(chain);
	return r0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_run_metered);

struct kbpf_run_ctx *kbpf_run_current(void)
{
	struct run_frames *frames = kbpf_run_stack_current();

	return frames ? &frames->run : NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_run_current);

/* The format site the verifier typed for the helper call being made. */
const struct kbpf_fmt_site *kbpf_run_fmt_site(const struct kbpf_run_ctx *run)
{
	const struct kbpf_image_insn *call = run->call;

	if (!call || call->off <= 0 || (u32)call->off > run->prog->fmt_site_cnt)
		return NULL;
	return &run->prog->fmt_sites[call->off - 1];
}

/*
 * Compiled code's twin of op_JMP_CALL's bookkeeping, before a format helper
 * call: stack is frame 0 of the run stack prog_run() handed it (a program
 * calling such a helper always gets one: uses_run_ctx), insn the call's
 * index.
 */
void kbpf_native_at_call(u8 *stack, u32 insn)
{
	struct run_frames *frames;
	const struct kbpf_prog *prog;

	if (unlikely(!stack))
		return;
	frames = (struct run_frames *)(stack - offsetof(struct run_frames,
							stack));
	prog = frames->run.prog;
	frames->run.call = insn < prog->insn_cnt ? &prog->image->insns[insn] :
			   NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_native_at_call);

/*
 * Run a callback (a bpf_loop body) from inside the helper call made at
 * depth: it gets the next frame and returns when its own exit is reached.
 */
u64 kbpf_run_callback(struct kbpf_run_ctx *run, u32 depth, u64 target,
		      const u64 *args)
{
	struct run_frames *frames = (struct run_frames *)
		((u8 *)run - offsetof(struct run_frames, run));
	const struct kbpf_prog_image *img = run->prog->image;
	const struct kbpf_image_insn *start =
		(const struct kbpf_image_insn *)(uintptr_t)target;

	if (unlikely(depth + 1 >= KBPF_MAX_CALL_FRAMES)) {
		kbpf_bug("callback depth over %d frames", KBPF_MAX_CALL_FRAMES);
		return 1;
	}
	/* Targets are plain-image addresses: the same slot, metered. */
	if (run->meter) {
		start = run->prog->image_metered->insns + (start - img->insns);
		img = run->prog->image_metered;
	}
	return kbpf_interp_exec(img, start, depth + 1, args, frames, NULL);
}
