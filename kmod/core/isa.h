/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF instruction set as RFC 9669 defines it (cpu v4): encoding constants,
 * one table of every valid opcode, and instruction constructors.
 *
 * KBPF_INSN_MAP() is the single list of opcodes.  The verifier's decoder
 * builds its whitelist from it and the interpreter its dispatch table, so an
 * opcode is either known to both or to neither.
 */
#ifndef KBPF_CORE_ISA_H
#define KBPF_CORE_ISA_H

#include "env.h"
#include <linux/kbpf.h>

/* Instruction classes (code & 0x07). */
#define KBPF_LD		0x00
#define KBPF_LDX	0x01
#define KBPF_ST		0x02
#define KBPF_STX	0x03
#define KBPF_ALU	0x04
#define KBPF_JMP	0x05
#define KBPF_JMP32	0x06
#define KBPF_ALU64	0x07
#define KBPF_CLASS(code)	((code) & 0x07)

/* Load/store size (code & 0x18) and mode (code & 0xe0). */
#define KBPF_W		0x00
#define KBPF_H		0x08
#define KBPF_B		0x10
#define KBPF_DW		0x18
#define KBPF_SIZE(code)	((code) & 0x18)
#define KBPF_IMM	0x00
#define KBPF_ABS	0x20
#define KBPF_IND	0x40
#define KBPF_MEM	0x60
#define KBPF_MEMSX	0x80
#define KBPF_ATOMIC	0xc0
#define KBPF_MODE(code)	((code) & 0xe0)

/* Arithmetic and jump operations (code & 0xf0) and source (code & 0x08). */
#define KBPF_ADD	0x00
#define KBPF_SUB	0x10
#define KBPF_MUL	0x20
#define KBPF_DIV	0x30
#define KBPF_OR		0x40
#define KBPF_AND	0x50
#define KBPF_LSH	0x60
#define KBPF_RSH	0x70
#define KBPF_NEG	0x80
#define KBPF_MOD	0x90
#define KBPF_XOR	0xa0
#define KBPF_MOV	0xb0
#define KBPF_ARSH	0xc0
#define KBPF_END	0xd0
#define KBPF_OP(code)	((code) & 0xf0)

#define KBPF_JA		0x00
#define KBPF_JEQ	0x10
#define KBPF_JGT	0x20
#define KBPF_JGE	0x30
#define KBPF_JSET	0x40
#define KBPF_JNE	0x50
#define KBPF_JSGT	0x60
#define KBPF_JSGE	0x70
#define KBPF_CALL	0x80
#define KBPF_EXIT	0x90
#define KBPF_JLT	0xa0
#define KBPF_JLE	0xb0
#define KBPF_JSLT	0xc0
#define KBPF_JSLE	0xd0

#define KBPF_K		0x00	/* source is imm */
#define KBPF_X		0x08	/* source is src_reg */
#define KBPF_SRC(code)	((code) & 0x08)
/* Byte swaps reuse the source bit: to little or to big endian. */
#define KBPF_TO_LE	0x00
#define KBPF_TO_BE	0x08

/* Atomic operations, in imm of BPF_STX | BPF_ATOMIC. */
#define KBPF_FETCH	0x01
#define KBPF_XCHG	(0xe0 | KBPF_FETCH)
#define KBPF_CMPXCHG	(0xf0 | KBPF_FETCH)

/* Registers. */
enum {
	KBPF_REG_0, KBPF_REG_1, KBPF_REG_2, KBPF_REG_3, KBPF_REG_4,
	KBPF_REG_5, KBPF_REG_6, KBPF_REG_7, KBPF_REG_8, KBPF_REG_9,
	KBPF_REG_10,
	KBPF_REG_COUNT,
};
#define KBPF_REG_FP		KBPF_REG_10

#define KBPF_STACK_SIZE		512	/* bytes per call frame */
#define KBPF_MAX_CALL_FRAMES	8	/* main program plus nested calls */
#define KBPF_HELPER_ARGS	5

/*
 * Every valid opcode byte, in one list.  OP(name, code) is expanded once per
 * opcode; name is the interpreter label, code the opcode byte.  Opcodes
 * whose validity also depends on other fields (the imm of atomics, the off
 * of sdiv/smod/movsx and of sign-extending loads, the imm of byte swaps) are
 * listed once here and checked further by the decoder.
 */
#define KBPF_INSN_MAP_ALU(OP, CLS, P)					\
	OP(P##_ADD_K,  CLS | KBPF_ADD  | KBPF_K)			\
	OP(P##_ADD_X,  CLS | KBPF_ADD  | KBPF_X)			\
	OP(P##_SUB_K,  CLS | KBPF_SUB  | KBPF_K)			\
	OP(P##_SUB_X,  CLS | KBPF_SUB  | KBPF_X)			\
	OP(P##_MUL_K,  CLS | KBPF_MUL  | KBPF_K)			\
	OP(P##_MUL_X,  CLS | KBPF_MUL  | KBPF_X)			\
	OP(P##_DIV_K,  CLS | KBPF_DIV  | KBPF_K)			\
	OP(P##_DIV_X,  CLS | KBPF_DIV  | KBPF_X)			\
	OP(P##_OR_K,   CLS | KBPF_OR   | KBPF_K)			\
	OP(P##_OR_X,   CLS | KBPF_OR   | KBPF_X)			\
	OP(P##_AND_K,  CLS | KBPF_AND  | KBPF_K)			\
	OP(P##_AND_X,  CLS | KBPF_AND  | KBPF_X)			\
	OP(P##_LSH_K,  CLS | KBPF_LSH  | KBPF_K)			\
	OP(P##_LSH_X,  CLS | KBPF_LSH  | KBPF_X)			\
	OP(P##_RSH_K,  CLS | KBPF_RSH  | KBPF_K)			\
	OP(P##_RSH_X,  CLS | KBPF_RSH  | KBPF_X)			\
	OP(P##_NEG,    CLS | KBPF_NEG  | KBPF_K)			\
	OP(P##_MOD_K,  CLS | KBPF_MOD  | KBPF_K)			\
	OP(P##_MOD_X,  CLS | KBPF_MOD  | KBPF_X)			\
	OP(P##_XOR_K,  CLS | KBPF_XOR  | KBPF_K)			\
	OP(P##_XOR_X,  CLS | KBPF_XOR  | KBPF_X)			\
	OP(P##_MOV_K,  CLS | KBPF_MOV  | KBPF_K)			\
	OP(P##_MOV_X,  CLS | KBPF_MOV  | KBPF_X)			\
	OP(P##_ARSH_K, CLS | KBPF_ARSH | KBPF_K)			\
	OP(P##_ARSH_X, CLS | KBPF_ARSH | KBPF_X)			\
	OP(P##_END_LE, CLS | KBPF_END  | KBPF_TO_LE)			\
	OP(P##_END_BE, CLS | KBPF_END  | KBPF_TO_BE)

#define KBPF_INSN_MAP_JMP_COND(OP, CLS, P)				\
	OP(P##_JEQ_K,  CLS | KBPF_JEQ  | KBPF_K)			\
	OP(P##_JEQ_X,  CLS | KBPF_JEQ  | KBPF_X)			\
	OP(P##_JGT_K,  CLS | KBPF_JGT  | KBPF_K)			\
	OP(P##_JGT_X,  CLS | KBPF_JGT  | KBPF_X)			\
	OP(P##_JGE_K,  CLS | KBPF_JGE  | KBPF_K)			\
	OP(P##_JGE_X,  CLS | KBPF_JGE  | KBPF_X)			\
	OP(P##_JSET_K, CLS | KBPF_JSET | KBPF_K)			\
	OP(P##_JSET_X, CLS | KBPF_JSET | KBPF_X)			\
	OP(P##_JNE_K,  CLS | KBPF_JNE  | KBPF_K)			\
	OP(P##_JNE_X,  CLS | KBPF_JNE  | KBPF_X)			\
	OP(P##_JSGT_K, CLS | KBPF_JSGT | KBPF_K)			\
	OP(P##_JSGT_X, CLS | KBPF_JSGT | KBPF_X)			\
	OP(P##_JSGE_K, CLS | KBPF_JSGE | KBPF_K)			\
	OP(P##_JSGE_X, CLS | KBPF_JSGE | KBPF_X)			\
	OP(P##_JLT_K,  CLS | KBPF_JLT  | KBPF_K)			\
	OP(P##_JLT_X,  CLS | KBPF_JLT  | KBPF_X)			\
	OP(P##_JLE_K,  CLS | KBPF_JLE  | KBPF_K)			\
	OP(P##_JLE_X,  CLS | KBPF_JLE  | KBPF_X)			\
	OP(P##_JSLT_K, CLS | KBPF_JSLT | KBPF_K)			\
	OP(P##_JSLT_X, CLS | KBPF_JSLT | KBPF_X)			\
	OP(P##_JSLE_K, CLS | KBPF_JSLE | KBPF_K)			\
	OP(P##_JSLE_X, CLS | KBPF_JSLE | KBPF_X)

#define KBPF_INSN_MAP_MEM(OP, SZ, S)					\
	OP(LDX_MEM_##S,    KBPF_LDX | KBPF_MEM   | SZ)			\
	OP(ST_MEM_##S,     KBPF_ST  | KBPF_MEM   | SZ)			\
	OP(STX_MEM_##S,    KBPF_STX | KBPF_MEM   | SZ)

#define KBPF_INSN_MAP(OP)						\
	KBPF_INSN_MAP_ALU(OP, KBPF_ALU, ALU32)				\
	KBPF_INSN_MAP_ALU(OP, KBPF_ALU64, ALU64)			\
	KBPF_INSN_MAP_JMP_COND(OP, KBPF_JMP, JMP)			\
	KBPF_INSN_MAP_JMP_COND(OP, KBPF_JMP32, JMP32)			\
	OP(JMP_JA,      KBPF_JMP   | KBPF_JA)				\
	OP(JMP32_JA,    KBPF_JMP32 | KBPF_JA)				\
	OP(JMP_CALL,    KBPF_JMP   | KBPF_CALL)				\
	OP(JMP_EXIT,    KBPF_JMP   | KBPF_EXIT)				\
	KBPF_INSN_MAP_MEM(OP, KBPF_B, B)				\
	KBPF_INSN_MAP_MEM(OP, KBPF_H, H)				\
	KBPF_INSN_MAP_MEM(OP, KBPF_W, W)				\
	KBPF_INSN_MAP_MEM(OP, KBPF_DW, DW)				\
	OP(LDX_MEMSX_B, KBPF_LDX | KBPF_MEMSX | KBPF_B)			\
	OP(LDX_MEMSX_H, KBPF_LDX | KBPF_MEMSX | KBPF_H)			\
	OP(LDX_MEMSX_W, KBPF_LDX | KBPF_MEMSX | KBPF_W)			\
	OP(STX_ATOMIC_W,  KBPF_STX | KBPF_ATOMIC | KBPF_W)		\
	OP(STX_ATOMIC_DW, KBPF_STX | KBPF_ATOMIC | KBPF_DW)		\
	OP(LD_IMM_DW,   KBPF_LD | KBPF_IMM | KBPF_DW)

/*
 * Instruction constructors: every field spelled out, never raw hex.
 * Used by tests and by the verifier's rewrites.
 */
#define KBPF_RAW_INSN(CODE, DST, SRC, OFF, IMM)				\
	((struct kbpf_insn){ .code = (CODE), .dst_reg = (DST),		\
			     .src_reg = (SRC), .off = (OFF), .imm = (IMM) })

/* dst = dst OP imm (64-bit) */
#define KBPF_ALU64_IMM(OP, DST, IMM)					\
	KBPF_RAW_INSN(KBPF_ALU64 | KBPF_##OP | KBPF_K, DST, 0, 0, IMM)
/* dst = dst OP src (64-bit) */
#define KBPF_ALU64_REG(OP, DST, SRC)					\
	KBPF_RAW_INSN(KBPF_ALU64 | KBPF_##OP | KBPF_X, DST, SRC, 0, 0)
/* dst = (u32)dst OP imm, upper half zeroed */
#define KBPF_ALU32_IMM(OP, DST, IMM)					\
	KBPF_RAW_INSN(KBPF_ALU | KBPF_##OP | KBPF_K, DST, 0, 0, IMM)
/* dst = (u32)dst OP (u32)src, upper half zeroed */
#define KBPF_ALU32_REG(OP, DST, SRC)					\
	KBPF_RAW_INSN(KBPF_ALU | KBPF_##OP | KBPF_X, DST, SRC, 0, 0)
/* dst = imm (sign-extended to 64 bits) */
#define KBPF_MOV64_IMM(DST, IMM)	KBPF_ALU64_IMM(MOV, DST, IMM)
/* dst = src */
#define KBPF_MOV64_REG(DST, SRC)	KBPF_ALU64_REG(MOV, DST, SRC)
/* dst = (u32)imm */
#define KBPF_MOV32_IMM(DST, IMM)	KBPF_ALU32_IMM(MOV, DST, IMM)
/* dst = (u32)src */
#define KBPF_MOV32_REG(DST, SRC)	KBPF_ALU32_REG(MOV, DST, SRC)
/* dst = *(size *)(src + off) */
#define KBPF_LDX_MEM(SIZE, DST, SRC, OFF)				\
	KBPF_RAW_INSN(KBPF_LDX | KBPF_MEM | KBPF_##SIZE, DST, SRC, OFF, 0)
/* dst = *(signed size *)(src + off), sign-extended */
#define KBPF_LDX_MEMSX(SIZE, DST, SRC, OFF)				\
	KBPF_RAW_INSN(KBPF_LDX | KBPF_MEMSX | KBPF_##SIZE, DST, SRC, OFF, 0)
/* *(size *)(dst + off) = src */
#define KBPF_STX_MEM(SIZE, DST, SRC, OFF)				\
	KBPF_RAW_INSN(KBPF_STX | KBPF_MEM | KBPF_##SIZE, DST, SRC, OFF, 0)
/* *(size *)(dst + off) = imm */
#define KBPF_ST_MEM(SIZE, DST, OFF, IMM)				\
	KBPF_RAW_INSN(KBPF_ST | KBPF_MEM | KBPF_##SIZE, DST, 0, OFF, IMM)
/* atomic OP on *(size *)(dst + off) with src; OP is an atomic imm value */
#define KBPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)				\
	KBPF_RAW_INSN(KBPF_STX | KBPF_ATOMIC | KBPF_##SIZE, DST, SRC, OFF, OP)
/* if (dst OP imm) goto pc + off + 1 */
#define KBPF_JMP_IMM(OP, DST, IMM, OFF)					\
	KBPF_RAW_INSN(KBPF_JMP | KBPF_##OP | KBPF_K, DST, 0, OFF, IMM)
/* if (dst OP src) goto pc + off + 1 */
#define KBPF_JMP_REG(OP, DST, SRC, OFF)					\
	KBPF_RAW_INSN(KBPF_JMP | KBPF_##OP | KBPF_X, DST, SRC, OFF, 0)
/* if ((u32)dst OP (u32)imm) goto pc + off + 1 */
#define KBPF_JMP32_IMM(OP, DST, IMM, OFF)				\
	KBPF_RAW_INSN(KBPF_JMP32 | KBPF_##OP | KBPF_K, DST, 0, OFF, IMM)
/* if ((u32)dst OP (u32)src) goto pc + off + 1 */
#define KBPF_JMP32_REG(OP, DST, SRC, OFF)				\
	KBPF_RAW_INSN(KBPF_JMP32 | KBPF_##OP | KBPF_X, DST, SRC, OFF, 0)
/* goto pc + off + 1 */
#define KBPF_JMP_A(OFF)		KBPF_RAW_INSN(KBPF_JMP | KBPF_JA, 0, 0, OFF, 0)
/* goto pc + imm + 1 (gotol) */
#define KBPF_JMP32_A(IMM)	KBPF_RAW_INSN(KBPF_JMP32 | KBPF_JA, 0, 0, 0, IMM)
/* r0 = helper imm (r1..r5) */
#define KBPF_CALL_HELPER(ID)	KBPF_RAW_INSN(KBPF_JMP | KBPF_CALL, 0, 0, 0, ID)
/* call the subprogram at pc + imm + 1 */
#define KBPF_CALL_REL(IMM)						\
	KBPF_RAW_INSN(KBPF_JMP | KBPF_CALL, 0, KBPF_PSEUDO_CALL, 0, IMM)
/* return r0 */
#define KBPF_EXIT_INSN()	KBPF_RAW_INSN(KBPF_JMP | KBPF_EXIT, 0, 0, 0, 0)
/* dst = imm64: two slots */
#define KBPF_LD_IMM64_RAW(DST, SRC, IMM)				\
	KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, DST, SRC, 0,	\
		      (s32)(u32)((u64)(IMM) & 0xffffffffULL)),		\
	KBPF_RAW_INSN(0, 0, 0, 0, (s32)(u32)((u64)(IMM) >> 32))
#define KBPF_LD_IMM64(DST, IMM)		KBPF_LD_IMM64_RAW(DST, 0, IMM)
/* dst = pointer to map ID: two slots */
#define KBPF_LD_MAP_ID(DST, ID)						\
	KBPF_LD_IMM64_RAW(DST, KBPF_PSEUDO_MAP_ID, ID)

#endif /* KBPF_CORE_ISA_H */
