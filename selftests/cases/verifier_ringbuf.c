// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier and ring buffer records: a reserved record is bounded by
 * its constant size, must be null-checked, and must be submitted or
 * discarded exactly once on every path; nothing may use it afterwards.
 * Ring buffers take only the ringbuf helpers, and those only ring buffers.
 */
#include "verifier_test.h"

#define RB_MAP	{ .type = KBPF_MAP_TYPE_RINGBUF, .max_entries = 4096 }

/* r0 = ringbuf_reserve(map 1, size, 0) */
#define VT_RESERVE(size)						\
	KBPF_LD_MAP_ID(VR(1), 1),					\
	KBPF_MOV64_IMM(VR(2), size),					\
	KBPF_MOV64_IMM(VR(3), 0),					\
	KBPF_CALL_HELPER(KBPF_FUNC_RINGBUF_RESERVE)
/* ringbuf_submit(rX, 0) */
#define VT_SUBMIT(r)							\
	KBPF_MOV64_REG(VR(1), r),					\
	KBPF_MOV64_IMM(VR(2), 0),					\
	KBPF_CALL_HELPER(KBPF_FUNC_RINGBUF_SUBMIT)

static const struct verifier_test ringbuf_cases[] = {
	{
		.name = "reserve, null check, write, submit",
		.insns = {
			VT_RESERVE(16),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 5),
			KBPF_ST_MEM(DW, VR(0), 0, 1),
			KBPF_ST_MEM(DW, VR(0), 8, 2),
			VT_SUBMIT(VR(0)),
			VT_RET(1),
		},
		.map = RB_MAP,
	},
	{
		.name = "discard instead of submit",
		.insns = {
			VT_RESERVE(8),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 3),
			KBPF_MOV64_REG(VR(1), VR(0)),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_CALL_HELPER(KBPF_FUNC_RINGBUF_DISCARD),
			VT_RET(1),
		},
		.map = RB_MAP,
	},
	{
		.name = "a record never submitted is a leak",
		.insns = {
			VT_RESERVE(8),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 1),
			KBPF_ST_MEM(DW, VR(0), 0, 1),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
		.log_has = "Unreleased reference",
	},
	{
		.name = "submitting twice is refused",
		.insns = {
			VT_RESERVE(8),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 7),
			KBPF_MOV64_REG(VR(6), VR(0)),
			VT_SUBMIT(VR(6)),
			VT_SUBMIT(VR(6)),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
	},
	{
		.name = "writing a record after its submit is refused",
		.insns = {
			VT_RESERVE(8),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 5),
			KBPF_MOV64_REG(VR(6), VR(0)),
			VT_SUBMIT(VR(6)),
			KBPF_ST_MEM(DW, VR(6), 0, 1),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
	},
	{
		.name = "a write past the reserved size is refused",
		.insns = {
			VT_RESERVE(8),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 4),
			KBPF_ST_MEM(DW, VR(0), 8, 1),
			VT_SUBMIT(VR(0)),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
	},
	{
		.name = "a record used without a null check is refused",
		.insns = {
			VT_RESERVE(8),
			KBPF_ST_MEM(DW, VR(0), 0, 1),
			VT_SUBMIT(VR(0)),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
	},
	{
		.name = "a size the verifier cannot know is refused",
		.insns = {
			VT_MARK(VR(6)),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_CALL_HELPER(KBPF_FUNC_RINGBUF_RESERVE),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
		.log_has = "not a known constant size",
	},
	{
		.name = "submitting an offset into the record is refused",
		.insns = {
			VT_RESERVE(16),
			KBPF_JMP_IMM(JEQ, VR(0), 0, 4),
			KBPF_ALU64_IMM(ADD, VR(0), 8),
			VT_SUBMIT(VR(0)),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
		.log_has = "reserved pointer itself",
	},
	{
		.name = "map_lookup_elem on a ring buffer is refused",
		.insns = {
			VT_LOOKUP(),
			VT_RET(1),
		},
		.map = RB_MAP,
		.expect = -EACCES,
		.log_has = "cannot pass map_type 27",
	},
	{
		.name = "ringbuf_reserve on an array is refused",
		.insns = {
			VT_RESERVE(8),
			VT_RET(1),
		},
		.map = VT_ARRAY_MAP,
		.expect = -EACCES,
		.log_has = "cannot pass map_type 2",
	},
	{
		.name = "ringbuf_output of stack bytes and ringbuf_query",
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 7),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_MOV64_REG(VR(2), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(2), -8),
			KBPF_MOV64_IMM(VR(3), 8),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(KBPF_FUNC_RINGBUF_OUTPUT),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_CALL_HELPER(KBPF_FUNC_RINGBUF_QUERY),
			VT_RET(1),
		},
		.map = RB_MAP,
	},
};

VERIFIER_TEST_SUITE(verifier_ringbuf, "kbpf_verifier_ringbuf", ringbuf_cases);
