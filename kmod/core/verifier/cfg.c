// SPDX-License-Identifier: GPL-2.0
/*
 * Control-flow checks, before any abstract interpretation.
 *
 * 1. Subprograms: every pseudo call's target starts one; the main program
 *    starts at 0.  Each ends where the next begins, and its last insn must be
 *    an exit or an unconditional jump, so control never falls from one into
 *    the next or off the end of the program.
 * 2. Jumps: every target lies inside the jumping insn's subprogram and is
 *    not the second slot of a 64-bit immediate load.
 * 3. Reachability: an iterative depth-first search from insn 0 following
 *    jumps, fall-throughs and call edges must reach every insn.  Back edges
 *    (loops) are allowed here; do_check later proves each loop terminates.
 *    Jump targets and branch successors become pruning points.
 * 4. Liveness: for each insn, the registers some path from it reads before
 *    writing.  Pruning ignores the others: their values cannot matter.
 * 5. Call graph: no recursion and at most KBPF_MAX_CALL_FRAMES frames on any
 *    chain of calls.  After do_check the same walk sums the frames' stack
 *    use along each chain.
 */
#include "types.h"

bool kbpf_is_ldimm64(const struct kbpf_insn *insn)
{
	return insn->code == (KBPF_LD | KBPF_IMM | KBPF_DW);
}

static bool is_pseudo_call(const struct kbpf_insn *insn)
{
	return insn->code == (KBPF_JMP | KBPF_CALL) &&
	       insn->src_reg == KBPF_PSEUDO_CALL;
}

/* ld_imm64 of a callback's address (bpf_loop): an edge to a subprogram. */
static bool is_func_load(const struct kbpf_insn *insn)
{
	return kbpf_is_ldimm64(insn) && insn->src_reg == KBPF_PSEUDO_FUNC;
}

/* The edges of the call graph: pseudo calls and callback loads. */
static bool is_call_edge(const struct kbpf_insn *insn)
{
	return is_pseudo_call(insn) || is_func_load(insn);
}

static bool is_jmp_class(const struct kbpf_insn *insn)
{
	u8 cls = KBPF_CLASS(insn->code);

	return cls == KBPF_JMP || cls == KBPF_JMP32;
}

/* Target of a jump or pseudo call (gotol and calls take it from imm). */
static s64 jump_target(const struct kbpf_insn *insn, u32 idx)
{
	if (insn->code == (KBPF_JMP32 | KBPF_JA) ||
	    insn->code == (KBPF_JMP | KBPF_CALL) || is_func_load(insn))
		return (s64)idx + insn->imm + 1;
	return (s64)idx + insn->off + 1;
}

int kbpf_find_subprog(const struct kbpf_verifier_env *env, u32 insn)
{
	u32 i;

	for (i = 0; i < env->subprog_cnt; i++)
		if (insn >= env->subprogs[i].start && insn < env->subprogs[i].end)
			return i;
	return -1;
}

static int add_subprog(struct kbpf_verifier_env *env, u32 start)
{
	u32 i, pos;

	for (pos = 0; pos < env->subprog_cnt; pos++) {
		if (env->subprogs[pos].start == start)
			return 0;
		if (env->subprogs[pos].start > start)
			break;
	}
	if (env->subprog_cnt >= KBPF_MAX_SUBPROGS)
		return kbpf_verr(env, -E2BIG, "too many subprograms\n");
	for (i = env->subprog_cnt; i > pos; i--)
		env->subprogs[i] = env->subprogs[i - 1];
	env->subprogs[pos].start = start;
	env->subprogs[pos].stack_depth = 0;
	env->subprog_cnt++;
	return 0;
}

static int mark_ldimm64_slots(struct kbpf_verifier_env *env)
{
	u32 i;

	for (i = 0; i < env->insn_cnt; i++) {
		if (!kbpf_is_ldimm64(&env->insns[i]))
			continue;
		if (i + 1 >= env->insn_cnt) {
			env->insn_idx = i;
			return kbpf_verr(env, -EINVAL,
					 "invalid ld_imm64: missing second slot\n");
		}
		env->insn_flags[++i] |= KBPF_INSN_SECOND_SLOT;
	}
	return 0;
}

static int check_target(struct kbpf_verifier_env *env, u32 idx, s64 t)
{
	env->insn_idx = idx;
	if (t < 0 || t >= env->insn_cnt)
		return kbpf_verr(env, -EINVAL, "jump out of range from insn %u to %lld\n",
				 idx, (long long)t);
	if (env->insn_flags[t] & KBPF_INSN_SECOND_SLOT)
		return kbpf_verr(env, -EINVAL,
				 "jump into the middle of ld_imm64 insn %lld\n",
				 (long long)t - 1);
	return 0;
}

static int find_subprogs(struct kbpf_verifier_env *env)
{
	u32 i;
	int err;

	env->subprog_cnt = 0;
	err = add_subprog(env, 0);
	if (err)
		return err;
	for (i = 0; i < env->insn_cnt; i++) {
		const struct kbpf_insn *insn = &env->insns[i];

		if (!is_call_edge(insn))
			continue;
		err = check_target(env, i, jump_target(insn, i));
		if (err)
			return err;
		err = add_subprog(env, (u32)jump_target(insn, i));
		if (err)
			return err;
	}
	for (i = 0; i < env->subprog_cnt; i++)
		env->subprogs[i].end = i + 1 < env->subprog_cnt ?
				       env->subprogs[i + 1].start : env->insn_cnt;
	env->subprogs[env->subprog_cnt].start = env->insn_cnt;
	return 0;
}

/* Jumps stay in their subprogram; each subprogram ends in exit or goto. */
static int check_subprog_bounds(struct kbpf_verifier_env *env)
{
	u32 s, i;
	int err;

	for (s = 0; s < env->subprog_cnt; s++) {
		const struct kbpf_subprog *sp = &env->subprogs[s];
		const struct kbpf_insn *last;
		u32 last_idx = sp->end - 1;

		for (i = sp->start; i < sp->end; i++) {
			const struct kbpf_insn *insn = &env->insns[i];
			u8 op = KBPF_OP(insn->code);
			s64 t;

			if (!is_jmp_class(insn) || op == KBPF_CALL ||
			    op == KBPF_EXIT)
				continue;
			t = jump_target(insn, i);
			err = check_target(env, i, t);
			if (err)
				return err;
			if (t < sp->start || t >= sp->end)
				return kbpf_verr(env, -EINVAL,
						 "jump out of subprogram from insn %u to %lld\n",
						 i, (long long)t);
		}
		if (env->insn_flags[last_idx] & KBPF_INSN_SECOND_SLOT)
			last_idx--;
		last = &env->insns[last_idx];
		if (last->code != (KBPF_JMP | KBPF_EXIT) &&
		    last->code != (KBPF_JMP | KBPF_JA) &&
		    last->code != (KBPF_JMP32 | KBPF_JA)) {
			env->insn_idx = last_idx;
			return kbpf_verr(env, -EINVAL,
					 "last insn of %s is not an exit or jump: control falls off its end\n",
					 s + 1 < env->subprog_cnt ? "a subprogram" :
					 "the program");
		}
	}
	return 0;
}

/* DFS colours. */
enum { CFG_UNSEEN, CFG_DISCOVERED, CFG_EXPLORED };

struct cfg_walk {
	u8 *state;
	u32 *stack;
	u8 *next_edge;
	u32 top;
};

/* Successors of insn i, in order; returns how many. */
static u32 insn_successors(struct kbpf_verifier_env *env, u32 i, u32 succ[2])
{
	const struct kbpf_insn *insn = &env->insns[i];
	u8 op = KBPF_OP(insn->code);

	if (kbpf_is_ldimm64(insn)) {
		succ[0] = i + 2;
		if (!is_func_load(insn))
			return 1;
		/* The callback runs from the helper that gets its address. */
		succ[1] = (u32)jump_target(insn, i);
		return 2;
	}
	if (!is_jmp_class(insn)) {
		succ[0] = i + 1;
		return 1;
	}
	if (op == KBPF_EXIT)
		return 0;
	if (op == KBPF_CALL) {
		succ[0] = i + 1;
		if (!is_pseudo_call(insn))
			return 1;
		succ[1] = (u32)jump_target(insn, i);
		return 2;
	}
	if (op == KBPF_JA) {
		succ[0] = (u32)jump_target(insn, i);
		return 1;
	}
	succ[0] = i + 1;
	succ[1] = (u32)jump_target(insn, i);
	return 2;
}

static void mark_prune_points(struct kbpf_verifier_env *env, u32 i)
{
	const struct kbpf_insn *insn = &env->insns[i];
	u8 op = KBPF_OP(insn->code);

	if (!is_jmp_class(insn) || op == KBPF_EXIT || op == KBPF_CALL)
		return;
	env->insn_flags[(u32)jump_target(insn, i)] |= KBPF_INSN_PRUNE_POINT;
	if (op != KBPF_JA)
		env->insn_flags[i + 1] |= KBPF_INSN_PRUNE_POINT;
}

static int cfg_dfs(struct kbpf_verifier_env *env, struct cfg_walk *w)
{
	u32 succ[2];

	w->stack[w->top++] = 0;
	w->state[0] = CFG_DISCOVERED;
	while (w->top) {
		u32 i = w->stack[w->top - 1];
		u32 n = insn_successors(env, i, succ);
		u32 e = w->next_edge[i];

		if (e >= n) {
			w->state[i] = CFG_EXPLORED;
			w->top--;
			continue;
		}
		w->next_edge[i]++;
		if (succ[e] >= env->insn_cnt) {
			env->insn_idx = i;
			return kbpf_verr(env, -EINVAL,
					 "control falls off the end of the program\n");
		}
		if (w->state[succ[e]] == CFG_UNSEEN) {
			w->state[succ[e]] = CFG_DISCOVERED;
			w->stack[w->top++] = succ[e];
		} else if (w->state[succ[e]] == CFG_DISCOVERED) {
			/* A loop: keep a state at its head to detect it. */
			env->insn_flags[succ[e]] |= KBPF_INSN_PRUNE_POINT;
		}
	}
	return 0;
}

static int check_reachable(struct kbpf_verifier_env *env, const u8 *state)
{
	u32 i;

	for (i = 0; i < env->insn_cnt; i++) {
		if (state[i] != CFG_UNSEEN ||
		    (env->insn_flags[i] & KBPF_INSN_SECOND_SLOT))
			continue;
		env->insn_idx = i;
		return kbpf_verr(env, -EINVAL, "unreachable insn %u\n", i);
	}
	return 0;
}

/*
 * Walk the call graph depth-first without recursion.  Fails on a recursive
 * call or a chain deeper than KBPF_MAX_CALL_FRAMES; with sum_stack, also
 * finds the deepest stack use along any chain.
 */
static int walk_call_graph(struct kbpf_verifier_env *env, u32 *max_stack)
{
	u32 frame_sp[KBPF_MAX_CALL_FRAMES + 1];
	u32 frame_pc[KBPF_MAX_CALL_FRAMES + 1];
	u32 depth = 0, stack = 0, best = 0;

	frame_sp[0] = 0;
	frame_pc[0] = 0;
	stack = env->subprogs[0].stack_depth;
	best = stack;
	for (;;) {
		u32 sp = frame_sp[depth], pc = frame_pc[depth];
		const struct kbpf_subprog *s = &env->subprogs[sp];
		int callee = -1;
		u32 d;

		for (; pc < s->end; pc++) {
			if (!is_call_edge(&env->insns[pc]))
				continue;
			callee = kbpf_find_subprog(env,
						   (u32)jump_target(&env->insns[pc], pc));
			pc++;
			break;
		}
		frame_pc[depth] = pc;
		if (callee < 0) {
			if (!depth)
				break;
			stack -= env->subprogs[sp].stack_depth;
			depth--;
			continue;
		}
		for (d = 0; d <= depth; d++) {
			if (frame_sp[d] == (u32)callee) {
				env->insn_idx = pc - 1;
				return kbpf_verr(env, -EINVAL,
						 "recursive call from insn %u\n",
						 pc - 1);
			}
		}
		if (depth + 1 >= KBPF_MAX_CALL_FRAMES) {
			env->insn_idx = pc - 1;
			return kbpf_verr(env, -E2BIG,
					 "the call stack of %u frames is too deep\n",
					 depth + 2);
		}
		depth++;
		frame_sp[depth] = callee;
		frame_pc[depth] = env->subprogs[callee].start;
		stack += env->subprogs[callee].stack_depth;
		if (stack > best)
			best = stack;
	}
	if (max_stack)
		*max_stack = best;
	return 0;
}

#define REGS(lo, hi)	((u16)(((1U << ((hi) + 1)) - 1) & ~((1U << (lo)) - 1)))

/* Registers insn reads (*use) and writes (*def). */
static void insn_use_def(const struct kbpf_insn *insn, u16 *use, u16 *def)
{
	u8 cls = KBPF_CLASS(insn->code), op = KBPF_OP(insn->code);
	u16 dst = 1U << insn->dst_reg, src = 1U << insn->src_reg;

	*use = 0;
	*def = 0;
	switch (cls) {
	case KBPF_ALU:
	case KBPF_ALU64:
		*use = op == KBPF_MOV ? 0 : dst;
		if (KBPF_SRC(insn->code) == KBPF_X && op != KBPF_END &&
		    op != KBPF_NEG)
			*use |= src;
		*def = dst;
		break;
	case KBPF_LDX:
		*use = src;
		*def = dst;
		break;
	case KBPF_ST:
		*use = dst;
		break;
	case KBPF_STX:
		*use = dst | src;
		if (KBPF_MODE(insn->code) == KBPF_ATOMIC) {
			if (insn->imm == KBPF_CMPXCHG) {
				*use |= 1U;
				*def = 1U;
			} else if (insn->imm & KBPF_FETCH) {
				*def = src;
			}
		}
		break;
	case KBPF_LD:
		*def = dst;
		break;
	default:
		if (op == KBPF_CALL) {
			*use = REGS(1, 5);
			*def = REGS(0, 5);
		} else if (op == KBPF_EXIT) {
			*use = 1U;
		} else if (op != KBPF_JA) {
			*use = dst;
			if (KBPF_SRC(insn->code) == KBPF_X)
				*use |= src;
		}
		break;
	}
}

/*
 * Backward dataflow to a fixed point: live_in = use | (live_out & ~def),
 * live_out = union of the successors' live_in.  Pseudo calls are treated
 * as reading r1-r5; the callee's body is its own region.
 */
int kbpf_compute_liveness(struct kbpf_verifier_env *env)
{
	bool changed = true;
	u32 succ[2], passes = 0;

	env->live_regs = kbpf_vzalloc(env, (size_t)env->insn_cnt *
				      sizeof(*env->live_regs));
	if (!env->live_regs)
		return -ENOMEM;
	while (changed && passes++ < 1000) {
		u32 i = env->insn_cnt;

		changed = false;
		while (i--) {
			u16 use, def, out = 0, in;
			u32 n, k;

			if (env->insn_flags[i] & KBPF_INSN_SECOND_SLOT)
				continue;
			insn_use_def(&env->insns[i], &use, &def);
			n = insn_successors(env, i, succ);
			for (k = 0; k < n; k++)
				if (!(is_call_edge(&env->insns[i]) && k == 1) &&
				    succ[k] < env->insn_cnt)
					out |= env->live_regs[succ[k]];
			in = use | (out & ~def);
			if (in != env->live_regs[i]) {
				env->live_regs[i] = in;
				changed = true;
			}
		}
	}
	if (changed) {
		/* Not converged (cannot happen): treat everything as live. */
		u32 i;

		for (i = 0; i < env->insn_cnt; i++)
			env->live_regs[i] = REGS(0, 10);
	}
	return 0;
}

int kbpf_check_stack_depth(struct kbpf_verifier_env *env)
{
	u32 total = 0;
	int err = walk_call_graph(env, &total);

	if (err)
		return err;
	if (total > KBPF_STACK_SIZE) {
		env->insn_idx = 0;
		return kbpf_verr(env, -EACCES,
				 "combined stack size of calls is %u, more than %u\n",
				 total, KBPF_STACK_SIZE);
	}
	env->prog->stack_depth = total;
	return 0;
}

int kbpf_verifier_check_cfg(struct kbpf_verifier_env *env)
{
	struct cfg_walk w = { 0 };
	int err;

	if (!env->insn_cnt)
		return kbpf_verr(env, -EINVAL, "empty program\n");
	err = mark_ldimm64_slots(env);
	if (!err)
		err = find_subprogs(env);
	if (!err)
		err = check_subprog_bounds(env);
	if (err)
		return err;

	w.state = kbpf_vzalloc(env, env->insn_cnt);
	w.next_edge = kbpf_vzalloc(env, env->insn_cnt);
	w.stack = kbpf_vzalloc(env, (size_t)env->insn_cnt * sizeof(*w.stack));
	if (!w.state || !w.next_edge || !w.stack) {
		err = -ENOMEM;
		goto out;
	}
	err = cfg_dfs(env, &w);
	if (!err)
		err = check_reachable(env, w.state);
	if (!err) {
		u32 i;

		for (i = 0; i < env->insn_cnt; i++)
			if (!(env->insn_flags[i] & KBPF_INSN_SECOND_SLOT))
				mark_prune_points(env, i);
		err = walk_call_graph(env, NULL);
	}
	if (!err)
		err = kbpf_compute_liveness(env);
out:
	kbpf_vfree(env, w.state, env->insn_cnt);
	kbpf_vfree(env, w.next_edge, env->insn_cnt);
	kbpf_vfree(env, w.stack, (size_t)env->insn_cnt * sizeof(*w.stack));
	return err;
}
