// SPDX-License-Identifier: GPL-2.0
/*
 * The kbpf verifier: proves a decoded program safe before it may run.
 *
 * Design.  A flat pipeline of passes, each returning 0 or a negative errno
 * with the first root cause logged:
 *
 *   kbpf_verifier_check_cfg()  (cfg.c) subprograms, jump targets,
 *                              reachability, no fall-through, call graph
 *   do_check()                 abstract interpretation of every path
 *   kbpf_check_stack_depth()   (cfg.c) stack use along call chains
 *
 * do_check() walks the program depth-first, one path at a time, carrying
 * an abstract state: for each register its kind (scalar, ctx, stack,
 * packet, packet end, map, map value, map value or null) with the offsets
 * and scalar bounds of scalar.c, and for each stack slot what was stored
 * there.  Each instruction is checked against the state and then updates
 * it.  A conditional jump whose outcome the state does not decide forks the
 * path: the jump side is pushed (narrowed by what the comparison proves)
 * and verified later.  Paths end at the main program's exit (where r0 must
 * be a valid return value) or when state.c finds an equivalent, fully
 * verified state at a pruning point.  Loops are unrolled
 * by this walk: a loop is accepted when every path leaves it within the
 * complexity budget (limits->max_processed_insns), refused as an infinite
 * loop when a path meets its own earlier state unchanged, and as too
 * complex when it runs out of budget.
 *
 * The files of this folder, one concept each: cfg.c (control flow and
 * stack depth), state.c (states, branches, pruning), scalar.c (known bits
 * and ranges), mem.c (memory accesses), call.c (helper and subprogram
 * calls), helpers.c (what particular helpers need beyond their argument
 * types), refs.c (references a program must release), log.c (messages),
 * worst.c (the most instructions a run can execute, charged along the same
 * walk); types.h holds what they share.  The core's progtype.c and
 * progtypes/ say what each program type allows (entry registers, context).
 */
#include "verifier.h"
#include "types.h"

/* ---- registers ---------------------------------------------------------------- */

static int check_reg_read(struct kbpf_verifier_env *env, u32 regno)
{
	if (kbpf_cur_regs(env)[regno].type == KBPF_REG_NOT_INIT)
		return kbpf_verr(env, -EACCES, "R%u !read_ok\n", regno);
	return 0;
}

static int check_reg_write(struct kbpf_verifier_env *env, u32 regno)
{
	if (regno == KBPF_REG_FP)
		return kbpf_verr(env, -EACCES, "frame pointer is read only\n");
	return 0;
}

static int init_main_frame(struct kbpf_verifier_env *env)
{
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);

	kbpf_mark_reg_known(&regs[KBPF_REG_FP], 0);
	regs[KBPF_REG_FP].type = KBPF_REG_PTR_TO_STACK;
	return kbpf_init_entry_regs(env, regs);
}

/* ---- ALU ------------------------------------------------------------------------ */

static const char *alu_op_name(u8 op)
{
	static const char * const names[16] = {
		"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg",
		"%=", "^=", "=", "s>>=", "endian", "?", "?",
	};

	return names[op >> 4];
}

static bool ptr_arith_allowed(enum kbpf_reg_type t)
{
	return t == KBPF_REG_PTR_TO_STACK || t == KBPF_REG_PTR_TO_PACKET ||
	       t == KBPF_REG_PTR_TO_MAP_VALUE || t == KBPF_REG_PTR_TO_CTX ||
	       t == KBPF_REG_PTR_TO_MEM;
}

/* ptr (in dst) += / -= scalar. */
static int adjust_ptr(struct kbpf_verifier_env *env, u32 dst_regno,
		      const struct kbpf_reg_state *ptr,
		      const struct kbpf_reg_state *scalar, u8 op)
{
	struct kbpf_reg_state *dst = &kbpf_cur_regs(env)[dst_regno];
	struct kbpf_reg_state res = *ptr, var = *ptr;
	struct kbpf_insn fake = { 0 };

	if (!ptr_arith_allowed(ptr->type))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(dst_regno),
				      "R%u pointer arithmetic on %s prohibited%s\n",
				      dst_regno, kbpf_reg_type_str(ptr->type),
				      kbpf_reg_may_be_null(ptr->type) ?
				      ", null-check it first" : "");
	if (kbpf_reg_is_const(scalar)) {
		s64 c = (s64)scalar->var_off.value, off;

		if (op == KBPF_SUB)
			c = -c;
		off = (s64)ptr->off + c;
		if (c < -KBPF_MAX_VAR_OFF || c > KBPF_MAX_VAR_OFF ||
		    off < -KBPF_MAX_VAR_OFF || off > KBPF_MAX_VAR_OFF)
			return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(dst_regno),
					      "R%u pointer offset %lld out of bounds\n",
					      dst_regno, (long long)off);
		res.off = (s32)off;
		*dst = res;
		return 0;
	}
	if (ptr->type == KBPF_REG_PTR_TO_STACK || ptr->type == KBPF_REG_PTR_TO_CTX)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(dst_regno),
				      "R%u variable %s pointer arithmetic prohibited\n",
				      dst_regno, kbpf_reg_type_str(ptr->type));
	if (scalar->smin < -KBPF_MAX_VAR_OFF || scalar->smax > KBPF_MAX_VAR_OFF)
		return kbpf_verr(env, -EACCES,
				 "math between %s pointer and register with unbounded value is not allowed\n",
				 kbpf_reg_type_str(ptr->type));
	/* The variable part moves by the scalar, as a scalar would. */
	var.type = KBPF_REG_SCALAR;
	fake.code = KBPF_ALU64 | op | KBPF_X;
	kbpf_scalar_alu(env, &fake, &var, scalar);
	if (var.smin < -KBPF_MAX_VAR_OFF || var.smax > KBPF_MAX_VAR_OFF)
		return kbpf_verr(env, -EACCES,
				 "R%u variable offset of %s pointer may be out of bounds\n",
				 dst_regno, kbpf_reg_type_str(ptr->type));
	res.var_off = var.var_off;
	res.smin = var.smin;
	res.smax = var.smax;
	res.umin = var.umin;
	res.umax = var.umax;
	res.s32_min = var.s32_min;
	res.s32_max = var.s32_max;
	res.u32_min = var.u32_min;
	res.u32_max = var.u32_max;
	if (res.type == KBPF_REG_PTR_TO_PACKET) {
		/* A new variable part: no range is proven for it yet. */
		res.id = kbpf_new_id(env);
		res.range = 0;
	}
	*dst = res;
	return 0;
}

static int check_ptr_alu(struct kbpf_verifier_env *env,
			 const struct kbpf_insn *insn,
			 struct kbpf_reg_state *dst, const struct kbpf_reg_state *src)
{
	u8 op = KBPF_OP(insn->code);

	if (KBPF_CLASS(insn->code) == KBPF_ALU)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(insn->dst_reg),
				      "R%u 32-bit pointer arithmetic prohibited\n",
				      insn->dst_reg);
	if (op == KBPF_SUB && kbpf_is_pointer(dst) && kbpf_is_pointer(src)) {
		/* Packet length arithmetic leaks nothing. */
		if ((dst->type == KBPF_REG_PTR_TO_PACKET ||
		     dst->type == KBPF_REG_PTR_TO_PACKET_END) &&
		    (src->type == KBPF_REG_PTR_TO_PACKET ||
		     src->type == KBPF_REG_PTR_TO_PACKET_END)) {
			kbpf_mark_reg_unknown(dst);
			return 0;
		}
		return kbpf_verr(env, -EACCES, "R%u pointer -= pointer prohibited\n",
				 insn->dst_reg);
	}
	if (op != KBPF_ADD && op != KBPF_SUB)
		return kbpf_verr_regs(env, -EACCES,
				      KBPF_REGMASK(insn->dst_reg),
				      "R%u pointer arithmetic with %s operator prohibited\n",
				      insn->dst_reg, alu_op_name(op));
	if (kbpf_is_pointer(dst) && kbpf_is_pointer(src))
		return kbpf_verr(env, -EACCES, "R%u pointer += pointer prohibited\n",
				 insn->dst_reg);
	if (kbpf_is_pointer(dst))
		return adjust_ptr(env, insn->dst_reg, dst, src, op);
	if (op == KBPF_SUB)
		return kbpf_verr(env, -EACCES,
				 "R%u tried to subtract pointer from scalar\n",
				 insn->dst_reg);
	return adjust_ptr(env, insn->dst_reg, src, dst, op);
}

static int check_alu_operands(struct kbpf_verifier_env *env,
			      const struct kbpf_insn *insn)
{
	u8 op = KBPF_OP(insn->code);
	bool is32 = KBPF_CLASS(insn->code) == KBPF_ALU;
	int err;

	if (op != KBPF_MOV) {
		err = check_reg_read(env, insn->dst_reg);
		if (err)
			return err;
	}
	if (KBPF_SRC(insn->code) == KBPF_X && op != KBPF_END && op != KBPF_NEG) {
		err = check_reg_read(env, insn->src_reg);
		if (err)
			return err;
	}
	if (KBPF_SRC(insn->code) == KBPF_K &&
	    (op == KBPF_LSH || op == KBPF_RSH || op == KBPF_ARSH) &&
	    (u32)insn->imm >= (is32 ? 32U : 64U))
		return kbpf_verr(env, -EINVAL, "invalid shift %d\n", insn->imm);
	if (KBPF_SRC(insn->code) == KBPF_K &&
	    (op == KBPF_DIV || op == KBPF_MOD) && !insn->imm)
		return kbpf_verr(env, -EINVAL, "division by zero\n");
	return check_reg_write(env, insn->dst_reg);
}

static int check_alu(struct kbpf_verifier_env *env, const struct kbpf_insn *insn)
{
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct kbpf_reg_state *dst = &regs[insn->dst_reg];
	struct kbpf_reg_state src;
	u8 op = KBPF_OP(insn->code);
	bool is32 = KBPF_CLASS(insn->code) == KBPF_ALU;
	int err = check_alu_operands(env, insn);

	if (err)
		return err;
	if (KBPF_SRC(insn->code) == KBPF_X && op != KBPF_END && op != KBPF_NEG) {
		src = regs[insn->src_reg];
	} else {
		u64 imm = is32 ? (u32)insn->imm : (u64)(s64)insn->imm;

		kbpf_mark_reg_known(&src, imm);
	}
	if (op == KBPF_MOV && !insn->off && !is32) {
		/*
		 * A full copy keeps pointers and ids: copies share checks.  A
		 * copied unknown scalar gets an id too, so that a comparison
		 * on either copy bounds both.
		 */
		if (KBPF_SRC(insn->code) == KBPF_X &&
		    src.type == KBPF_REG_SCALAR && !kbpf_reg_is_const(&src) &&
		    !src.id) {
			src.id = kbpf_new_id(env);
			regs[insn->src_reg].id = src.id;
		}
		*dst = src;
		return 0;
	}
	if (op == KBPF_MOV && kbpf_is_pointer(&src))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(insn->src_reg),
				      "R%u partial copy of pointer\n", insn->src_reg);
	if (op != KBPF_MOV &&
	    (kbpf_is_pointer(dst) || kbpf_is_pointer(&src))) {
		if (op == KBPF_NEG || op == KBPF_END)
			return kbpf_verr_regs(env, -EACCES,
					      KBPF_REGMASK(insn->dst_reg),
					      "R%u %s on pointer prohibited\n",
					      insn->dst_reg, alu_op_name(op));
		return check_ptr_alu(env, insn, dst, &src);
	}
	return kbpf_scalar_alu(env, insn, dst, &src);
}

/* ---- loads and stores --------------------------------------------------------- */

static u32 size_bytes(u8 code)
{
	switch (KBPF_SIZE(code)) {
	case KBPF_B:	return 1;
	case KBPF_H:	return 2;
	case KBPF_W:	return 4;
	default:	return 8;
	}
}

static int check_ldx(struct kbpf_verifier_env *env, const struct kbpf_insn *insn)
{
	int err = check_reg_read(env, insn->src_reg);

	if (!err)
		err = check_reg_write(env, insn->dst_reg);
	if (err)
		return err;
	return kbpf_check_mem_access(env, insn->src_reg, insn->off,
				     size_bytes(insn->code), false, insn->dst_reg,
				     KBPF_MODE(insn->code) == KBPF_MEMSX);
}

static int check_store(struct kbpf_verifier_env *env,
		       const struct kbpf_insn *insn)
{
	bool is_stx = KBPF_CLASS(insn->code) == KBPF_STX;
	int err = check_reg_read(env, insn->dst_reg);

	if (!err && is_stx)
		err = check_reg_read(env, insn->src_reg);
	if (err)
		return err;
	if (is_stx && KBPF_MODE(insn->code) == KBPF_ATOMIC)
		return kbpf_check_atomic(env, insn);
	return kbpf_check_mem_access(env, insn->dst_reg, insn->off,
				     size_bytes(insn->code), true,
				     is_stx ? insn->src_reg : -1, false);
}

static int check_ld_imm64(struct kbpf_verifier_env *env,
			  const struct kbpf_insn *insn)
{
	struct kbpf_reg_state *dst = &kbpf_cur_regs(env)[insn->dst_reg];
	u64 imm = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
	struct kbpf_map *map;
	int err = check_reg_write(env, insn->dst_reg);

	if (err)
		return err;
	if (!insn->src_reg) {
		kbpf_mark_reg_known(dst, imm);
		return 0;
	}
	if (insn->src_reg == KBPF_PSEUDO_FUNC) {
		kbpf_mark_reg_known(dst, 0);
		dst->type = KBPF_REG_PTR_TO_FUNC;
		dst->off = (s32)(env->insn_idx + insn->imm + 1);
		return 0;
	}
	map = kbpf_find_map(env, env->insn_idx);
	if (!map)
		return kbpf_verr(env, -EINVAL, "ld_imm64 refers to no map\n");
	kbpf_mark_reg_known(dst, 0);
	dst->map = map;
	if (insn->src_reg == KBPF_PSEUDO_MAP_ID) {
		dst->type = KBPF_REG_CONST_PTR_TO_MAP;
		return 0;
	}
	if (insn->src_reg != KBPF_PSEUDO_MAP_VALUE)
		return kbpf_verr(env, -EINVAL, "invalid ld_imm64 pseudo %u\n",
				 insn->src_reg);
	if ((u32)insn[1].imm >= map->attrs.value_size)
		return kbpf_verr(env, -EINVAL,
				 "invalid map value pointer: off %u in a value of %u bytes\n",
				 (u32)insn[1].imm, map->attrs.value_size);
	dst->type = KBPF_REG_PTR_TO_MAP_VALUE;
	dst->off = insn[1].imm;
	return 0;
}

/* ---- conditional jumps ---------------------------------------------------------- */

typedef void (*reg_visit_fn)(struct kbpf_reg_state *reg, void *arg);

/*
 * Every register and spilled register of every frame of st.  A spilled
 * register is visited in a copy and written back only if fn changed it,
 * so that chunks shared with other states stay shared.  -ENOMEM if the
 * write-back could not unshare its chunk.
 */
static int visit_all_regs(struct kbpf_verifier_env *env,
			  struct kbpf_verifier_state *st, reg_visit_fn fn,
			  void *arg)
{
	u32 f, i;

	for (f = 0; f <= st->curframe; f++) {
		struct kbpf_func_state *fr = st->frame[f];

		for (i = 0; i < KBPF_REG_COUNT; i++)
			fn(&fr->regs[i], arg);
		for (i = 0; i < KBPF_STACK_SLOTS; i++) {
			const struct kbpf_stack_slot *s = kbpf_stack_slot_get(fr, i);
			struct kbpf_stack_slot *w;
			struct kbpf_reg_state reg;

			if (!s || s->bytes[0] != KBPF_STACK_SPILL)
				continue;
			reg = s->spilled;
			fn(&reg, arg);
			if (!memcmp(&reg, &s->spilled, sizeof(reg)))
				continue;
			w = kbpf_stack_slot_mut(env, fr, i);
			if (!w)
				return -ENOMEM;
			w->spilled = reg;
		}
	}
	return 0;
}

struct null_mark {
	u32 id;
	bool is_null;
};

static void mark_null_one(struct kbpf_reg_state *reg, void *arg)
{
	struct null_mark *m = arg;

	if (!kbpf_reg_may_be_null(reg->type) || reg->id != m->id)
		return;
	if (m->is_null) {
		kbpf_mark_reg_known(reg, 0);
		return;
	}
	reg->type = reg->type == KBPF_REG_PTR_TO_MEM_OR_NULL ?
		    KBPF_REG_PTR_TO_MEM : KBPF_REG_PTR_TO_MAP_VALUE;
	reg->id = 0;
}

static int mark_ptr_or_null(struct kbpf_verifier_env *env,
			    struct kbpf_verifier_state *st, u32 id, bool is_null)
{
	struct null_mark m = { .id = id, .is_null = is_null };

	/* A NULL record was never reserved: nothing to give back. */
	if (is_null)
		kbpf_drop_ref(st, id);
	return visit_all_regs(env, st, mark_null_one, &m);
}

struct pkt_mark {
	u32 id;
	u32 range;
};

static void mark_pkt_one(struct kbpf_reg_state *reg, void *arg)
{
	struct pkt_mark *m = arg;

	if (reg->type == KBPF_REG_PTR_TO_PACKET && reg->id == m->id &&
	    reg->range < m->range)
		reg->range = m->range;
}

/*
 * pkt is proven to satisfy pkt + 0 <= data_end (open: < data_end): bytes
 * below its offset are readable through every pointer with its variable
 * part (same id).
 */
static int find_good_pkt_pointers(struct kbpf_verifier_env *env,
				  struct kbpf_verifier_state *st,
				  const struct kbpf_reg_state *pkt, bool open)
{
	struct pkt_mark m = { .id = pkt->id };

	if (pkt->off < 0 || pkt->umax > KBPF_MAX_PACKET_OFF ||
	    pkt->umax + pkt->off > KBPF_MAX_PACKET_OFF)
		return 0;
	m.range = (u32)pkt->off + (open ? 1 : 0);
	if (m.range > KBPF_MAX_PACKET_OFF)
		return 0;
	return visit_all_regs(env, st, mark_pkt_one, &m);
}

/* pkt op pkt_end: what each side of the jump proves. */
static int pkt_end_compare(struct kbpf_verifier_env *env,
			   struct kbpf_verifier_state *taken,
			   struct kbpf_verifier_state *fall,
			   const struct kbpf_reg_state *pkt, u8 op)
{
	switch (op) {
	case KBPF_JGT:	/* fall: pkt <= end */
		return find_good_pkt_pointers(env, fall, pkt, false);
	case KBPF_JGE:	/* fall: pkt < end */
		return find_good_pkt_pointers(env, fall, pkt, true);
	case KBPF_JLT:	/* taken: pkt < end */
		return find_good_pkt_pointers(env, taken, pkt, true);
	case KBPF_JLE:	/* taken: pkt <= end */
		return find_good_pkt_pointers(env, taken, pkt, false);
	default:
		return 0;
	}
}

static bool is_const_zero(const struct kbpf_reg_state *r)
{
	return kbpf_reg_is_const(r) && !r->var_off.value;
}

static bool is_harmless_const(const struct kbpf_reg_state *r)
{
	return kbpf_reg_is_const(r) && kbpf_never_an_address(r->var_off.value);
}

static bool ptr_never_null(enum kbpf_reg_type t)
{
	return t != KBPF_REG_SCALAR && t != KBPF_REG_NOT_INIT &&
	       !kbpf_reg_may_be_null(t);
}

static int check_ptr_cond(struct kbpf_verifier_env *env,
			  const struct kbpf_insn *insn,
			  struct kbpf_reg_state *dst, struct kbpf_reg_state *src,
			  u32 *next_idx)
{
	u8 op = KBPF_OP(insn->code);
	u32 target = env->insn_idx + insn->off + 1;
	struct kbpf_verifier_state *other;
	bool is32 = KBPF_CLASS(insn->code) == KBPF_JMP32;
	int err;

	if (is32)
		goto prohibited;
	/* Null checks of a lookup result, in either operand order. */
	if ((op == KBPF_JEQ || op == KBPF_JNE) &&
	    ((kbpf_reg_may_be_null(dst->type) && is_const_zero(src)) ||
	     (kbpf_reg_may_be_null(src->type) && is_const_zero(dst)))) {
		u32 id = kbpf_reg_may_be_null(dst->type) ? dst->id : src->id;

		err = kbpf_push_branch(env, target, env->insn_idx, &other);
		if (err)
			return err;
		err = mark_ptr_or_null(env, other, id, op == KBPF_JEQ);
		if (!err)
			err = mark_ptr_or_null(env, env->cur, id, op != KBPF_JEQ);
		*next_idx = env->insn_idx + 1;
		return err;
	}
	/* A pointer that cannot be null against 0: the outcome is known. */
	if ((op == KBPF_JEQ || op == KBPF_JNE) &&
	    ((ptr_never_null(dst->type) && is_const_zero(src)) ||
	     (ptr_never_null(src->type) && is_const_zero(dst)))) {
		*next_idx = op == KBPF_JNE ? target : env->insn_idx + 1;
		return 0;
	}
	/*
	 * A pointer that cannot be null against a constant no address can
	 * equal: at run time never equal, whatever the address, so the
	 * program learns nothing.  Both sides are still explored, unrefined
	 * (the verifier does not rely on the outcome).  Other constants, and
	 * order comparisons, would tell the program about the address.
	 */
	if ((op == KBPF_JEQ || op == KBPF_JNE) &&
	    ((ptr_never_null(dst->type) && is_harmless_const(src)) ||
	     (ptr_never_null(src->type) && is_harmless_const(dst)))) {
		*next_idx = env->insn_idx + 1;
		return kbpf_push_branch(env, target, env->insn_idx, &other);
	}
	if ((dst->type == KBPF_REG_PTR_TO_PACKET &&
	     src->type == KBPF_REG_PTR_TO_PACKET_END) ||
	    (dst->type == KBPF_REG_PTR_TO_PACKET_END &&
	     src->type == KBPF_REG_PTR_TO_PACKET)) {
		bool swapped = dst->type == KBPF_REG_PTR_TO_PACKET_END;
		struct kbpf_reg_state pkt = swapped ? *src : *dst;
		u8 pop = swapped ? kbpf_jmp_swap(op) : op;

		if (op != KBPF_JGT && op != KBPF_JGE && op != KBPF_JLT &&
		    op != KBPF_JLE && op != KBPF_JEQ && op != KBPF_JNE)
			goto prohibited;
		err = kbpf_push_branch(env, target, env->insn_idx, &other);
		if (err)
			return err;
		*next_idx = env->insn_idx + 1;
		return pkt_end_compare(env, other, env->cur, &pkt, pop);
	}
prohibited:
	return kbpf_verr_regs(env, -EACCES,
			      KBPF_REGMASK(insn->dst_reg) |
			      (KBPF_SRC(insn->code) == KBPF_X ?
			       KBPF_REGMASK(insn->src_reg) : 0),
			      "R%u pointer comparison prohibited%s\n",
			      kbpf_is_pointer(dst) ? insn->dst_reg : insn->src_reg,
			      kbpf_reg_is_const(kbpf_is_pointer(dst) ? src : dst) ?
			      ": the outcome could depend on the address" : "");
}

static void copy_bounds_one(struct kbpf_reg_state *reg, void *arg)
{
	const struct kbpf_reg_state *from = arg;

	if (reg->type == KBPF_REG_SCALAR && reg->id == from->id &&
	    reg != from)
		*reg = *from;
}

/* Copies of a refined scalar (same id) learn the same bounds. */
static int sync_linked_scalars(struct kbpf_verifier_env *env,
			       struct kbpf_verifier_state *st,
			       struct kbpf_reg_state *dst,
			       struct kbpf_reg_state *src)
{
	int err = 0;

	if (dst->type == KBPF_REG_SCALAR && dst->id)
		err = visit_all_regs(env, st, copy_bounds_one, dst);
	if (!err && src->type == KBPF_REG_SCALAR && src->id &&
	    src->id != dst->id)
		err = visit_all_regs(env, st, copy_bounds_one, src);
	return err;
}

/* Registers a conditional jump refines, in a given state. */
static void cond_regs(struct kbpf_verifier_state *st,
		      const struct kbpf_insn *insn, struct kbpf_reg_state *imm,
		      struct kbpf_reg_state **dst, struct kbpf_reg_state **src)
{
	struct kbpf_reg_state *regs = st->frame[st->curframe]->regs;

	*dst = &regs[insn->dst_reg];
	*src = KBPF_SRC(insn->code) == KBPF_X ? &regs[insn->src_reg] : imm;
}

/*
 * "if rX op rX": the outcome follows from op alone (ranges cannot tell, and
 * refining a register against itself would explore an impossible side).
 */
static int same_reg_taken(u8 op)
{
	switch (op) {
	case KBPF_JEQ: case KBPF_JGE: case KBPF_JLE:
	case KBPF_JSGE: case KBPF_JSLE:
		return 1;
	case KBPF_JNE: case KBPF_JGT: case KBPF_JLT:
	case KBPF_JSGT: case KBPF_JSLT:
		return 0;
	default:
		return -1;	/* JSET: rX & rX is rX, known or not */
	}
}

static int check_cond_jmp(struct kbpf_verifier_env *env,
			  const struct kbpf_insn *insn, u32 *next_idx)
{
	bool is32 = KBPF_CLASS(insn->code) == KBPF_JMP32;
	u8 op = KBPF_OP(insn->code);
	u32 target = env->insn_idx + insn->off + 1;
	struct kbpf_reg_state imm, imm2, *dst, *src;
	struct kbpf_verifier_state *other;
	int taken, err;

	err = check_reg_read(env, insn->dst_reg);
	if (!err && KBPF_SRC(insn->code) == KBPF_X)
		err = check_reg_read(env, insn->src_reg);
	if (err)
		return err;
	kbpf_mark_reg_known(&imm, is32 ? (u32)insn->imm : (u64)(s64)insn->imm);
	imm2 = imm;
	cond_regs(env->cur, insn, &imm, &dst, &src);
	if (kbpf_is_pointer(dst) || kbpf_is_pointer(src))
		return check_ptr_cond(env, insn, dst, src, next_idx);

	if (KBPF_SRC(insn->code) == KBPF_X && insn->dst_reg == insn->src_reg)
		taken = same_reg_taken(op);
	else
		taken = kbpf_scalar_branch_taken(dst, src, op, is32);
	if (taken == 1) {
		*next_idx = target;
		return 0;
	}
	if (taken == 0) {
		*next_idx = env->insn_idx + 1;
		return 0;
	}
	err = kbpf_push_branch(env, target, env->insn_idx, &other);
	if (err)
		return err;
	/* The jump side: the condition holds. */
	cond_regs(other, insn, &imm2, &dst, &src);
	if (kbpf_scalar_refine(dst, src, op, is32)) {
		err = sync_linked_scalars(env, other, dst, src);
		if (err)
			return err;
	} else {
		kbpf_drop_pushed_branch(env);
	}
	/* The fall-through side: it does not. */
	cond_regs(env->cur, insn, &imm, &dst, &src);
	if (!kbpf_scalar_refine(dst, src,
				op == KBPF_JSET ? KBPF_JSET_FALSE :
				kbpf_jmp_negate(op), is32))
		return 1;	/* this side cannot happen: the path ends */
	*next_idx = env->insn_idx + 1;
	return sync_linked_scalars(env, env->cur, dst, src);
}

/* ---- exit ---------------------------------------------------------------------- */

static int check_return_value(struct kbpf_verifier_env *env)
{
	const struct kbpf_prog_type_ops *ti = env->type_info;
	struct kbpf_reg_state *r0 = &kbpf_cur_regs(env)[KBPF_REG_0];

	if (r0->type == KBPF_REG_NOT_INIT)
		return kbpf_verr(env, -EACCES, "R0 !read_ok: the program must set a return value\n");
	if (r0->type != KBPF_REG_SCALAR)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "R0 leaks addr as return value\n");
	if (ti->has_ret_special && kbpf_reg_is_const(r0) &&
	    (s64)r0->var_off.value == ti->ret_special)
		return 0;
	if ((r0->smin < ti->ret_min || r0->smax > ti->ret_max) &&
	    ti->has_ret_special)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "At program exit the register R0 has smin=%lld smax=%lld, should have been in [%lld, %lld] or exactly %lld\n",
				      (long long)r0->smin, (long long)r0->smax,
				      (long long)ti->ret_min, (long long)ti->ret_max,
				      (long long)ti->ret_special);
	if (r0->smin < ti->ret_min || r0->smax > ti->ret_max)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "At program exit the register R0 has smin=%lld smax=%lld, should have been in [%lld, %lld]\n",
				      (long long)r0->smin, (long long)r0->smax,
				      (long long)ti->ret_min, (long long)ti->ret_max);
	return 0;
}

/* ---- the main loop ---------------------------------------------------------------- */

/* 0: go on at *next_idx, 1: this path is done, <0: error. */
static int check_insn(struct kbpf_verifier_env *env, u32 *next_idx)
{
	const struct kbpf_insn *insn = &env->insns[env->insn_idx];
	u8 cls = KBPF_CLASS(insn->code);
	u8 op = KBPF_OP(insn->code);
	int err;

	*next_idx = env->insn_idx + 1;
	switch (cls) {
	case KBPF_ALU:
	case KBPF_ALU64:
		return check_alu(env, insn);
	case KBPF_LDX:
		return check_ldx(env, insn);
	case KBPF_ST:
	case KBPF_STX:
		return check_store(env, insn);
	case KBPF_LD:
		if (!kbpf_is_ldimm64(insn))
			return kbpf_verr(env, -EINVAL, "unknown opcode %02x\n",
					 insn->code);
		*next_idx = env->insn_idx + 2;
		return check_ld_imm64(env, insn);
	default:
		break;
	}
	switch (op) {
	case KBPF_JA:
		*next_idx = cls == KBPF_JMP32 ? env->insn_idx + insn->imm + 1 :
			    env->insn_idx + insn->off + 1;
		return 0;
	case KBPF_CALL:
		if (insn->src_reg == KBPF_PSEUDO_CALL)
			return kbpf_check_subprog_call(env, insn, next_idx);
		return kbpf_check_helper_call(env, insn, next_idx);
	case KBPF_EXIT:
		if (env->cur->curframe)
			return kbpf_check_subprog_exit(env, next_idx);
		err = kbpf_check_refs_released(env) ?: check_return_value(env);
		return err ? err : 1;
	default:
		return check_cond_jmp(env, insn, next_idx);
	}
}

static void trace_insn(struct kbpf_verifier_env *env)
{
	if (!kbpf_log_verbose(env))
		return;
	kbpf_log_insn(env, env->insn_idx);
}

/* At the verbose level, the state each conditional jump leaves behind. */
static void trace_state_after_jump(struct kbpf_verifier_env *env)
{
	const struct kbpf_insn *insn = &env->insns[env->insn_idx];
	u8 cls = KBPF_CLASS(insn->code), op = KBPF_OP(insn->code);

	if (!kbpf_log_verbose(env) ||
	    (cls != KBPF_JMP && cls != KBPF_JMP32) || op == KBPF_JA ||
	    op == KBPF_EXIT)
		return;
	kbpf_log_state(env);
}

/*
 * Is the current path at a new instruction, which may be pruned and is
 * charged its block?  Not when it goes back into a bpf_loop call from the
 * callback's exit (helpers.c): the run is still inside that call,
 * whose block it was charged on the way in (worst.c), and a state
 * saved at the call would count that block again.
 */
static bool arrived(struct kbpf_verifier_env *env)
{
	bool reentry = env->cb_reentry;

	env->cb_reentry = false;
	return !reentry;
}

static int do_check(struct kbpf_verifier_env *env)
{
	u32 next_idx;
	bool arrival;
	int err;

	env->cur = kbpf_state_alloc(env, 0);
	if (!env->cur)
		return -ENOMEM;
	err = init_main_frame(env);
	if (err)
		return err;
	env->insn_idx = 0;
	for (;;) {
		if (++env->stats.insns_processed >
		    env->limits->max_processed_insns)
			return kbpf_verr(env, -E2BIG,
					 "program too complex: more than %u insns processed\n",
					 env->limits->max_processed_insns);
		env->loop_check_insns++;
		if (!(env->stats.insns_processed % KBPF_RESCHED_INSNS)) {
			err = kbpf_resched_check();
			if (err)
				return kbpf_verr(env, err,
						 "verification interrupted after %u insns processed\n",
						 env->stats.insns_processed);
		}
		env->insn_flags[env->insn_idx] |= KBPF_INSN_SEEN;
		arrival = arrived(env);
		err = arrival ? kbpf_is_state_visited(env, env->insn_idx) : 0;
		if (err < 0)
			return err;
		if (err == 1) {
			if (kbpf_log_verbose(env))
				kbpf_verbose(env, "%u: safe (pruned)\n",
					     env->insn_idx);
			goto path_done;
		}
		trace_insn(env);
		if (arrival)
			kbpf_worst_charge(env);
		err = check_insn(env, &next_idx);
		if (err < 0)
			return err;
		trace_state_after_jump(env);
		if (err == 0) {
			env->prev_insn_idx = env->insn_idx;
			env->insn_idx = next_idx;
			continue;
		}
path_done:
		kbpf_path_done(env);
		err = kbpf_pop_branch(env);
		if (err == -ENOENT)
			return 0;
		if (err)
			return err;
		if (kbpf_log_verbose(env)) {
			kbpf_verbose(env, "from %u to %u:", env->prev_insn_idx,
				     env->insn_idx);
			kbpf_log_state(env);
		}
	}
}

/* Back to the start of do_check(): nothing explored, nothing pending. */
static void reset_walk(struct kbpf_verifier_env *env)
{
	kbpf_free_branches(env);
	kbpf_forget_explored(env);
	kbpf_free_cb_entries(env);
	kbpf_state_free(env, env->cur);
	env->cur = NULL;
	env->id_gen = 0;
	env->loop_check_insns = 0;
	env->insn_idx = 0;
	env->prev_insn_idx = 0;
	env->cb_reentry = false;
	memset(env->wc_tail, 0, sizeof(env->wc_tail));
}

/*
 * do_check(), again while a bpf_loop callback's runs charged other than
 * the pass assumed (worst.c): the walk is the same each time,
 * only the counts change, so only the first pass traces
 * (kbpf_log_verbose()) and its statistics are reported, with the time of
 * all.  One more pass per level of callbacks nested in callbacks settles
 * every figure.
 */
static int check_passes(struct kbpf_verifier_env *env)
{
	struct kbpf_verifier_stats first;
	int err = do_check(env);

	first = env->stats;
	while (!err && kbpf_worst_pass_again(env)) {
		if (++env->pass > KBPF_WC_LEVELS) {
			kbpf_bug("worst-case counts still changing after %u passes",
				 env->pass);
			first.worst_insns = KBPF_WORST_CASE_UNBOUNDED;
			break;
		}
		reset_walk(env);
		env->stats.insns_processed = 0;
		env->stats.states_total = 0;
		env->stats.worst_insns = 0;
		err = do_check(env);
		first.worst_insns = env->stats.worst_insns;
	}
	first.mem_peak = env->stats.mem_peak;
	env->stats = first;
	return err;
}

static void log_stats(struct kbpf_verifier_env *env)
{
	if (!env->log || !(env->log->level & KBPF_LOG_LEVEL_STATS))
		return;
	kbpf_log_tail(env->log,
		      "processed %u insns, states %u, peak %u, time %llu ns, memory %llu KiB\n",
		      env->stats.insns_processed, env->stats.states_total,
		      env->stats.states_peak,
		      (unsigned long long)env->stats.time_ns,
		      (unsigned long long)(env->stats.mem_peak + 1023) / 1024);
}

static void free_env(struct kbpf_verifier_env *env)
{
	kbpf_free_branches(env);
	kbpf_free_explored(env);
	kbpf_free_cb_entries(env);
	kbpf_worst_free(env);
	kbpf_state_free(env, env->cur);
	kbpf_vfree(env, env->insn_flags, env->insn_cnt ? env->insn_cnt : 1);
	kbpf_vfree(env, env->live_regs,
		   (size_t)env->insn_cnt * sizeof(*env->live_regs));
	if (env->mem_used != sizeof(*env))
		kbpf_bug("verifier memory accounting off by %lld bytes",
			 (long long)(env->mem_used - sizeof(*env)));
	kbpf_free(env);
}

int kbpf_verify(struct kbpf_prog *prog, const struct kbpf_prog_load_opts *opts)
{
	struct kbpf_verifier_env *env = kbpf_zalloc_account(sizeof(*env));
	u64 start = kbpf_ktime_get_ns();
	int err;

	if (!env)
		return -ENOMEM;
	/* The env counts against the budget too (it is not small). */
	env->mem_used = sizeof(*env);
	env->stats.mem_peak = env->mem_used;
	env->prog = prog;
	env->opts = opts;
	env->log = opts->log;
	env->limits = opts->limits ? opts->limits : kbpf_default_limits();
	env->insns = prog->insns;
	env->insn_cnt = prog->insn_cnt;
	env->type_info = kbpf_prog_type_ops(prog->type);
	if (!env->type_info) {
		err = kbpf_verr(env, -EINVAL, "unknown program type %u\n",
				prog->type);
		goto out;
	}
	env->insn_flags = kbpf_vzalloc(env, env->insn_cnt ? env->insn_cnt : 1);
	env->explored = kbpf_vzalloc(env, kbpf_explored_bytes(env));
	if (!env->insn_flags || !env->explored) {
		err = kbpf_vmem_error(env, -ENOMEM);
		goto out;
	}
	err = kbpf_verifier_check_cfg(env);
	if (!err)
		err = kbpf_worst_init(env);
	if (!err)
		err = check_passes(env);
	if (!err)
		err = kbpf_check_stack_depth(env);
	err = kbpf_vmem_error(env, err);
	env->stats.time_ns = kbpf_ktime_get_ns() - start;
	prog->stats = env->stats;
	log_stats(env);
out:
	free_env(env);
	return err;
}
