// SPDX-License-Identifier: GPL-2.0
/*
 * LRU hash maps: a new key in a full map evicts instead of failing, the
 * least recently used first (a lookup gives a key a second chance); and
 * the RCU lifetime every hash-family element has: a value pointer keeps its
 * memory and contents after a delete until the run section ends.
 */
#include "map_test.h"

static int count_keys(struct kbpf_map *m, u32 limit)
{
	u32 k = 0, next, n = 0;
	int err;

	for (err = kbpf_map_get_next_key(m, NULL, &next); !err && n <= limit;
	     err = kbpf_map_get_next_key(m, &k, &next)) {
		k = next;
		n++;
	}
	return n;
}

static bool present(struct kbpf_map *m, u32 k)
{
	void *v = kbpf_zalloc(kbpf_map_user_value_size(m));
	bool found = v && kbpf_map_lookup_copy(m, &k, v) == 0;

	kbpf_free(v);
	return found;
}

static int evicts_oldest(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u32 k;
	u64 v = 1;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_LRU_HASH, 4, 8, 4, 0, &m), 0,
		  "create");
	for (k = 0; k < 4; k++)
		EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "fill");
	k = 4;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0,
		  "a 5th key evicts instead of failing");
	EXPECT_EQ(count_keys(m, 10), 4, "still 4 keys");
	EXPECT_EQ(present(m, 0), 0, "the oldest key was evicted");
	EXPECT_EQ(present(m, 4), 1, "the new key is there");
	/* A lookup from the program side marks key 1 as used. */
	k = 1;
	kbpf_run_section_begin();
	kbpf_map_lookup_elem(m, &k);
	kbpf_run_section_end();
	k = 5;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "6th key");
	EXPECT_EQ(present(m, 1), 1, "the looked-up key got a second chance");
	EXPECT_EQ(present(m, 2), 0, "the next oldest went instead");
	k = 3;
	v = 33;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_EXIST), 0,
		  "replace in a full map evicts nothing");
	EXPECT_EQ(count_keys(m, 10), 4, "4 keys");
	k = 9;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_EXIST), -ENOENT,
		  "EXIST on a missing key");
	k = 3;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_NOEXIST), -EEXIST,
		  "NOEXIST on a present key");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete");
	EXPECT_EQ(count_keys(m, 10), 3, "3 keys after a delete");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* Many more keys than room: always max_entries keys, all recent ones. */
static int churn(char *msg, size_t msg_size)
{
	static const u32 types[] = { KBPF_MAP_TYPE_LRU_HASH,
				     KBPF_MAP_TYPE_LRU_PERCPU_HASH };
	struct kbpf_map *m = NULL;
	u32 t, k;
	u64 *v = kbpf_zalloc(8 * kbpf_num_possible_cpus());
	int ret = 1;

	if (!v) {
		snprintf(msg, msg_size, "no memory");
		goto out;
	}
	for (t = 0; t < ARRAY_SIZE(types); t++) {
		EXPECT_EQ(kbpf_test_map(types[t], 4, 8, 16, 0, &m), 0, "create");
		for (k = 0; k < 1000; k++)
			EXPECT_EQ(kbpf_map_update_user(m, &k, v, KBPF_ANY), 0,
				  "insert");
		EXPECT_EQ(count_keys(m, 100), 16, "16 keys after 1000 inserts");
		EXPECT_EQ(present(m, 999), 1, "the last key is there");
		kbpf_map_put(m);
		m = NULL;
	}
	ret = 0;
out:
	kbpf_map_put(m);
	kbpf_free(v);
	return ret;
}

/* Every hash type: a pointer from a lookup outlives the element's delete. */
static int rcu_lifetime(char *msg, size_t msg_size)
{
	static const u32 types[] = {
		KBPF_MAP_TYPE_HASH, KBPF_MAP_TYPE_PERCPU_HASH,
		KBPF_MAP_TYPE_LRU_HASH, KBPF_MAP_TYPE_LRU_PERCPU_HASH,
	};
	struct kbpf_map *m = NULL;
	u64 v = 77, v2 = 66, got, *p;
	u32 t, k = 5, k2 = 6;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		EXPECT_EQ(kbpf_test_map(types[t], 4, 8, 1, 0, &m), 0, "create");
		got = 0;
		kbpf_run_section_begin();
		if (kbpf_map_update_elem(m, &k, &v, KBPF_ANY) == 0) {
			p = kbpf_map_lookup_elem(m, &k);
			/* Delete, and fill the only slot with another key. */
			if (p && !kbpf_map_delete_elem(m, &k) &&
			    !kbpf_map_update_elem(m, &k2, &v2, KBPF_ANY))
				got = *p;
		}
		kbpf_run_section_end();
		EXPECT_EQ(got, 77, "old value readable, not reused");
		EXPECT_EQ(present(m, 5), 0, "deleted key gone");
		EXPECT_EQ(present(m, 6), 1, "new key there");
		kbpf_map_put(m);
		m = NULL;
	}
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static const struct kbpf_test_fn_case map_lru_cases[] = {
	{ "lru: a new key evicts the least recently used", evicts_oldest },
	{ "lru: 1000 keys through 16 slots keep the newest", churn },
	{ "hash types: a looked-up value outlives its delete in the run", rcu_lifetime },
};

KBPF_FN_TEST_SUITE(map_lru, "kbpf_map_lru", map_lru_cases);
