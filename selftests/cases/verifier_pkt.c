// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: the netfilter context and packet access.  A packet byte may be
 * read only below a bound proven by comparing a packet pointer with
 * data_end, in either operand order and with any of > >= < <=; the context
 * is read-only and only its fields may be read.
 */
#include "verifier_test.h"

/* r4 = data + n; if r4 OP data_end goto out (+2): 4 slots + read + out */
#define CHECK_AND_READ(OP, N, READ_OFF, SIZE)				\
	VT_PKT(),							\
	KBPF_MOV64_REG(VR(4), VR(2)),					\
	KBPF_ALU64_IMM(ADD, VR(4), N),					\
	KBPF_JMP_REG(OP, VR(4), VR(3), 2),				\
	KBPF_LDX_MEM(SIZE, VR(0), VR(2), READ_OFF),			\
	KBPF_ALU64_IMM(AND, VR(0), 1),					\
	VT_RET(0)

/* Same, with data_end on the left: if data_end OP r4 goto out. */
#define CHECK_AND_READ_REV(OP, N, READ_OFF, SIZE)			\
	VT_PKT(),							\
	KBPF_MOV64_REG(VR(4), VR(2)),					\
	KBPF_ALU64_IMM(ADD, VR(4), N),					\
	KBPF_JMP_REG(OP, VR(3), VR(4), 2),				\
	KBPF_LDX_MEM(SIZE, VR(0), VR(2), READ_OFF),			\
	KBPF_ALU64_IMM(AND, VR(0), 1),					\
	VT_RET(0)

/* The read happens on the jump side: if r4 OP data_end goto read. */
#define JUMP_TO_READ(OP, N, READ_OFF)					\
	VT_PKT(),							\
	KBPF_MOV64_REG(VR(4), VR(2)),					\
	KBPF_ALU64_IMM(ADD, VR(4), N),					\
	KBPF_JMP_REG(OP, VR(4), VR(3), 2),				\
	VT_RET(0),							\
	KBPF_LDX_MEM(B, VR(0), VR(2), READ_OFF),			\
	KBPF_ALU64_IMM(AND, VR(0), 1),					\
	KBPF_EXIT_INSN()

static const struct verifier_test verifier_pkt_tests[] = {
	{
		.name = "clang -O2 ICMP echo drop filter is accepted",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_LDX_MEM(DW, VR(2), VR(1), 8),
			KBPF_LDX_MEM(DW, VR(3), VR(1), 0),
			KBPF_MOV64_REG(VR(1), VR(3)),
			KBPF_ALU64_IMM(ADD, VR(1), 20),
			KBPF_JMP_REG(JGT, VR(1), VR(2), 9),
			KBPF_LDX_MEM(B, VR(3), VR(3), 9),
			KBPF_JMP_IMM(JNE, VR(3), 1, 7),
			KBPF_MOV64_REG(VR(3), VR(1)),
			KBPF_ALU64_IMM(ADD, VR(3), 8),
			KBPF_JMP_REG(JGT, VR(3), VR(2), 4),
			KBPF_LDX_MEM(B, VR(1), VR(1), 0),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_JMP_IMM(JNE, VR(1), 8, 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "ICMP filter reading the type before the ICMP check is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_LDX_MEM(DW, VR(2), VR(1), 8),
			KBPF_LDX_MEM(DW, VR(3), VR(1), 0),
			KBPF_MOV64_REG(VR(1), VR(3)),
			KBPF_ALU64_IMM(ADD, VR(1), 20),
			KBPF_JMP_REG(JGT, VR(1), VR(2), 6),
			KBPF_LDX_MEM(B, VR(3), VR(3), 9),
			KBPF_JMP_IMM(JNE, VR(3), 1, 4),
			KBPF_LDX_MEM(B, VR(1), VR(1), 0),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_JMP_IMM(JNE, VR(1), 8, 1),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "invalid access to packet, off=20 size=1, R1 range=20 (check against data_end)",
	},
	{
		.name = "reading the packet without a bound check is refused",
		.insns = {
			VT_PKT(),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid access to packet, off=0 size=1, R2 range=0 (check against data_end)",
	},
	{
		.name = "the rejection shows the instruction and the register",
		.insns = {
			VT_PKT(),
			KBPF_LDX_MEM(B, VR(0), VR(2), 14),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "2: (71) ",
	},
	{
		.name = "pkt + 14 > end checked: byte 13 readable",
		.insns = { CHECK_AND_READ(JGT, 14, 13, B) },
	},
	{
		.name = "pkt + 14 > end checked: byte 14 is not",
		.insns = { CHECK_AND_READ(JGT, 14, 14, B) },
		.expect = -EACCES,
		.log_has = "off=14 size=1, R2 range=14",
	},
	{
		.name = "pkt + 14 > end checked: u16 at 12 readable",
		.insns = { CHECK_AND_READ(JGT, 14, 12, H) },
	},
	{
		.name = "pkt + 14 > end checked: u16 at 13 is not",
		.insns = { CHECK_AND_READ(JGT, 14, 13, H) },
		.expect = -EACCES,
		.log_has = "off=13 size=2",
	},
	{
		.name = "pkt + 14 > end checked: u64 at 6 readable",
		.insns = { CHECK_AND_READ(JGT, 14, 6, DW) },
	},
	{
		.name = "pkt + 14 >= end checked: byte 14 readable (pkt + 14 < end)",
		.insns = { CHECK_AND_READ(JGE, 14, 14, B) },
	},
	{
		.name = "pkt + 14 >= end checked: byte 15 is not",
		.insns = { CHECK_AND_READ(JGE, 14, 15, B) },
		.expect = -EACCES,
		.log_has = "range=15",
	},
	{
		.name = "end < pkt + 14 checked: byte 13 readable",
		.insns = { CHECK_AND_READ_REV(JLT, 14, 13, B) },
	},
	{
		.name = "end < pkt + 14 checked: byte 14 is not",
		.insns = { CHECK_AND_READ_REV(JLT, 14, 14, B) },
		.expect = -EACCES,
		.log_has = "range=14",
	},
	{
		.name = "end <= pkt + 14 checked: byte 14 readable",
		.insns = { CHECK_AND_READ_REV(JLE, 14, 14, B) },
	},
	{
		.name = "end <= pkt + 14 checked: byte 15 is not",
		.insns = { CHECK_AND_READ_REV(JLE, 14, 15, B) },
		.expect = -EACCES,
	},
	{
		.name = "pkt + 4 < end jumps to the read: byte 4 readable",
		.insns = { JUMP_TO_READ(JLT, 4, 4) },
	},
	{
		.name = "pkt + 4 < end jumps to the read: byte 5 is not",
		.insns = { JUMP_TO_READ(JLT, 4, 5) },
		.expect = -EACCES,
		.log_has = "range=5",
	},
	{
		.name = "pkt + 4 <= end jumps to the read: byte 3 readable",
		.insns = { JUMP_TO_READ(JLE, 4, 3) },
	},
	{
		.name = "pkt + 4 <= end jumps to the read: byte 4 is not",
		.insns = { JUMP_TO_READ(JLE, 4, 4) },
		.expect = -EACCES,
	},
	{
		.name = "pkt + 4 > end jumps to the read: that side proves nothing",
		.insns = { JUMP_TO_READ(JGT, 4, 0) },
		.expect = -EACCES,
		.log_has = "range=0",
	},
	{
		.name = "end > pkt + 4 taken: byte 4 readable",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 4),
			KBPF_JMP_REG(JGT, VR(3), VR(4), 2),
			VT_RET(0),
			KBPF_LDX_MEM(B, VR(0), VR(2), 4),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "end >= pkt + 4 taken: byte 4 is not readable",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 4),
			KBPF_JMP_REG(JGE, VR(3), VR(4), 2),
			VT_RET(0),
			KBPF_LDX_MEM(B, VR(0), VR(2), 4),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "range=4",
	},
	{
		.name = "a negative offset below the packet start is refused",
		.insns = { CHECK_AND_READ(JGT, 14, -1, B) },
		.expect = -EACCES,
		.log_has = "off=-1 size=1",
	},
	{
		.name = "writing into the packet is refused",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 1),
			KBPF_ST_MEM(B, VR(2), 0, 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cannot write into packet",
	},
	{
		.name = "the range is shared by copies of the pointer",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(5), VR(2)),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 1),
			KBPF_LDX_MEM(B, VR(0), VR(5), 7),
			VT_RET(0),
		},
	},
	{
		.name = "a pointer with a constant offset keeps the range",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_MOV64_REG(VR(5), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(5), 4),
			KBPF_LDX_MEM(W, VR(0), VR(5), 0),
			VT_RET(0),
		},
	},
	{
		.name = "a constant offset past the range is refused",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_MOV64_REG(VR(5), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(5), 5),
			KBPF_LDX_MEM(W, VR(0), VR(5), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "off=5 size=4, R5 range=8",
	},
	{
		.name = "a variable offset of [0, 15] checked afterwards is readable",
		.insns = {
			VT_PKT(),
			VT_MARK(VR(5)),
			KBPF_ALU64_IMM(AND, VR(5), 15),
			KBPF_ALU64_REG(ADD, VR(2), VR(5)),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 1),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
	},
	{
		.name = "adding a variable offset forgets an earlier check",
		.insns = {
			VT_PKT(),
			VT_MARK(VR(5)),
			KBPF_ALU64_IMM(AND, VR(5), 15),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 20),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 2),
			KBPF_ALU64_REG(ADD, VR(2), VR(5)),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 range=0",
	},
	{
		.name = "an offset read from unwritten stack is refused first",
		.insns = {
			VT_PKT(),
			KBPF_LDX_MEM(DW, VR(5), VR(10), -8),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack",
	},
	{
		.name = "adding a full u32 to a packet pointer is refused",
		.insns = {
			VT_PKT(),
			VT_MARK(VR(5)),
			KBPF_ALU64_IMM(LSH, VR(5), 8),
			KBPF_ALU64_REG(ADD, VR(2), VR(5)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "math between pkt pointer and register with unbounded value",
	},
	{
		.name = "a possibly negative variable offset is refused at the read",
		.insns = {
			VT_PKT(),
			VT_MARK(VR(5)),
			KBPF_ALU64_IMM(AND, VR(5), 15),
			KBPF_ALU64_IMM(SUB, VR(5), 8),
			KBPF_ALU64_REG(ADD, VR(2), VR(5)),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 1),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 min value is negative",
	},
	{
		.name = "IPv4 header with options: variable ihl * 4 then ICMP type",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_LDX_MEM(DW, VR(2), VR(1), 8),
			KBPF_LDX_MEM(DW, VR(6), VR(1), 0),
			KBPF_MOV64_REG(VR(1), VR(6)),
			KBPF_ALU64_IMM(ADD, VR(1), 1),
			KBPF_JMP_REG(JGT, VR(1), VR(2), 14),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_LDX_MEM(B, VR(1), VR(6), 0),
			KBPF_ALU64_IMM(LSH, VR(1), 2),
			KBPF_ALU64_IMM(AND, VR(1), 60),
			KBPF_MOV64_IMM(VR(3), 20),
			KBPF_JMP_REG(JGT, VR(3), VR(1), 8),
			KBPF_MOV64_REG(VR(3), VR(6)),
			KBPF_ALU64_REG(ADD, VR(3), VR(1)),
			KBPF_MOV64_REG(VR(1), VR(3)),
			KBPF_ALU64_IMM(ADD, VR(1), 8),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_JMP_REG(JGT, VR(1), VR(2), 2),
			KBPF_LDX_MEM(B, VR(0), VR(3), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "IPv4 options: reading past the checked ICMP header is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_LDX_MEM(DW, VR(2), VR(1), 8),
			KBPF_LDX_MEM(DW, VR(6), VR(1), 0),
			KBPF_MOV64_REG(VR(1), VR(6)),
			KBPF_ALU64_IMM(ADD, VR(1), 1),
			KBPF_JMP_REG(JGT, VR(1), VR(2), 14),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_LDX_MEM(B, VR(1), VR(6), 0),
			KBPF_ALU64_IMM(LSH, VR(1), 2),
			KBPF_ALU64_IMM(AND, VR(1), 60),
			KBPF_MOV64_IMM(VR(3), 20),
			KBPF_JMP_REG(JGT, VR(3), VR(1), 8),
			KBPF_MOV64_REG(VR(3), VR(6)),
			KBPF_ALU64_REG(ADD, VR(3), VR(1)),
			KBPF_MOV64_REG(VR(1), VR(3)),
			KBPF_ALU64_IMM(ADD, VR(1), 8),
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_JMP_REG(JGT, VR(1), VR(2), 2),
			KBPF_LDX_MEM(B, VR(0), VR(3), 8),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "off=8 size=1, R3 range=8",
	},
	{
		.name = "comparing two packet pointers is refused",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_JMP_REG(JGT, VR(4), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "pointer comparison prohibited",
	},
	{
		.name = "a signed comparison with data_end is refused",
		.insns = {
			VT_PKT(),
			KBPF_JMP_REG(JSGT, VR(2), VR(3), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 pointer comparison prohibited",
	},
	{
		.name = "a 32-bit comparison with data_end is refused",
		.insns = {
			VT_PKT(),
			KBPF_JMP32_REG(JGT, VR(2), VR(3), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "pointer comparison prohibited",
	},
	{
		.name = "equality with data_end proves no range",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JNE, VR(4), VR(3), 1),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "range=0",
	},
	{
		.name = "a bound beyond 64 KiB proves nothing",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 0x10000),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 1),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "range=0",
	},
	{
		.name = "sign-extending packet load, masked, is a verdict",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_LDX_MEMSX(B, VR(0), VR(2), 0),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "sign-extending packet load: its sign bit is a verdict",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 1),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 3),
			KBPF_LDX_MEMSX(B, VR(0), VR(2), 0),
			KBPF_ALU64_IMM(RSH, VR(0), 63),
			KBPF_EXIT_INSN(),
			VT_RET(0),
		},
	},
	{
		.name = "dereferencing data_end is refused",
		.insns = {
			VT_PKT(),
			KBPF_LDX_MEM(B, VR(0), VR(3), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R3 invalid mem access 'pkt_end'",
	},
	{
		.name = "dereferencing a scalar is refused",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_LDX_MEM(B, VR(0), VR(2), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R2 invalid mem access 'scalar'",
	},
	/* ---- context ---- */
	{
		.name = "ctx->mark (u32 at 36) is readable",
		.insns = { VT_MARK(VR(0)), KBPF_ALU64_IMM(AND, VR(0), 1),
			   KBPF_EXIT_INSN() },
	},
	{
		.name = "ctx->len as u8 at 16 is readable (narrow load)",
		.insns = {
			KBPF_LDX_MEM(B, VR(0), VR(1), NF_LEN),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "ctx u16 at 38 (upper half of mark) is readable",
		.insns = {
			KBPF_LDX_MEM(H, VR(0), VR(1), 38),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "ctx u16 at 37 is misaligned",
		.insns = {
			KBPF_LDX_MEM(H, VR(0), VR(1), 37),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=37 size=2",
	},
	{
		.name = "ctx u64 over two u32 fields is refused",
		.insns = {
			KBPF_LDX_MEM(DW, VR(0), VR(1), NF_LEN),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=16 size=8",
	},
	{
		.name = "ctx read past its end (off 40) is refused",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), 40),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=40 size=4",
	},
	{
		.name = "ctx read before its start is refused",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), -4),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=-4",
	},
	{
		.name = "ctx->data read as u32 is refused",
		.insns = {
			KBPF_LDX_MEM(W, VR(0), VR(1), NF_DATA),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access off=0 size=4",
	},
	{
		.name = "ctx->data read sign-extended is refused",
		.insns = {
			KBPF_LDX_MEMSX(W, VR(0), VR(1), 4),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "invalid ctx access",
	},
	{
		.name = "writing ctx->len is refused: only mark is writable",
		.insns = {
			KBPF_ST_MEM(W, VR(1), NF_LEN, 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cannot write into ctx off=16 size=4",
	},
	{
		.name = "writing a number into ctx->mark is allowed",
		.insns = {
			KBPF_ST_MEM(W, VR(1), NF_MARK, 7),
			KBPF_MOV64_IMM(VR(2), 9),
			KBPF_STX_MEM(W, VR(1), VR(2), NF_MARK),
			VT_RET(0),
		},
		.expect = 0,
	},
	{
		.name = "storing a pointer into ctx->mark is refused",
		.insns = {
			KBPF_STX_MEM(W, VR(1), VR(10), NF_MARK),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "R10 leaks addr into ctx",
	},
	{
		.name = "a 2-byte write into ctx->mark is refused: whole field only",
		.insns = {
			KBPF_ST_MEM(H, VR(1), NF_MARK, 1),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "cannot write into ctx off=36 size=2",
	},
	{
		.name = "reading through a moved ctx pointer is refused",
		.insns = {
			KBPF_ALU64_IMM(ADD, VR(1), 8),
			KBPF_LDX_MEM(DW, VR(2), VR(1), 0),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "dereference of modified ctx ptr R1 off=8 disallowed",
	},
	{
		.name = "a variable offset on the ctx pointer is refused",
		.insns = {
			VT_MARK(VR(2)),
			KBPF_ALU64_REG(ADD, VR(1), VR(2)),
			VT_RET(0),
		},
		.expect = -EACCES,
		.log_has = "variable ctx pointer arithmetic prohibited",
	},
	{
		.name = "a copy of the ctx pointer reads like the original",
		.insns = {
			KBPF_MOV64_REG(VR(6), VR(1)),
			KBPF_LDX_MEM(W, VR(0), VR(6), NF_PROTOCOL),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
};

VERIFIER_TEST_SUITE(verifier_pkt, "kbpf_verifier_pkt", verifier_pkt_tests);
