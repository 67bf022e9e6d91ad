// SPDX-License-Identifier: GPL-2.0
/*
 * References a program must give back: a helper with an ALLOC_MEM_OR_NULL
 * result (ringbuf_reserve) acquires one per call, and the registers holding
 * the result carry its id (ref_obj_id).  A null check that proves the
 * result NULL drops it -- nothing was reserved.  A helper with an ALLOC_MEM
 * argument (ringbuf_submit, ringbuf_discard) releases it, and every copy
 * of the pointer, in registers or spilled, becomes unreadable: using the
 * record after its submit, or submitting it twice, is refused.  A path that
 * reaches the program's exit with a reference held is refused too.
 *
 * References belong to the path (struct kbpf_verifier_state), not to a
 * frame, so a subprogram may release what its caller reserved.  Pruning
 * compares them through the same id map as the registers.
 */
#include "types.h"

u32 kbpf_acquire_ref(struct kbpf_verifier_env *env)
{
	struct kbpf_verifier_state *st = env->cur;
	u32 id;

	if (st->ref_cnt >= KBPF_MAX_REFS)
		return 0;
	id = kbpf_new_id(env);
	st->refs[st->ref_cnt].id = id;
	st->refs[st->ref_cnt].insn_idx = env->insn_idx;
	st->ref_cnt++;
	return id;
}

static bool remove_ref(struct kbpf_verifier_state *st, u32 id)
{
	u32 i;

	for (i = 0; i < st->ref_cnt; i++) {
		if (st->refs[i].id != id)
			continue;
		st->refs[i] = st->refs[--st->ref_cnt];
		return true;
	}
	return false;
}

void kbpf_drop_ref(struct kbpf_verifier_state *st, u32 id)
{
	remove_ref(st, id);
}

static int invalidate_holders(struct kbpf_verifier_env *env, u32 id)
{
	struct kbpf_verifier_state *st = env->cur;
	u32 f, i;

	for (f = 0; f <= st->curframe; f++) {
		struct kbpf_func_state *fr = st->frame[f];

		for (i = 0; i < KBPF_REG_COUNT; i++)
			if (fr->regs[i].ref_obj_id == id)
				kbpf_mark_reg_not_init(&fr->regs[i]);
		/* A spilled copy becomes bytes that cannot be read. */
		for (i = 0; i < KBPF_STACK_SLOTS; i++) {
			const struct kbpf_stack_slot *s = kbpf_stack_slot_get(fr, i);
			struct kbpf_stack_slot *w;

			if (!s || s->bytes[0] != KBPF_STACK_SPILL ||
			    s->spilled.ref_obj_id != id)
				continue;
			w = kbpf_stack_slot_mut(env, fr, i);
			if (!w)
				return -ENOMEM;
			kbpf_mark_reg_not_init(&w->spilled);
			memset(w->bytes, KBPF_STACK_INVALID, KBPF_SLOT_SIZE);
		}
	}
	return 0;
}

int kbpf_release_ref(struct kbpf_verifier_env *env, u32 id)
{
	if (!id || !remove_ref(env->cur, id))
		return kbpf_verr(env, -EACCES,
				 "release of an unacquired reference id=%u\n", id);
	return invalidate_holders(env, id);
}

int kbpf_check_refs_released(struct kbpf_verifier_env *env)
{
	const struct kbpf_verifier_state *st = env->cur;

	if (!st->ref_cnt)
		return 0;
	return kbpf_verr(env, -EACCES,
			 "Unreleased reference id=%u alloc_insn=%u: a reserved ring buffer record must be submitted or discarded\n",
			 st->refs[0].id, st->refs[0].insn_idx);
}
