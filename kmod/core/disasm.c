// SPDX-License-Identifier: GPL-2.0
/*
 * One instruction as text, in the notation of the Linux verifier's log
 * ("r0 = *(u32 *)(r1 +4)", "if w2 s> 0x5 goto pc-3", "call map_lookup_elem#1")
 * so that people and tools used to one can read the other.
 */
#include "kbpf_core.h"

static const char *const alu_ops[16] = {
	[KBPF_ADD >> 4] = "+=",  [KBPF_SUB >> 4] = "-=",
	[KBPF_MUL >> 4] = "*=",  [KBPF_DIV >> 4] = "/=",
	[KBPF_OR >> 4] = "|=",   [KBPF_AND >> 4] = "&=",
	[KBPF_LSH >> 4] = "<<=", [KBPF_RSH >> 4] = ">>=",
	[KBPF_MOD >> 4] = "%=",  [KBPF_XOR >> 4] = "^=",
	[KBPF_MOV >> 4] = "=",   [KBPF_ARSH >> 4] = "s>>=",
};

static const char *const jmp_ops[16] = {
	[KBPF_JEQ >> 4] = "==",  [KBPF_JGT >> 4] = ">",
	[KBPF_JGE >> 4] = ">=",  [KBPF_JSET >> 4] = "&",
	[KBPF_JNE >> 4] = "!=",  [KBPF_JSGT >> 4] = "s>",
	[KBPF_JSGE >> 4] = "s>=", [KBPF_JLT >> 4] = "<",
	[KBPF_JLE >> 4] = "<=",  [KBPF_JSLT >> 4] = "s<",
	[KBPF_JSLE >> 4] = "s<=",
};

static const char *const size_names[4] = {
	[KBPF_W >> 3] = "u32", [KBPF_H >> 3] = "u16",
	[KBPF_B >> 3] = "u8",  [KBPF_DW >> 3] = "u64",
};

static const char *const ssize_names[4] = {
	[KBPF_W >> 3] = "s32", [KBPF_H >> 3] = "s16",
	[KBPF_B >> 3] = "s8",  [KBPF_DW >> 3] = "s64",
};

static void disasm_end(const struct kbpf_insn *insn, char r, char *buf,
		       size_t size)
{
	const char *kind;

	if (KBPF_CLASS(insn->code) == KBPF_ALU64)
		kind = "bswap";
	else
		kind = KBPF_SRC(insn->code) == KBPF_TO_BE ? "be" : "le";
	snprintf(buf, size, "%c%u = %s%d %c%u", r, insn->dst_reg, kind,
		 insn->imm, r, insn->dst_reg);
}

static void disasm_alu(const struct kbpf_insn *insn, char *buf, size_t size)
{
	char r = KBPF_CLASS(insn->code) == KBPF_ALU64 ? 'r' : 'w';
	u8 op = KBPF_OP(insn->code);
	const char *sym = alu_ops[op >> 4];
	bool x = KBPF_SRC(insn->code) == KBPF_X;

	if (op == KBPF_END) {
		disasm_end(insn, r, buf, size);
		return;
	}
	if (op == KBPF_NEG) {
		snprintf(buf, size, "%c%u = -%c%u", r, insn->dst_reg, r,
			 insn->dst_reg);
		return;
	}
	if ((op == KBPF_DIV || op == KBPF_MOD) && insn->off == 1)
		sym = op == KBPF_DIV ? "s/=" : "s%=";
	if (op == KBPF_MOV && x && insn->off) {
		snprintf(buf, size, "%c%u = (s%d)%c%u", r, insn->dst_reg,
			 insn->off, r, insn->src_reg);
		return;
	}
	if (!sym) {
		snprintf(buf, size, "(%02x) invalid alu op", insn->code);
		return;
	}
	if (x)
		snprintf(buf, size, "%c%u %s %c%u", r, insn->dst_reg, sym, r,
			 insn->src_reg);
	else
		snprintf(buf, size, "%c%u %s %d", r, insn->dst_reg, sym,
			 insn->imm);
}

static const char *helper_name(s32 id)
{
	const struct kbpf_helper *h = kbpf_helper_lookup(&kbpf_default_helpers,
							 (u32)id);

	return h ? h->name : "unknown";
}

static void disasm_jmp(const struct kbpf_insn *insn, char *buf, size_t size)
{
	bool jmp32 = KBPF_CLASS(insn->code) == KBPF_JMP32;
	char r = jmp32 ? 'w' : 'r';
	u8 op = KBPF_OP(insn->code);
	const char *sym = jmp_ops[op >> 4];

	if (op == KBPF_EXIT && !jmp32) {
		snprintf(buf, size, "exit");
	} else if (op == KBPF_CALL && !jmp32) {
		if (insn->src_reg == KBPF_PSEUDO_CALL)
			snprintf(buf, size, "call pc%+d", insn->imm);
		else
			snprintf(buf, size, "call %s#%d", helper_name(insn->imm),
				 insn->imm);
	} else if (op == KBPF_JA) {
		if (jmp32)
			snprintf(buf, size, "gotol pc%+d", insn->imm);
		else
			snprintf(buf, size, "goto pc%+d", insn->off);
	} else if (!sym) {
		snprintf(buf, size, "(%02x) invalid jump op", insn->code);
	} else if (KBPF_SRC(insn->code) == KBPF_X) {
		snprintf(buf, size, "if %c%u %s %c%u goto pc%+d", r,
			 insn->dst_reg, sym, r, insn->src_reg, insn->off);
	} else {
		snprintf(buf, size, "if %c%u %s 0x%x goto pc%+d", r,
			 insn->dst_reg, sym, (u32)insn->imm, insn->off);
	}
}

static void disasm_atomic(const struct kbpf_insn *insn, char *buf,
			  size_t size)
{
	bool dw = KBPF_SIZE(insn->code) == KBPF_DW;
	const char *sz = size_names[KBPF_SIZE(insn->code) >> 3];
	char r = dw ? 'r' : 'w';
	u32 op = (u32)insn->imm & ~(u32)KBPF_FETCH;
	const char *name;

	switch ((u32)insn->imm) {
	case KBPF_XCHG:
		snprintf(buf, size, "%c%u = atomic%s_xchg((%s *)(r%u %+d), %c%u)",
			 r, insn->src_reg, dw ? "64" : "", sz, insn->dst_reg,
			 insn->off, r, insn->src_reg);
		return;
	case KBPF_CMPXCHG:
		snprintf(buf, size,
			 "%c0 = atomic%s_cmpxchg((%s *)(r%u %+d), %c0, %c%u)",
			 r, dw ? "64" : "", sz, insn->dst_reg, insn->off, r, r,
			 insn->src_reg);
		return;
	}
	switch (op) {
	case KBPF_ADD:
		name = "add";
		break;
	case KBPF_OR:
		name = "or";
		break;
	case KBPF_AND:
		name = "and";
		break;
	case KBPF_XOR:
		name = "xor";
		break;
	default:
		snprintf(buf, size, "(%02x) invalid atomic op 0x%x", insn->code,
			 (u32)insn->imm);
		return;
	}
	if (insn->imm & KBPF_FETCH)
		snprintf(buf, size, "%c%u = atomic%s_fetch_%s((%s *)(r%u %+d), %c%u)",
			 r, insn->src_reg, dw ? "64" : "", name, sz,
			 insn->dst_reg, insn->off, r, insn->src_reg);
	else
		snprintf(buf, size, "lock *(%s *)(r%u %+d) %s r%u", sz,
			 insn->dst_reg, insn->off, alu_ops[op >> 4],
			 insn->src_reg);
}

static void disasm_ld_imm64(const struct kbpf_insn *insn, char *buf,
			    size_t size)
{
	u64 v = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);

	if (insn->src_reg == KBPF_PSEUDO_MAP_ID)
		snprintf(buf, size, "r%u = map[id:%u] ll", insn->dst_reg,
			 (u32)insn->imm);
	else if (insn->src_reg == KBPF_PSEUDO_MAP_VALUE)
		snprintf(buf, size, "r%u = map[id:%u][0]+%u ll", insn->dst_reg,
			 (u32)insn->imm, (u32)insn[1].imm);
	else
		snprintf(buf, size, "r%u = 0x%llx ll", insn->dst_reg,
			 (unsigned long long)v);
}

static void disasm_mem(const struct kbpf_insn *insn, char *buf, size_t size)
{
	u8 mode = KBPF_MODE(insn->code);
	const char *sz = size_names[KBPF_SIZE(insn->code) >> 3];

	switch (KBPF_CLASS(insn->code)) {
	case KBPF_LDX:
		if (mode != KBPF_MEM && mode != KBPF_MEMSX)
			break;
		snprintf(buf, size, "r%u = *(%s *)(r%u %+d)", insn->dst_reg,
			 mode == KBPF_MEMSX ?
			 ssize_names[KBPF_SIZE(insn->code) >> 3] : sz,
			 insn->src_reg, insn->off);
		return;
	case KBPF_ST:
		if (mode != KBPF_MEM)
			break;
		snprintf(buf, size, "*(%s *)(r%u %+d) = %d", sz, insn->dst_reg,
			 insn->off, insn->imm);
		return;
	case KBPF_STX:
		if (mode == KBPF_ATOMIC) {
			disasm_atomic(insn, buf, size);
			return;
		}
		if (mode != KBPF_MEM)
			break;
		snprintf(buf, size, "*(%s *)(r%u %+d) = r%u", sz,
			 insn->dst_reg, insn->off, insn->src_reg);
		return;
	case KBPF_LD:
		if (insn->code == (KBPF_LD | KBPF_IMM | KBPF_DW)) {
			disasm_ld_imm64(insn, buf, size);
			return;
		}
		break;
	}
	snprintf(buf, size, "(%02x) unknown opcode", insn->code);
}

void kbpf_disasm_insn(const struct kbpf_insn *insn, char *buf, size_t size)
{
	switch (KBPF_CLASS(insn->code)) {
	case KBPF_ALU:
	case KBPF_ALU64:
		disasm_alu(insn, buf, size);
		break;
	case KBPF_JMP:
	case KBPF_JMP32:
		disasm_jmp(insn, buf, size);
		break;
	default:
		disasm_mem(insn, buf, size);
		break;
	}
}
KBPF_EXPORT_FOR_KUNIT(kbpf_disasm_insn);
