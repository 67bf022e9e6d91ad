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
#include "types.h"

/* ---- memory ------------------------------------------------------------------ */

/*
 * Every allocation of a load's verification goes through here, so that one
 * budget (limits->max_verifier_bytes) bounds it, whatever the program does:
 * states, frames, stack chunks, pending branches and per-insn arrays.  A
 * request past the budget fails like an allocation failure; kbpf_verify()
 * then reports -E2BIG (kbpf_vmem_error()) rather than -ENOMEM.
 */
void *kbpf_vzalloc(struct kbpf_verifier_env *env, size_t size)
{
	u64 budget = env->limits->max_verifier_bytes;
	void *p;

	if (env->mem_used > budget || size > budget - env->mem_used) {
		env->mem_exhausted = true;
		return NULL;
	}
	p = kbpf_zalloc_account(size);
	if (!p)
		return NULL;
	env->mem_used += size;
	if (env->mem_used > env->stats.mem_peak)
		env->stats.mem_peak = env->mem_used;
	return p;
}

void kbpf_vfree(struct kbpf_verifier_env *env, const void *p, size_t size)
{
	if (!p)
		return;
	kbpf_free(p);
	env->mem_used -= size;
}

/* An -ENOMEM that came from the budget is -E2BIG, logged with the figures. */
int kbpf_vmem_error(struct kbpf_verifier_env *env, int err)
{
	if (err != -ENOMEM || !env->mem_exhausted)
		return err;
	return kbpf_verr(env, -E2BIG,
			 "verifier memory budget of %llu bytes (%s profile) exhausted after %u insns processed, %u states stored (%u now), %u branches pending\n",
			 (unsigned long long)env->limits->max_verifier_bytes,
			 env->limits->name ? env->limits->name : "custom",
			 env->stats.insns_processed, env->stats.states_total,
			 env->states_now, env->branch_cnt);
}

/* ---- frames and their stacks ------------------------------------------------ */

struct kbpf_func_state *kbpf_frame_alloc(struct kbpf_verifier_env *env,
					 u32 frameno, u32 subprog, u32 callsite)
{
	struct kbpf_func_state *f = kbpf_vzalloc(env, sizeof(*f));
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

static void chunk_put(struct kbpf_verifier_env *env, struct kbpf_stack_chunk *c)
{
	if (c && !--c->refs)
		kbpf_vfree(env, c, sizeof(*c));
}

void kbpf_frame_free(struct kbpf_verifier_env *env, struct kbpf_func_state *f)
{
	u32 i;

	if (!f)
		return;
	for (i = 0; i < KBPF_STACK_CHUNKS; i++)
		chunk_put(env, f->chunks[i]);
	kbpf_vfree(env, f, sizeof(*f));
}

struct kbpf_stack_slot *kbpf_stack_slot_mut(struct kbpf_verifier_env *env,
					    struct kbpf_func_state *f, u32 i)
{
	struct kbpf_stack_chunk **cp = &f->chunks[i / KBPF_CHUNK_SLOTS];
	struct kbpf_stack_chunk *c = *cp;

	if (!c || c->refs > 1) {
		struct kbpf_stack_chunk *own = kbpf_vzalloc(env, sizeof(*own));

		if (!own)
			return NULL;
		if (c)
			memcpy(own->slots, c->slots, sizeof(own->slots));
		own->refs = 1;
		chunk_put(env, c);
		*cp = c = own;
	}
	return &c->slots[i % KBPF_CHUNK_SLOTS];
}

/* dst (allocated) becomes a copy of src that shares src's stack chunks. */
static void frame_copy(struct kbpf_verifier_env *env,
		       struct kbpf_func_state *dst,
		       const struct kbpf_func_state *src)
{
	u32 i;

	for (i = 0; i < KBPF_STACK_CHUNKS; i++) {
		if (src->chunks[i])
			src->chunks[i]->refs++;
		chunk_put(env, dst->chunks[i]);
	}
	memcpy(dst, src, sizeof(*dst));
}

/* ---- states ------------------------------------------------------------------ */

struct kbpf_verifier_state *kbpf_state_alloc(struct kbpf_verifier_env *env,
					     u32 curframe)
{
	struct kbpf_verifier_state *st = kbpf_vzalloc(env, sizeof(*st));
	u32 i;

	if (!st)
		return NULL;
	st->curframe = curframe;
	for (i = 0; i <= curframe; i++) {
		st->frame[i] = kbpf_frame_alloc(env, i, 0, 0);
		if (!st->frame[i]) {
			kbpf_state_free(env, st);
			return NULL;
		}
	}
	return st;
}

static void state_free_frames(struct kbpf_verifier_env *env,
			      struct kbpf_verifier_state *st)
{
	u32 i;

	for (i = 0; i < KBPF_MAX_CALL_FRAMES; i++) {
		kbpf_frame_free(env, st->frame[i]);
		st->frame[i] = NULL;
	}
}

void kbpf_state_free(struct kbpf_verifier_env *env,
		     struct kbpf_verifier_state *st)
{
	if (!st)
		return;
	state_free_frames(env, st);
	kbpf_vfree(env, st, sizeof(*st));
}

/* Frees the frames dst has beyond src's, then copies frame by frame. */
int kbpf_state_copy(struct kbpf_verifier_env *env,
		    struct kbpf_verifier_state *dst,
		    const struct kbpf_verifier_state *src)
{
	u32 i;

	for (i = src->curframe + 1; i < KBPF_MAX_CALL_FRAMES; i++) {
		kbpf_frame_free(env, dst->frame[i]);
		dst->frame[i] = NULL;
	}
	for (i = 0; i <= src->curframe; i++) {
		if (!dst->frame[i]) {
			dst->frame[i] = kbpf_vzalloc(env, sizeof(*dst->frame[i]));
			if (!dst->frame[i])
				return -ENOMEM;
		}
		frame_copy(env, dst->frame[i], src->frame[i]);
	}
	memcpy(dst->refs, src->refs, sizeof(dst->refs));
	dst->ref_cnt = src->ref_cnt;
	dst->curframe = src->curframe;
	dst->insn_idx = src->insn_idx;
	dst->parent = src->parent;
	dst->branches = src->branches;
	dst->retired = false;
	memcpy(dst->wc_count, src->wc_count, sizeof(dst->wc_count));
	memcpy(dst->wc_max, src->wc_max, sizeof(dst->wc_max));
	dst->wc_block = src->wc_block;
	dst->wc_cb_sp = src->wc_cb_sp;
	return 0;
}

struct kbpf_verifier_state *kbpf_state_dup(struct kbpf_verifier_env *env,
					   const struct kbpf_verifier_state *src)
{
	struct kbpf_verifier_state *st = kbpf_vzalloc(env, sizeof(*st));

	if (!st)
		return NULL;
	if (kbpf_state_copy(env, st, src)) {
		kbpf_state_free(env, st);
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
	b = kbpf_vzalloc(env, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->state = kbpf_state_dup(env, env->cur);
	if (!b->state) {
		kbpf_vfree(env, b, sizeof(*b));
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

static void branch_free(struct kbpf_verifier_env *env, struct kbpf_branch *b)
{
	kbpf_state_free(env, b->state);
	kbpf_vfree(env, b, sizeof(*b));
}

/* Continue with the most recently forked path; -ENOENT when none is left. */
int kbpf_pop_branch(struct kbpf_verifier_env *env)
{
	struct kbpf_branch *b = env->branches;
	int err;

	if (!b)
		return -ENOENT;
	err = kbpf_state_copy(env, env->cur, b->state);
	if (err)
		return err;
	env->insn_idx = b->insn_idx;
	env->prev_insn_idx = b->prev_insn_idx;
	env->branches = b->next;
	env->branch_cnt--;
	branch_free(env, b);
	return 0;
}

/* Forget the branch just pushed: its condition cannot hold. */
void kbpf_drop_pushed_branch(struct kbpf_verifier_env *env)
{
	struct kbpf_branch *b = env->branches;

	env->branches = b->next;
	env->branch_cnt--;
	if (b->state->parent)
		b->state->parent->branches--;
	branch_free(env, b);
}

void kbpf_free_branches(struct kbpf_verifier_env *env)
{
	while (env->branches) {
		struct kbpf_branch *b = env->branches;

		env->branches = b->next;
		branch_free(env, b);
	}
	env->branch_cnt = 0;
}

/* ---- explored states ------------------------------------------------------- */

static void state_list_free(struct kbpf_verifier_env *env,
			    struct kbpf_state_list *sl)
{
	state_free_frames(env, &sl->state);
	kbpf_vfree(env, sl, sizeof(*sl));
	env->states_now--;
}

static void free_state_lists(struct kbpf_verifier_env *env,
			     struct kbpf_state_list *sl)
{
	while (sl) {
		struct kbpf_state_list *next = sl->next;

		state_list_free(env, sl);
		sl = next;
	}
}

void kbpf_forget_explored(struct kbpf_verifier_env *env)
{
	u32 i;

	free_state_lists(env, env->retired);
	env->retired = NULL;
	if (!env->explored)
		return;
	for (i = 0; i < env->insn_cnt; i++) {
		free_state_lists(env, env->explored[i]);
		env->explored[i] = NULL;
	}
}

void kbpf_free_explored(struct kbpf_verifier_env *env)
{
	kbpf_forget_explored(env);
	kbpf_vfree(env, env->explored, kbpf_explored_bytes(env));
	env->explored = NULL;
}

static struct kbpf_state_list *state_list_of(struct kbpf_verifier_state *st)
{
	return (struct kbpf_state_list *)((char *)st -
					  offsetof(struct kbpf_state_list, state));
}

/* A retired state whose last open path ended is no one's parent: free it. */
static void retired_free(struct kbpf_verifier_env *env,
			 struct kbpf_verifier_state *st)
{
	struct kbpf_state_list *sl = state_list_of(st);

	if (sl->prev)
		sl->prev->next = sl->next;
	else
		env->retired = sl->next;
	if (sl->next)
		sl->next->prev = sl->prev;
	state_list_free(env, sl);
}

/*
 * The current path ended (exit or pruned): its explored ancestors wait for
 * one path fewer, and those left with none are fully verified.  Retired
 * ones among those are freed on the way.  The path's charge goes up the same way.
 */
void kbpf_path_done(struct kbpf_verifier_env *env)
{
	struct kbpf_verifier_state *st = env->cur->parent, *parent;
	struct kbpf_wc_charge charged;

	kbpf_worst_path_end(env, &charged);
	while (st) {
		if (!st->branches) {
			kbpf_bug("verifier state branch count underflow");
			return;
		}
		/* Complete states hand their worst case up (worst.c). */
		kbpf_worst_fold(st, &charged);
		if (--st->branches)
			return;
		kbpf_worst_state_done(env, st, &charged);
		parent = st->parent;
		if (st->retired)
			retired_free(env, st);
		st = parent;
	}
	kbpf_worst_root(env, &charged);
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
			check_ids(env, old->id, cur->id) &&
			check_ids(env, old->ref_obj_id, cur->ref_obj_id));
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
	case KBPF_REG_PTR_TO_MEM_OR_NULL:
		return old->off == cur->off && old->range == cur->range &&
		       range_within(old, cur) &&
		       check_ids(env, old->id, cur->id) &&
		       check_ids(env, old->ref_obj_id, cur->ref_obj_id);
	case KBPF_REG_PTR_TO_STACK:
		return old->off == cur->off && old->frameno == cur->frameno &&
		       var_equal(old, cur);
	case KBPF_REG_CONST_PTR_TO_MAP:
		return old->map == cur->map;
	case KBPF_REG_PTR_TO_CTX:
		return old->off == cur->off && var_equal(old, cur);
	case KBPF_REG_PTR_TO_PACKET_END:
		return true;
	case KBPF_REG_PTR_TO_FUNC:
		return old->off == cur->off;
	default:
		return false;
	}
}

/*
 * A chunk both states share holds the same bytes and registers on both
 * sides; only the ids of its registers must fit the rest of the mapping.
 */
static bool shared_chunk_safe(struct kbpf_verifier_env *env,
			      const struct kbpf_stack_chunk *c, bool exact)
{
	u32 i;

	for (i = 0; i < KBPF_CHUNK_SLOTS && !exact; i++) {
		const struct kbpf_stack_slot *s = &c->slots[i];

		if (s->bytes[0] == KBPF_STACK_SPILL && s->spilled.id &&
		    !check_ids(env, s->spilled.id, s->spilled.id))
			return false;
	}
	return true;
}

static bool stacksafe(struct kbpf_verifier_env *env,
		      const struct kbpf_func_state *old,
		      const struct kbpf_func_state *cur, bool exact)
{
	u32 i, b;

	for (i = 0; i < KBPF_STACK_SLOTS; i++) {
		const struct kbpf_stack_slot *os = kbpf_stack_slot_get(old, i);
		const struct kbpf_stack_slot *cs = kbpf_stack_slot_get(cur, i);
		bool old_spill = true, cur_spill = true;

		if (!os && !cs)
			continue;
		if (!(i % KBPF_CHUNK_SLOTS) &&
		    old->chunks[i / KBPF_CHUNK_SLOTS] ==
		    cur->chunks[i / KBPF_CHUNK_SLOTS]) {
			if (!shared_chunk_safe(env, old->chunks[i / KBPF_CHUNK_SLOTS],
					       exact))
				return false;
			i += KBPF_CHUNK_SLOTS - 1;
			continue;
		}
		for (b = 0; b < KBPF_SLOT_SIZE; b++) {
			u8 o = os ? os->bytes[b] : KBPF_STACK_INVALID;
			u8 c = cs ? cs->bytes[b] : KBPF_STACK_INVALID;

			if (exact && o != c)
				return false;
			if (o == KBPF_STACK_INVALID)
				continue;
			if (c == KBPF_STACK_INVALID)
				return false;
			/* The old path relied on these bytes being 0. */
			if (o == KBPF_STACK_ZERO && c != KBPF_STACK_ZERO)
				return false;
			/* Old bytes were scalar: a spilled pointer here could
			 * be read back as a pointer the old path never saw.
			 */
			if (o == KBPF_STACK_MISC && c == KBPF_STACK_SPILL &&
			    cs->spilled.type != KBPF_REG_SCALAR)
				return false;
			old_spill &= o == KBPF_STACK_SPILL;
			cur_spill &= c == KBPF_STACK_SPILL;
		}
		if (!os || os->bytes[0] != KBPF_STACK_SPILL || !old_spill)
			continue;
		if (!cur_spill)
			return false;
		if (!regsafe(env, &os->spilled, &cs->spilled, exact))
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

	if (old->curframe != cur->curframe || old->ref_cnt != cur->ref_cnt)
		return false;
	env->idmap_cnt = 0;
	/* The same references held, under the ids the registers map to. */
	for (i = 0; i < old->ref_cnt; i++)
		if (!check_ids(env, old->refs[i].id, cur->refs[i].id))
			return false;
	/* The current frame first: that is where states usually differ. */
	for (i = old->curframe + 1; i-- > 0;) {
		/* Callers' registers: live after the return, maybe. */
		u16 live = i == old->curframe ?
			   env->live_regs[old->insn_idx] | (1U << KBPF_REG_FP) :
			   (u16)~0U;

		if (!funcsafe(env, old->frame[i], cur->frame[i], exact, live))
			return false;
	}
	return true;
}

bool kbpf_state_covers(struct kbpf_verifier_env *env,
		       const struct kbpf_verifier_state *old,
		       const struct kbpf_verifier_state *cur)
{
	return states_equal(env, old, cur, false);
}

/* Remember the current state at insn_idx for later pruning. */
static int save_state(struct kbpf_verifier_env *env, u32 insn_idx)
{
	struct kbpf_state_list *sl = kbpf_vzalloc(env, sizeof(*sl));
	int err;

	if (!sl)
		return -ENOMEM;
	env->states_now++;
	err = kbpf_state_copy(env, &sl->state, env->cur);
	if (err) {
		state_list_free(env, sl);
		return err;
	}
	sl->state.insn_idx = insn_idx;
	/* The current path now descends from the new state. */
	sl->state.parent = env->cur->parent;
	sl->state.branches = 1;
	kbpf_worst_node_begin(&sl->state, env->cur);
	env->cur->parent = &sl->state;
	sl->next = env->explored[insn_idx];
	env->explored[insn_idx] = sl;
	env->stats.states_total++;
	if (env->states_now > env->stats.states_peak)
		env->stats.states_peak = env->states_now;
	return 0;
}

/* Put sl on the retired list: freed when its last open path ends. */
static void retire(struct kbpf_verifier_env *env, struct kbpf_state_list *sl)
{
	sl->state.retired = true;
	sl->prev = NULL;
	sl->next = env->retired;
	if (env->retired)
		env->retired->prev = sl;
	env->retired = sl;
}

struct kbpf_verifier_state *kbpf_path_node(struct kbpf_verifier_env *env)
{
	struct kbpf_state_list *sl = kbpf_vzalloc(env, sizeof(*sl));

	if (!sl)
		return NULL;
	env->states_now++;
	sl->state.parent = env->cur->parent;
	sl->state.branches = 1;
	kbpf_worst_node_begin(&sl->state, env->cur);
	retire(env, sl);
	env->cur->parent = &sl->state;
	return &sl->state;
}

/*
 * A state that keeps failing to prune only slows every later visit down and
 * holds memory: take it off the list.  It is freed at once unless paths
 * below it are still open (it is their parent, typically a loop head); then
 * its frames are freed and the rest is retired until the last of those
 * paths ends (kbpf_path_done()).
 */
static bool evict_if_useless(struct kbpf_verifier_env *env,
			     struct kbpf_state_list **pprev)
{
	struct kbpf_state_list *sl = *pprev;

	if (sl->miss_cnt <= sl->hit_cnt * 3 + 3)
		return false;
	*pprev = sl->next;
	if (!sl->state.branches) {
		state_list_free(env, sl);
		return true;
	}
	/* Never compared again: only its parent link and count are needed. */
	state_free_frames(env, &sl->state);
	retire(env, sl);
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
			/* What old charges from here on, this path does too. */
			memcpy(env->wc_tail, sl->state.wc_max,
			       sizeof(env->wc_tail));
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
