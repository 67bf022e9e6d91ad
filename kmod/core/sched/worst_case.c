// SPDX-License-Identifier: GPL-2.0
/*
 * Worst-case instruction count, for the deadline policy's admission.
 *
 * The program is cut into basic blocks (kbpf_block_lengths(), shared with
 * the metered interpreter so that both count alike).  The worst case of a
 * block is its length plus the worst of its successors; a block ending in
 * a bpf-to-bpf call adds the callee's worst case (its entry block) and then
 * the block after the call.  With no cycle the result is the exact longest
 * path.
 *
 * A cycle is a loop (or recursion, in a program loaded without the
 * verifier).  The verifier explored every iteration a loop can run, so
 * for a verified program the count comes from that exploration instead
 * (verifier/worst.c, which also argues why it is never too low): bounded
 * loops count as many iterations as the verifier proved they can run.
 * The same goes for a program that calls bpf_loop, whose callback runs as
 * often as its iteration argument allows.  A tail call makes the count
 * unbounded: what runs next is whatever the prog_array holds at run time.
 * An unbounded program is admitted on its budget, which the metered
 * interpreter enforces.
 *
 * The walk is an iterative depth-first post-order (no recursion on the
 * kernel stack), so it is linear in the program size.
 */
#include "worst_case.h"
#include "../prog.h"
#include "../helpers.h"

static bool is_jmp_class(u8 code)
{
	return KBPF_CLASS(code) == KBPF_JMP || KBPF_CLASS(code) == KBPF_JMP32;
}

static bool is_pseudo_call(const struct kbpf_insn *in)
{
	return in->code == (KBPF_JMP | KBPF_CALL) &&
	       in->src_reg == KBPF_PSEUDO_CALL;
}

static bool is_helper_call(const struct kbpf_insn *in)
{
	return in->code == (KBPF_JMP | KBPF_CALL) && !is_pseudo_call(in);
}

static bool is_helper_call_to(const struct kbpf_insn *in, s32 id)
{
	return is_helper_call(in) && in->imm == id;
}

/* A call whose cost the block graph cannot see: bpf_loop or a tail call. */
static bool calls_beyond_graph(const struct kbpf_insn *in)
{
	return is_helper_call_to(in, KBPF_FUNC_loop) ||
	       is_helper_call_to(in, KBPF_FUNC_tail_call);
}

static bool is_exit(const struct kbpf_insn *in)
{
	return in->code == (KBPF_JMP | KBPF_EXIT);
}

static bool is_ja(const struct kbpf_insn *in)
{
	return KBPF_OP(in->code) == KBPF_JA && is_jmp_class(in->code);
}

/* Where a jump or call at i goes; -1 for other instructions. */
static s64 branch_target(const struct kbpf_insn *in, u32 i)
{
	if (!is_jmp_class(in->code) || is_exit(in) || is_helper_call(in))
		return -1;
	if (is_pseudo_call(in))
		return (s64)i + in->imm + 1;
	if (in->code == (KBPF_JMP32 | KBPF_JA))
		return (s64)i + in->imm + 1;
	return (s64)i + in->off + 1;
}

static bool ends_block(const struct kbpf_insn *in)
{
	return is_jmp_class(in->code) && !is_helper_call(in);
}

static u32 slot_count(const struct kbpf_insn *in)
{
	return kbpf_insn_is_ld_imm64(in) ? 2 : 1;
}

void kbpf_block_lengths(const struct kbpf_insn *insns, u32 n, u32 *len)
{
	u32 i, start;

	memset(len, 0, (size_t)n * sizeof(*len));
	if (!n)
		return;
	/* Mark leaders with 1 first, then turn marks into lengths. */
	len[0] = 1;
	for (i = 0; i < n; i += slot_count(&insns[i])) {
		s64 t = branch_target(&insns[i], i);

		if (t >= 0 && t < n)
			len[t] = 1;
		if (ends_block(&insns[i]) && i + 1 < n)
			len[i + 1] = 1;
	}
	start = 0;
	for (i = 0; i < n; i += slot_count(&insns[i])) {
		if (i && len[i])
			start = i;
		if (i != start)
			len[start]++;
	}
}
KBPF_EXPORT_FOR_KUNIT(kbpf_block_lengths);

enum { UNSEEN, ACTIVE, DONE };

struct wc_walk {
	const struct kbpf_insn *insns;
	u32 n;
	u32 *len;		/* block lengths, by leader */
	u64 *worst;		/* worst case from a leader to its exit */
	u8 *state;
	u32 *stack;
	u32 depth;
	bool cycle;
	bool beyond;		/* a block reached calls bpf_loop or tail-calls */
};

static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? KBPF_WORST_CASE_UNBOUNDED : a + b;
}

/* The last instruction of the block at leader b. */
static u32 block_last(const struct wc_walk *w, u32 b)
{
	u32 i = b, last = b;

	while (i < w->n && (i == b || !w->len[i])) {
		last = i;
		i += slot_count(&w->insns[i]);
	}
	return last;
}

/*
 * Up to two blocks the worst case of b depends on: *a (jump target or
 * callee entry) and *c (fall-through or return point); -1 for none.
 */
static void block_deps(const struct wc_walk *w, u32 b, s64 *a, s64 *c)
{
	u32 last = block_last(w, b);
	const struct kbpf_insn *in = &w->insns[last];
	u32 next = last + slot_count(in);

	*a = branch_target(in, last);
	*c = next < w->n ? (s64)next : -1;
	if (is_exit(in) || is_ja(in))
		*c = -1;
	if (*a >= w->n)
		*a = -1;
}

static u64 dep_worst(const struct wc_walk *w, s64 d)
{
	return d < 0 ? 0 : w->worst[d];
}

static bool block_calls_beyond_graph(const struct wc_walk *w, u32 b, u32 last)
{
	u32 i;

	for (i = b; i <= last; i += slot_count(&w->insns[i]))
		if (calls_beyond_graph(&w->insns[i]))
			return true;
	return false;
}

/* All dependencies done: combine them. */
static void finish_block(struct wc_walk *w, u32 b)
{
	u32 last = block_last(w, b);
	s64 a, c;
	u64 wa, wc;

	if (block_calls_beyond_graph(w, b, last))
		w->beyond = true;

	block_deps(w, b, &a, &c);
	wa = dep_worst(w, a);
	wc = dep_worst(w, c);
	if (is_pseudo_call(&w->insns[last]))
		w->worst[b] = sat_add(w->len[b], sat_add(wa, wc));
	else
		w->worst[b] = sat_add(w->len[b], wa > wc ? wa : wc);
	w->state[b] = DONE;
}

/* Push d if unseen; note a cycle if it is on the current path. */
static bool visit(struct wc_walk *w, s64 d)
{
	if (d < 0 || w->state[d] == DONE)
		return false;
	if (w->state[d] == ACTIVE) {
		w->cycle = true;
		return false;
	}
	w->state[d] = ACTIVE;
	w->stack[w->depth++] = d;
	return true;
}

static void walk(struct wc_walk *w, u32 entry)
{
	visit(w, entry);
	while (w->depth && !w->cycle) {
		u32 b = w->stack[w->depth - 1];
		s64 a, c;

		block_deps(w, b, &a, &c);
		if (visit(w, a) || visit(w, c))
			continue;
		w->depth--;
		finish_block(w, b);
	}
}

/*
 * The longest path over basic blocks from entry, in *worst; unbounded if
 * a cycle is reachable.  *beyond: a reached block calls bpf_loop or
 * tail-calls, whose cost the path does not include.  0 or -ENOMEM.
 */
static int graph_worst_case(const struct kbpf_insn *insns, u32 n, u32 entry,
			    u64 *worst, bool *beyond)
{
	struct wc_walk w = { .insns = insns, .n = n };
	int err = -ENOMEM;

	*worst = KBPF_WORST_CASE_UNBOUNDED;
	*beyond = false;
	if (entry >= n)
		return 0;
	w.len = kbpf_zalloc((size_t)n * sizeof(*w.len));
	w.worst = kbpf_zalloc((size_t)n * sizeof(*w.worst));
	w.state = kbpf_zalloc(n);
	w.stack = kbpf_zalloc((size_t)n * sizeof(*w.stack));
	if (w.len && w.worst && w.state && w.stack) {
		kbpf_block_lengths(insns, n, w.len);
		/* Only a block start can be entered (verified programs). */
		if (w.len[entry]) {
			walk(&w, entry);
			if (!w.cycle)
				*worst = w.worst[entry];
			*beyond = w.beyond;
		}
		err = 0;
	}
	kbpf_free(w.stack);
	kbpf_free(w.state);
	kbpf_free(w.worst);
	kbpf_free(w.len);
	return err;
}

int kbpf_callback_worst_case(const struct kbpf_insn *insns, u32 n, u32 entry,
			     u64 *worst)
{
	bool beyond;
	int err = graph_worst_case(insns, n, entry, worst, &beyond);

	if (beyond)
		*worst = KBPF_WORST_CASE_UNBOUNDED;
	return err;
}

static bool has_tail_call(const struct kbpf_prog *prog)
{
	u32 i;

	for (i = 0; i < prog->insn_cnt; i += slot_count(&prog->insns[i]))
		if (is_helper_call_to(&prog->insns[i], KBPF_FUNC_tail_call))
			return true;
	return false;
}

int kbpf_worst_case(const struct kbpf_prog *prog, u64 *worst)
{
	bool beyond;
	int err;

	*worst = KBPF_WORST_CASE_UNBOUNDED;
	if (!prog->insn_cnt || has_tail_call(prog))
		return 0;
	err = graph_worst_case(prog->insns, prog->insn_cnt, 0, worst, &beyond);
	if (err)
		return err;
	/* Loop-free and every call seen: the longest path is exact. */
	if (*worst != KBPF_WORST_CASE_UNBOUNDED && !beyond)
		return 0;
	*worst = prog->verified ? prog->stats.worst_insns :
				  KBPF_WORST_CASE_UNBOUNDED;
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_worst_case);
