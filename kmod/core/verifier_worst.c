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
 * Paths and explored states.  do_check() explores every path of abstract
 * states; each path descends from the last explored state it passed
 * (state->parent).  A path carries what it charged since that state
 * (wc_count); an explored state keeps what its path charged from its own
 * parent to it (its wc_count, frozen) and the most any continuation
 * charged from it on (wc_max).  When a path ends, its charge plus, if it
 * was pruned, the pruning state's wc_max is folded into its parent's
 * wc_max; a state whose last path ends folds wc_count + wc_max into its
 * own parent, up to the root, whose maximum is the program's count
 * (stats.worst_insns).
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
 * account for.  Paths inside a bpf_loop callback charge nothing; the runs
 * of the callback are charged where the verifier continues after the call:
 *
 * bpf_loop.  The path after a bpf_loop call starts from each state the
 * callback can leave its caller in (helpers_verify.c) and is charged
 * nr x W up front: nr the largest iteration count the call can get (the
 * unsigned 32-bit maximum of r1, at most KBPF_MAX_LOOPS, which the helper
 * enforces), W the most one callback run charges: its longest path over
 * basic blocks (kbpf_callback_worst_case()), unbounded if the callback
 * loops, calls bpf_loop itself or tail-calls.  That path and the callback
 * paths both descend from a node made at the call (kbpf_path_node()), and
 * the path after the call is verified first, so when a callback run ends
 * in a state its entry covers, the node's wc_max already holds the most
 * the rest of the loop and everything after it can charge: that is the
 * callback path's tail.  It has to be: a path of another caller state can
 * be pruned inside the callback against this one, and then this tail is
 * all that accounts for its remaining iterations and its continuation
 * (its own path after the call started from its own, narrower, state).
 * Tail calls make the whole program unbounded in sched/worst_case.c: the
 * target is only known at run time.
 */
#include "verifier_types.h"
#include "helpers.h"
#include "sched/worst_case.h"

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

/*
 * The current path is about to process env->insn_idx.  Inside a bpf_loop
 * callback nothing is charged: the path after the call pays for every
 * iteration (kbpf_worst_loop_call()), and a callback path that goes round
 * again from the call site would otherwise count one iteration twice.
 */
void kbpf_worst_charge(struct kbpf_verifier_env *env)
{
	if (kbpf_in_callback(env->cur))
		return;
	env->cur->wc_count = wc_add(env->cur->wc_count,
				    env->block_len[env->insn_idx]);
}

/* What the path that just ended charged, the pruning state's part included. */
u64 kbpf_worst_path_end(struct kbpf_verifier_env *env)
{
	u64 v = wc_add(env->cur->wc_count, env->wc_tail);

	env->wc_tail = 0;
	return v;
}

/*
 * A continuation of st charged v from st on.  Returns what st's own path
 * charged from its parent on through this continuation, for when st is
 * complete and folds into its parent.
 */
u64 kbpf_worst_fold(struct kbpf_verifier_state *st, u64 v)
{
	if (v > st->wc_max)
		st->wc_max = v;
	return wc_add(st->wc_count, st->wc_max);
}

/* A path from the entry (no explored ancestor left) charged v in all. */
void kbpf_worst_root(struct kbpf_verifier_env *env, u64 v)
{
	if (v > env->stats.worst_insns)
		env->stats.worst_insns = v;
}

/* The most one run of callback subprogram sp charges, cached. */
static int callback_worst(struct kbpf_verifier_env *env, u32 sp, u64 *w)
{
	struct kbpf_subprog *s = &env->subprogs[sp];
	int err;

	if (!s->cb_worst_known) {
		err = kbpf_callback_worst_case(env->insns, env->insn_cnt,
					       s->start, &s->cb_worst);
		if (err)
			return err;
		s->cb_worst_known = true;
	}
	*w = s->cb_worst;
	return 0;
}

struct kbpf_verifier_state *kbpf_worst_loop_node(struct kbpf_verifier_env *env)
{
	return kbpf_path_node(env);
}

int kbpf_worst_loop_charge(struct kbpf_verifier_env *env, u32 sp,
			   const struct kbpf_reg_state *nr_loops)
{
	u64 nr = nr_loops->u32_max, w;
	int err = callback_worst(env, sp, &w);

	if (err)
		return err;
	if (nr > KBPF_MAX_LOOPS)
		nr = KBPF_MAX_LOOPS;
	env->cur->wc_count = wc_add(env->cur->wc_count, wc_mul(nr, w));
	return 0;
}

/*
 * after_node is still open: this callback path descends from it.  The
 * path after the call, verified first, has folded into it already.
 */
void kbpf_worst_callback_done(struct kbpf_verifier_env *env,
			      const struct kbpf_verifier_state *after_node)
{
	env->wc_tail = after_node->wc_max;
}
