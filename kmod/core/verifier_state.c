// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier states: allocation, copying, the stack of paths still to verify,
 * and pruning.
 *
 * At every pruning point (jump targets and branch successors, marked by
 * check_cfg) the current state is compared with the states already seen
 * there.  If an earlier state whose every continuation has been verified
 * (branches == 0) is at least as general as the current one, the current
 * path cannot do anything the earlier one did not, and it is pruned.
 * An earlier state still being verified (branches > 0) is an ancestor of the
 * current path: meeting it again, identical, means the program loops
 * without making progress, which is refused.  Otherwise the current state
 * is remembered and the path goes on.
 *
 * "At least as general" (regsafe, stacksafe) compares register by register:
 * same pointer kind and offset, scalar ranges and known bits that contain the
 * current ones, and ids that map one to one, so that a later check on one
 * register proves the same for the same set of copies in both states.
 */
#include "verifier_types.h"

/* ---- allocation ------------------------------------------------------------- */

struct kbpf_func_state *kbpf_frame_alloc(u32 frameno, u32 subprog, u32 callsite)
{
	struct kbpf_func_state *f = kbpf_zalloc(sizeof(*f));
	u32 i;

	if (!f)
		return NULL;
	for (i = 0; i < KBPF_REG_COUNT; i++)
		kbpf_mark_reg_not_init(&f->regs[i]);
	f->frameno = frameno;
	f->subprog = subprog;
	f->callsite = callsite;
	return f;
}

void kbpf_frame_free(struct kbpf_func_state *f)
{
	if (!f)
		return;
	kbpf_free(f->stack);
	kbpf_free(f);
}

int kbpf_frame_grow_stack(struct kbpf_func_state *f, u32 nslots)
{
	struct kbpf_stack_slot *s;

	if (nslots <= f->nslots)
		return 0;
	s = kbpf_zalloc(nslots * sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (f->nslots)
		memcpy(s, f->stack, f->nslots * sizeof(*s));
	kbpf_free(f->stack);
	f->stack = s;
	f->nslots = nslots;
	return 0;
}

static int frame_copy(struct kbpf_func_state *dst,
		      const struct kbpf_func_state *src)
{
	struct kbpf_stack_slot *stack = dst->stack;
	u32 nslots = dst->nslots;

	if (nslots < src->nslots) {
		kbpf_free(stack);
		stack = kbpf_zalloc(src->nslots * sizeof(*stack));
		if (!stack && src->nslots) {
			dst->stack = NULL;
			dst->nslots = 0;
			return -ENOMEM;
		}
		nslots = src->nslots;
	}
	memcpy(dst, src, sizeof(*dst));
	dst->stack = stack;
	dst->nslots = nslots;
	if (nslots)
		memset(stack, 0, nslots * sizeof(*stack));
	if (src->nslots)
		memcpy(stack, src->stack, src->nslots * sizeof(*stack));
	return 0;
}

struct kbpf_verifier_state *kbpf_state_alloc(u32 curframe)
{
	struct kbpf_verifier_state *st = kbpf_zalloc(sizeof(*st));
	u32 i;

	if (!st)
		return NULL;
	st->curframe = curframe;
	for (i = 0; i <= curframe; i++) {
		st->frame[i] = kbpf_frame_alloc(i, 0, 0);
		if (!st->frame[i]) {
			kbpf_state_free(st);
			return NULL;
		}
	}
	return st;
}

void kbpf_state_free(struct kbpf_verifier_state *st)
{
	u32 i;

	if (!st)
		return;
	for (i = 0; i < KBPF_MAX_CALL_FRAMES; i++)
		kbpf_frame_free(st->frame[i]);
	kbpf_free(st);
}

/* Frees the frames dst has beyond src's, then copies frame by frame. */
int kbpf_state_copy(struct kbpf_verifier_state *dst,
		    const struct kbpf_verifier_state *src)
{
	u32 i;
	int err;

	for (i = src->curframe + 1; i < KBPF_MAX_CALL_FRAMES; i++) {
		kbpf_frame_free(dst->frame[i]);
		dst->frame[i] = NULL;
	}
	for (i = 0; i <= src->curframe; i++) {
		if (!dst->frame[i]) {
			dst->frame[i] = kbpf_zalloc(sizeof(*dst->frame[i]));
			if (!dst->frame[i])
				return -ENOMEM;
		}
		err = frame_copy(dst->frame[i], src->frame[i]);
		if (err)
			return err;
	}
	dst->curframe = src->curframe;
	dst->insn_idx = src->insn_idx;
	dst->parent = src->parent;
	dst->branches = src->branches;
	return 0;
}

struct kbpf_verifier_state *kbpf_state_dup(const struct kbpf_verifier_state *src)
{
	struct kbpf_verifier_state *st = kbpf_zalloc(sizeof(*st));

	if (!st)
		return NULL;
	if (kbpf_state_copy(st, src)) {
		kbpf_state_free(st);
		return NULL;
	}
	return st;
}

u32 kbpf_new_id(struct kbpf_verifier_env *env)
{
	return ++env->id_gen;
}

/* ---- paths still to verify ------------------------------------------------- */

/*
 * Fork the current path: the copy resumes at insn_idx later.  Both paths
 * descend from the same explored state, which now waits for one more.
 */
int kbpf_push_branch(struct kbpf_verifier_env *env, u32 insn_idx,
		     u32 prev_insn_idx, struct kbpf_verifier_state **out)
{
	struct kbpf_branch *b;

	if (env->branch_cnt >= KBPF_MAX_PENDING_BRANCHES)
		return kbpf_verr(env, -E2BIG,
				 "the sequence of %u jumps is too complex\n",
				 env->branch_cnt);
	b = kbpf_zalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->state = kbpf_state_dup(env->cur);
	if (!b->state) {
		kbpf_free(b);
		return -ENOMEM;
	}
	b->insn_idx = insn_idx;
	b->prev_insn_idx = prev_insn_idx;
	b->state->insn_idx = insn_idx;
	b->next = env->branches;
	env->branches = b;
	env->branch_cnt++;
	if (env->cur->parent)
		env->cur->parent->branches++;
	*out = b->state;
	return 0;
}

/* Continue with the most recently forked path; -ENOENT when none is left. */
int kbpf_pop_branch(struct kbpf_verifier_env *env)
{
	struct kbpf_branch *b = env->branches;
	int err;

	if (!b)
		return -ENOENT;
	err = kbpf_state_copy(env->cur, b->state);
	if (err)
		return err;
	env->insn_idx = b->insn_idx;
	env->prev_insn_idx = b->prev_insn_idx;
	env->branches = b->next;
	env->branch_cnt--;
	kbpf_state_free(b->state);
	kbpf_free(b);
	return 0;
}

void kbpf_free_branches(struct kbpf_verifier_env *env)
{
	while (env->branches) {
		struct kbpf_branch *b = env->branches;

		env->branches = b->next;
		kbpf_state_free(b->state);
		kbpf_free(b);
	}
	env->branch_cnt = 0;
}

static void free_state_list(struct kbpf_state_list *sl)
{
	while (sl) {
		struct kbpf_state_list *next = sl->next;
		u32 f;

		for (f = 0; f < KBPF_MAX_CALL_FRAMES; f++)
			kbpf_frame_free(sl->state.frame[f]);
		kbpf_free(sl);
		sl = next;
	}
}

void kbpf_free_explored(struct kbpf_verifier_env *env)
{
	u32 i;

	free_state_list(env->retired);
	env->retired = NULL;
	if (!env->explored)
		return;
	for (i = 0; i < env->insn_cnt; i++)
		free_state_list(env->explored[i]);
	kbpf_free(env->explored);
	env->explored = NULL;
}

/*
 * The current path ended (exit or pruned): its explored ancestors wait for
 * one path fewer, and those left with none are fully verified.
 */
void kbpf_path_done(struct kbpf_verifier_env *env)
{
	struct kbpf_verifier_state *st = env->cur->parent;

	while (st) {
		if (!st->branches) {
			kbpf_bug("verifier state branch count underflow");
			break;
		}
		if (--st->branches)
			break;
		st = st->parent;
	}
}

/* ---- comparing states ------------------------------------------------------- */

static bool check_ids(struct kbpf_verifier_env *env, u32 old_id, u32 cur_id)
{
	u32 i;

	if (!old_id && !cur_id)
		return true;
	if (!old_id || !cur_id)
		return false;
	for (i = 0; i < env->idmap_cnt; i++) {
		if (env->idmap[i].old == old_id)
			return env->idmap[i].cur == cur_id;
		if (env->idmap[i].cur == cur_id)
			return false;
	}
	if (env->idmap_cnt >= ARRAY_SIZE(env->idmap))
		return false;
	env->idmap[env->idmap_cnt].old = old_id;
	env->idmap[env->idmap_cnt].cur = cur_id;
	env->idmap_cnt++;
	return true;
}

static bool range_within(const struct kbpf_reg_state *old,
			 const struct kbpf_reg_state *cur)
{
	return old->umin <= cur->umin && old->umax >= cur->umax &&
	       old->smin <= cur->smin && old->smax >= cur->smax &&
	       old->u32_min <= cur->u32_min && old->u32_max >= cur->u32_max &&
	       old->s32_min <= cur->s32_min && old->s32_max >= cur->s32_max &&
	       kbpf_tnum_in(old->var_off, cur->var_off);
}

static bool var_equal(const struct kbpf_reg_state *old,
		      const struct kbpf_reg_state *cur)
{
	return range_within(old, cur) && range_within(cur, old);
}

/* Everything the old register allowed, the current one allows. */
static bool regsafe(struct kbpf_verifier_env *env,
		    const struct kbpf_reg_state *old,
		    const struct kbpf_reg_state *cur, bool exact)
{
	if (exact)
		return !memcmp(old, cur, sizeof(*old)) ||
		       (old->type == cur->type && old->off == cur->off &&
			old->range == cur->range && old->map == cur->map &&
			old->frameno == cur->frameno && var_equal(old, cur) &&
			check_ids(env, old->id, cur->id));
	if (old->type == KBPF_REG_NOT_INIT)
		return true;
	if (old->type != cur->type)
		return false;
	switch (old->type) {
	case KBPF_REG_SCALAR:
		/* A linked copy in old must be linked the same way in cur. */
		return range_within(old, cur) &&
		       (!old->id || check_ids(env, old->id, cur->id));
	case KBPF_REG_PTR_TO_PACKET:
		return old->off == cur->off && old->range <= cur->range &&
		       range_within(old, cur) && check_ids(env, old->id, cur->id);
	case KBPF_REG_PTR_TO_MAP_VALUE:
	case KBPF_REG_PTR_TO_MAP_VALUE_OR_NULL:
		return old->map == cur->map && old->off == cur->off &&
		       range_within(old, cur) && check_ids(env, old->id, cur->id);
	case KBPF_REG_PTR_TO_MEM:
		return old->off == cur->off && old->range == cur->range &&
		       range_within(old, cur);
	case KBPF_REG_PTR_TO_STACK:
		return old->off == cur->off && old->frameno == cur->frameno &&
		       var_equal(old, cur);
	case KBPF_REG_CONST_PTR_TO_MAP:
		return old->map == cur->map;
	case KBPF_REG_PTR_TO_CTX:
		return old->off == cur->off && var_equal(old, cur);
	case KBPF_REG_PTR_TO_PACKET_END:
		return true;
	default:
		return false;
	}
}

static u8 slot_byte(const struct kbpf_func_state *f, u32 slot, u32 b)
{
	return slot < f->nslots ? f->stack[slot].bytes[b] : KBPF_STACK_INVALID;
}

static bool stacksafe(struct kbpf_verifier_env *env,
		      const struct kbpf_func_state *old,
		      const struct kbpf_func_state *cur, bool exact)
{
	u32 n = old->nslots > cur->nslots ? old->nslots : cur->nslots;
	u32 i, b;

	for (i = 0; i < n; i++) {
		bool old_spill = true, cur_spill = true;

		for (b = 0; b < KBPF_SLOT_SIZE; b++) {
			u8 o = slot_byte(old, i, b), c = slot_byte(cur, i, b);

			if (exact && o != c)
				return false;
			if (o == KBPF_STACK_INVALID)
				continue;
			if (c == KBPF_STACK_INVALID)
				return false;
			/* Old bytes were scalar: a spilled pointer here could
			 * be read back as a pointer the old path never saw.
			 */
			if (o == KBPF_STACK_MISC && c == KBPF_STACK_SPILL &&
			    cur->stack[i].spilled.type != KBPF_REG_SCALAR)
				return false;
			old_spill &= o == KBPF_STACK_SPILL;
			cur_spill &= c == KBPF_STACK_SPILL;
		}
		if (slot_byte(old, i, 0) != KBPF_STACK_SPILL || !old_spill)
			continue;
		if (!cur_spill)
			return false;
		if (!regsafe(env, &old->stack[i].spilled,
			     &cur->stack[i].spilled, exact))
			return false;
	}
	return true;
}

static bool funcsafe(struct kbpf_verifier_env *env,
		     const struct kbpf_func_state *old,
		     const struct kbpf_func_state *cur, bool exact, u16 live)
{
	u32 i;

	if (old->callsite != cur->callsite)
		return false;
	for (i = 0; i < KBPF_REG_COUNT; i++) {
		/* A register no path reads again cannot make a difference. */
		if (!(live & (1U << i)))
			continue;
		if (!regsafe(env, &old->regs[i], &cur->regs[i], exact))
			return false;
	}
	return stacksafe(env, old, cur, exact);
}

static bool states_equal(struct kbpf_verifier_env *env,
			 const struct kbpf_verifier_state *old,
			 const struct kbpf_verifier_state *cur, bool exact)
{
	u32 i;

	if (old->curframe != cur->curframe)
		return false;
	env->idmap_cnt = 0;
	for (i = 0; i <= old->curframe; i++) {
		/* Callers' registers: live after the return, maybe. */
		u16 live = i == old->curframe ?
			   env->live_regs[old->insn_idx] | (1U << KBPF_REG_FP) :
			   (u16)~0U;

		if (!funcsafe(env, old->frame[i], cur->frame[i], exact, live))
			return false;
	}
	return true;
}

/* Remember the current state at insn_idx for later pruning. */
static int save_state(struct kbpf_verifier_env *env, u32 insn_idx)
{
	struct kbpf_state_list *sl = kbpf_zalloc(sizeof(*sl));
	int err;

	if (!sl)
		return -ENOMEM;
	err = kbpf_state_copy(&sl->state, env->cur);
	if (err) {
		u32 f;

		for (f = 0; f < KBPF_MAX_CALL_FRAMES; f++)
			kbpf_frame_free(sl->state.frame[f]);
		kbpf_free(sl);
		return err;
	}
	sl->state.insn_idx = insn_idx;
	/* The current path now descends from the new state. */
	sl->state.parent = env->cur->parent;
	sl->state.branches = 1;
	env->cur->parent = &sl->state;
	sl->next = env->explored[insn_idx];
	env->explored[insn_idx] = sl;
	env->states_now++;
	env->stats.states_total++;
	if (env->states_now > env->stats.states_peak)
		env->stats.states_peak = env->states_now;
	return 0;
}

/*
 * A state that keeps failing to prune only slows every later visit down:
 * take it off the list (it may still be a parent, so it lives on until
 * the end).
 */
static bool evict_if_useless(struct kbpf_verifier_env *env,
			     struct kbpf_state_list **pprev)
{
	struct kbpf_state_list *sl = *pprev;

	if (sl->miss_cnt <= sl->hit_cnt * 3 + 3)
		return false;
	*pprev = sl->next;
	sl->next = env->retired;
	env->retired = sl;
	env->states_now--;
	return true;
}

int kbpf_is_state_visited(struct kbpf_verifier_env *env, u32 insn_idx)
{
	struct kbpf_state_list **pprev, *sl;
	bool add = true;

	if (!(env->insn_flags[insn_idx] & KBPF_INSN_PRUNE_POINT))
		return 0;
	pprev = &env->explored[insn_idx];
	while ((sl = *pprev)) {
		if (sl->state.branches) {
			/* An ancestor of this path, still open: a loop. */
			if (states_equal(env, &sl->state, env->cur, true))
				return kbpf_verr(env, -EACCES,
						 "infinite loop detected at insn %u\n",
						 insn_idx);
			/*
			 * Loop iterations rarely prune each other: do not
			 * keep a state on every pass around a short loop.
			 */
			if (env->loop_check_insns < 64)
				add = false;
		} else if (states_equal(env, &sl->state, env->cur, false)) {
			sl->hit_cnt++;
			return 1;
		}
		sl->miss_cnt++;
		if (!evict_if_useless(env, pprev))
			pprev = &sl->next;
	}
	if (!add || env->states_now >= env->limits->max_states)
		return 0;
	env->loop_check_insns = 0;
	return save_state(env, insn_idx);
}
