// SPDX-License-Identifier: GPL-2.0
/*
 * The most instructions a run can execute, as the metered interpreter
 * counts them, from the verifier's own exploration: what lets admission
 * count bounded loops by the iterations the verifier proved.
 *
 * Units.  The meter charges a basic block's length when a run reaches the
 * block's first instruction (sched/worst_case.h).  The walk charges the
 * same: when do_check() processes an instruction that starts a block, the
 * current path is charged that block's length.  Each processed
 * instruction is one instruction some run of a state on that path
 * executes next, so a path charges what such a run is charged on its way.
 *
 * Levels.  Charges are kept per level: level 0 is the program's run,
 * level l the run of a bpf_loop callback l callback frames deep.  An
 * instruction is charged at the level of the innermost callback frame of
 * the path (0 outside callbacks) and nowhere else: the enclosing level
 * pays for all the runs of a callback at once, after the call (below).
 *
 * Paths and explored states.  do_check() explores every path of abstract
 * states; each path descends from the last explored state it passed
 * (state->parent).  A path carries what it charged since that state
 * (wc_count); an explored state keeps what its path charged from its own
 * parent to it (its wc_count, frozen) and the most any continuation
 * charged from it on (wc_max), level by level.  When a path ends, its
 * charge plus, if it was pruned, the pruning state's wc_max is folded
 * into its parent's wc_max; a state whose last path ends folds wc_count +
 * wc_max into its own parent, up to the root, whose level-0 maximum is
 * the program's count (stats.worst_insns).
 *
 * Why this is an upper bound (never too low).  Take any run, and the
 * abstract state at each point of it that the walk followed.  Pruning at
 * insn i against an explored state old happens only when old is fully
 * explored (branches == 0) and at least as general as the current state
 * in every register that is live at i and every stack slot
 * (kbpf_state_covers()); nothing else decides control flow, so every run
 * from the current state is a run from old, and by induction over the
 * explored states in the order they were completed (pruning only ever
 * points at completed ones, so the graph of paths and prunes has no
 * cycle) old's wc_max covers it.  A bounded loop is explored iteration by
 * iteration -- an explored loop head is still open while its iterations
 * run, so it never prunes them -- and each iteration charges the blocks
 * it enters; its count is therefore what the proven trip count gives.
 * A path that ends because its branch side is impossible has no run to
 * account for.  Pruning compares states of the same frames (same call
 * sites), so both sides count the same levels.
 *
 * bpf_loop.  The path after a bpf_loop call starts from each state the
 * callback can leave its caller in (helpers.c) and is charged, at
 * the caller's level, nr x W up front: nr the largest iteration count the
 * call can get (the unsigned 32-bit maximum of r1, at most KBPF_MAX_LOOPS,
 * which the helper enforces), W the most one run of the callback
 * subprogram charges.  That path and the callback paths both descend from
 * a node made at the call (kbpf_worst_loop_node()), and the path after the
 * call is verified first.
 *
 * W, a callback run.  The callback's paths charge its blocks at its own
 * level L, exactly as the program's own are charged, bounded loops and
 * nested bpf_loop calls (nr' x W' at level L) included.  The node at the
 * call is the root of those runs: it keeps their most at level L
 * (wc_block = L) and hands nothing from level L up, and when it is
 * complete its figure is a run's most from that entry.  A run ends at the
 * callback's exit; if the walk goes on from there (the exit was not
 * covered by the entry, so the callback is verified again from a wider
 * state, through a new call node), the run's last stretch stays on the
 * path at level L and reaches the node as part of its count.  That path
 * re-enters the call: it is in the middle of the call, whose block it
 * was charged on the way in, so do_check() neither charges that block
 * again nor prunes it there (against a state that was charged it).
 * Every run the helper makes starts from a state some explored entry
 * covers, so the most over all nodes of the subprogram (cb_explored)
 * bounds every run, by the argument above.  The path after the call was
 * charged before the callback was explored, with the W the pass assumed
 * (cb_worst): at first the longest path over basic blocks for a callback
 * without loops or bpf_loop calls (kbpf_callback_worst_case(), never
 * below a run), else 0.  When a pass ends with a callback's explored
 * most other than what it assumed (above: too low; below: a path over
 * blocks no run takes), verifier.c walks the program again assuming that
 * figure (kbpf_worst_pass_again()).  The walk does not depend on counts,
 * so the next pass explores the same paths; a callback's figure depends
 * only on those of the callbacks it calls, so the passes settle after one
 * per level of nesting, and the last one charged every call with exactly
 * the W its runs were explored to charge.
 *
 * The levels below L.  Callback paths charge nothing there.  When a
 * callback run ends in a state its entry covers, the path ends and
 * charges, at each level below L, what the call's node holds there: the
 * path after the call, verified first, has folded into it, so that is the
 * most the rest of the loop and everything after it can charge.  It has
 * to be: a path of another caller state can be pruned inside the
 * callback against this one, and then this tail is all that accounts for
 * its remaining iterations and its continuation (its own path after the
 * call started from its own, narrower, state).
 *
 * Tail calls make the whole program unbounded in sched/worst_case.c: the
 * target is only known at run time.
 */
#include "types.h"
#include "../helpers.h"
#include "../sched/worst_case.h"

static u64 wc_add(u64 a, u64 b)
{
	return a + b < a ? KBPF_WORST_CASE_UNBOUNDED : a + b;
}

static u64 wc_mul(u64 a, u64 b)
{
	if (!a || !b)
		return 0;
	return a > KBPF_WORST_CASE_UNBOUNDED / b ? KBPF_WORST_CASE_UNBOUNDED :
	       a * b;
}

int kbpf_worst_init(struct kbpf_verifier_env *env)
{
	u32 n = env->insn_cnt ? env->insn_cnt : 1;

	env->block_len = kbpf_vzalloc(env, (size_t)n * sizeof(*env->block_len));
	if (!env->block_len)
		return -ENOMEM;
	kbpf_block_lengths(env->insns, env->insn_cnt, env->block_len);
	return 0;
}

void kbpf_worst_free(struct kbpf_verifier_env *env)
{
	u32 n = env->insn_cnt ? env->insn_cnt : 1;

	kbpf_vfree(env, env->block_len, (size_t)n * sizeof(*env->block_len));
	env->block_len = NULL;
}

/* The level st charges at: how many of its frames are callbacks'. */
static u32 cb_level(const struct kbpf_verifier_state *st)
{
	u32 f, level = 0;

	for (f = 0; f <= st->curframe; f++)
		if (st->frame[f]->cb_entry)
			level++;
	return level;
}

/* The current path is about to process env->insn_idx. */
void kbpf_worst_charge(struct kbpf_verifier_env *env)
{
	struct kbpf_verifier_state *cur = env->cur;
	u32 level = cb_level(cur);

	cur->wc_count[level] = wc_add(cur->wc_count[level],
				      env->block_len[env->insn_idx]);
}

void kbpf_worst_path_end(struct kbpf_verifier_env *env,
			 struct kbpf_wc_charge *c)
{
	u32 l;

	for (l = 0; l < KBPF_WC_LEVELS; l++)
		c->v[l] = wc_add(env->cur->wc_count[l], env->wc_tail[l]);
	memset(env->wc_tail, 0, sizeof(env->wc_tail));
}

void kbpf_worst_fold(struct kbpf_verifier_state *st,
		     const struct kbpf_wc_charge *c)
{
	u32 l;

	for (l = 0; l < KBPF_WC_LEVELS; l++)
		if (c->v[l] > st->wc_max[l])
			st->wc_max[l] = c->v[l];
}

/* Does st hand level l of its continuations up? */
static bool hands_up(const struct kbpf_verifier_state *st, u32 l)
{
	return !st->wc_block || l < st->wc_block;
}

void kbpf_worst_state_done(struct kbpf_verifier_env *env,
			   const struct kbpf_verifier_state *st,
			   struct kbpf_wc_charge *c)
{
	struct kbpf_subprog *s;
	u32 l;

	if (st->wc_block) {
		/* A call's node: its callback's runs from this entry. */
		s = &env->subprogs[st->wc_cb_sp];
		if (st->wc_max[st->wc_block] > s->cb_explored)
			s->cb_explored = st->wc_max[st->wc_block];
	}
	for (l = 0; l < KBPF_WC_LEVELS; l++)
		c->v[l] = wc_add(st->wc_count[l],
				 hands_up(st, l) ? st->wc_max[l] : 0);
}

/* A path from the entry (no explored ancestor left) charged c in all. */
void kbpf_worst_root(struct kbpf_verifier_env *env,
		     const struct kbpf_wc_charge *c)
{
	if (c->v[0] > env->stats.worst_insns)
		env->stats.worst_insns = c->v[0];
}

void kbpf_worst_node_begin(struct kbpf_verifier_state *node,
			   struct kbpf_verifier_state *cur)
{
	memcpy(node->wc_count, cur->wc_count, sizeof(node->wc_count));
	memset(node->wc_max, 0, sizeof(node->wc_max));
	node->wc_block = 0;
	node->wc_cb_sp = 0;
	memset(cur->wc_count, 0, sizeof(cur->wc_count));
}

/*
 * The W this pass assumes for callback subprogram sp: what the last pass
 * explored its runs to charge; in the first, its longest path over basic
 * blocks if it has no loop and calls no bpf_loop (never below a run's
 * charge, and usually what the runs charge: no second pass), else 0.
 */
static int callback_worst(struct kbpf_verifier_env *env, u32 sp, u64 *w)
{
	struct kbpf_subprog *s = &env->subprogs[sp];
	int err;

	if (!s->cb_worst_known) {
		err = kbpf_callback_worst_case(env->insns, env->insn_cnt,
					       s->start, &s->cb_worst);
		if (err)
			return err;
		if (s->cb_worst == KBPF_WORST_CASE_UNBOUNDED)
			s->cb_worst = 0;
		s->cb_worst_known = true;
	}
	*w = s->cb_worst;
	return 0;
}

struct kbpf_verifier_state *kbpf_worst_loop_node(struct kbpf_verifier_env *env,
						 u32 sp)
{
	u32 level = cb_level(env->cur);
	struct kbpf_verifier_state *node;

	/* A callback frame more than the caller's: fewer than 8 frames. */
	if (level + 1 >= KBPF_WC_LEVELS) {
		kbpf_bug("bpf_loop callback %u levels deep", level + 1);
		return NULL;
	}
	node = kbpf_path_node(env);
	if (!node)
		return NULL;
	node->wc_block = level + 1;
	node->wc_cb_sp = sp;
	return node;
}

int kbpf_worst_loop_charge(struct kbpf_verifier_env *env, u32 sp,
			   const struct kbpf_reg_state *nr_loops)
{
	struct kbpf_verifier_state *cur = env->cur;
	u32 level = cb_level(cur);
	u64 nr = nr_loops->u32_max, w;
	int err = callback_worst(env, sp, &w);

	if (err)
		return err;
	if (nr > KBPF_MAX_LOOPS)
		nr = KBPF_MAX_LOOPS;
	cur->wc_count[level] = wc_add(cur->wc_count[level], wc_mul(nr, w));
	return 0;
}

/*
 * after_node is still open: this callback path descends from it.  The
 * path after the call, verified first, has folded into it already.  The
 * run ends here: nothing more at its own level.
 */
void kbpf_worst_callback_done(struct kbpf_verifier_env *env,
			      const struct kbpf_verifier_state *after_node)
{
	u32 l;

	for (l = 0; l < KBPF_WC_LEVELS; l++)
		env->wc_tail[l] = l < after_node->wc_block ?
				  after_node->wc_max[l] : 0;
}

bool kbpf_worst_pass_again(struct kbpf_verifier_env *env)
{
	bool again = false;
	u32 i;

	for (i = 0; i < env->subprog_cnt; i++) {
		struct kbpf_subprog *s = &env->subprogs[i];

		if (s->cb_worst_known && s->cb_explored != s->cb_worst) {
			s->cb_worst = s->cb_explored;
			again = true;
		}
		s->cb_explored = 0;
	}
	return again;
}
