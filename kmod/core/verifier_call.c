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
#include "verifier_types.h"

static const struct kbpf_helper_table *helper_table(struct kbpf_verifier_env *env)
{
	if (env->prog->helpers)
		return env->prog->helpers;
	if (env->opts->helpers)
		return env->opts->helpers;
	return &kbpf_default_helpers;
}

static int check_reg_init(struct kbpf_verifier_env *env, u32 regno)
{
	if (kbpf_cur_regs(env)[regno].type == KBPF_REG_NOT_INIT)
		return kbpf_verr(env, -EACCES, "R%u !read_ok\n", regno);
	return 0;
}

static int check_size_arg(struct kbpf_verifier_env *env, u32 mem_regno)
{
	u32 regno = mem_regno + 1;
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	if (regno > KBPF_HELPER_ARGS || reg->type != KBPF_REG_SCALAR)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u must be a scalar size for the memory in R%u\n",
				      regno, mem_regno);
	if (reg->smin < 0)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u min value is negative, either use unsigned or 'var &= const'\n",
				      regno);
	if (!reg->umin)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u invalid zero-sized read\n", regno);
	return kbpf_check_mem_region(env, mem_regno, reg->umax, "helper memory");
}

static int check_helper_arg(struct kbpf_verifier_env *env, u32 regno,
			    enum kbpf_arg_type type, struct kbpf_map **map)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	int err = check_reg_init(env, regno);

	if (err)
		return err;
	switch (type) {
	case KBPF_ARG_ANYTHING:
	case KBPF_ARG_CONST_SIZE:
		if (kbpf_is_pointer(reg))
			return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
					      "R%u leaks addr into helper function\n",
					      regno);
		return 0;
	case KBPF_ARG_CONST_MAP_PTR:
		if (reg->type != KBPF_REG_CONST_PTR_TO_MAP)
			return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
					      "R%u type=%s expected=map_ptr\n", regno,
					      kbpf_reg_type_str(reg->type));
		*map = reg->map;
		return 0;
	case KBPF_ARG_PTR_TO_MAP_KEY:
	case KBPF_ARG_PTR_TO_MAP_VALUE:
		if (!*map) {
			kbpf_bug("helper takes a map key or value before its map");
			return -EFAULT;
		}
		if (type == KBPF_ARG_PTR_TO_MAP_KEY)
			return kbpf_check_mem_region(env, regno,
						     (*map)->attrs.key_size,
						     "map key");
		return kbpf_check_mem_region(env, regno,
					     (*map)->attrs.value_size,
					     "map value");
	case KBPF_ARG_PTR_TO_MEM:
		return check_size_arg(env, regno);
	default:
		return 0;
	}
}

int kbpf_check_helper_call(struct kbpf_verifier_env *env,
			   const struct kbpf_insn *insn)
{
	const struct kbpf_helper *h = kbpf_helper_lookup(helper_table(env),
							 (u32)insn->imm);
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct kbpf_map *map = NULL;
	u32 i;
	int err;

	if (!h || !h->fn)
		return kbpf_verr(env, -EINVAL, "invalid func unknown#%d\n",
				 insn->imm);
	for (i = 0; i < KBPF_HELPER_ARGS && h->args[i] != KBPF_ARG_NONE; i++) {
		err = check_helper_arg(env, i + 1, h->args[i], &map);
		if (err)
			return err;
	}
	for (i = 1; i <= KBPF_HELPER_ARGS; i++)
		kbpf_mark_reg_not_init(&regs[i]);
	switch (h->ret) {
	case KBPF_RET_INTEGER:
		kbpf_mark_reg_unknown(&regs[KBPF_REG_0]);
		break;
	case KBPF_RET_VOID:
		kbpf_mark_reg_not_init(&regs[KBPF_REG_0]);
		break;
	case KBPF_RET_MAP_VALUE_OR_NULL:
		if (!map) {
			kbpf_bug("helper %s returns a map value without a map",
				 h->name);
			return -EFAULT;
		}
		kbpf_mark_reg_known(&regs[KBPF_REG_0], 0);
		regs[KBPF_REG_0].type = KBPF_REG_PTR_TO_MAP_VALUE_OR_NULL;
		regs[KBPF_REG_0].map = map;
		regs[KBPF_REG_0].id = kbpf_new_id(env);
		break;
	}
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
