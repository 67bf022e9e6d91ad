// SPDX-License-Identifier: GPL-2.0
/*
 * What the verifier knows about particular helpers: bpf_loop callbacks
 * (verified in their own frame, returning 0 or 1, as often as they may
 * run), tail_call (main frame only, prog_array only), the map types each
 * helper takes, the memory a helper fills becoming initialised, packet
 * pointers forgotten across packet writes, and unknown helpers named.
 */
#include "verifier_test.h"

#define PSEUDO_FUNC	4
/* r2 = address of the subprogram at pc + 1 + rel (two slots) */
#define VT_LD_FUNC(DST, REL)	VT_LD_IMM64(DST, PSEUDO_FUNC, REL, 0)
#define PROG_ARRAY_MAP	{ .type = KBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, \
			  .value_size = 4, .max_entries = 2 }

static const struct verifier_test helper_verifier_tests[] = {
	{
		.name = "bpf_loop: a callback summing into the caller's stack runs 5 times",
		.raw = true, .mem_size = 8, .run = true, .retval = 15,
		.insns = {
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(1), 5),
			VT_LD_FUNC(VR(2), 7),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -8),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(181),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_EXIT_INSN(),
			/* callback(i, ctx): *ctx += i + 1 */
			KBPF_LDX_MEM(DW, VR(3), VR(2), 0),
			KBPF_ALU64_REG(ADD, VR(3), VR(1)),
			KBPF_ALU64_IMM(ADD, VR(3), 1),
			KBPF_STX_MEM(DW, VR(2), VR(3), 0),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "bpf_loop: returning 1 stops after the first call",
		.raw = true, .mem_size = 8, .run = true, .retval = 1,
		.insns = {
			KBPF_MOV64_IMM(VR(1), 100),
			VT_LD_FUNC(VR(2), 5),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(181),
			KBPF_EXIT_INSN(),
			/* r0 (iterations done) must not be the 100 asked for */
			KBPF_MOV64_IMM(VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "bpf_loop: a callback returning 2 is refused",
		.raw = true, .mem_size = 8,
		.insns = {
			KBPF_MOV64_IMM(VR(1), 1),
			VT_LD_FUNC(VR(2), 5),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(181),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 2),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "At callback return the register R0 should be 0 (continue) or 1 (stop)",
	},
	{
		.name = "bpf_loop: flags other than 0 are refused",
		.raw = true, .mem_size = 8,
		.insns = {
			KBPF_MOV64_IMM(VR(1), 1),
			VT_LD_FUNC(VR(2), 5),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_MOV64_IMM(VR(4), 1),
			KBPF_CALL_HELPER(181),
			KBPF_EXIT_INSN(),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EINVAL,
		.log_has = "R4: flags of loop must be 0",
	},
	{
		.name = "bpf_loop: the callback must be a function, not a number",
		.raw = true, .mem_size = 8,
		.insns = {
			KBPF_MOV64_IMM(VR(1), 1),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(181),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R2 type=scalar expected=func",
	},
	{
		/*
		 * The first call overwrites the spilled pointer: later calls,
		 * and the code after the loop, see a number there.
		 */
		.name = "bpf_loop: a pointer the callback overwrote is no pointer after the loop",
		.raw = true, .mem_size = 8,
		.insns = {
			KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			KBPF_MOV64_IMM(VR(1), 3),
			VT_LD_FUNC(VR(2), 8),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -8),
			KBPF_MOV64_IMM(VR(4), 0),
			KBPF_CALL_HELPER(181),
			KBPF_LDX_MEM(DW, VR(5), VR(10), -8),
			KBPF_LDX_MEM(B, VR(0), VR(5), 0),
			KBPF_EXIT_INSN(),
			/* callback: *ctx = 0x1000 */
			KBPF_ST_MEM(DW, VR(2), 0, 0x1000),
			KBPF_MOV64_IMM(VR(0), 0),
			KBPF_EXIT_INSN(),
		},
		.expect = -EACCES,
		.log_has = "R5 invalid mem access 'scalar'",
	},
	{
		.name = "tail_call: through a prog_array from the main program",
		.map = PROG_ARRAY_MAP,
		.insns = {
			KBPF_LD_MAP_ID(VR(2), 1),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_CALL_HELPER(12),
			VT_RET(1),
		},
	},
	{
		.name = "tail_call: from a subprogram is refused",
		.map = PROG_ARRAY_MAP,
		.insns = {
			KBPF_CALL_REL(1),
			KBPF_EXIT_INSN(),
			KBPF_LD_MAP_ID(VR(2), 1),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_CALL_HELPER(12),
			VT_RET(1),
		},
		.expect = -EINVAL,
		.log_has = "tail_call is allowed only in the main program",
	},
	{
		.name = "tail_call: an array map is no prog_array",
		.map = VT_ARRAY_MAP,
		.insns = {
			KBPF_LD_MAP_ID(VR(2), 1),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_CALL_HELPER(12),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "cannot pass map_type 2 into func tail_call#12",
	},
	{
		.name = "tail_call: the context must be r1's",
		.map = PROG_ARRAY_MAP,
		.insns = {
			KBPF_MOV64_REG(VR(1), VR(10)),
			KBPF_LD_MAP_ID(VR(2), 1),
			KBPF_MOV64_IMM(VR(3), 0),
			KBPF_CALL_HELPER(12),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "R1 type=fp expected=ctx",
	},
	{
		.name = "map_lookup_elem on a prog_array is refused",
		.map = PROG_ARRAY_MAP,
		.insns = {
			VT_LOOKUP(),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "cannot pass map_type 3 into func map_lookup_elem#1",
	},
	{
		.name = "skb_load_bytes: the bytes it fills may be read",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -8),
			KBPF_MOV64_IMM(VR(4), 8),
			KBPF_CALL_HELPER(26),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			KBPF_ALU64_IMM(AND, VR(0), 1),
			KBPF_EXIT_INSN(),
		},
	},
	{
		.name = "skb_load_bytes: bytes past the size given stay unreadable",
		.insns = {
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -16),
			KBPF_MOV64_IMM(VR(4), 8),
			KBPF_CALL_HELPER(26),
			KBPF_LDX_MEM(DW, VR(0), VR(10), -8),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8",
	},
	{
		.name = "skb_load_bytes: into the packet is refused",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 6),
			KBPF_MOV64_REG(VR(3), VR(2)),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_IMM(VR(4), 8),
			KBPF_CALL_HELPER(26),
			VT_RET(1),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "R3 type=pkt expected=fp, map_value, mem for helper memory the helper writes",
	},
	{
		.name = "skb_store_bytes: packet pointers are forgotten afterwards",
		.insns = {
			VT_PKT(),
			KBPF_MOV64_REG(VR(6), VR(2)),
			KBPF_MOV64_REG(VR(4), VR(2)),
			KBPF_ALU64_IMM(ADD, VR(4), 8),
			KBPF_JMP_REG(JGT, VR(4), VR(3), 9),
			KBPF_ST_MEM(DW, VR(10), -8, 0),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_REG(VR(3), VR(10)),
			KBPF_ALU64_IMM(ADD, VR(3), -8),
			KBPF_MOV64_IMM(VR(4), 4),
			KBPF_MOV64_IMM(VR(5), 0),
			KBPF_CALL_HELPER(9),
			KBPF_LDX_MEM(B, VR(0), VR(6), 0),
			KBPF_EXIT_INSN(),
			VT_RET(1),
		},
		.expect = -EACCES,
		.log_has = "R6 !read_ok",
	},
	{
		.name = "an unknown helper is named: redirect (23) is not for netfilter",
		.insns = {
			KBPF_CALL_HELPER(23),
			VT_RET(1),
		},
		.expect = -EINVAL,
		.log_has = "unknown helper 23 (redirect): not offered to netfilter programs",
	},
	{
		.name = "raw programs have no tail_call",
		.raw = true, .mem_size = 8,
		.insns = {
			KBPF_CALL_HELPER(12),
			VT_RET(1),
		},
		.expect = -EINVAL,
		.log_has = "unknown helper 12 (tail_call): not offered to raw programs",
	},
	{
		.name = "returning KBPF_NF_REJECT is a verdict",
		.insns = {
			VT_RET(KBPF_NF_REJECT),
		},
	},
	{
		.name = "returning 3 is no verdict",
		.insns = {
			VT_RET(3),
		},
		.expect = -EACCES,
		.log_has = "should have been in [0, 1] or exactly 16",
	},
};

VERIFIER_TEST_SUITE(helpers_verifier, "kbpf_helpers_verifier",
		    helper_verifier_tests);
