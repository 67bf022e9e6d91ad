// SPDX-License-Identifier: GPL-2.0
/*
 * Maps through the public API: creation checks, update flags, lookup and
 * delete, next-key iteration, fixed-capacity hash maps refusing the
 * (max_entries + 1)th key with -E2BIG.
 */
#include "map_test.h"

static int create(u32 type, u32 key, u32 value, u32 entries,
		  struct kbpf_map **map)
{
	struct kbpf_map_attrs a = { .type = type, .key_size = key,
				    .value_size = value,
				    .max_entries = entries };

	return kbpf_map_create(&a, &kbpf_limits_embedded, map);
}

static int create_errors(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs flags = { .type = KBPF_MAP_TYPE_ARRAY,
					.key_size = 4, .value_size = 4,
					.max_entries = 1, .flags = 1 };
	struct kbpf_map *m = NULL;

	EXPECT_EQ(create(KBPF_MAP_TYPE_ARRAY, 8, 4, 1, &m), -EINVAL,
		  "array with 8-byte key");
	EXPECT_EQ(create(KBPF_MAP_TYPE_ARRAY, 4, 0, 1, &m), -EINVAL,
		  "value_size 0");
	EXPECT_EQ(create(KBPF_MAP_TYPE_HASH, 0, 4, 1, &m), -EINVAL,
		  "key_size 0");
	EXPECT_EQ(create(KBPF_MAP_TYPE_HASH, 4, 4, 0, &m), -EINVAL,
		  "max_entries 0");
	EXPECT_EQ(create(KBPF_MAP_TYPE_HASH, 65, 4, 1, &m), -E2BIG,
		  "key over the embedded limit");
	EXPECT_EQ(create(KBPF_MAP_TYPE_ARRAY, 4, 1025, 1, &m), -E2BIG,
		  "value over the embedded limit");
	EXPECT_EQ(create(KBPF_MAP_TYPE_ARRAY, 4, 4, 4097, &m), -E2BIG,
		  "entries over the embedded limit");
	EXPECT_EQ(create(99, 4, 4, 1, &m), -EINVAL, "unknown type");
	EXPECT_EQ(create(KBPF_MAP_TYPE_PERCPU_ARRAY, 8, 4, 1, &m), -EINVAL,
		  "per-cpu array with 8-byte key");
	EXPECT_EQ(kbpf_map_create(&flags, NULL, &m), -EINVAL, "flags 1");
	EXPECT_EQ(m == NULL, 1, "no map returned on failure");
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int array_ops(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u64 v = 0x1122334455667788ULL, out = 0;
	u32 k = 2, big = 4, next = 99;
	u64 *p;

	EXPECT_EQ(create(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, &m), 0, "create");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, &out), 0, "lookup fresh");
	EXPECT_EQ(out, 0, "fresh element is zero");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_NOEXIST), -EEXIST,
		  "NOEXIST on an array");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_EXIST), 0, "EXIST");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, 3), -EINVAL, "flags 3");
	EXPECT_EQ(kbpf_map_update_elem(m, &big, &v, KBPF_ANY), -E2BIG,
		  "index == max_entries");
	p = kbpf_map_lookup_elem(m, &k);
	EXPECT_EQ(p != NULL, 1, "lookup pointer");
	EXPECT_EQ(((uintptr_t)p & 7) == 0, 1, "value 8-byte aligned");
	EXPECT_EQ(*p, v, "value through the pointer");
	EXPECT_EQ(kbpf_map_lookup_elem(m, &big) == NULL, 1,
		  "lookup past the end");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &big, &out), -ENOENT,
		  "copy past the end");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), -EINVAL, "delete");
	EXPECT_EQ(kbpf_map_get_next_key(m, NULL, &next), 0, "first key");
	EXPECT_EQ(next, 0, "first key is 0");
	EXPECT_EQ(kbpf_map_get_next_key(m, &k, &next), 0, "after 2");
	EXPECT_EQ(next, 3, "key after 2");
	EXPECT_EQ(kbpf_map_get_next_key(m, &next, &next), -ENOENT,
		  "after the last");
	EXPECT_EQ(kbpf_map_get_next_key(m, &big, &next), 0, "after 4");
	EXPECT_EQ(next, 0, "out-of-range key restarts at 0");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int hash_ops(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u64 k = 7, v = 70, out = 0, *p;

	EXPECT_EQ(create(KBPF_MAP_TYPE_HASH, 8, 8, 4, &m), 0, "create");
	EXPECT_EQ(kbpf_map_lookup_elem(m, &k) == NULL, 1, "empty lookup");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_EXIST), -ENOENT,
		  "EXIST on a missing key");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_NOEXIST), 0,
		  "NOEXIST insert");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_NOEXIST), -EEXIST,
		  "NOEXIST again");
	v = 71;
	/*
	 * A replace links a new element: a pointer taken before keeps the
	 * old value and stays valid until the run section ends.
	 */
	kbpf_run_section_begin();
	p = kbpf_map_lookup_elem(m, &k);
	if (p && kbpf_map_update_elem(m, &k, &v, KBPF_EXIST) == 0 && *p == 70)
		p = kbpf_map_lookup_elem(m, &k);
	else
		p = NULL;
	out = p ? *p : 0;
	kbpf_run_section_end();
	EXPECT_EQ(out, 71, "old pointer kept 70, a new lookup sees 71");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, &out), 0, "copy");
	EXPECT_EQ(out, 71, "copied value");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), -ENOENT, "delete again");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, &out), -ENOENT, "copy deleted");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int hash_full(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u32 k, v;

	EXPECT_EQ(create(KBPF_MAP_TYPE_HASH, 4, 4, 4, &m), 0, "create");
	for (k = 0; k < 4; k++) {
		v = k * 10;
		EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_ANY), 0,
			  "fill");
	}
	k = 4;
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_ANY), -E2BIG,
		  "fifth key in a 4-entry map");
	k = 2;
	v = 99;
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_ANY), 0,
		  "replace in a full map");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete one");
	k = 4;
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_ANY), 0,
		  "insert after a delete");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* 64 keys in 64 slots: next_key visits each exactly once, then -ENOENT. */
static int hash_iterate(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u64 seen = 0;
	u32 k, next, n = 0, v = 1;
	int err;

	EXPECT_EQ(create(KBPF_MAP_TYPE_HASH, 4, 4, 64, &m), 0, "create");
	EXPECT_EQ(kbpf_map_get_next_key(m, NULL, &next), -ENOENT,
		  "empty map has no first key");
	for (k = 0; k < 64; k++)
		EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_ANY), 0,
			  "insert");
	for (err = kbpf_map_get_next_key(m, NULL, &next); !err;
	     err = kbpf_map_get_next_key(m, &k, &next)) {
		EXPECT_EQ(next < 64, 1, "key in range");
		EXPECT_EQ((seen >> next) & 1, 0, "key seen once");
		seen |= 1ULL << next;
		k = next;
		n++;
		EXPECT_EQ(n <= 64, 1, "iteration ends");
	}
	EXPECT_EQ(err, -ENOENT, "end of iteration");
	EXPECT_EQ(n, 64, "keys visited");
	k = 1000;
	EXPECT_EQ(kbpf_map_get_next_key(m, &k, &next), 0,
		  "missing key restarts");
	for (k = 0; k < 64; k += 2)
		EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete even");
	for (k = 0; k < 64; k++)
		EXPECT_EQ(kbpf_map_lookup_elem(m, &k) != NULL, k & 1,
			  "only odd keys remain");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int refcount(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;

	EXPECT_EQ(create(KBPF_MAP_TYPE_ARRAY, 4, 4, 1, &m), 0, "create");
	EXPECT_EQ(kbpf_refcount_read(&m->refcnt), 1, "new map holds one ref");
	kbpf_map_get(m);
	EXPECT_EQ(kbpf_refcount_read(&m->refcnt), 2, "after get");
	kbpf_map_put(m);
	EXPECT_EQ(kbpf_refcount_read(&m->refcnt), 1, "after put");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static const struct kbpf_test_fn_case map_cases[] = {
	{ "creation refuses bad sizes, types and flags", create_errors },
	{ "array: lookup, update flags, delete refused, next_key", array_ops },
	{ "hash: insert, replace, lookup, delete", hash_ops },
	{ "hash: a full map refuses a new key with -E2BIG", hash_full },
	{ "hash: next_key visits every key once", hash_iterate },
	{ "map references count gets and puts", refcount },
};

KBPF_FN_TEST_SUITE(map_basic, "kbpf_map_basic", map_cases);
