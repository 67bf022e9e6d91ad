// SPDX-License-Identifier: GPL-2.0
/*
 * Program loading: kbpf_prog_load() is a flat pipeline
 *
 *   check_load_opts -> copy_insns -> decode_check (+ map resolution)
 *   -> kbpf_verify (unless KBPF_LOAD_NO_VERIFY) -> kbpf_interp_build
 *
 * and every failure unwinds through kbpf_prog_free(), which drops the map
 * references taken so far.  decode_check is what the interpreter relies on
 * even when the verifier is skipped: every opcode is known, every field
 * RFC 9669 reserves is zero, every register exists, every jump and call
 * lands on an instruction (not inside a 64-bit immediate load), every helper
 * exists and every map reference resolves.
 */
#include "prog.h"
#include "interp.h"
#include "maps/map.h"
#include "helpers.h"
#include "sched/worst_case.h"

/* Nonzero for every opcode byte KBPF_INSN_MAP lists. */
static const u8 known_opcode[256] = {
#define KBPF_MARK_OPCODE(name, code) [code] = 1,
	KBPF_INSN_MAP(KBPF_MARK_OPCODE)
#undef KBPF_MARK_OPCODE
};

/* Log "insn N: reason" and evaluate to -EINVAL. */
#define reject_insn(log, i, fmt, ...)					\
	(kbpf_log_printf(log, "insn %u: " fmt "\n", i, ##__VA_ARGS__), -EINVAL)

struct load_ctx {
	struct kbpf_prog *prog;
	const struct kbpf_prog_load_opts *opts;
	const struct kbpf_limits *limits;
	struct kbpf_log *log;
	u32 map_cap;		/* room in prog->maps */
};

/*
 * Test runners (kbpf-run, the interpreter tests) load type-less programs
 * without the verifier; the interpreter needs no type.  Verified programs
 * need a type the verifier knows.
 */
static bool is_loadable_type(const struct kbpf_prog_load_opts *opts)
{
	if (opts->type == KBPF_PROG_TYPE_UNSPEC &&
	    (opts->flags & KBPF_LOAD_NO_VERIFY))
		return true;
	return kbpf_prog_type_ops(opts->type);
}

static int check_load_opts(const struct kbpf_prog_load_opts *opts,
			   const struct kbpf_limits *limits)
{
	if (opts->flags & ~KBPF_LOAD_NO_VERIFY) {
		kbpf_log_printf(opts->log, "unknown load flags 0x%x\n",
				opts->flags);
		return -EINVAL;
	}
	if (!is_loadable_type(opts)) {
		kbpf_log_printf(opts->log, "unknown program type %u\n",
				opts->type);
		return -EINVAL;
	}
	if (!opts->insns || !opts->insn_cnt) {
		kbpf_log_printf(opts->log, "program has no instructions\n");
		return -EINVAL;
	}
	if (opts->insn_cnt > limits->max_insns) {
		kbpf_log_printf(opts->log,
				"program has %u instructions, the %s limit is %u\n",
				opts->insn_cnt, limits->name,
				limits->max_insns);
		return -E2BIG;
	}
	return 0;
}

static bool is_alu_class(u8 code)
{
	return KBPF_CLASS(code) == KBPF_ALU || KBPF_CLASS(code) == KBPF_ALU64;
}

static bool is_jmp_class(u8 code)
{
	return KBPF_CLASS(code) == KBPF_JMP || KBPF_CLASS(code) == KBPF_JMP32;
}

/* Fields of an ALU instruction RFC 9669 reserves or restricts. */
static int check_alu_fields(struct load_ctx *lc, u32 i,
			    const struct kbpf_insn *insn)
{
	u8 op = KBPF_OP(insn->code);
	bool alu64 = KBPF_CLASS(insn->code) == KBPF_ALU64;

	if (op == KBPF_END) {
		if (alu64 && KBPF_SRC(insn->code) == KBPF_TO_BE)
			return reject_insn(lc->log, i,
					   "byte swap with source bit set is reserved in alu64");
		if (insn->src_reg || insn->off)
			return reject_insn(lc->log, i,
					   "reserved fields of a byte swap must be 0");
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return reject_insn(lc->log, i,
					   "invalid byte swap width %d", insn->imm);
		return 0;
	}
	if (op == KBPF_NEG) {
		if (insn->src_reg || insn->off || insn->imm)
			return reject_insn(lc->log, i,
					   "reserved fields of neg must be 0");
		return 0;
	}
	if (KBPF_SRC(insn->code) == KBPF_K && insn->src_reg)
		return reject_insn(lc->log, i, "reserved field src_reg must be 0");
	if (KBPF_SRC(insn->code) == KBPF_X && insn->imm)
		return reject_insn(lc->log, i, "reserved field imm must be 0");
	if (op == KBPF_DIV || op == KBPF_MOD) {
		if (insn->off != 0 && insn->off != 1)
			return reject_insn(lc->log, i,
					   "invalid offset %d of div/mod (0 or 1)",
					   insn->off);
		return 0;
	}
	if (op == KBPF_MOV && KBPF_SRC(insn->code) == KBPF_X) {
		if (insn->off == 0 || insn->off == 8 || insn->off == 16 ||
		    (alu64 && insn->off == 32))
			return 0;
		return reject_insn(lc->log, i, "invalid movsx size %d",
				   insn->off);
	}
	if (insn->off)
		return reject_insn(lc->log, i, "reserved field off must be 0");
	return 0;
}

/* A jump or call at i to i + 1 + delta must land on an instruction, and
 * not on the second slot of a 64-bit immediate load.
 */
static int check_target(struct load_ctx *lc, u32 i, s64 delta)
{
	s64 t = (s64)i + 1 + delta;
	const struct kbpf_insn *insns = lc->prog->insns;

	if (t < 0 || t >= lc->prog->insn_cnt)
		return reject_insn(lc->log, i, "jump out of range to %lld",
				   (long long)t);
	if (t > 0 && kbpf_insn_is_ld_imm64(&insns[t - 1]))
		return reject_insn(lc->log, i,
				   "jump into the middle of ld_imm64 at %lld",
				   (long long)(t - 1));
	return 0;
}

static const char *type_name(u32 type)
{
	const struct kbpf_prog_type_ops *ops = kbpf_prog_type_ops(type);

	return ops ? ops->name : "untyped";
}

static int check_call(struct load_ctx *lc, u32 i, const struct kbpf_insn *insn)
{
	if (insn->dst_reg || insn->off)
		return reject_insn(lc->log, i,
				   "reserved fields of call must be 0");
	if (insn->src_reg == KBPF_PSEUDO_CALL)
		return check_target(lc, i, insn->imm);
	if (insn->src_reg)
		return reject_insn(lc->log, i, "unsupported call type %u",
				   insn->src_reg);
	if (!kbpf_helper_lookup(lc->prog->helpers, (u32)insn->imm))
		return reject_insn(lc->log, i,
				   "unknown helper %d (%s): not offered to %s programs",
				   insn->imm, kbpf_helper_linux_name((u32)insn->imm),
				   type_name(lc->prog->type));
	return 0;
}

static int check_jmp_fields(struct load_ctx *lc, u32 i,
			    const struct kbpf_insn *insn)
{
	u8 op = KBPF_OP(insn->code);
	bool jmp32 = KBPF_CLASS(insn->code) == KBPF_JMP32;

	switch (op) {
	case KBPF_CALL:
		return check_call(lc, i, insn);
	case KBPF_EXIT:
		if (insn->dst_reg || insn->src_reg || insn->off || insn->imm)
			return reject_insn(lc->log, i,
					   "reserved fields of exit must be 0");
		return 0;
	case KBPF_JA:
		if (insn->dst_reg || insn->src_reg)
			return reject_insn(lc->log, i,
					   "reserved fields of ja must be 0");
		/* gotol (JMP32) takes its target from imm, ja from off. */
		if (jmp32 ? insn->off != 0 : insn->imm != 0)
			return reject_insn(lc->log, i,
					   "reserved field %s of ja must be 0",
					   jmp32 ? "off" : "imm");
		return check_target(lc, i, jmp32 ? insn->imm : insn->off);
	default:
		if (KBPF_SRC(insn->code) == KBPF_K && insn->src_reg)
			return reject_insn(lc->log, i,
					   "reserved field src_reg must be 0");
		if (KBPF_SRC(insn->code) == KBPF_X && insn->imm)
			return reject_insn(lc->log, i,
					   "reserved field imm must be 0");
		return check_target(lc, i, insn->off);
	}
}

static bool is_valid_atomic_op(s32 imm)
{
	switch (imm) {
	case KBPF_ADD:
	case KBPF_OR:
	case KBPF_AND:
	case KBPF_XOR:
	case KBPF_ADD | KBPF_FETCH:
	case KBPF_OR | KBPF_FETCH:
	case KBPF_AND | KBPF_FETCH:
	case KBPF_XOR | KBPF_FETCH:
	case KBPF_XCHG:
	case KBPF_CMPXCHG:
		return true;
	default:
		return false;
	}
}

static int check_mem_fields(struct load_ctx *lc, u32 i,
			    const struct kbpf_insn *insn)
{
	switch (KBPF_CLASS(insn->code)) {
	case KBPF_LDX:
		if (insn->imm)
			return reject_insn(lc->log, i,
					   "reserved field imm must be 0");
		return 0;
	case KBPF_ST:
		if (insn->src_reg)
			return reject_insn(lc->log, i,
					   "reserved field src_reg must be 0");
		return 0;
	default:	/* STX */
		if (KBPF_MODE(insn->code) == KBPF_ATOMIC) {
			if (!is_valid_atomic_op(insn->imm))
				return reject_insn(lc->log, i,
						   "invalid atomic operation 0x%x",
						   insn->imm);
			return 0;
		}
		if (insn->imm)
			return reject_insn(lc->log, i,
					   "reserved field imm must be 0");
		return 0;
	}
}

/* Index of map in prog->maps, adding it (and keeping its reference) if it
 * is new; a repeated map gives its extra reference back.
 */
static int add_prog_map(struct load_ctx *lc, u32 i, struct kbpf_map *map,
			u32 *idx)
{
	struct kbpf_prog *prog = lc->prog;
	u32 m;

	for (m = 0; m < prog->map_cnt; m++) {
		if (prog->maps[m] == map) {
			kbpf_map_put(map);
			*idx = m;
			return 0;
		}
	}
	if (prog->map_cnt >= lc->limits->max_maps_per_prog ||
	    prog->map_cnt >= lc->map_cap) {
		kbpf_map_put(map);
		kbpf_log_printf(lc->log,
				"insn %u: program uses more than %u maps\n",
				i, lc->limits->max_maps_per_prog);
		return -E2BIG;
	}
	prog->maps[prog->map_cnt] = map;
	*idx = prog->map_cnt++;
	return 0;
}

/*
 * The program will hold addresses inside the map's values (its image, the
 * verifier's constant formats, native code): the values must stay where
 * they are, so the map refuses to be resized until the program is freed.
 * Pinned before any address is taken.
 */
static int pin_map_values(struct kbpf_prog *prog, u32 idx)
{
	u64 bit;

	if (idx >= 64)
		return -E2BIG;
	bit = 1ULL << idx;
	if (!(prog->maps_values_pinned & bit)) {
		kbpf_map_pin_values(prog->maps[idx]);
		prog->maps_values_pinned |= bit;
	}
	return 0;
}

static int resolve_map_load(struct load_ctx *lc, u32 i, struct kbpf_insn *insn)
{
	u32 id = (u32)insn->imm, idx;
	struct kbpf_map *map = NULL;
	u64 addr;
	int err;

	if (lc->opts->map_by_id)
		map = lc->opts->map_by_id(lc->opts->map_priv, id);
	if (!map)
		return reject_insn(lc->log, i, "map id %u not found", id);
	err = add_prog_map(lc, i, map, &idx);
	if (err)
		return err;
	insn->imm = (s32)idx;
	if (insn->src_reg != KBPF_PSEUDO_MAP_VALUE)
		return 0;
	err = pin_map_values(lc->prog, idx);
	if (err)
		return reject_insn(lc->log, i,
				   "global data of more than 64 maps");
	if (kbpf_map_direct_value_addr(map, (u32)insn[1].imm, &addr))
		return reject_insn(lc->log, i,
				   "map id %u has no direct value at offset %u",
				   id, (u32)insn[1].imm);
	return 0;
}

static int check_ld_imm64(struct load_ctx *lc, u32 i, struct kbpf_insn *insn)
{
	const struct kbpf_insn *hi = &insn[1];

	if (i + 1 >= lc->prog->insn_cnt)
		return reject_insn(lc->log, i, "ld_imm64 has no second slot");
	if (hi->code || hi->dst_reg || hi->src_reg || hi->off)
		return reject_insn(lc->log, i,
				   "second slot of ld_imm64 is malformed");
	if (insn->off)
		return reject_insn(lc->log, i, "reserved field off must be 0");
	switch (insn->src_reg) {
	case 0:
		return 0;
	case KBPF_PSEUDO_MAP_ID:
		if (hi->imm)
			return reject_insn(lc->log, i,
					   "second slot of a map load must be 0");
		return resolve_map_load(lc, i, insn);
	case KBPF_PSEUDO_MAP_VALUE:
		return resolve_map_load(lc, i, insn);
	case KBPF_PSEUDO_FUNC:
		if (hi->imm)
			return reject_insn(lc->log, i,
					   "second slot of a function load must be 0");
		return check_target(lc, i, insn->imm);
	default:
		return reject_insn(lc->log, i,
				   "unsupported ld_imm64 source %u",
				   insn->src_reg);
	}
}

static int check_insn(struct load_ctx *lc, u32 i, struct kbpf_insn *insn)
{
	u8 code = insn->code;

	if (!known_opcode[code])
		return reject_insn(lc->log, i, "unknown opcode 0x%02x", code);
	if (insn->dst_reg >= KBPF_REG_COUNT)
		return reject_insn(lc->log, i, "invalid register r%u",
				   insn->dst_reg);
	if (kbpf_insn_is_ld_imm64(insn))
		return check_ld_imm64(lc, i, insn);
	if (insn->src_reg >= KBPF_REG_COUNT)
		return reject_insn(lc->log, i, "invalid register r%u",
				   insn->src_reg);
	if (is_alu_class(code))
		return check_alu_fields(lc, i, insn);
	if (is_jmp_class(code))
		return check_jmp_fields(lc, i, insn);
	return check_mem_fields(lc, i, insn);
}

/* Room for one map per pseudo map load, bounded by the profile. */
static int alloc_prog_maps(struct load_ctx *lc)
{
	struct kbpf_prog *prog = lc->prog;
	u32 i, n = 0;

	for (i = 0; i < prog->insn_cnt; i++)
		if (kbpf_insn_is_ld_imm64(&prog->insns[i]) &&
		    (prog->insns[i].src_reg == KBPF_PSEUDO_MAP_ID ||
		     prog->insns[i].src_reg == KBPF_PSEUDO_MAP_VALUE))
			n++;
	if (!n)
		return 0;
	if (n > lc->limits->max_maps_per_prog)
		n = lc->limits->max_maps_per_prog;
	prog->maps = kbpf_zalloc(sizeof(*prog->maps) * (size_t)(n ? n : 1));
	if (!prog->maps)
		return -ENOMEM;
	lc->map_cap = n;
	return 0;
}

static int decode_check(struct load_ctx *lc)
{
	struct kbpf_prog *prog = lc->prog;
	u32 i;
	int err;

	err = alloc_prog_maps(lc);
	if (err)
		return err;
	for (i = 0; i < prog->insn_cnt; i++) {
		err = check_insn(lc, i, &prog->insns[i]);
		if (err)
			return err;
		if (kbpf_insn_is_ld_imm64(&prog->insns[i]))
			i++;
	}
	return 0;
}

static bool calls_helper(const struct kbpf_insn *insn, s32 id)
{
	return insn->code == (KBPF_JMP | KBPF_CALL) && !insn->src_reg &&
	       insn->imm == id;
}

/*
 * A program that calls trace_printk gets its own trace buffer; one that
 * calls a helper reading the run's context (kbpf_run_current()) is marked.
 */
static int alloc_trace(struct kbpf_prog *prog, const struct kbpf_limits *limits)
{
	u32 i;

	for (i = 0; i < prog->insn_cnt; i++) {
		const struct kbpf_insn *insn = &prog->insns[i];

		if (calls_helper(insn, KBPF_FUNC_trace_printk) ||
		    calls_helper(insn, KBPF_FUNC_snprintf) ||
		    calls_helper(insn, KBPF_FUNC_loop) ||
		    calls_helper(insn, KBPF_FUNC_tail_call))
			prog->uses_run_ctx = true;
		if (calls_helper(insn, KBPF_FUNC_trace_printk) && !prog->trace) {
			int err = kbpf_trace_buf_alloc(limits->trace_lines,
						       &prog->trace);

			if (err)
				return err;
		}
	}
	return 0;
}

static int copy_insns(struct kbpf_prog *prog,
		      const struct kbpf_prog_load_opts *opts)
{
	size_t bytes = sizeof(*prog->insns) * (size_t)opts->insn_cnt;

	prog->insns = kbpf_zalloc(bytes);
	if (!prog->insns)
		return -ENOMEM;
	memcpy(prog->insns, opts->insns, bytes);
	prog->insn_cnt = opts->insn_cnt;
	return 0;
}

int kbpf_prog_load(const struct kbpf_prog_load_opts *opts,
		   struct kbpf_prog **progp)
{
	struct load_ctx lc = { .opts = opts, .log = opts->log };
	struct kbpf_prog *prog;
	int err;

	*progp = NULL;
	lc.limits = opts->limits ? opts->limits : kbpf_default_limits();
	err = check_load_opts(opts, lc.limits);
	if (err)
		return err;

	prog = kbpf_zalloc(sizeof(*prog));
	if (!prog) {
		err = -ENOMEM;
		goto err_free;
	}
	lc.prog = prog;
	prog->type = opts->type;
	prog->helpers = opts->helpers ? opts->helpers :
				       kbpf_prog_type_helpers(opts->type);
	prog->stack_depth = KBPF_STACK_SIZE;

	err = copy_insns(prog, opts);
	if (err)
		goto err_free;
	err = decode_check(&lc);
	if (err)
		goto err_free;
	if (!(opts->flags & KBPF_LOAD_NO_VERIFY)) {
		err = kbpf_verify(prog, opts);
		if (err)
			goto err_free;
		prog->verified = true;
	}
	err = alloc_trace(prog, lc.limits);
	if (err)
		goto err_free;
	kbpf_ctx_fields_settle(prog);
	prog->one_frame = !kbpf_insns_call_subprogram(prog->insns,
						      prog->insn_cnt);
	err = kbpf_interp_build(prog);
	if (err)
		goto err_free;
	err = kbpf_worst_case(prog, &prog->worst_case);
	if (err)
		goto err_free;
	*progp = prog;
	return 0;

err_free:
	if (err == -ENOMEM) {
		char why[96];

		kbpf_mem_describe(why, sizeof(why));
		kbpf_log_printf(opts->log, "%s\n", why);
	}
	kbpf_prog_free(prog);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_load);

void kbpf_prog_free(struct kbpf_prog *prog)
{
	u32 i;

	if (!prog)
		return;
	kbpf_prog_unbind_native(prog);
	kbpf_interp_free(prog->image);
	kbpf_trace_buf_close(prog->trace);
	kbpf_trace_buf_put(prog->trace);
	kbpf_free(prog->fmt_sites);
	kbpf_interp_free(prog->image_metered);
	for (i = 0; i < prog->map_cnt; i++) {
		if (i < 64 && (prog->maps_values_pinned & (1ULL << i)))
			kbpf_map_unpin_values(prog->maps[i]);
		kbpf_map_put(prog->maps[i]);
	}
	kbpf_free(prog->maps);
	kbpf_free(prog->insns);
	kbpf_free(prog);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_free);
