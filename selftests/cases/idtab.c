// SPDX-License-Identifier: GPL-2.0
/*
 * Id tables (kmod/core/idtab.c), the ids of programs and maps: ids start at
 * 1 and ascend, a full table refuses, given-back ids stay dead through the
 * next generations of their slot, GET_NEXT_ID order holds across
 * generations, and the counter wraps without handing out a live id.
 */
#include "cases.h"
#include "../../kmod/core/idtab.h"

#define NR 4

struct table {
	struct kbpf_idtab t;
	struct kbpf_idtab_slot slots[NR];
	int obj[16];		/* what the ids name */
};

static void table_init(struct table *tab, u32 max_id)
{
	memset(tab, 0, sizeof(*tab));
	kbpf_idtab_init(&tab->t, tab->slots, NR, max_id);
}

static int ids_ascend_from_one(char *msg, size_t msg_size)
{
	struct table tab;
	u32 i, id;

	table_init(&tab, S32_MAX);
	for (i = 0; i < NR; i++) {
		CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[i], &id),
		      "alloc %u refused", i);
		CHECK(id == i + 1, "id %u for allocation %u", id, i);
		CHECK(kbpf_idtab_find(&tab.t, id) == &tab.obj[i],
		      "id %u does not find its entry", id);
	}
	CHECK(!kbpf_idtab_find(&tab.t, 0), "id 0 found something");
	CHECK(!kbpf_idtab_find(&tab.t, NR + 1), "unused id %u found", NR + 1);
	CHECK(!kbpf_idtab_find(&tab.t, U32_MAX), "id U32_MAX found something");
	return 0;
}

static int full_table_refuses(char *msg, size_t msg_size)
{
	struct table tab;
	u32 i, id;

	table_init(&tab, S32_MAX);
	for (i = 0; i < NR; i++)
		CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[i], &id),
		      "alloc %u refused", i);
	CHECK(kbpf_idtab_alloc(&tab.t, &tab.obj[NR], &id) == -ENOSPC,
	      "a full table handed out id %u", id);
	CHECK(tab.t.used == NR, "used %u", tab.t.used);
	/* One given back: the next id is new, in the freed slot. */
	CHECK(kbpf_idtab_remove(&tab.t, 2) == &tab.obj[1], "remove 2");
	CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[NR], &id), "alloc after remove");
	CHECK(id == 2 + NR, "id %u after freeing 2, expected %u", id, 2 + NR);
	CHECK(kbpf_idtab_alloc(&tab.t, &tab.obj[NR + 1], &id) == -ENOSPC,
	      "full again, yet id %u", id);
	return 0;
}

static int stale_ids_stay_dead(char *msg, size_t msg_size)
{
	struct table tab;
	u32 i, id;

	table_init(&tab, S32_MAX);
	CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[0], &id) && id == 1, "id 1");
	CHECK(kbpf_idtab_remove(&tab.t, 1) == &tab.obj[0], "remove 1");
	CHECK(!kbpf_idtab_find(&tab.t, 1), "removed id 1 still found");
	CHECK(!kbpf_idtab_remove(&tab.t, 1), "removed id 1 removed twice");
	/* Slot 0 again, three generations on: id 1 stays dead. */
	for (i = 1; i < 3 * NR + 1; i++) {
		CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[i], &id), "alloc %u", i);
		CHECK(id == i + 1, "id %u, expected %u", id, i + 1);
		if (i < 3 * NR)
			CHECK(kbpf_idtab_remove(&tab.t, id), "remove %u", id);
	}
	CHECK(kbpf_idtab_find(&tab.t, 1 + 3 * NR) == &tab.obj[3 * NR],
	      "id %u (slot 0, generation 3) not found", 1 + 3 * NR);
	for (id = 1; id < 3 * NR; id += NR)
		CHECK(!kbpf_idtab_find(&tab.t, id) && !kbpf_idtab_remove(&tab.t, id),
		      "stale id %u of slot 0 found", id);
	return 0;
}

/* Live ids 7, 9, 12 sit in slots 2, 0, 3: next visits them by id. */
static int next_in_id_order(char *msg, size_t msg_size)
{
	static const u32 want[] = { 7, 9, 12 };
	void *entry[13] = { NULL };
	struct table tab;
	u32 i, id = 0;
	void *p;

	table_init(&tab, S32_MAX);
	for (i = 0; id < 12; i++) {
		CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[i], &id), "alloc %u", i);
		if (id == 7 || id == 9 || id == 12)
			entry[id] = &tab.obj[i];
		else
			kbpf_idtab_remove(&tab.t, id);
	}
	id = 0;
	for (i = 0; i < ARRAY_SIZE(want); i++, id++) {
		p = kbpf_idtab_next(&tab.t, &id);
		CHECK(p && id == want[i], "step %u: id %u, expected %u", i, id,
		      want[i]);
		CHECK(p == entry[id], "id %u: wrong entry", id);
	}
	CHECK(!kbpf_idtab_next(&tab.t, &id), "something after id 12");
	id = 9;
	CHECK(kbpf_idtab_next(&tab.t, &id) && id == 9, "next from 9: %u", id);
	id = 8;
	CHECK(kbpf_idtab_next(&tab.t, &id) && id == 9, "next from 8: %u", id);
	return 0;
}

/*
 * max_id 10 rounds down to 8 (two generations of four slots).  Id 1 stays
 * live throughout: its slot's later ids (5, and 1 after the wrap) are
 * stepped over rather than handed out twice.
 */
static int wrap_skips_live_ids(char *msg, size_t msg_size)
{
	static const u32 want[] = { 2, 3, 4, 6, 7, 8, 2 };
	struct table tab;
	u32 i, id;

	table_init(&tab, 10);
	CHECK(tab.t.max_id == 8, "max_id %u, expected 8", tab.t.max_id);
	CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[0], &id) && id == 1, "id 1");
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[1], &id), "alloc %u", i);
		CHECK(id == want[i], "allocation %u: id %u, expected %u", i,
		      id, want[i]);
		kbpf_idtab_remove(&tab.t, id);
	}
	CHECK(!kbpf_idtab_find(&tab.t, 9), "id 9 beyond max_id found");
	CHECK(kbpf_idtab_find(&tab.t, 1) == &tab.obj[0], "id 1 lost its entry");
	return 0;
}

/* Each live entry once, in slot order, while the walk removes some. */
static int walk_removing(char *msg, size_t msg_size)
{
	u32 i, id, seen = 0;
	struct table tab;
	int *entry;

	table_init(&tab, S32_MAX);
	for (i = 0; i < NR; i++) {
		tab.obj[i] = i + 1;
		CHECK(!kbpf_idtab_alloc(&tab.t, &tab.obj[i], &id), "alloc %u", i);
	}
	kbpf_idtab_remove(&tab.t, 2);
	kbpf_idtab_for_each(&tab.t, entry, i) {
		seen = seen * 10 + *entry;
		if (*entry != 4)
			CHECK(kbpf_idtab_remove(&tab.t, *entry) == entry,
			      "remove %d", *entry);
	}
	CHECK(seen == 134, "visited %u, expected 1, 3, 4", seen);
	CHECK(tab.t.used == 1 && kbpf_idtab_find(&tab.t, 4) == &tab.obj[3],
	      "%u left, expected id 4 only", tab.t.used);
	return 0;
}

static int sizes(char *msg, size_t msg_size)
{
	CHECK(kbpf_idtab_bytes(64) == 64 * sizeof(struct kbpf_idtab_slot),
	      "64 slots: %zu bytes", kbpf_idtab_bytes(64));
	CHECK(!kbpf_idtab_bytes(0), "0 slots: %zu bytes", kbpf_idtab_bytes(0));
	CHECK(!kbpf_idtab_bytes(U32_MAX), "U32_MAX slots: %zu bytes",
	      kbpf_idtab_bytes(U32_MAX));
	return 0;
}

static const struct kbpf_test_fn_case idtab_cases[] = {
	{ "ids start at 1, ascend and find their entries", ids_ascend_from_one },
	{ "a full table refuses; a freed slot takes a new id", full_table_refuses },
	{ "given-back ids stay dead through later generations",
	  stale_ids_stay_dead },
	{ "next walks live ids in id order, not slot order", next_in_id_order },
	{ "the counter wraps at max_id and steps over live ids",
	  wrap_skips_live_ids },
	{ "for_each visits live entries once and may remove them",
	  walk_removing },
	{ "table sizes: 0 for none or too many slots", sizes },
};

KBPF_FN_TEST_SUITE(idtab, "kbpf_idtab", idtab_cases);
