// SPDX-License-Identifier: GPL-2.0
/*
 * bpf2c: translate BPF bytecode into C that a C compiler turns into native
 * code, as eBPF for Windows' bpf2c does for its native drivers.
 *
 * Shape of the output.  Each BPF subprogram (the entry at 0 and every
 * pseudo-call target) becomes one static C function.  Registers are u64
 * locals; r1..r5 arrive as parameters, r6..r9 are preserved across calls by
 * C itself.  The call frames are the run stack kbpf hands in, laid out as
 * the interpreter lays them out (frame d at stack + d * 512), so a program
 * uses the same memory under both engines.  Jump targets become labels,
 * every instruction is preceded by its disassembly, and every operation is
 * written with the RFC 9669 semantics the interpreter implements (the
 * kbpf_native_* functions of kbpf_native.h).
 *
 * Helpers are called through ctx->helpers[] and map loads read
 * ctx->ld_imm64[], both filled when kbpf binds the code to a loaded
 * program: nothing in the generated code depends on where maps live.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bpf2c.h"
#include "kbpf_core.h"
#include "helpers.h"

struct bpf2c {
	FILE *out;
	const struct kbpf_insn *insns;
	u32 cnt;
	const struct bpf2c_opts *opts;
	bool *is_fn;		/* [i]: a C function starts at i */
	bool *in_fn;		/* [i]: i is part of the function being emitted */
	bool *label;		/* [i]: the function being emitted jumps to i */
	u32 *work;		/* the walk's stack of instructions */
	u32 *ld_index;		/* [i]: ordinal of the map load at i */
	char *err;
	size_t err_len;
};

static __printf(2, 3) int fail(struct bpf2c *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->err_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_ld_imm64(const struct kbpf_insn *in)
{
	return in->code == (KBPF_LD | KBPF_IMM | KBPF_DW);
}

static bool is_pseudo_call(const struct kbpf_insn *in)
{
	return in->code == (KBPF_JMP | KBPF_CALL) &&
	       in->src_reg == KBPF_PSEUDO_CALL;
}

static bool is_exit(const struct kbpf_insn *in)
{
	return in->code == (KBPF_JMP | KBPF_EXIT);
}

static bool is_ja(const struct kbpf_insn *in)
{
	return in->code == (KBPF_JMP | KBPF_JA) ||
	       in->code == (KBPF_JMP32 | KBPF_JA);
}

static bool is_jump(const struct kbpf_insn *in)
{
	u8 cls = KBPF_CLASS(in->code), op = KBPF_OP(in->code);

	return (cls == KBPF_JMP || cls == KBPF_JMP32) &&
	       op != KBPF_CALL && op != KBPF_EXIT;
}

enum jump_outcome { JUMP_MAYBE, JUMP_ALWAYS, JUMP_NEVER };

/*
 * What a conditional jump does when it compares a register with itself:
 * known, but for JSET.  C compilers warn about such comparisons, so the C
 * says the outcome instead, and the flow follows it.
 */
static enum jump_outcome jump_outcome(const struct kbpf_insn *in)
{
	if (is_ja(in))
		return JUMP_ALWAYS;
	if (KBPF_SRC(in->code) != KBPF_X || in->src_reg != in->dst_reg)
		return JUMP_MAYBE;
	switch (KBPF_OP(in->code)) {
	case KBPF_JSET:
		return JUMP_MAYBE;
	case KBPF_JEQ: case KBPF_JGE: case KBPF_JLE:
	case KBPF_JSGE: case KBPF_JSLE:
		return JUMP_ALWAYS;
	default:
		return JUMP_NEVER;
	}
}

/* Where the jump at i lands (JMP32 | JA takes its offset from imm). */
static s64 jump_target(const struct kbpf_insn *insns, u32 i)
{
	const struct kbpf_insn *in = &insns[i];

	if (in->code == (KBPF_JMP32 | KBPF_JA))
		return (s64)i + in->imm + 1;
	return (s64)i + in->off + 1;
}

static s64 call_target(const struct kbpf_insn *insns, u32 i)
{
	return (s64)i + insns[i].imm + 1;
}

/* The instruction after i, past both slots of an ld_imm64. */
static u32 next_insn(const struct bpf2c *b, u32 i)
{
	return i + (is_ld_imm64(&b->insns[i]) ? 2 : 1);
}

/* Numbers the map loads and checks every jump and call stays inside. */
static int scan(struct bpf2c *b)
{
	u32 i, loads = 0;
	s64 t;

	for (i = 0; i < b->cnt; i = next_insn(b, i)) {
		const struct kbpf_insn *in = &b->insns[i];

		if (is_ld_imm64(in)) {
			if (i + 1 >= b->cnt)
				return fail(b, "insn %u: ld_imm64 without its second slot", i);
			if (in->src_reg)
				b->ld_index[i] = loads++;
			continue;
		}
		if (is_pseudo_call(in))
			t = call_target(b->insns, i);
		else if (is_jump(in))
			t = jump_target(b->insns, i);
		else
			continue;
		if (t < 0 || t >= b->cnt)
			return fail(b, "insn %u: jump or call outside the program", i);
	}
	return 0;
}

/*
 * The instructions of the function entered at start: everything reachable
 * from it by falling through and jumping, not by calling.  Verified
 * programs have contiguous subprograms, but the interpreter runs unverified
 * ones too (the conformance corpus), where code may be shared; walking the
 * flow gives both the same C.  Marks is_fn for every callee found.
 */
static int walk_function(struct bpf2c *b, u32 start)
{
	u32 sp = 0;

	memset(b->in_fn, 0, b->cnt * sizeof(*b->in_fn));
	memset(b->label, 0, b->cnt * sizeof(*b->label));
	b->work[sp++] = start;
	b->in_fn[start] = true;
	while (sp) {
		u32 i = b->work[--sp], succ[2], n = 0, k;
		const struct kbpf_insn *in = &b->insns[i];

		if (is_ld_imm64(in) && i + 1 < b->cnt && b->label[i + 1])
			return fail(b, "insn %u: jump into the middle of ld_imm64", i + 1);
		if (is_pseudo_call(in))
			b->is_fn[call_target(b->insns, i)] = true;
		if (is_jump(in) && jump_outcome(in) != JUMP_NEVER) {
			succ[n++] = (u32)jump_target(b->insns, i);
			b->label[succ[0]] = true;
		}
		if (!is_exit(in) && !(is_jump(in) && jump_outcome(in) == JUMP_ALWAYS)) {
			if (next_insn(b, i) >= b->cnt)
				return fail(b, "insn %u: falls off the end of the program", i);
			succ[n++] = next_insn(b, i);
		}
		for (k = 0; k < n; k++) {
			if (b->in_fn[succ[k]])
				continue;
			b->in_fn[succ[k]] = true;
			b->work[sp++] = succ[k];
		}
	}
	return 0;
}

static void emit(struct bpf2c *b, const char *fmt, ...) __printf(2, 3);
static void emit(struct bpf2c *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(b->out, fmt, ap);
	va_end(ap);
}

/* The source operand of an ALU or jump instruction, as C. */
static void src_operand(const struct kbpf_insn *in, bool wide, char *buf,
			size_t size)
{
	if (KBPF_SRC(in->code) == KBPF_X)
		snprintf(buf, size, wide ? "r%u" : "(u32)r%u", in->src_reg);
	else if (wide)
		snprintf(buf, size, "0x%" PRIx64 "ULL", (u64)(s64)in->imm);
	else
		snprintf(buf, size, "0x%" PRIx32 "U", (u32)in->imm);
}

static const char *const alu_c_ops[16] = {
	[KBPF_ADD >> 4] = "+", [KBPF_SUB >> 4] = "-", [KBPF_MUL >> 4] = "*",
	[KBPF_OR >> 4] = "|", [KBPF_AND >> 4] = "&", [KBPF_XOR >> 4] = "^",
};

static int emit_alu(struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];
	bool wide = KBPF_CLASS(in->code) == KBPF_ALU64;
	const char *t = wide ? "u64" : "u32", *st = wide ? "s64" : "s32";
	unsigned int d = in->dst_reg, mask = wide ? 63 : 31;
	u8 op = KBPF_OP(in->code);
	bool signed_op = in->off == 1;
	char s[48];

	src_operand(in, wide, s, sizeof(s));
	switch (op) {
	case KBPF_ADD: case KBPF_SUB: case KBPF_MUL:
	case KBPF_OR: case KBPF_AND: case KBPF_XOR:
		if (wide)
			emit(b, "\tr%u %s= %s;\n", d, alu_c_ops[op >> 4], s);
		else
			emit(b, "\tr%u = (u32)((u32)r%u %s %s);\n", d, d,
			     alu_c_ops[op >> 4], s);
		return 0;
	case KBPF_LSH:
	case KBPF_RSH:
		/* Shift amounts are masked to the width, as the interpreter's. */
		if (KBPF_SRC(in->code) == KBPF_K)
			snprintf(s, sizeof(s), "%u", (u32)in->imm & mask);
		else
			snprintf(s, sizeof(s), "(r%u & %u)", in->src_reg, mask);
		if (wide)
			emit(b, "\tr%u %s= %s;\n", d, op == KBPF_LSH ? "<<" : ">>", s);
		else
			emit(b, "\tr%u = (u32)r%u %s %s;\n", d, d,
			     op == KBPF_LSH ? "<<" : ">>", s);
		return 0;
	case KBPF_ARSH:
		if (KBPF_SRC(in->code) == KBPF_K)
			snprintf(s, sizeof(s), "%u", (u32)in->imm & mask);
		else
			snprintf(s, sizeof(s), "(r%u & %u)", in->src_reg, mask);
		emit(b, "\tr%u = (%s)((%s)r%u >> %s);\n", d, t, st, d, s);
		return 0;
	case KBPF_DIV:
	case KBPF_MOD:
		emit(b, "\tr%u = kbpf_native_%s%s%u((%s)r%u, %s);\n", d,
		     signed_op ? "s" : "", op == KBPF_DIV ? "div" : "mod",
		     wide ? 64 : 32, t, d, s);
		return 0;
	case KBPF_NEG:
		emit(b, "\tr%u = (%s)-(%s)r%u;\n", d, t, t, d);
		return 0;
	case KBPF_MOV:
		if (in->off && KBPF_SRC(in->code) == KBPF_X)
			emit(b, "\tr%u = (%s)(%s)(s%d)r%u;\n", d, t, st,
			     in->off, in->src_reg);
		else
			emit(b, "\tr%u = %s;\n", d, s);
		return 0;
	case KBPF_END: {
		bool swap = !wide ? (KBPF_SRC(in->code) == KBPF_TO_BE) ==
			    (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) : true;

		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return fail(b, "insn %u: byte swap of %d bits", i, in->imm);
		if (swap)
			emit(b, "\tr%u = __builtin_bswap%d((u%d)r%u);\n", d,
			     in->imm, in->imm, d);
		else if (in->imm != 64)
			emit(b, "\tr%u = (u%d)r%u;\n", d, in->imm, d);
		return 0;
	}
	}
	return fail(b, "insn %u: unknown ALU operation 0x%02x", i, in->code);
}

static const char *const jmp_c_ops[16] = {
	[KBPF_JEQ >> 4] = "==", [KBPF_JNE >> 4] = "!=",
	[KBPF_JGT >> 4] = ">", [KBPF_JGE >> 4] = ">=",
	[KBPF_JLT >> 4] = "<", [KBPF_JLE >> 4] = "<=",
	[KBPF_JSGT >> 4] = ">", [KBPF_JSGE >> 4] = ">=",
	[KBPF_JSLT >> 4] = "<", [KBPF_JSLE >> 4] = "<=",
	[KBPF_JSET >> 4] = "&",
};

static bool jmp_is_signed(u8 op)
{
	return op == KBPF_JSGT || op == KBPF_JSGE || op == KBPF_JSLT ||
	       op == KBPF_JSLE;
}

static int emit_jump(struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];
	bool wide = KBPF_CLASS(in->code) == KBPF_JMP;
	u8 op = KBPF_OP(in->code);
	s64 target = jump_target(b->insns, i);
	const char *t;
	char s[48];

	switch (jump_outcome(in)) {
	case JUMP_ALWAYS:
		emit(b, "\tgoto L%" PRId64 ";\n", target);
		return 0;
	case JUMP_NEVER:
		emit(b, "\t/* never taken: a register compared with itself */\n");
		return 0;
	default:
		break;
	}
	if (!jmp_c_ops[op >> 4])
		return fail(b, "insn %u: unknown jump 0x%02x", i, in->code);
	if (KBPF_SRC(in->code) == KBPF_X && in->src_reg == in->dst_reg) {
		/* JSET: r & r is r */
		emit(b, "\tif (%sr%u)\n\t\tgoto L%" PRId64 ";\n",
		     wide ? "" : "(u32)", in->dst_reg, target);
		return 0;
	}
	src_operand(in, wide, s, sizeof(s));
	if (jmp_is_signed(op)) {
		t = wide ? "s64" : "s32";
		emit(b, "\tif ((%s)r%u %s (%s)%s)\n", t, in->dst_reg,
		     jmp_c_ops[op >> 4], t, s);
	} else {
		emit(b, "\tif (%sr%u %s %s)\n", wide ? "" : "(u32)",
		     in->dst_reg, jmp_c_ops[op >> 4], s);
	}
	emit(b, "\t\tgoto L%" PRId64 ";\n", target);
	return 0;
}

static int size_bits(u8 code)
{
	switch (KBPF_SIZE(code)) {
	case KBPF_B:	return 8;
	case KBPF_H:	return 16;
	case KBPF_W:	return 32;
	default:	return 64;
	}
}

/* "rN + 0x10" or "rN - 0x10": the address of a memory access. */
static void address(unsigned int reg, s16 off, char *buf, size_t size)
{
	if (off < 0)
		snprintf(buf, size, "r%u - 0x%x", reg, -(int)off);
	else
		snprintf(buf, size, "r%u + 0x%x", reg, off);
}

static int emit_atomic(struct bpf2c *b, u32 i, int bits, const char *addr)
{
	const struct kbpf_insn *in = &b->insns[i];
	unsigned int s = in->src_reg;
	const char *name;
	bool fetch = in->imm & KBPF_FETCH;

	switch (in->imm) {
	case KBPF_CMPXCHG:
		emit(b, "\tr0 = kbpf_native_cmpxchg%d(%s, (u%d)r0, (u%d)r%u);\n",
		     bits, addr, bits, bits, s);
		return 0;
	case KBPF_XCHG:
		emit(b, "\tr%u = kbpf_native_xchg%d(%s, (u%d)r%u);\n", s, bits,
		     addr, bits, s);
		return 0;
	}
	switch (in->imm & ~KBPF_FETCH) {
	case KBPF_ADD:	name = "add"; break;
	case KBPF_OR:	name = "or"; break;
	case KBPF_AND:	name = "and"; break;
	case KBPF_XOR:	name = "xor"; break;
	default:
		return fail(b, "insn %u: unknown atomic operation 0x%x", i, in->imm);
	}
	if (fetch)
		emit(b, "\tr%u = kbpf_native_fetch_%s%d(%s, (u%d)r%u);\n", s,
		     name, bits, addr, bits, s);
	else
		emit(b, "\tkbpf_native_%s%d(%s, (u%d)r%u);\n", name, bits, addr,
		     bits, s);
	return 0;
}

static int emit_mem(struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];
	int bits = size_bits(in->code);
	u8 cls = KBPF_CLASS(in->code), mode = KBPF_MODE(in->code);
	char addr[32];

	if (cls == KBPF_LDX) {
		address(in->src_reg, in->off, addr, sizeof(addr));
		if (mode == KBPF_MEMSX)
			emit(b, "\tr%u = (u64)(s64)(s%d)kbpf_native_ld%d(%s);\n",
			     in->dst_reg, bits, bits, addr);
		else if (mode == KBPF_MEM)
			emit(b, "\tr%u = kbpf_native_ld%d(%s);\n", in->dst_reg,
			     bits, addr);
		else
			return fail(b, "insn %u: unsupported load mode 0x%02x", i, in->code);
		return 0;
	}
	address(in->dst_reg, in->off, addr, sizeof(addr));
	if (cls == KBPF_ST && mode == KBPF_MEM) {
		emit(b, "\tkbpf_native_st%d(%s, 0x%" PRIx64 "ULL);\n", bits, addr,
		     (u64)(s64)in->imm & (bits == 64 ? ~(u64)0 : ((u64)1 << bits) - 1));
		return 0;
	}
	if (cls == KBPF_STX && mode == KBPF_MEM) {
		emit(b, "\tkbpf_native_st%d(%s, (u%d)r%u);\n", bits, addr, bits,
		     in->src_reg);
		return 0;
	}
	if (cls == KBPF_STX && mode == KBPF_ATOMIC && (bits == 32 || bits == 64))
		return emit_atomic(b, i, bits, addr);
	return fail(b, "insn %u: unsupported store 0x%02x", i, in->code);
}

static void sub_name(const struct bpf2c *b, u32 start, char *buf, size_t size)
{
	snprintf(buf, size, "%s_sub%u", b->opts->name, start);
}

static int emit_call(struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];
	char callee[96];

	if (in->src_reg == 0) {
		u32 bad;

		if (!kbpf_native_supported(in, 1, &bad))
			return fail(b, "insn %u: tail calls and bpf_loop run only in the interpreter, not in native code", i);
		/* Format helpers find their verified call site by it. */
		if (in->imm == KBPF_FUNC_trace_printk ||
		    in->imm == KBPF_FUNC_snprintf)
			emit(b, "\tctx->at_call(stack, %u);\n", i);
		emit(b, "\tr0 = ctx->helpers[%d](r1, r2, r3, r4, r5);\n", in->imm);
		return 0;
	}
	if (!is_pseudo_call(in))
		return fail(b, "insn %u: calls of kind %u are not supported", i,
			    in->src_reg);
	sub_name(b, (u32)((s64)i + in->imm + 1), callee, sizeof(callee));
	if (b->opts->verified) {
		emit(b, "\tr0 = %s(r1, r2, r3, r4, r5, stack, depth + 1, ctx);\n",
		     callee);
		return 0;
	}
	/* The interpreter's guard for unverified programs, same answer. */
	emit(b, "\tif (depth + 1 >= KBPF_NATIVE_MAX_FRAMES)\n\t\treturn 0;\n");
	emit(b, "\tr0 = %s(r1, r2, r3, r4, r5, r0, r6, r7, r8, r9,\n"
	     "\t\t\tstack, depth + 1, ctx);\n", callee);
	return 0;
}

static int emit_ld_imm64(struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];
	u64 v = (u64)(u32)in[0].imm | ((u64)(u32)in[1].imm << 32);

	if (in->src_reg)
		emit(b, "\tr%u = ctx->ld_imm64[%u];\n", in->dst_reg, b->ld_index[i]);
	else
		emit(b, "\tr%u = 0x%" PRIx64 "ULL;\n", in->dst_reg, v);
	return 0;
}

static int emit_insn(struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];

	switch (KBPF_CLASS(in->code)) {
	case KBPF_ALU:
	case KBPF_ALU64:
		return emit_alu(b, i);
	case KBPF_JMP:
	case KBPF_JMP32:
		if (in->code == (KBPF_JMP | KBPF_EXIT)) {
			emit(b, "\treturn r0;\n");
			return 0;
		}
		if (in->code == (KBPF_JMP | KBPF_CALL))
			return emit_call(b, i);
		return emit_jump(b, i);
	case KBPF_LDX:
	case KBPF_ST:
	case KBPF_STX:
		return emit_mem(b, i);
	case KBPF_LD:
		if (is_ld_imm64(in))
			return emit_ld_imm64(b, i);
		break;
	}
	return fail(b, "insn %u: unsupported opcode 0x%02x", i, in->code);
}

static void emit_prototype(struct bpf2c *b, u32 start, const char *end)
{
	char name[96];

	sub_name(b, start, name, sizeof(name));
	emit(b, "static u64 %s(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,%s\n"
	     "\t\tu8 *stack, u32 depth, const struct kbpf_native_ctx *ctx)%s",
	     name, b->opts->verified ? "" :
	     "\n\t\tu64 r0, u64 r6, u64 r7, u64 r8, u64 r9,", end);
}

/* Every function reachable from the entry by calls, into is_fn. */
static int find_functions(struct bpf2c *b)
{
	bool *done = calloc(b->cnt, sizeof(*done));
	bool more = true;
	u32 i;
	int err = 0;

	if (!done)
		return fail(b, "out of memory");
	b->is_fn[0] = true;
	while (more && !err) {
		more = false;
		for (i = 0; i < b->cnt && !err; i++) {
			if (!b->is_fn[i] || done[i])
				continue;
			done[i] = true;
			more = true;
			err = walk_function(b, i);
		}
	}
	free(done);
	return err;
}

/* Registers the function's instructions name, as a bit set. */
static u32 regs_used(const struct bpf2c *b)
{
	u32 used = 1u << 0, i;	/* r0 is always returned */

	for (i = 0; i < b->cnt; i = next_insn(b, i)) {
		const struct kbpf_insn *in = &b->insns[i];

		if (!b->in_fn[i])
			continue;
		used |= 1u << in->dst_reg;
		if (KBPF_CLASS(in->code) != KBPF_LD && !is_pseudo_call(in))
			used |= 1u << in->src_reg;
	}
	return used;
}

/* Where i falls through to when that is not the next emitted insn, or 0. */
static u32 fall_gap(const struct bpf2c *b, u32 i)
{
	const struct kbpf_insn *in = &b->insns[i];
	u32 next = next_insn(b, i), j = next;

	if (is_exit(in) || (is_jump(in) && jump_outcome(in) == JUMP_ALWAYS))
		return 0;
	while (j < b->cnt && !b->in_fn[j])
		j++;
	return j == next ? 0 : next;
}

static void emit_locals(struct bpf2c *b, u32 used)
{
	int r;

	/* Unverified code gets r0 and r6..r9 as parameters (bpf2c.h). */
	for (r = 0; r <= 9 && b->opts->verified; r++)
		if ((r < 1 || r > 5) && (used & (1u << r)))
			emit(b, "\tu64 r%d = 0;\n", r);
	if (used & (1u << 10))
		emit(b, "\tu64 r10 = (u64)(unsigned long)stack + (depth + 1) * KBPF_NATIVE_STACK_SIZE;\n");
	/* Written but never read is fine in BPF; keep W=1 quiet about it. */
	for (r = 0; r <= 10; r++)
		if (used & (1u << r))
			emit(b, "\t(void)r%d;\n", r);
	emit(b, "\n");
}

static int emit_function(struct bpf2c *b, u32 start)
{
	char text[128];
	u32 i, gap;
	int err;

	err = walk_function(b, start);
	if (err)
		return err;
	for (i = 0; i < b->cnt; i = next_insn(b, i))
		if (b->in_fn[i] && (gap = fall_gap(b, i)))
			b->label[gap] = true;

	emit(b, "\n/* The function entered at insn %u. */\n", start);
	emit_prototype(b, start, "\n{\n");
	emit_locals(b, regs_used(b));
	if (start)
		emit(b, "\tgoto L%u;\n", start);
	for (i = 0; i < b->cnt; i = next_insn(b, i)) {
		if (!b->in_fn[i])
			continue;
		if (b->label[i] || (i == start && start))
			emit(b, "L%u:\n", i);
		kbpf_disasm_insn(&b->insns[i], text, sizeof(text));
		emit(b, "\t/* %u: %s */\n", i, text);
		err = emit_insn(b, i);
		if (err)
			return err;
		gap = fall_gap(b, i);
		if (gap)
			emit(b, "\tgoto L%u;\n", gap);
	}
	emit(b, "}\n");
	return 0;
}

static void emit_bytes(struct bpf2c *b, const void *data, size_t len)
{
	const u8 *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		emit(b, "%s0x%02x,", i % 8 ? " " : "\n\t", p[i]);
	emit(b, "\n");
}

/* Global data's initial value, unless it is all zeros. */
static bool has_data(const struct bpf2c_map_def *m)
{
	const u8 *p = m->data;
	u32 i;

	for (i = 0; p && i < m->value_size; i++)
		if (p[i])
			return true;
	return false;
}

static void emit_map_data(struct bpf2c *b, u32 i)
{
	const struct bpf2c_map_def *m = &b->opts->maps[i];

	if (!has_data(m))
		return;
	emit(b, "/* The initial value of %s, element 0 of map %u. */\n",
	     m->name, i + 1);
	emit(b, "static const u8 %s_map%u_data[%u] = {", b->opts->name, i + 1,
	     m->value_size);
	emit_bytes(b, m->data, m->value_size);
	emit(b, "};\n\n");
}

static void emit_map_def(struct bpf2c *b, u32 i)
{
	const struct bpf2c_map_def *m = &b->opts->maps[i];

	emit(b, "\t{ .name = \"%s\", .type = %u, .key_size = %u, .value_size = %u,\n"
	     "\t  .max_entries = %u, .flags = %u", m->name, m->type,
	     m->key_size, m->value_size, m->max_entries, m->flags);
	if (has_data(m))
		emit(b, ",\n\t  .data = %s_map%u_data", b->opts->name, i + 1);
	if (m->rodata)
		emit(b, ", .rodata = 1");
	emit(b, " },\n");
}

static void emit_module(struct bpf2c *b)
{
	const struct bpf2c_opts *o = b->opts;
	u32 i;

	emit(b, "\n/* The bytecode kbpf verifies at registration and recognises at load. */\n");
	emit(b, "static const u8 %s_insns[] __aligned(8) = {", o->name);
	emit_bytes(b, b->insns, (size_t)b->cnt * sizeof(*b->insns));
	emit(b, "};\n\n");
	for (i = 0; i < o->map_cnt; i++)
		emit_map_data(b, i);
	if (o->map_cnt) {
		emit(b, "static const struct kbpf_native_map_def %s_maps[] = {\n", o->name);
		for (i = 0; i < o->map_cnt; i++)
			emit_map_def(b, i);
		emit(b, "};\n\n");
	}
	emit(b, "static struct kbpf_native_prog %s_native = {\n", o->name);
	emit(b, "\t.abi_version = KBPF_NATIVE_ABI_VERSION,\n");
	emit(b, "\t.name = \"%s\",\n", o->name);
	emit(b, "\t.prog_type = %u,\n", o->prog_type);
	emit(b, "\t.insns = %s_insns,\n", o->name);
	emit(b, "\t.insn_cnt = %u,\n", b->cnt);
	if (o->map_cnt) {
		emit(b, "\t.maps = %s_maps,\n", o->name);
		emit(b, "\t.map_cnt = %u,\n", o->map_cnt);
	}
	emit(b, "\t.run = %s_run,\n", o->name);
	emit(b, "\t.owner = THIS_MODULE,\n};\n\n");
	emit(b, "static int __init %s_init(void)\n{\n"
	     "\treturn kbpf_native_module_init(&%s_native);\n}\n\n",
	     o->name, o->name);
	emit(b, "static void __exit %s_exit(void)\n{\n"
	     "\tkbpf_native_module_exit(&%s_native);\n}\n\n", o->name, o->name);
	emit(b, "module_init(%s_init);\nmodule_exit(%s_exit);\n", o->name, o->name);
	emit(b, "MODULE_LICENSE(\"GPL\");\n");
	emit(b, "MODULE_DESCRIPTION(\"kbpf program %s, compiled ahead of time\");\n",
	     o->name);
}

static void emit_head(struct bpf2c *b)
{
	const struct bpf2c_opts *o = b->opts;
	u32 i;

	emit(b, "// SPDX-License-Identifier: GPL-2.0\n");
	emit(b, "/*\n * kbpf program \"%s\"%s%s, translated to C by bpf2c.\n",
	     o->name, o->origin ? " from " : "", o->origin ? o->origin : "");
	emit(b, " * Generated code: edit the BPF source, not this file.\n */\n");
	if (o->target == BPF2C_MODULE)
		emit(b, "#include <linux/module.h>\n");
	emit(b, "#define KBPF_NATIVE_GENERATED\n#include \"kbpf_native.h\"\n\n");
	for (i = 0; i < b->cnt; i++)
		if (b->is_fn[i])
			emit_prototype(b, i, ";\n");
}

static void emit_entry(struct bpf2c *b)
{
	const char *name = b->opts->name;

	if (b->opts->target == BPF2C_MODULE)
		emit(b, "\nstatic u64 %s_run(const u64 *args, u8 *stack,\n"
		     "\t\tconst struct kbpf_native_ctx *ctx)\n", name);
	else
		emit(b, "\nu64 %1$s(const u64 *args, u8 *stack,\n"
		     "\tconst struct kbpf_native_ctx *ctx);\n"
		     "u64 %1$s(const u64 *args, u8 *stack,\n"
		     "\tconst struct kbpf_native_ctx *ctx)\n",
		     b->opts->entry ? b->opts->entry : "kbpf_native_entry");
	emit(b, "{\n\treturn %s_sub0(args[0], args[1], args[2], args[3], args[4],%s\n"
	     "\t\t\tstack, 0, ctx);\n}\n", name,
	     b->opts->verified ? "" : " 0, 0, 0, 0, 0,");
}

static bool is_c_identifier(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

bool bpf2c_supported(const struct kbpf_insn *insns, u32 cnt, u32 *bad)
{
	return kbpf_native_supported(insns, cnt, bad);
}

int bpf2c_write_file(const char *dir, const char *file, const char *text)
{
	size_t len = strlen(dir) + strlen(file) + 2;
	char *path = malloc(len);
	FILE *f;
	int err = 0;

	if (!path)
		return -ENOMEM;
	snprintf(path, len, "%s/%s", dir, file);
	f = fopen(path, "w");
	free(path);
	if (!f)
		return -errno;
	if (fputs(text, f) < 0)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

int bpf2c_translate(FILE *out, const struct kbpf_insn *insns, u32 cnt,
		    const struct bpf2c_opts *opts, char *err, size_t err_len)
{
	struct bpf2c b = {
		.out = out, .insns = insns, .cnt = cnt, .opts = opts,
		.err = err, .err_len = err_len,
	};
	u32 i;
	int ret;

	if (!cnt)
		return fail(&b, "empty program");
	if (!is_c_identifier(opts->name))
		return fail(&b, "'%s' is not a C identifier", opts->name);
	b.is_fn = calloc(cnt, sizeof(*b.is_fn));
	b.in_fn = calloc(cnt, sizeof(*b.in_fn));
	b.label = calloc(cnt, sizeof(*b.label));
	b.work = calloc(cnt, sizeof(*b.work));
	b.ld_index = calloc(cnt, sizeof(*b.ld_index));
	if (!b.is_fn || !b.in_fn || !b.label || !b.work || !b.ld_index) {
		ret = fail(&b, "out of memory");
		goto out;
	}
	ret = scan(&b);
	if (!ret)
		ret = find_functions(&b);
	if (ret)
		goto out;
	emit_head(&b);
	for (i = 0; i < cnt && !ret; i++)
		if (b.is_fn[i])
			ret = emit_function(&b, i);
	if (ret)
		goto out;
	emit_entry(&b);
	if (opts->target == BPF2C_MODULE)
		emit_module(&b);
	if (fflush(out) || ferror(out))
		ret = fail(&b, "cannot write the C: %s", strerror(errno));
out:
	free(b.is_fn);
	free(b.in_fn);
	free(b.label);
	free(b.work);
	free(b.ld_index);
	return ret;
}
