// SPDX-License-Identifier: GPL-2.0
/*
 * Id tables (idtab.h): fixed slots, cyclic ids, nothing allocated after
 * kbpf_idtab_init().
 *
 * Because max_id is a multiple of the slot count, consecutive ids visit
 * every slot once per nr_slots ids, across the wrap too: an allocation
 * that tries nr_slots ids in a row has tried every slot, so -ENOSPC means
 * the table is full, never that the counter was unlucky.
 */
#include "idtab.h"

size_t kbpf_idtab_bytes(u32 nr_slots)
{
	if (!nr_slots || nr_slots > U32_MAX / 2 / sizeof(struct kbpf_idtab_slot))
		return 0;
	return (size_t)nr_slots * sizeof(struct kbpf_idtab_slot);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_bytes);

void kbpf_idtab_init(struct kbpf_idtab *t, struct kbpf_idtab_slot *slots,
		     u32 nr_slots, u32 max_id)
{
	t->slots = slots;
	t->nr_slots = nr_slots;
	t->used = 0;
	t->max_id = max_id / nr_slots * nr_slots;
	t->next = 1;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_init);

static u32 slot_of(const struct kbpf_idtab *t, u32 id)
{
	return (id - 1) % t->nr_slots;
}

int kbpf_idtab_alloc(struct kbpf_idtab *t, void *ptr, u32 *id)
{
	struct kbpf_idtab_slot *s;
	u32 tries, cand;

	if (t->used >= t->nr_slots)
		return -ENOSPC;
	for (tries = 0; tries < t->nr_slots; tries++) {
		cand = t->next;
		t->next = cand >= t->max_id ? 1 : cand + 1;
		s = &t->slots[slot_of(t, cand)];
		if (s->ptr)
			continue;
		s->id = cand;
		s->ptr = ptr;
		t->used++;
		*id = cand;
		return 0;
	}
	kbpf_bug("id table: %u of %u slots used but none free", t->used,
		 t->nr_slots);
	return -ENOSPC;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_alloc);

void *kbpf_idtab_find(const struct kbpf_idtab *t, u32 id)
{
	const struct kbpf_idtab_slot *s;

	if (!id || id > t->max_id)
		return NULL;
	s = &t->slots[slot_of(t, id)];
	return s->id == id ? s->ptr : NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_find);

void *kbpf_idtab_remove(struct kbpf_idtab *t, u32 id)
{
	struct kbpf_idtab_slot *s;
	void *ptr = kbpf_idtab_find(t, id);

	if (!ptr)
		return NULL;
	s = &t->slots[slot_of(t, id)];
	s->id = 0;
	s->ptr = NULL;
	t->used--;
	return ptr;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_remove);

/* O(nr_slots): dumps are rare and the tables small (max_progs, max_maps). */
void *kbpf_idtab_next(const struct kbpf_idtab *t, u32 *id)
{
	const struct kbpf_idtab_slot *s, *best = NULL;
	u32 i;

	for (i = 0; i < t->nr_slots; i++) {
		s = &t->slots[i];
		if (s->ptr && s->id >= *id && (!best || s->id < best->id))
			best = s;
	}
	if (!best)
		return NULL;
	*id = best->id;
	return best->ptr;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_next);

void *kbpf_idtab_scan(const struct kbpf_idtab *t, u32 *i)
{
	for (; *i < t->nr_slots; (*i)++)
		if (t->slots[*i].ptr)
			return t->slots[*i].ptr;
	return NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_idtab_scan);
