/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Id tables: the ids of programs and maps, in a slot array sized once (by
 * the profile's max_progs or max_maps) so that handing out an id, looking
 * one up and giving it back allocate nothing.
 *
 * Ids are cyclic, as idr_alloc_cyclic()'s are: they start at 1, each new
 * id is the lowest free one above the last handed out, and an id comes
 * back only after the counter wraps at max_id.  Id n lives in slot
 * (n - 1) % nr_slots, so an id is generation * nr_slots + slot + 1; a
 * slot's stored id tells a live id from a stale one of an earlier
 * generation.
 */
#ifndef KBPF_CORE_IDTAB_H
#define KBPF_CORE_IDTAB_H

#include "kbpf_core.h"

struct kbpf_idtab_slot {
	u32 id;			/* 0: free */
	void *ptr;
};

struct kbpf_idtab {
	struct kbpf_idtab_slot *slots;
	u32 nr_slots;
	u32 used;
	u32 max_id;		/* a multiple of nr_slots: ids wrap to 1 after it */
	u32 next;		/* the first id the next allocation tries */
};

/* Bytes of slots kbpf_idtab_init() needs for nr_slots (0: too many). */
size_t kbpf_idtab_bytes(u32 nr_slots);

/*
 * Ids in [1, max_id] over zeroed slots[0..nr_slots); max_id is rounded
 * down to a multiple of nr_slots, and must leave at least one generation.
 */
void kbpf_idtab_init(struct kbpf_idtab *t, struct kbpf_idtab_slot *slots,
		     u32 nr_slots, u32 max_id);

/* The next id for ptr (not NULL) in *id, or -ENOSPC if every slot is used. */
int kbpf_idtab_alloc(struct kbpf_idtab *t, void *ptr, u32 *id);

/* What id names, or NULL (0, never handed out, given back, out of range). */
void *kbpf_idtab_find(const struct kbpf_idtab *t, u32 id);

/* Give id back; returns what it named, or NULL if it was not live. */
void *kbpf_idtab_remove(struct kbpf_idtab *t, u32 id);

/*
 * The entry of the lowest live id at or above *id, which is set to it;
 * NULL when there is none (GET_NEXT_ID order: ask again from id + 1).
 */
void *kbpf_idtab_next(const struct kbpf_idtab *t, u32 *id);

/* The first live entry in slot *i or after (*i moves there), or NULL. */
void *kbpf_idtab_scan(const struct kbpf_idtab *t, u32 *i);

/* Every live entry, in slot order; the body may remove the current one. */
#define kbpf_idtab_for_each(t, entry, i)				\
	for ((i) = 0; ((entry) = kbpf_idtab_scan((t), &(i))); (i)++)

#endif /* KBPF_CORE_IDTAB_H */
