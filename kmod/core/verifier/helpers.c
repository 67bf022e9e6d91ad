// SPDX-License-Identifier: GPL-2.0
/*
 * What the verifier checks for particular helpers beyond their argument
 * types (call.c does those):
 *
 *  - trace_printk and snprintf: each format argument is classified (a
 *    number, readable memory and how many bytes of it, or another
 *    pointer) and recorded for the call site (struct kbpf_fmt_site), which
 *    the helper obeys at run time whatever the format says then.  When the
 *    format is a constant the verifier can read (bpf_printk's .rodata
 *    string), it is also checked now, so a bad conversion is refused at
 *    load with a message instead of failing each call.
 *  - tail_call: only from the main program's frame (the interpreter
 *    replaces that frame), and the prog_array is bound to this type.
 *  - loop (bpf_loop): the callback is a subprogram verified in its own
 *    frame with r1 = the iteration (a u32 below KBPF_MAX_LOOPS) and r2 =
 *    the context argument, returning 0 or 1.  It may run any number of
 *    times, so each path out of it must end in a state the state at the
 *    call already covers; otherwise the callers' stack scalars that changed
 *    are widened to unknown and the callback is verified again from there.
 *    The path after the call starts from every such entry state (zero or
 *    more iterations done), so every reachable state is verified.  It is
 *    verified before the callback's runs, whose worst-case count needs its
 *    figure (worst.c).
 *  - helpers that change packet data: every packet pointer is forgotten.
 */
#include "types.h"
#include "../helpers.h"
#include "../maps/map.h"
#include "../prog.h"

/* A caller's state saved at a bpf_loop call; freed with the env. */
struct kbpf_cb_entry {
	struct kbpf_cb_entry *next;
	struct kbpf_verifier_state *state;
};

/* Entry states kept per verification: each is a full state copy. */
#define KBPF_MAX_CB_ENTRIES	4096

/* ---- format arguments ------------------------------------------------------- */

static u32 fixed_readable(const struct kbpf_reg_state *reg, u32 size)
{
	s64 start = (s64)reg->off + (s64)reg->umax;

	if (reg->smin < 0 || reg->off < 0 || start >= size)
		return 0;
	return size - (u32)start;
}

/* Bytes a %s may read at reg, at most KBPF_FMT_STR_MAX; 0 if none. */
static u32 readable_bytes(struct kbpf_verifier_env *env,
			  const struct kbpf_reg_state *reg)
{
	u32 n;

	switch (reg->type) {
	case KBPF_REG_PTR_TO_STACK:
		return kbpf_stack_readable_bytes(env, reg, KBPF_FMT_STR_MAX);
	case KBPF_REG_PTR_TO_MAP_VALUE:
		/* A write-only value is no string for %s. */
		if (reg->map->attrs.flags & KBPF_F_WRONLY_PROG)
			return 0;
		n = fixed_readable(reg, reg->map->attrs.value_size);
		break;
	case KBPF_REG_PTR_TO_MEM:
		n = fixed_readable(reg, reg->range);
		break;
	case KBPF_REG_PTR_TO_PACKET:
		n = reg->off >= 0 && (u32)reg->off < reg->range &&
		    reg->smin >= 0 ? reg->range - (u32)reg->off : 0;
		break;
	default:
		return 0;
	}
	return n < KBPF_FMT_STR_MAX ? n : KBPF_FMT_STR_MAX;
}

static void classify(struct kbpf_verifier_env *env,
		     const struct kbpf_reg_state *reg, u8 *kind, u8 *str_max)
{
	u32 n;

	*str_max = 0;
	if (reg->type == KBPF_REG_SCALAR) {
		*kind = KBPF_FMT_SCALAR;
		return;
	}
	n = reg->type == KBPF_REG_NOT_INIT ? 0 : readable_bytes(env, reg);
	*kind = n ? KBPF_FMT_STRING : KBPF_FMT_POINTER;
	*str_max = (u8)n;
}

/* Add what this path proved to the call site: the weaker of the two. */
static int merge_site(struct kbpf_verifier_env *env,
		      const struct kbpf_fmt_site *cur)
{
	struct kbpf_prog *prog = env->prog;
	struct kbpf_fmt_site *site = NULL, *grown;
	u32 i;

	for (i = 0; i < prog->fmt_site_cnt; i++)
		if (prog->fmt_sites[i].insn == cur->insn)
			site = &prog->fmt_sites[i];
	if (!site) {
		if (prog->fmt_site_cnt >= 0x7fff)
			return kbpf_verr(env, -E2BIG, "too many format call sites\n");
		grown = kbpf_zalloc(((size_t)prog->fmt_site_cnt + 1) *
				    sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		if (prog->fmt_site_cnt)
			memcpy(grown, prog->fmt_sites,
			       prog->fmt_site_cnt * sizeof(*grown));
		kbpf_free(prog->fmt_sites);
		prog->fmt_sites = grown;
		prog->fmt_sites[prog->fmt_site_cnt++] = *cur;
		return 0;
	}
	if (cur->fmt_max < site->fmt_max)
		site->fmt_max = cur->fmt_max;
	for (i = 0; i < KBPF_FMT_MAX_ARGS; i++) {
		if (site->kind[i] != cur->kind[i])
			site->kind[i] = KBPF_FMT_POINTER;
		if (cur->str_max[i] < site->str_max[i])
			site->str_max[i] = cur->str_max[i];
	}
	return 0;
}

/*
 * The format at regno if the verifier can read it now: a constant offset
 * into the value of a single-element array map (where clang puts
 * bpf_printk's string: .rodata), as Linux requires.  The verifier does not
 * know which element a looked-up pointer is into, so with more than one
 * element the format it could read is not necessarily the one a run
 * passes.  The program pinned the values, so max_entries cannot change
 * (no resize); the contents can (kbpfctl freezes .rodata, but nothing
 * makes every creator of such a map freeze it), which is why the helpers
 * check the format again at run time against the call site's argument
 * kinds.  *len is the readable bytes from there.
 */
static const char *const_format(struct kbpf_verifier_env *env, u32 regno,
				u32 *len)
{
	const struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	u64 off, addr;

	/* Unpinned values may move (a resize) while the verifier reads them. */
	if (reg->type != KBPF_REG_PTR_TO_MAP_VALUE ||
	    !kbpf_tnum_is_const(reg->var_off) || reg->off < 0 ||
	    !kbpf_prog_pinned_values(env->prog, reg->map) ||
	    reg->map->attrs.max_entries != 1)
		return NULL;
	off = (u64)reg->off + reg->var_off.value;
	if (off >= reg->map->attrs.value_size ||
	    kbpf_map_direct_value_addr(reg->map, (u32)off, &addr))
		return NULL;
	*len = reg->map->attrs.value_size - (u32)off;
	return (const char *)(uintptr_t)addr;
}

/* Check a readable format against the arguments this path passes. */
static int check_format(struct kbpf_verifier_env *env, const char *helper,
			const char *fmt, u32 len,
			const struct kbpf_fmt_site *site, u32 nargs)
{
	struct kbpf_fmt_conv conv;
	u32 pos = 0, lit, lit_len, argi = 0;
	const char *why = "";
	int more;

	do {
		more = kbpf_fmt_next(fmt, len, &pos, &lit, &lit_len, &conv, &why);
		if (more < 0)
			return kbpf_verr(env, -EINVAL,
					 "%s: invalid format at offset %u: %s\n",
					 helper, pos, why);
		if (more <= 0 || conv.conv == '%')
			continue;
		if (argi >= nargs)
			return kbpf_verr(env, -EINVAL,
					 "%s: the format has more conversions than the %u arguments it can take\n",
					 helper, nargs);
		if (conv.conv == 's' && site->kind[argi] != KBPF_FMT_STRING)
			return kbpf_verr(env, -EACCES,
					 "%s: argument %u for %%s must point to initialised memory the program may read\n",
					 helper, argi + 1);
		if (conv.conv != 's' && conv.conv != 'p' &&
		    site->kind[argi] != KBPF_FMT_SCALAR)
			return kbpf_verr(env, -EACCES,
					 "%s: argument %u of %%%c is %s: only %%p prints a pointer (hashed)\n",
					 helper, argi + 1, conv.conv,
					 site->str_max[argi] || site->kind[argi] ==
					 KBPF_FMT_STRING ? "a pointer" :
					 "a pointer or unset");
		argi++;
	} while (more > 0);
	return 0;
}

static bool has_nul(const char *s, u32 len)
{
	return len && memchr(s, '\0', len);
}

static int check_trace_printk(struct kbpf_verifier_env *env)
{
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct kbpf_fmt_site site = { .insn = env->insn_idx };
	const char *fmt;
	u32 i, len = 0;
	int err;

	for (i = 0; i < 3; i++)
		classify(env, &regs[KBPF_REG_3 + i], &site.kind[i],
			 &site.str_max[i]);
	for (; i < KBPF_FMT_MAX_ARGS; i++)
		site.kind[i] = KBPF_FMT_POINTER;
	fmt = const_format(env, KBPF_REG_1, &len);
	if (len > regs[KBPF_REG_2].umin)
		len = (u32)regs[KBPF_REG_2].umin;
	if (fmt && has_nul(fmt, len)) {
		err = check_format(env, "trace_printk", fmt, len, &site, 3);
		if (err)
			return err;
	}
	return merge_site(env, &site);
}

/* snprintf's arguments come from a u64 array no pointer can be in. */
static int check_snprintf(struct kbpf_verifier_env *env)
{
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct kbpf_reg_state *data_len = &regs[KBPF_REG_5];
	struct kbpf_fmt_site site = { .insn = env->insn_idx };
	const char *fmt;
	u32 len = 0, nargs;
	int err;

	if (!kbpf_reg_is_const(data_len) || data_len->var_off.value % 8 ||
	    data_len->var_off.value > KBPF_FMT_MAX_ARGS * 8)
		return kbpf_verr_regs(env, -EINVAL, KBPF_REGMASK(KBPF_REG_5),
				      "snprintf: data_len must be a constant multiple of 8, at most %u\n",
				      KBPF_FMT_MAX_ARGS * 8);
	nargs = (u32)(data_len->var_off.value / 8);
	fmt = const_format(env, KBPF_REG_3, &len);
	if (!fmt || !has_nul(fmt, len))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_3),
				      "snprintf: the format must be a NUL-terminated constant in the value of a single-element array map (.rodata)\n");
	site.fmt_max = len;
	/* The data array held no pointer (checked as helper memory). */
	memset(site.kind, KBPF_FMT_SCALAR, sizeof(site.kind));
	err = check_format(env, "snprintf", fmt, len, &site, nargs);
	if (err)
		return err;
	return merge_site(env, &site);
}

static int check_tail_call(struct kbpf_verifier_env *env)
{
	struct kbpf_map *map = kbpf_cur_regs(env)[KBPF_REG_2].map;

	if (env->cur->curframe)
		return kbpf_verr(env, -EINVAL,
				 "tail_call is allowed only in the main program, not in a subprogram or callback\n");
	if (kbpf_prog_array_bind_type(map, env->prog->type))
		return kbpf_verr(env, -EINVAL,
				 "the prog_array holds programs of another type than %s\n",
				 env->type_info->name);
	return 0;
}

int kbpf_check_helper_rules(struct kbpf_verifier_env *env,
			    const struct kbpf_helper *h,
			    const struct kbpf_insn *insn)
{
	switch (insn->imm) {
	case KBPF_FUNC_trace_printk:
		return check_trace_printk(env);
	case KBPF_FUNC_snprintf:
		return check_snprintf(env);
	case KBPF_FUNC_tail_call:
		return check_tail_call(env);
	default:
		return 0;
	}
}

/* ---- packet pointers after a packet write --------------------------------- */

static bool is_packet_ptr(const struct kbpf_reg_state *reg)
{
	return reg->type == KBPF_REG_PTR_TO_PACKET ||
	       reg->type == KBPF_REG_PTR_TO_PACKET_END;
}

static bool spills_packet_ptr(const struct kbpf_stack_slot *slot)
{
	return slot && slot->bytes[0] == KBPF_STACK_SPILL &&
	       is_packet_ptr(&slot->spilled);
}

int kbpf_forget_packet_pointers(struct kbpf_verifier_env *env)
{
	struct kbpf_verifier_state *st = env->cur;
	struct kbpf_stack_slot *slot;
	u32 i, r, s;

	for (i = 0; i <= st->curframe; i++) {
		struct kbpf_func_state *f = st->frame[i];

		for (r = 0; r < KBPF_REG_COUNT; r++)
			if (is_packet_ptr(&f->regs[r]))
				kbpf_mark_reg_not_init(&f->regs[r]);
		for (s = 0; s < KBPF_STACK_SLOTS; s++) {
			if (!spills_packet_ptr(kbpf_stack_slot_get(f, s)))
				continue;
			slot = kbpf_stack_slot_mut(env, f, s);
			if (!slot)
				return -ENOMEM;
			memset(slot->bytes, KBPF_STACK_INVALID, sizeof(slot->bytes));
			kbpf_mark_reg_not_init(&slot->spilled);
		}
	}
	return 0;
}

/* ---- bpf_loop callbacks ------------------------------------------------------ */

static struct kbpf_verifier_state *save_cb_entry(struct kbpf_verifier_env *env)
{
	struct kbpf_cb_entry *e;

	if (env->cb_entry_cnt >= KBPF_MAX_CB_ENTRIES) {
		kbpf_verr(env, -E2BIG,
			  "too many bpf_loop calls to verify (more than %u paths reach them)\n",
			  KBPF_MAX_CB_ENTRIES);
		return NULL;
	}
	e = kbpf_vzalloc(env, sizeof(*e));
	if (!e)
		return NULL;
	e->state = kbpf_state_dup(env, env->cur);
	if (!e->state) {
		kbpf_vfree(env, e, sizeof(*e));
		return NULL;
	}
	e->state->insn_idx = env->insn_idx;
	e->next = env->cb_entries;
	env->cb_entries = e;
	env->cb_entry_cnt++;
	return e->state;
}

void kbpf_free_cb_entries(struct kbpf_verifier_env *env)
{
	while (env->cb_entries) {
		struct kbpf_cb_entry *e = env->cb_entries;

		env->cb_entries = e->next;
		kbpf_state_free(env, e->state);
		kbpf_vfree(env, e, sizeof(*e));
	}
	env->cb_entry_cnt = 0;
}

static void clobber_call_regs(struct kbpf_reg_state *regs)
{
	u32 i;

	for (i = KBPF_REG_1; i <= KBPF_REG_5; i++)
		kbpf_mark_reg_not_init(&regs[i]);
	kbpf_mark_reg_unknown(&regs[KBPF_REG_0]);
}

static void mark_loop_index(struct kbpf_reg_state *reg)
{
	kbpf_mark_reg_unknown(reg);
	reg->umin = 0;
	reg->umax = KBPF_MAX_LOOPS - 1;
	reg->smin = 0;
	reg->smax = KBPF_MAX_LOOPS - 1;
	reg->var_off = kbpf_tnum_range(0, KBPF_MAX_LOOPS - 1);
	kbpf_reg_bounds_sync(reg);
}

/*
 * The first run of the callback, verified after the path below: its own
 * frame on a copy of the caller's state at the call, resuming at target.
 */
static int push_callback_run(struct kbpf_verifier_env *env, u32 target,
			     u32 sp, struct kbpf_verifier_state *entry,
			     struct kbpf_verifier_state *after_node)
{
	struct kbpf_verifier_state *st;
	struct kbpf_func_state *callee;
	int err = kbpf_push_branch(env, target, env->insn_idx, &st);

	if (err)
		return err;
	callee = kbpf_frame_alloc(env, st->curframe + 1, sp, env->insn_idx);
	if (!callee)
		return -ENOMEM;
	mark_loop_index(&callee->regs[KBPF_REG_1]);
	callee->regs[KBPF_REG_2] = st->frame[st->curframe]->regs[KBPF_REG_3];
	kbpf_mark_reg_known(&callee->regs[KBPF_REG_FP], 0);
	callee->regs[KBPF_REG_FP].type = KBPF_REG_PTR_TO_STACK;
	callee->regs[KBPF_REG_FP].frameno = callee->frameno;
	callee->cb_entry = entry;
	callee->wc_after = after_node;
	kbpf_frame_free(env, st->frame[st->curframe + 1]);
	st->frame[st->curframe + 1] = callee;
	st->curframe++;
	return 0;
}

int kbpf_check_loop_call(struct kbpf_verifier_env *env,
			 const struct kbpf_insn *insn, u32 *next_idx)
{
	struct kbpf_verifier_state *st = env->cur, *entry, *after_node;
	struct kbpf_func_state *caller = kbpf_cur_frame(env);
	u32 target = (u32)caller->regs[KBPF_REG_2].off;
	int sp = kbpf_find_subprog(env, target);
	int err;

	if (sp < 0 || env->subprogs[sp].start != target) {
		kbpf_bug("callback %u is not a subprogram", target);
		return -EFAULT;
	}
	if (st->curframe + 1 >= KBPF_MAX_CALL_FRAMES)
		return kbpf_verr(env, -E2BIG,
				 "the call stack of %u frames is too deep for the callback\n",
				 st->curframe + 2);
	entry = save_cb_entry(env);
	if (!entry)
		return env->error_logged ? -E2BIG : -ENOMEM;
	after_node = kbpf_worst_loop_node(env, (u32)sp);
	if (!after_node)
		return -ENOMEM;
	err = push_callback_run(env, target, (u32)sp, entry, after_node);
	if (err)
		return err;
	/*
	 * This path: zero or more iterations done, after the call, charged
	 * for every run the call may make (worst.c).
	 */
	err = kbpf_worst_loop_charge(env, (u32)sp, &caller->regs[KBPF_REG_1]);
	if (err)
		return err;
	clobber_call_regs(caller->regs);
	*next_idx = env->insn_idx + 1;
	return 0;
}

static bool scalar_within(const struct kbpf_reg_state *old,
			  const struct kbpf_reg_state *cur)
{
	return old->umin <= cur->umin && old->umax >= cur->umax &&
	       old->smin <= cur->smin && old->smax >= cur->smax &&
	       kbpf_tnum_in(old->var_off, cur->var_off) &&
	       old->id == cur->id;
}

static bool spills_scalar(const struct kbpf_stack_slot *slot)
{
	return slot && slot->bytes[0] == KBPF_STACK_SPILL &&
	       slot->spilled.type == KBPF_REG_SCALAR;
}

/* Spilled scalars the callback changed beyond the entry's: unknown now. */
static int widen_stack(struct kbpf_verifier_env *env,
		       const struct kbpf_verifier_state *entry,
		       struct kbpf_verifier_state *cur)
{
	struct kbpf_stack_slot *slot;
	u32 i, s;

	for (i = 0; i <= cur->curframe; i++) {
		const struct kbpf_func_state *fo = entry->frame[i];
		struct kbpf_func_state *fc = cur->frame[i];

		for (s = 0; s < KBPF_STACK_SLOTS; s++) {
			const struct kbpf_stack_slot *o = kbpf_stack_slot_get(fo, s);
			const struct kbpf_stack_slot *c = kbpf_stack_slot_get(fc, s);

			if (!spills_scalar(o) || !spills_scalar(c) ||
			    scalar_within(&o->spilled, &c->spilled))
				continue;
			slot = kbpf_stack_slot_mut(env, fc, s);
			if (!slot)
				return -ENOMEM;
			kbpf_mark_reg_unknown(&slot->spilled);
		}
	}
	return 0;
}

int kbpf_check_callback_exit(struct kbpf_verifier_env *env, u32 *next_idx)
{
	struct kbpf_verifier_state *st = env->cur;
	struct kbpf_func_state *callee = kbpf_cur_frame(env);
	struct kbpf_verifier_state *entry = callee->cb_entry;
	struct kbpf_verifier_state *after_node = callee->wc_after;
	struct kbpf_reg_state *r0 = &callee->regs[KBPF_REG_0];
	u32 callsite = callee->callsite;
	int err;

	if (r0->type != KBPF_REG_SCALAR || r0->smin < 0 || r0->smax > 1)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "At callback return the register R0 should be 0 (continue) or 1 (stop)\n");
	kbpf_frame_free(env, callee);
	st->frame[st->curframe] = NULL;
	st->curframe--;
	/* Another iteration from here is one the entry state covers. */
	if (kbpf_state_covers(env, entry, st)) {
		kbpf_worst_callback_done(env, after_node);
		return 1;
	}
	err = widen_stack(env, entry, st);
	if (err)
		return err;
	kbpf_verbose(env, "callback changed its caller's state: verifying it again from insn %u\n",
		     callsite);
	*next_idx = callsite;
	env->cb_reentry = true;
	return 0;
}
