// SPDX-License-Identifier: GPL-2.0
/*
 * Calls: helpers and BPF subprograms.
 *
 * A helper call is checked against its struct kbpf_helper: each argument
 * register must hold what the helper reads (a map pointer, key_size or
 * value_size readable bytes, a memory region and its size, or any scalar:
 * never a pointer, which the helper could hand to userspace).  Afterwards
 * r1-r5 are clobbered and r0 holds the typed result; a map lookup result is
 * "map value or null" until a comparison with 0 proves which.
 *
 * A subprogram call pushes a frame: r1-r5 are passed, r10 is the new frame's
 * own stack, everything else starts uninitialised.  Its exit pops the frame,
 * hands r0 back (never a pointer into the dying frame) and clobbers the
 * caller's r1-r5.
 */
#include "types.h"
#include "../helpers.h"

static const struct kbpf_helper_table *helper_table(struct kbpf_verifier_env *env)
{
	if (env->prog->helpers)
		return env->prog->helpers;
	if (env->opts->helpers)
		return env->opts->helpers;
	return env->type_info->helpers;
}

static int check_reg_init(struct kbpf_verifier_env *env, u32 regno)
{
	if (kbpf_cur_regs(env)[regno].type == KBPF_REG_NOT_INIT)
		return kbpf_verr(env, -EACCES, "R%u !read_ok\n", regno);
	return 0;
}

/* Where an argument's memory must be, and whether the helper writes it. */
enum mem_use { MEM_READ, MEM_WRITE };

static int check_size_arg(struct kbpf_verifier_env *env, u32 mem_regno,
			  bool zero_ok, enum mem_use use)
{
	u32 regno = mem_regno + 1;
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	struct kbpf_reg_state *mem = &kbpf_cur_regs(env)[mem_regno];

	if (regno > KBPF_HELPER_ARGS || reg->type != KBPF_REG_SCALAR)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u must be a scalar size for the memory in R%u\n",
				      regno, mem_regno);
	if (reg->smin < 0)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u min value is negative, either use unsigned or 'var &= const'\n",
				      regno);
	if (!reg->umin && !zero_ok)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u invalid zero-sized read\n", regno);
	/* Nothing to reach: NULL (or anything) goes with a size of 0. */
	if (!reg->umax && zero_ok)
		return 0;
	if (mem->type == KBPF_REG_SCALAR && kbpf_reg_is_const(mem) &&
	    !mem->var_off.value)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(mem_regno) |
				      KBPF_REGMASK(regno),
				      "R%u is NULL but its size R%u may be non-zero\n",
				      mem_regno, regno);
	if (use == MEM_WRITE)
		return kbpf_check_mem_writable(env, mem_regno, reg->umax,
					       "helper memory");
	return kbpf_check_mem_region(env, mem_regno, reg->umax, "helper memory");
}

/* What the arguments checked so far told about the call. */
struct call_meta {
	struct kbpf_map *map;
	u32 alloc_size;			/* CONST_ALLOC_SIZE argument */
	u32 release_id;			/* reference an ALLOC_MEM argument holds */
	int uninit_regno;		/* memory the helper fills, or -1 */
};

static int arg_type_error(struct kbpf_verifier_env *env, u32 regno,
			  const char *expected)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
			      "R%u type=%s expected=%s\n", regno,
			      kbpf_reg_type_str(reg->type), expected);
}

/* Helpers that add, replace or remove a map's elements. */
static bool changes_map(s32 func_id)
{
	return func_id == KBPF_FUNC_map_update_elem ||
	       func_id == KBPF_FUNC_map_delete_elem;
}

static int check_map_arg(struct kbpf_verifier_env *env, u32 regno,
			 const struct kbpf_helper *h, struct call_meta *meta)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	u32 type;

	if (reg->type != KBPF_REG_CONST_PTR_TO_MAP)
		return arg_type_error(env, regno, "map_ptr");
	type = reg->map->attrs.type;
	if ((h->map_type && type != h->map_type) ||
	    kbpf_map_check_helper(reg->map, (u32)env->insns[env->insn_idx].imm))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "cannot pass map_type %u into func %s#%d\n",
				      type, h->name, env->insns[env->insn_idx].imm);
	if (!h->map_type &&
	    kbpf_map_check_helper(reg->map, env->insns[env->insn_idx].imm))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "cannot pass map_type %u into func %s#%d\n",
				      type, h->name, env->insns[env->insn_idx].imm);
	if ((reg->map->attrs.flags & KBPF_F_RDONLY_PROG) &&
	    changes_map(env->insns[env->insn_idx].imm))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "write into map forbidden: %s#%d changes a map that is read-only for programs (RDONLY_PROG, as .rodata is)\n",
				      h->name, env->insns[env->insn_idx].imm);
	meta->map = reg->map;
	return 0;
}

static bool is_const_zero(const struct kbpf_reg_state *reg)
{
	return reg->type == KBPF_REG_SCALAR && kbpf_reg_is_const(reg) &&
	       !reg->var_off.value;
}

/* The size of memory a helper hands out: a constant the verifier knows. */
static int check_alloc_size_arg(struct kbpf_verifier_env *env, u32 regno,
				struct call_meta *meta)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	if (reg->type != KBPF_REG_SCALAR || !kbpf_tnum_is_const(reg->var_off))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u is not a known constant size\n",
				      regno);
	if (reg->var_off.value > KBPF_MAX_VAR_OFF)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u size %llu is too large\n", regno,
				      (unsigned long long)reg->var_off.value);
	meta->alloc_size = (u32)reg->var_off.value;
	return 0;
}

/* Memory handed out with a reference, exactly as it came (released). */
static int check_alloc_mem_arg(struct kbpf_verifier_env *env, u32 regno,
			       struct call_meta *meta)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	if (reg->type != KBPF_REG_PTR_TO_MEM || !reg->ref_obj_id)
		return arg_type_error(env, regno, "ringbuf_mem");
	if (reg->off || !kbpf_tnum_is_const(reg->var_off) || reg->var_off.value)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u must be the reserved pointer itself, not an offset into it\n",
				      regno);
	meta->release_id = reg->ref_obj_id;
	return 0;
}

bool kbpf_in_callback(const struct kbpf_verifier_state *st)
{
	u32 f;

	for (f = 0; f <= st->curframe; f++)
		if (st->frame[f]->cb_entry)
			return true;
	return false;
}

static int check_helper_arg(struct kbpf_verifier_env *env, u32 regno,
			    const struct kbpf_helper *h, struct call_meta *meta)
{
	enum kbpf_arg_type type = h->args[regno - 1];
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	int err = check_reg_init(env, regno);

	if (err)
		return err;
	switch (type) {
	case KBPF_ARG_ANYTHING:
	case KBPF_ARG_CONST_SIZE:
	case KBPF_ARG_CONST_SIZE_OR_ZERO:
		if (kbpf_is_pointer(reg))
			return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
					      "R%u leaks addr into helper function\n",
					      regno);
		return 0;
	case KBPF_ARG_CONST_MAP_PTR:
		return check_map_arg(env, regno, h, meta);
	case KBPF_ARG_PTR_TO_MAP_KEY:
	case KBPF_ARG_PTR_TO_MAP_VALUE:
		if (!meta->map) {
			kbpf_bug("helper takes a map key or value before its map");
			return -EFAULT;
		}
		if (type == KBPF_ARG_PTR_TO_MAP_KEY)
			return kbpf_check_mem_region(env, regno,
						     meta->map->attrs.key_size,
						     "map key");
		return kbpf_check_mem_region(env, regno,
					     meta->map->attrs.value_size,
					     "map value");
	case KBPF_ARG_PTR_TO_MEM:
	case KBPF_ARG_PTR_TO_FMT_DATA:
		return check_size_arg(env, regno,
				      h->args[regno] == KBPF_ARG_CONST_SIZE_OR_ZERO,
				      MEM_READ);
	case KBPF_ARG_PTR_TO_MEM_OR_NULL:
		return check_size_arg(env, regno, true, MEM_READ);
	case KBPF_ARG_PTR_TO_UNINIT_MEM:
		meta->uninit_regno = (int)regno;
		return check_size_arg(env, regno,
				      h->args[regno] == KBPF_ARG_CONST_SIZE_OR_ZERO,
				      MEM_WRITE);
	case KBPF_ARG_PTR_TO_CTX:
		if (reg->type != KBPF_REG_PTR_TO_CTX || reg->off ||
		    !kbpf_tnum_is_const(reg->var_off) || reg->var_off.value)
			return arg_type_error(env, regno, "ctx");
		return 0;
	case KBPF_ARG_PTR_TO_FUNC:
		if (reg->type != KBPF_REG_PTR_TO_FUNC)
			return arg_type_error(env, regno, "func");
		return 0;
	case KBPF_ARG_CALLBACK_CTX:
		if (reg->type != KBPF_REG_SCALAR &&
		    reg->type != KBPF_REG_PTR_TO_STACK)
			return arg_type_error(env, regno, "fp or scalar");
		return 0;
	case KBPF_ARG_CONST_ZERO:
		if (!is_const_zero(reg))
			return kbpf_verr_regs(env, -EINVAL, KBPF_REGMASK(regno),
					      "R%u: flags of %s must be 0\n",
					      regno, h->name);
		return 0;
	case KBPF_ARG_FMT_VALUE:
		return 0;	/* typed against the format: helpers.c */
	case KBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO:
		return check_alloc_size_arg(env, regno, meta);
	case KBPF_ARG_PTR_TO_ALLOC_MEM:
		return check_alloc_mem_arg(env, regno, meta);
	case KBPF_ARG_PTR_TO_CONST_STR:
		if (reg->type != KBPF_REG_PTR_TO_MAP_VALUE)
			return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
					      "R%u must point to a constant format string (a .rodata array map value)\n",
					      regno);
		return kbpf_check_map_access_type(env, regno, 0, 1,
						  KBPF_MAP_READ);
	default:
		return 0;
	}
}

/* FMT_VALUE arguments may be left unset: the format says how many count. */
static bool arg_may_be_unset(enum kbpf_arg_type type)
{
	return type == KBPF_ARG_FMT_VALUE;
}

static void set_return(struct kbpf_verifier_env *env,
		       const struct kbpf_helper *h, const struct call_meta *meta)
{
	struct kbpf_reg_state *r0 = &kbpf_cur_regs(env)[KBPF_REG_0];

	switch (h->ret) {
	case KBPF_RET_INTEGER:
		kbpf_mark_reg_unknown(r0);
		break;
	case KBPF_RET_VOID:
		kbpf_mark_reg_not_init(r0);
		break;
	case KBPF_RET_MAP_VALUE_OR_NULL:
		kbpf_mark_reg_known(r0, 0);
		r0->type = KBPF_REG_PTR_TO_MAP_VALUE_OR_NULL;
		r0->map = meta->map;
		r0->id = kbpf_new_id(env);
		break;
	case KBPF_RET_ALLOC_MEM_OR_NULL:
		/* The null check and the release both follow the reference. */
		kbpf_mark_reg_known(r0, 0);
		r0->type = KBPF_REG_PTR_TO_MEM_OR_NULL;
		r0->range = meta->alloc_size;
		r0->id = meta->release_id;
		r0->ref_obj_id = meta->release_id;
		break;
	}
}

/*
 * References: a reserve takes one (left in meta->release_id for r0), a
 * submit or discard gives its argument's back.  A tail call never returns
 * to release what is held, so it may hold nothing.
 */
static int check_helper_refs(struct kbpf_verifier_env *env,
			     const struct kbpf_helper *h, u32 id,
			     struct call_meta *meta)
{
	if (id == KBPF_FUNC_tail_call && env->cur->ref_cnt)
		return kbpf_verr(env, -EACCES,
				 "tail_call would lead to reference leak\n");
	if (meta->release_id)
		return kbpf_release_ref(env, meta->release_id);
	if (h->ret != KBPF_RET_ALLOC_MEM_OR_NULL)
		return 0;
	/* References would outlive one iteration. */
	if (kbpf_in_callback(env->cur))
		return kbpf_verr(env, -EACCES,
				 "%s is not allowed in a bpf_loop callback\n",
				 h->name);
	meta->release_id = kbpf_acquire_ref(env);
	if (!meta->release_id)
		return kbpf_verr(env, -E2BIG,
				 "more than %u references held at once\n",
				 KBPF_MAX_REFS);
	return 0;
}

int kbpf_check_helper_call(struct kbpf_verifier_env *env,
			   const struct kbpf_insn *insn, u32 *next_idx)
{
	u32 id = (u32)insn->imm;
	const struct kbpf_helper *h = kbpf_helper_lookup(helper_table(env), id);
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct call_meta meta = { .uninit_regno = -1 };
	u32 i;
	int err;

	if (!h || !h->fn)
		return kbpf_verr(env, -EINVAL,
				 "invalid func %s#%d: not offered to %s programs\n",
				 kbpf_helper_linux_name(id), insn->imm,
				 env->type_info->name);
	for (i = 0; i < KBPF_HELPER_ARGS && h->args[i] != KBPF_ARG_NONE; i++) {
		if (arg_may_be_unset(h->args[i]) &&
		    regs[i + 1].type == KBPF_REG_NOT_INIT)
			continue;
		err = check_helper_arg(env, i + 1, h, &meta);
		if (err)
			return err;
	}
	if (h->ret == KBPF_RET_MAP_VALUE_OR_NULL && !meta.map) {
		kbpf_bug("helper %s returns a map value without a map", h->name);
		return -EFAULT;
	}
	err = kbpf_check_helper_rules(env, h, insn);
	if (err)
		return err;
	if (id == KBPF_FUNC_loop)
		return kbpf_check_loop_call(env, insn, next_idx);
	if (meta.uninit_regno >= 0) {
		err = kbpf_mark_mem_written(env, (u32)meta.uninit_regno,
					    regs[meta.uninit_regno + 1].umin);
		if (err)
			return err;
	}
	err = check_helper_refs(env, h, id, &meta);
	if (err)
		return err;
	for (i = 1; i <= KBPF_HELPER_ARGS; i++)
		kbpf_mark_reg_not_init(&regs[i]);
	set_return(env, h, &meta);
	if (h->changes_pkt_data)
		return kbpf_forget_packet_pointers(env);
	return 0;
}

int kbpf_check_subprog_call(struct kbpf_verifier_env *env,
			    const struct kbpf_insn *insn, u32 *next_idx)
{
	struct kbpf_verifier_state *st = env->cur;
	struct kbpf_func_state *caller = kbpf_cur_frame(env), *callee;
	u32 target = env->insn_idx + insn->imm + 1;
	int sp = kbpf_find_subprog(env, target);
	u32 i;

	if (sp < 0) {
		kbpf_bug("call target %u is not a subprogram", target);
		return -EFAULT;
	}
	if (st->curframe + 1 >= KBPF_MAX_CALL_FRAMES)
		return kbpf_verr(env, -E2BIG,
				 "the call stack of %u frames is too deep\n",
				 st->curframe + 2);
	callee = kbpf_frame_alloc(env, st->curframe + 1, sp, env->insn_idx);
	if (!callee)
		return -ENOMEM;
	for (i = KBPF_REG_1; i <= KBPF_REG_5; i++)
		callee->regs[i] = caller->regs[i];
	kbpf_mark_reg_known(&callee->regs[KBPF_REG_FP], 0);
	callee->regs[KBPF_REG_FP].type = KBPF_REG_PTR_TO_STACK;
	callee->regs[KBPF_REG_FP].frameno = callee->frameno;
	kbpf_frame_free(env, st->frame[st->curframe + 1]);
	st->frame[st->curframe + 1] = callee;
	st->curframe++;
	*next_idx = target;
	if (kbpf_log_verbose(env)) {
		kbpf_verbose(env, "caller:\n");
		st->curframe--;
		kbpf_log_state(env);
		st->curframe++;
		kbpf_verbose(env, "callee:\n");
		kbpf_log_state(env);
	}
	return 0;
}

int kbpf_check_subprog_exit(struct kbpf_verifier_env *env, u32 *next_idx)
{
	struct kbpf_verifier_state *st = env->cur;
	struct kbpf_func_state *callee = kbpf_cur_frame(env), *caller;
	struct kbpf_reg_state *r0 = &callee->regs[KBPF_REG_0];
	u32 i;

	if (callee->cb_entry)
		return kbpf_check_callback_exit(env, next_idx);
	/*
	 * A void subprogram (clang emits no r0 for one) may leave r0 unset:
	 * the caller's r0 is then unset too, and reading it is refused there.
	 */
	if (r0->type == KBPF_REG_PTR_TO_STACK && r0->frameno == callee->frameno)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "cannot return stack pointer to the caller\n");
	caller = st->frame[st->curframe - 1];
	caller->regs[KBPF_REG_0] = *r0;
	for (i = KBPF_REG_1; i <= KBPF_REG_5; i++)
		kbpf_mark_reg_not_init(&caller->regs[i]);
	*next_idx = callee->callsite + 1;
	kbpf_frame_free(env, callee);
	st->frame[st->curframe] = NULL;
	st->curframe--;
	return 0;
}
