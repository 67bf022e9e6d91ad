// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_disasm_insn(): one instruction of every class as text, in the
 * Linux verifier log's notation (expected strings written by hand).
 */
#include "cases.h"

struct disasm_test {
	const char *name;
	struct kbpf_insn insn[2];
	const char *text;
};

#define RAW	KBPF_RAW_INSN

static const struct disasm_test disasm_tests[] = {
	{ "alu64 add imm", { KBPF_ALU64_IMM(ADD, 1, -5) }, "r1 += -5" },
	{ "alu64 xor reg", { KBPF_ALU64_REG(XOR, 2, 3) }, "r2 ^= r3" },
	{ "alu32 lsh imm uses w registers", { KBPF_ALU32_IMM(LSH, 4, 31) },
	  "w4 <<= 31" },
	{ "alu64 arsh reg", { KBPF_ALU64_REG(ARSH, 0, 9) }, "r0 s>>= r9" },
	{ "alu64 mov imm", { KBPF_MOV64_IMM(0, 7) }, "r0 = 7" },
	{ "alu32 mov reg", { KBPF_MOV32_REG(3, 1) }, "w3 = w1" },
	{ "alu64 neg", { RAW(KBPF_ALU64 | KBPF_NEG, 5, 0, 0, 0) }, "r5 = -r5" },
	{ "alu64 sdiv", { RAW(KBPF_ALU64 | KBPF_DIV | KBPF_X, 1, 2, 1, 0) },
	  "r1 s/= r2" },
	{ "alu32 smod imm", { RAW(KBPF_ALU | KBPF_MOD | KBPF_K, 1, 0, 1, 3) },
	  "w1 s%= 3" },
	{ "alu64 movsx8", { RAW(KBPF_ALU64 | KBPF_MOV | KBPF_X, 1, 2, 8, 0) },
	  "r1 = (s8)r2" },
	{ "alu32 movsx16", { RAW(KBPF_ALU | KBPF_MOV | KBPF_X, 1, 2, 16, 0) },
	  "w1 = (s16)w2" },
	{ "byte swap to big endian",
	  { RAW(KBPF_ALU | KBPF_END | KBPF_TO_BE, 6, 0, 0, 16) }, "w6 = be16 w6" },
	{ "byte swap to little endian",
	  { RAW(KBPF_ALU | KBPF_END | KBPF_TO_LE, 6, 0, 0, 64) }, "w6 = le64 w6" },
	{ "unconditional bswap",
	  { RAW(KBPF_ALU64 | KBPF_END | KBPF_TO_LE, 2, 0, 0, 32) },
	  "r2 = bswap32 r2" },
	{ "jmp imm prints the imm in hex", { KBPF_JMP_IMM(JGT, 1, 255, 3) },
	  "if r1 > 0xff goto pc+3" },
	{ "jmp32 reg, backward", { KBPF_JMP32_REG(JSLE, 2, 3, -4) },
	  "if w2 s<= w3 goto pc-4" },
	{ "jset", { KBPF_JMP_IMM(JSET, 1, 1, 0) }, "if r1 & 0x1 goto pc+0" },
	{ "ja", { RAW(KBPF_JMP | KBPF_JA, 0, 0, -2, 0) }, "goto pc-2" },
	{ "gotol", { RAW(KBPF_JMP32 | KBPF_JA, 0, 0, 0, 70000) },
	  "gotol pc+70000" },
	{ "helper call by name", { RAW(KBPF_JMP | KBPF_CALL, 0, 0, 0, 1) },
	  "call map_lookup_elem#1" },
	{ "unknown helper", { RAW(KBPF_JMP | KBPF_CALL, 0, 0, 0, 4242) },
	  "call unknown#4242" },
	{ "local call", { KBPF_CALL_REL(5) }, "call pc+5" },
	{ "exit", { KBPF_EXIT_INSN() }, "exit" },
	{ "ldx", { KBPF_LDX_MEM(W, 0, 1, 4) }, "r0 = *(u32 *)(r1 +4)" },
	{ "sign-extending ldx",
	  { RAW(KBPF_LDX | KBPF_MEMSX | KBPF_H, 0, 1, -2, 0) },
	  "r0 = *(s16 *)(r1 -2)" },
	{ "st", { KBPF_ST_MEM(B, 10, -1, 7) }, "*(u8 *)(r10 -1) = 7" },
	{ "stx", { KBPF_STX_MEM(DW, 10, 6, -8) }, "*(u64 *)(r10 -8) = r6" },
	{ "atomic add", { RAW(KBPF_STX | KBPF_ATOMIC | KBPF_DW, 10, 1, -8,
			      KBPF_ADD) }, "lock *(u64 *)(r10 -8) += r1" },
	{ "atomic fetch or 32",
	  { RAW(KBPF_STX | KBPF_ATOMIC | KBPF_W, 2, 3, 0,
		KBPF_OR | KBPF_FETCH) },
	  "w3 = atomic_fetch_or((u32 *)(r2 +0), w3)" },
	{ "atomic xchg 64",
	  { RAW(KBPF_STX | KBPF_ATOMIC | KBPF_DW, 2, 3, 8, KBPF_XCHG) },
	  "r3 = atomic64_xchg((u64 *)(r2 +8), r3)" },
	{ "atomic cmpxchg 64",
	  { RAW(KBPF_STX | KBPF_ATOMIC | KBPF_DW, 2, 3, 0, KBPF_CMPXCHG) },
	  "r0 = atomic64_cmpxchg((u64 *)(r2 +0), r0, r3)" },
	{ "ld_imm64 joins both slots",
	  { KBPF_LD_IMM64_RAW(2, 0, 0x1122334455667788ULL) },
	  "r2 = 0x1122334455667788 ll" },
	{ "ld_imm64 of a map", { KBPF_LD_MAP_ID(1, 9) }, "r1 = map[id:9] ll" },
	{ "ld_imm64 of a map value",
	  { KBPF_LD_IMM64_RAW(1, KBPF_PSEUDO_MAP_VALUE, (16ULL << 32) | 3) },
	  "r1 = map[id:3][0]+16 ll" },
	{ "unknown opcode", { RAW(KBPF_LD | KBPF_ABS | KBPF_W, 0, 0, 0, 0) },
	  "(20) unknown opcode" },
	{ "unknown alu operation", { RAW(0xff, 0, 0, 0, 0) },
	  "(ff) invalid alu op" },
	{ "output is truncated to the buffer", { KBPF_MOV64_IMM(0, 123456) },
	  NULL },
};

static int disasm_truncates(char *msg, size_t msg_size)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	kbpf_disasm_insn(disasm_tests[ARRAY_SIZE(disasm_tests) - 1].insn, buf,
			 5);
	if (strcmp(buf, "r0 =") || buf[5] != 'x') {
		snprintf(msg, msg_size, "5-byte buffer holds '%.8s'", buf);
		return -EINVAL;
	}
	return 0;
}

static int disasm_run(const struct disasm_test *t, char *msg,
		      size_t msg_size)
{
	char buf[96];

	if (!t->text)
		return disasm_truncates(msg, msg_size);
	kbpf_disasm_insn(t->insn, buf, sizeof(buf));
	if (strcmp(buf, t->text)) {
		snprintf(msg, msg_size, "got '%s', expected '%s'", buf, t->text);
		return -EINVAL;
	}
	return 0;
}

KBPF_TABLE_TEST_SUITE(disasm_basic, "kbpf_disasm_basic", disasm_tests,
		      disasm_run);
