// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_prog.ctx_fields of netfilter programs: the context fields a run may
 * reach, which the dispatcher sets and no others (kmod/nf_ctx.h).  Safety
 * rests on the bits covering every field a run can read or write: each
 * load and store the verifier accepts, on any path and in any width, in a
 * subprogram or through a spilled context pointer; and every field when
 * the context leaves the program (a helper given it, a tail call) or the
 * verifier did not look (KBPF_LOAD_NO_VERIFY).  Expected masks are the
 * fields each program names, worked out by hand.
 */
#include "cases.h"
#include "../../kmod/core/helpers.h"

#define F(name)		(1u << KBPF_NF_CTX_##name)
#define ALL		KBPF_NF_CTX_ALL
#define OFF(member)	((s16)offsetof(struct kbpf_nf_ctx, member))
#define ACCEPT_EXIT	KBPF_MOV64_IMM(0, 1), KBPF_EXIT_INSN()

struct fields_case {
	const char *name;
	struct kbpf_insn insns[24];
	u32 want;
	bool no_verify;
	bool prog_array;	/* map id 1: a program array */
};

static const struct fields_case fields_cases[] = {
	{
		.name = "accept-all reaches no field",
		.insns = { ACCEPT_EXIT },
		.want = 0,
	},
	{
		.name = "data and data_end for a bounds check",
		.insns = {
			KBPF_LDX_MEM(DW, 2, 1, OFF(data)),
			KBPF_LDX_MEM(DW, 3, 1, OFF(data_end)),
			KBPF_MOV64_REG(4, 2),
			KBPF_ALU64_IMM(ADD, 4, 1),
			KBPF_JMP_REG(JGT, 4, 3, 1),
			KBPF_LDX_MEM(B, 5, 2, 0),
			ACCEPT_EXIT,
		},
		.want = F(DATA) | F(DATA_END),
	},
	{
		.name = "one byte of family, two of protocol",
		.insns = {
			KBPF_LDX_MEM(B, 2, 1, OFF(family)),
			KBPF_LDX_MEM(H, 3, 1, OFF(protocol) + 2),
			ACCEPT_EXIT,
		},
		.want = F(FAMILY) | F(PROTOCOL),
	},
	{
		.name = "a field read on a branch runs may never take",
		.insns = {
			KBPF_LDX_MEM(W, 2, 1, OFF(len)),
			KBPF_JMP_IMM(JNE, 2, 0x12345, 1),
			KBPF_LDX_MEM(W, 3, 1, OFF(ifindex)),
			ACCEPT_EXIT,
		},
		.want = F(LEN) | F(IFINDEX),
	},
	{
		.name = "mark written, not read",
		.insns = {
			KBPF_ST_MEM(W, 1, OFF(mark), 7),
			ACCEPT_EXIT,
		},
		.want = F(MARK),
	},
	{
		.name = "hook read by a subprogram",
		.insns = {
			KBPF_CALL_REL(2),
			KBPF_MOV64_IMM(0, 1),
			KBPF_EXIT_INSN(),
			KBPF_LDX_MEM(W, 0, 1, OFF(hook)),
			KBPF_EXIT_INSN(),
		},
		.want = F(HOOK),
	},
	{
		.name = "the context pointer spilled to the stack and reloaded",
		.insns = {
			KBPF_STX_MEM(DW, 10, 1, -8),
			KBPF_LDX_MEM(DW, 6, 10, -8),
			KBPF_LDX_MEM(W, 2, 6, OFF(mark)),
			ACCEPT_EXIT,
		},
		.want = F(MARK),
	},
	{
		.name = "the context given to a helper (skb_load_bytes): all",
		.insns = {
			KBPF_MOV64_IMM(2, 0),
			KBPF_MOV64_REG(3, 10),
			KBPF_ALU64_IMM(ADD, 3, -8),
			KBPF_MOV64_IMM(4, 4),
			KBPF_CALL_HELPER(KBPF_FUNC_skb_load_bytes),
			ACCEPT_EXIT,
		},
		.want = ALL,
	},
	{
		.name = "a tail call (its target reads what it likes): all",
		.insns = {
			KBPF_LD_MAP_ID(2, 1),
			KBPF_MOV64_IMM(3, 0),
			KBPF_CALL_HELPER(KBPF_FUNC_tail_call),
			ACCEPT_EXIT,
		},
		.want = ALL,
		.prog_array = true,
	},
	{
		.name = "a helper call without the context reaches nothing",
		.insns = {
			KBPF_CALL_HELPER(KBPF_FUNC_get_prandom_u32),
			ACCEPT_EXIT,
		},
		.want = 0,
	},
	{
		.name = "loaded without the verifier: all",
		.insns = { ACCEPT_EXIT },
		.want = ALL,
		.no_verify = true,
	},
};

static struct kbpf_map *fields_prog_array;

static struct kbpf_map *fields_map_by_id(void *priv, u32 id)
{
	if (id != 1 || !fields_prog_array)
		return NULL;
	kbpf_map_get(fields_prog_array);
	return fields_prog_array;
}

static u32 fields_insn_count(const struct fields_case *c)
{
	u32 n = ARRAY_SIZE(c->insns);

	while (n && !c->insns[n - 1].code)
		n--;
	return n;
}

static int run_fields_case(const struct fields_case *c, char *msg,
			   size_t msg_size)
{
	struct kbpf_map_attrs pa = {
		.type = KBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4,
		.value_size = 4, .max_entries = 1,
	};
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = c->insns,
		.insn_cnt = fields_insn_count(c),
		.flags = c->no_verify ? KBPF_LOAD_NO_VERIFY : 0,
		.map_by_id = fields_map_by_id,
	};
	struct kbpf_prog *prog = NULL;
	int err = 0;

	fields_prog_array = NULL;
	if (c->prog_array)
		err = kbpf_map_create(&pa, NULL, &fields_prog_array);
	if (!err)
		err = kbpf_prog_load(&opts, &prog);
	if (err) {
		snprintf(msg, msg_size, "load: %d", err);
	} else if (prog->ctx_fields != c->want) {
		snprintf(msg, msg_size, "ctx_fields 0x%x, expected 0x%x",
			 prog->ctx_fields, c->want);
		err = -EINVAL;
	}
	kbpf_prog_free(prog);
	if (fields_prog_array)
		kbpf_map_put(fields_prog_array);
	fields_prog_array = NULL;
	return err;
}

KBPF_TABLE_TEST_SUITE(nf_ctx_fields, "kbpf_nf_ctx_fields", fields_cases,
		      run_fields_case);
