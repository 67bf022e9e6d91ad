// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_map_resize() (issue 7 item 6, cloud profile): arrays keep the
 * elements both sizes have and zero the new ones, hash maps move their cap
 * and refuse to shrink below what they hold (LRU ones evict), the budget
 * follows the size, and everything a caller can get wrong -- the embedded
 * profile, a type without resize, 0, sizes past the limits, values a
 * program addresses directly -- is refused with a reason and changes
 * nothing.
 */
#include "map_test.h"
#include "../../kmod/core/helpers.h"

#ifndef __KERNEL__
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#endif

static int resize_logged(struct kbpf_map *m, u32 entries,
			 const struct kbpf_limits *limits, char *buf, u32 size)
{
	struct kbpf_log log;

	buf[0] = '\0';
	kbpf_log_init(&log, buf, size, KBPF_LOG_LEVEL_ERRORS);
	return kbpf_map_resize(m, entries, limits ?: &kbpf_limits_cloud, &log);
}

static int put_u64(struct kbpf_map *m, u32 idx, u64 v)
{
	return kbpf_map_update_user(m, &idx, &v, KBPF_ANY);
}

static int get_u64(struct kbpf_map *m, u32 idx, u64 *v)
{
	return kbpf_map_lookup_copy(m, &idx, v);
}

/* The keys get_next_key walks, from the start. */
static u32 count_keys(struct kbpf_map *m, u32 key_size)
{
	u8 key[8], next[8];
	u32 n = 0;

	if (kbpf_map_get_next_key(m, NULL, next))
		return 0;
	do {
		n++;
		memcpy(key, next, key_size);
	} while (!kbpf_map_get_next_key(m, key, next) && n < 100000);
	return n;
}

/* The cost of a hash map created at entries: what a resize must match. */
static u64 hash_created_cost(u32 type, u32 entries)
{
	struct kbpf_map *m = NULL;
	u64 cost = 0;

	if (!kbpf_test_map(type, 4, 8, entries, 0, &m))
		cost = m->mem_bytes;
	kbpf_map_put(m);
	return cost;
}

static int array_grow_and_shrink(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	char why[128];
	u64 v = 0, cost4;
	u32 i;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, &m), 0,
		  "create");
	cost4 = m->mem_bytes;
	for (i = 0; i < 4; i++)
		EXPECT_EQ(put_u64(m, i, 100 + i), 0, "fill");
	EXPECT_EQ(put_u64(m, 4, 1), -E2BIG, "index 4 of 4");

	EXPECT_EQ(resize_logged(m, 10, NULL, why, sizeof(why)), 0, "grow");
	EXPECT_EQ(m->attrs.max_entries, 10, "max_entries after grow");
	EXPECT_EQ(m->mem_bytes, cost4 + 6 * 8, "cost of six more values");
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(get_u64(m, i, &v), 0, "old element");
		EXPECT_EQ(v, 100 + i, "old element kept");
	}
	for (i = 4; i < 10; i++) {
		v = 1;
		EXPECT_EQ(get_u64(m, i, &v), 0, "new element");
		EXPECT_EQ(v, 0, "new element zeroed");
	}
	EXPECT_EQ(put_u64(m, 9, 109), 0, "last new element writable");
	EXPECT_EQ(count_keys(m, 4), 10, "keys after grow");

	EXPECT_EQ(resize_logged(m, 2, NULL, why, sizeof(why)), 0, "shrink");
	EXPECT_EQ(count_keys(m, 4), 2, "keys after shrink");
	EXPECT_EQ(get_u64(m, 2, &v), -ENOENT, "index 2 of 2");
	EXPECT_EQ(kbpf_map_lookup_elem(m, &(u32){ 9 }) == NULL, 1,
		  "program lookup past the new end");
	EXPECT_EQ(get_u64(m, 1, &v), 0, "kept element");
	EXPECT_EQ(v, 101, "kept element's value");

	/* Growing again does not bring back what the shrink dropped. */
	EXPECT_EQ(resize_logged(m, 4, NULL, why, sizeof(why)), 0, "regrow");
	EXPECT_EQ(get_u64(m, 3, &v), 0, "regrown element");
	EXPECT_EQ(v, 0, "regrown element zeroed");
	EXPECT_EQ(m->mem_bytes, cost4, "cost back to four values");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* Each CPU's values survive; the ioctl layout is one value per CPU. */
static int percpu_array_keeps_every_cpu(char *msg, size_t msg_size)
{
	u32 ncpu = kbpf_num_possible_cpus(), i, idx = 1;
	u64 vals[64], got[64];
	struct kbpf_map *m = NULL;
	char why[128];

	if (ncpu > 64)
		ncpu = 64;
	for (i = 0; i < ncpu; i++)
		vals[i] = 1000 + i;
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, 0, &m), 0,
		  "create");
	EXPECT_EQ(kbpf_map_update_user(m, &idx, vals, KBPF_ANY), 0, "update");
	EXPECT_EQ(resize_logged(m, 8, NULL, why, sizeof(why)), 0, "grow");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &idx, got), 0, "lookup");
	for (i = 0; i < ncpu; i++)
		EXPECT_EQ(got[i], 1000 + i, "a CPU's value");
	idx = 7;
	EXPECT_EQ(kbpf_map_lookup_copy(m, &idx, got), 0, "new element");
	for (i = 0; i < ncpu; i++)
		EXPECT_EQ(got[i], 0, "a CPU's new value");
	EXPECT_EQ(resize_logged(m, 1, NULL, why, sizeof(why)), 0, "shrink");
	idx = 1;
	EXPECT_EQ(kbpf_map_lookup_copy(m, &idx, got), -ENOENT, "dropped");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int hash_insert(struct kbpf_map *m, u32 k)
{
	u64 v = k;

	return kbpf_map_update_user(m, &k, &v, KBPF_ANY);
}

static int hash_moves_its_cap(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	char why[128];
	u32 k;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, 4, 0, &m), 0,
		  "create");
	for (k = 0; k < 4; k++)
		EXPECT_EQ(hash_insert(m, k), 0, "fill");
	EXPECT_EQ(hash_insert(m, 4), -E2BIG, "fifth key into four");

	EXPECT_EQ(resize_logged(m, 6, NULL, why, sizeof(why)), 0, "grow");
	EXPECT_EQ(hash_insert(m, 4), 0, "fifth key after grow");
	EXPECT_EQ(hash_insert(m, 5), 0, "sixth key");
	EXPECT_EQ(hash_insert(m, 6), -E2BIG, "seventh key into six");

	/* Below the six held: refused, and the cap stays six. */
	EXPECT_EQ(resize_logged(m, 3, NULL, why, sizeof(why)), -EBUSY,
		  "shrink below the count");
	EXPECT_EQ(strstr(why, "holds 6 elements, more than 3") != NULL, 1,
		  "the reason names both counts");
	EXPECT_EQ(m->attrs.max_entries, 6, "cap after the refusal");
	EXPECT_EQ(count_keys(m, 4), 6, "elements after the refusal");

	for (k = 0; k < 3; k++)
		EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete");
	EXPECT_EQ(resize_logged(m, 3, NULL, why, sizeof(why)), 0,
		  "shrink to the count");
	EXPECT_EQ(hash_insert(m, 0), -E2BIG, "a key over the new cap");
	EXPECT_EQ(hash_insert(m, 5), 0, "replacing a key needs no room");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static const u32 hash_types[] = {
	KBPF_MAP_TYPE_HASH, KBPF_MAP_TYPE_PERCPU_HASH,
	KBPF_MAP_TYPE_LRU_HASH, KBPF_MAP_TYPE_LRU_PERCPU_HASH,
};

#define REHASH_CPUS	16
#define REHASH_KEYS	3000

/* Key k's value in the ioctl layout: one u64 per possible CPU if per-CPU. */
static u32 rehash_value(struct kbpf_map *m, u32 k, u64 *vals)
{
	u32 n = kbpf_map_user_value_size(m) / sizeof(u64), cpu;

	for (cpu = 0; cpu < n; cpu++)
		vals[cpu] = (u64)k * 1000 + cpu;
	return n;
}

/*
 * Exactly the keys [lo, hi) with their values: every lookup below
 * REHASH_KEYS, and a walk that returns each of them once.
 */
static int rehash_holds(struct kbpf_map *m, u32 lo, u32 hi, char *msg,
			size_t msg_size)
{
	u64 want[REHASH_CPUS], got[REHASH_CPUS];
	u8 seen[REHASH_KEYS / 8 + 1] = { 0 };
	u32 k, next, n, cpu, walked = 0;
	int err;

	for (k = 0; k < REHASH_KEYS; k++) {
		n = rehash_value(m, k, want);
		err = kbpf_map_lookup_copy(m, &k, got);
		EXPECT_EQ(err, k >= lo && k < hi ? 0 : -ENOENT, "lookup");
		for (cpu = 0; !err && cpu < n; cpu++)
			EXPECT_EQ(got[cpu], want[cpu], "a value");
	}
	for (err = kbpf_map_get_next_key(m, NULL, &next); !err;
	     err = kbpf_map_get_next_key(m, &k, &next)) {
		EXPECT_EQ(next >= lo && next < hi, 1, "a walked key is held");
		EXPECT_EQ(seen[next / 8] >> (next % 8) & 1, 0,
			  "a key walked once");
		seen[next / 8] |= 1 << (next % 8);
		walked++;
		k = next;
	}
	EXPECT_EQ(err, -ENOENT, "the walk ends");
	EXPECT_EQ(walked, hi - lo, "keys walked");
	return 0;
out:
	return 1;
}

static int rehash_one_type(u32 type, char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u64 vals[REHASH_CPUS];
	char why[128];
	u32 k;

	EXPECT_EQ(kbpf_test_map(type, 4, 8, 8, 0, &m), 0, "create");
	for (k = 0; k < 8; k++) {
		rehash_value(m, k, vals);
		EXPECT_EQ(kbpf_map_update_user(m, &k, vals, KBPF_NOEXIST), 0,
			  "fill");
	}
	/* 8 buckets to 4096, as if created with REHASH_KEYS entries. */
	EXPECT_EQ(resize_logged(m, REHASH_KEYS, NULL, why, sizeof(why)), 0,
		  "grow");
	EXPECT_EQ(m->mem_bytes, hash_created_cost(type, REHASH_KEYS),
		  "cost of the grown map");
	if (rehash_holds(m, 0, 8, msg, msg_size))
		goto out;
	for (k = 8; k < REHASH_KEYS; k++) {
		rehash_value(m, k, vals);
		EXPECT_EQ(kbpf_map_update_user(m, &k, vals, KBPF_NOEXIST), 0,
			  "fill the grown map");
	}
	if (rehash_holds(m, 0, REHASH_KEYS, msg, msg_size))
		goto out;
	/* Down to ten keys, then to 16 buckets. */
	for (k = 0; k < REHASH_KEYS - 10; k++)
		EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete");
	EXPECT_EQ(resize_logged(m, 10, NULL, why, sizeof(why)), 0, "shrink");
	EXPECT_EQ(m->mem_bytes, hash_created_cost(type, 10),
		  "cost of the shrunk map");
	if (rehash_holds(m, REHASH_KEYS - 10, REHASH_KEYS, msg, msg_size))
		goto out;
	k = 0;
	rehash_value(m, k, vals);
	EXPECT_EQ(kbpf_map_update_user(m, &k, vals, KBPF_NOEXIST),
		  type == KBPF_MAP_TYPE_HASH ||
		  type == KBPF_MAP_TYPE_PERCPU_HASH ? -E2BIG : 0,
		  "an 11th key: full, or an LRU eviction");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* fn for each of n map types; a failure names its type. */
static int for_types(const u32 *types, u32 n,
		     int (*fn)(u32 type, char *msg, size_t msg_size),
		     char *msg, size_t msg_size)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (fn(types[i], msg, msg_size)) {
			snprintf(msg + strlen(msg), msg_size - strlen(msg),
				 " (map type %u)", types[i]);
			return 1;
		}
	}
	return 0;
}

/* Every hash type moves its elements into buckets for the new size. */
static int hash_rehashes(char *msg, size_t msg_size)
{
	if (kbpf_num_possible_cpus() > REHASH_CPUS)
		return 0;
	return for_types(hash_types, ARRAY_SIZE(hash_types), rehash_one_type,
			 msg, msg_size);
}

/* An LRU map shrinks by eviction, the most recently used keys staying. */
static int lru_shrink_evicts(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	char why[128];
	u64 v;
	u32 k;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_LRU_HASH, 4, 8, 8, 0, &m), 0,
		  "create");
	for (k = 0; k < 8; k++)
		EXPECT_EQ(hash_insert(m, k), 0, "fill");
	EXPECT_EQ(resize_logged(m, 3, NULL, why, sizeof(why)), 0, "shrink");
	EXPECT_EQ(count_keys(m, 4), 3, "elements after the shrink");
	for (k = 5; k < 8; k++)
		EXPECT_EQ(kbpf_map_lookup_copy(m, &k, &v), 0,
			  "a recent key stays");
	EXPECT_EQ(hash_insert(m, 100), 0, "insert evicts at the new cap");
	EXPECT_EQ(count_keys(m, 4), 3, "still three");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* Every refusal says why and leaves the map as it was. */
static int refusals_change_nothing(char *msg, size_t msg_size)
{
	struct kbpf_limits small = kbpf_limits_cloud;
	struct kbpf_map *m = NULL, *r = NULL;
	char why[160];
	u64 cost;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, &m), 0,
		  "create");
	cost = m->mem_bytes;
	EXPECT_EQ(resize_logged(m, 8, &kbpf_limits_embedded, why, sizeof(why)),
		  -EOPNOTSUPP, "embedded profile");
	EXPECT_EQ(strstr(why, "embedded profile sizes maps once") != NULL, 1,
		  "the embedded reason");
	EXPECT_EQ(resize_logged(m, 0, NULL, why, sizeof(why)), -EINVAL,
		  "zero entries");
	EXPECT_EQ(resize_logged(m, (1U << 20) + 1, NULL, why, sizeof(why)),
		  -E2BIG, "over max_entries");
	EXPECT_EQ(strstr(why, "over the limit of 1048576") != NULL, 1,
		  "the max_entries reason");
	small.max_map_bytes = cost + 8;
	EXPECT_EQ(resize_logged(m, 6, &small, why, sizeof(why)), -E2BIG,
		  "over the per-map bytes");
	EXPECT_EQ(strstr(why, "per-map limit") != NULL, 1, "per-map reason");
	EXPECT_EQ(resize_logged(m, 5, &small, why, sizeof(why)), 0,
		  "exactly at the per-map bytes");
	EXPECT_EQ(m->attrs.max_entries, 5, "size after the refusals");
	EXPECT_EQ(m->mem_bytes, cost + 8, "cost after the refusals");

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, &r), 0,
		  "ring buffer");
	EXPECT_EQ(resize_logged(r, 8192, NULL, why, sizeof(why)), -EOPNOTSUPP,
		  "ring buffer resize");
	EXPECT_EQ(strstr(why, "cannot be resized") != NULL, 1, "type reason");
	EXPECT_EQ(resize_logged(m, 5, NULL, why, sizeof(why)), 0,
		  "same size is a no-op");
	kbpf_map_put(r);
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(r);
	kbpf_map_put(m);
	return 1;
}

/*
 * The budget of all maps: growth charged before, shrink given back after.
 * A hash map's cost counts the buckets of its new size.
 */
static int budget_follows_size(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs a = { .type = KBPF_MAP_TYPE_HASH, .key_size = 4,
				    .value_size = 8, .max_entries = 16 };
	struct kbpf_map_create_opts opts = { .attrs = &a,
					     .limits = &kbpf_limits_cloud };
	struct kbpf_map_budget b;
	struct kbpf_map *m = NULL;
	u64 cost16, cost17, elem;
	char why[160];

	kbpf_map_budget_init(&b, 1ULL << 30);
	opts.budget = &b;
	EXPECT_EQ(kbpf_map_new(&opts, &m), 0, "create");
	cost16 = m->mem_bytes;
	/* 17 entries get 32 buckets: 16 more bucket pointers at least. */
	EXPECT_EQ(resize_logged(m, 17, NULL, why, sizeof(why)), 0, "grow");
	cost17 = m->mem_bytes;
	EXPECT_EQ(cost17 > cost16 + 16 * sizeof(void *), 1,
		  "the doubled buckets are charged");
	EXPECT_EQ(cost17, hash_created_cost(KBPF_MAP_TYPE_HASH, 17),
		  "cost of a map created with 17 entries");
	EXPECT_EQ(b.used_bytes, m->mem_bytes, "budget charged the growth");
	EXPECT_EQ(resize_logged(m, 18, NULL, why, sizeof(why)), 0,
		  "grow within the buckets");
	elem = m->mem_bytes - cost17;
	EXPECT_EQ(elem > 0, 1, "an element costs something");

	/* Room for exactly one more element in the budget, not two. */
	b.max_bytes = b.used_bytes + elem;
	EXPECT_EQ(resize_logged(m, 20, NULL, why, sizeof(why)), -E2BIG,
		  "growth over the budget");
	EXPECT_EQ(strstr(why, "over the limit for all maps") != NULL, 1,
		  "budget reason");
	EXPECT_EQ(m->attrs.max_entries, 18, "size after the refusal");
	EXPECT_EQ(b.used_bytes, m->mem_bytes, "nothing charged");
	EXPECT_EQ(resize_logged(m, 19, NULL, why, sizeof(why)), 0,
		  "growth to the budget's end");
	EXPECT_EQ(b.used_bytes, b.max_bytes, "budget full");

	/* 64 buckets: the 32 of now are held too while it rehashes. */
	b.max_bytes += hash_created_cost(KBPF_MAP_TYPE_HASH, 33) - b.used_bytes;
	EXPECT_EQ(resize_logged(m, 33, NULL, why, sizeof(why)), -E2BIG,
		  "room for the growth, not for the old table too");
	EXPECT_EQ(strstr(why, "over the limit for all maps") != NULL, 1,
		  "budget reason of the rehash");
	EXPECT_EQ(b.used_bytes, m->mem_bytes, "nothing charged by the refusal");
	b.max_bytes += cost16;
	EXPECT_EQ(resize_logged(m, 33, NULL, why, sizeof(why)), 0,
		  "room for both tables");
	EXPECT_EQ(b.used_bytes, m->mem_bytes, "the old table given back");
	EXPECT_EQ(m->mem_bytes, hash_created_cost(KBPF_MAP_TYPE_HASH, 33),
		  "cost of a map created with 33 entries");

	b.max_bytes = 1ULL << 30;
	EXPECT_EQ(resize_logged(m, 4, NULL, why, sizeof(why)), 0, "shrink");
	EXPECT_EQ(b.used_bytes, m->mem_bytes, "shrink given back");
	EXPECT_EQ(m->mem_bytes, hash_created_cost(KBPF_MAP_TYPE_HASH, 4),
		  "cost of a map created with 4 entries");
	kbpf_map_put(m);
	m = NULL;
	EXPECT_EQ(b.used_bytes == 0 && b.maps == 0, 1, "budget empty");
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static struct kbpf_map *the_map(void *priv, u32 id)
{
	struct kbpf_map *m = priv;

	if (id != 1)
		return NULL;
	kbpf_map_get(m);
	return m;
}

/*
 * A program holding an address inside the values (global data) fixes the
 * array's size while it is loaded; one using the map through helpers does
 * not.
 */
static int direct_values_pin_the_size(char *msg, size_t msg_size)
{
	const struct kbpf_insn direct[] = {
		KBPF_LD_IMM64_RAW(1, KBPF_PSEUDO_MAP_VALUE, 1),
		KBPF_MOV64_IMM(0, 0),
		KBPF_EXIT_INSN(),
	};
	const struct kbpf_insn by_id[] = {
		KBPF_LD_MAP_ID(1, 1),
		KBPF_MOV64_IMM(0, 0),
		KBPF_EXIT_INSN(),
	};
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = direct,
		.insn_cnt = ARRAY_SIZE(direct), .flags = KBPF_LOAD_NO_VERIFY,
		.map_by_id = the_map,
	};
	struct kbpf_prog *p = NULL, *q = NULL;
	struct kbpf_map *m = NULL;
	char why[200];

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, &m), 0,
		  "create");
	opts.map_priv = m;
	EXPECT_EQ(kbpf_prog_load(&opts, &p), 0, "load with a direct value");
	opts.insns = by_id;
	opts.insn_cnt = ARRAY_SIZE(by_id);
	EXPECT_EQ(kbpf_prog_load(&opts, &q), 0, "load with the map");
	EXPECT_EQ(resize_logged(m, 8, NULL, why, sizeof(why)), -EBUSY,
		  "resize under a direct value");
	EXPECT_EQ(strstr(why, "1 loaded program(s) use the values as global data") != NULL,
		  1, "the pinned reason");
	EXPECT_EQ(m->attrs.max_entries, 4, "size after the refusal");
	kbpf_prog_free(p);
	p = NULL;
	EXPECT_EQ(resize_logged(m, 8, NULL, why, sizeof(why)), 0,
		  "resize once that program is gone");
	kbpf_prog_free(q);
	kbpf_map_put(m);
	return 0;
out:
	kbpf_prog_free(p);
	kbpf_prog_free(q);
	kbpf_map_put(m);
	return 1;
}

/* snprintf(fp - 16, 16, format at r3, fp - 24 = { 42 }, 8), then r0 = 0. */
#define SNPRINTF_R3(...)						\
	__VA_ARGS__,							\
	KBPF_ST_MEM(DW, KBPF_REG_10, -24, 42),				\
	KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_10),			\
	KBPF_ALU64_IMM(ADD, KBPF_REG_1, -16),				\
	KBPF_MOV64_IMM(KBPF_REG_2, 16),					\
	KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_10),			\
	KBPF_ALU64_IMM(ADD, KBPF_REG_4, -24),				\
	KBPF_MOV64_IMM(KBPF_REG_5, 8),					\
	KBPF_CALL_HELPER(KBPF_FUNC_snprintf),				\
	KBPF_MOV64_IMM(KBPF_REG_0, 0),					\
	KBPF_EXIT_INSN()

/*
 * The verifier reads a constant format in place only from values the
 * program pinned: a lookup's pointer could be into values a resize frees
 * while the verifier reads them, so it is no constant format.
 */
static int formats_only_from_pinned_values(char *msg, size_t msg_size)
{
	const struct kbpf_insn direct[] = {
		SNPRINTF_R3(KBPF_LD_IMM64_RAW(KBPF_REG_3, KBPF_PSEUDO_MAP_VALUE, 1)),
	};
	const struct kbpf_insn looked_up[] = {
		SNPRINTF_R3(KBPF_LD_MAP_ID(KBPF_REG_1, 1),
			    KBPF_ST_MEM(W, KBPF_REG_10, -4, 0),
			    KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10),
			    KBPF_ALU64_IMM(ADD, KBPF_REG_2, -4),
			    KBPF_CALL_HELPER(KBPF_FUNC_map_lookup_elem),
			    KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, 9),
			    KBPF_MOV64_REG(KBPF_REG_3, KBPF_REG_0)),
	};
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC, .insns = direct,
		.insn_cnt = ARRAY_SIZE(direct), .map_by_id = the_map,
	};
	struct kbpf_prog *p = NULL;
	struct kbpf_map *m = NULL;
	char fmt[8] = "%d", log[512];
	struct kbpf_log klog;
	u32 zero = 0;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, &m), 0,
		  "create");
	EXPECT_EQ(kbpf_map_update_user(m, &zero, fmt, KBPF_ANY), 0, "format");
	opts.map_priv = m;
	kbpf_log_init(&klog, log, sizeof(log), KBPF_LOG_LEVEL_ERRORS);
	opts.log = &klog;
	EXPECT_EQ(kbpf_prog_load(&opts, &p), 0, "a direct value format");
	kbpf_prog_free(p);
	p = NULL;
	opts.insns = looked_up;
	opts.insn_cnt = ARRAY_SIZE(looked_up);
	log[0] = '\0';
	EXPECT_EQ(kbpf_prog_load(&opts, &p), -EACCES, "a looked-up format");
	EXPECT_EQ(strstr(log, "the format must be a NUL-terminated constant") != NULL,
		  1, "the reason");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_prog_free(p);
	kbpf_map_put(m);
	return 1;
}

#ifndef __KERNEL__
/*
 * A value pointer found before a resize stays readable (and keeps its
 * contents) until the reader leaves its RCU section; the sanitizers of
 * `make unit` would see a use after free.
 */
struct old_reader {
	struct kbpf_map *map;
	bool holding;		/* in its read section, with the pointer */
	bool kept;		/* the old value read through it */
	bool done;		/* set last thing before it leaves the section */
};

/* A run's view: a value pointer kept across someone else's resize. */
static void *read_across_resize(void *arg)
{
	struct old_reader *r = arg;
	u32 idx = 3;
	u64 *p;

	kbpf_rcu_read_lock();
	p = kbpf_map_lookup_elem(r->map, &idx);
	__atomic_store_n(&r->holding, true, __ATOMIC_RELEASE);
	/* Long enough for the resize to be waiting for us. */
	usleep(20000);
	if (p) {
		r->kept = *p == 77;
		*p = 78;	/* lost: written to the old store */
	}
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	kbpf_rcu_read_unlock();
	return NULL;
}

/*
 * The resize frees the old store itself once the readers that may hold it
 * are gone: it returns only after the reader left its section, and the
 * reader found its value there meanwhile.
 */
static int old_values_outlive_readers(char *msg, size_t msg_size)
{
	struct old_reader r = { 0 };
	struct kbpf_map *m = NULL;
	bool waited;
	u32 idx = 3;
	char why[128];
	pthread_t t;
	int err;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, &m), 0,
		  "create");
	EXPECT_EQ(put_u64(m, 3, 77), 0, "update");
	r.map = m;
	EXPECT_EQ(pthread_create(&t, NULL, read_across_resize, &r), 0,
		  "thread");
	while (!__atomic_load_n(&r.holding, __ATOMIC_ACQUIRE))
		sched_yield();
	err = resize_logged(m, 2, NULL, why, sizeof(why));
	waited = __atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
	pthread_join(t, NULL);
	EXPECT_EQ(err, 0, "shrink");
	EXPECT_EQ(waited, 1, "the resize waited for the reader");
	EXPECT_EQ(r.kept, 1, "the old value under RCU");
	EXPECT_EQ(kbpf_map_lookup_elem(m, &idx) == NULL, 1, "gone after");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

struct hammer {
	struct kbpf_map *map;
	bool stop;
	u64 hits;
};

/* A program's view: lookups and writes through the value pointer. */
static void *hammer_lookups(void *arg)
{
	struct hammer *h = arg;
	u32 idx = 0;
	u64 *v;

	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
		kbpf_rcu_read_lock();
		v = kbpf_map_lookup_elem(h->map, &idx);
		if (v) {
			__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&h->hits, 1, __ATOMIC_RELAXED);
		}
		kbpf_rcu_read_unlock();
		idx = (idx + 1) % 64;
	}
	return NULL;
}

/* Resizes while another thread looks up and writes: no access strays. */
static int resize_under_lookups(char *msg, size_t msg_size)
{
	struct hammer h = { 0 };
	struct kbpf_map *m = NULL;
	pthread_t t;
	char why[128];
	int i, err = 0;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 64, 0, &m), 0,
		  "create");
	h.map = m;
	EXPECT_EQ(pthread_create(&t, NULL, hammer_lookups, &h), 0, "thread");
	/* At least 400 resizes, and on until the reader saw many values. */
	for (i = 0; !err && i < 1000000 &&
	     (i < 400 || __atomic_load_n(&h.hits, __ATOMIC_RELAXED) < 10000);
	     i++)
		err = resize_logged(m, i % 2 ? 64 : 1 + i % 50, NULL, why,
				    sizeof(why));
	__atomic_store_n(&h.stop, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	EXPECT_EQ(err, 0, "resize under lookups");
	EXPECT_EQ(h.hits >= 10000, 1, "the reader ran");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int rehash_killed(void)
{
	return -EINTR;
}

/*
 * A resizer killed while it rehashes (checked every 1024 buckets) leaves
 * the map as it was: size, cost, every element; a shrink gets its cap
 * back.  The next resize works.
 */
static int killed_rehash_changes_nothing(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u64 vals[REHASH_CPUS];
	char why[128];
	u64 cost;
	u32 k;
	int err;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, 2048, 0, &m), 0,
		  "create");
	for (k = 0; k < 1000; k++) {
		rehash_value(m, k, vals);
		EXPECT_EQ(kbpf_map_update_user(m, &k, vals, KBPF_NOEXIST), 0,
			  "fill");
	}
	cost = m->mem_bytes;
	kbpf_user_resched_hook = rehash_killed;
	err = resize_logged(m, 4096, NULL, why, sizeof(why));
	kbpf_user_resched_hook = NULL;
	EXPECT_EQ(err, -EINTR, "grow, killed");
	EXPECT_EQ(m->attrs.max_entries, 2048, "size after the kill");
	EXPECT_EQ(m->mem_bytes, cost, "cost after the kill");
	if (rehash_holds(m, 0, 1000, msg, msg_size))
		goto out;
	kbpf_user_resched_hook = rehash_killed;
	err = resize_logged(m, 1000, NULL, why, sizeof(why));
	kbpf_user_resched_hook = NULL;
	EXPECT_EQ(err, -EINTR, "shrink, killed");
	EXPECT_EQ(m->attrs.max_entries, 2048, "the cap back after the kill");
	EXPECT_EQ(m->mem_bytes, cost, "cost after the killed shrink");
	k = 1000;
	EXPECT_EQ(kbpf_map_update_user(m, &k, vals, KBPF_NOEXIST), 0,
		  "room above 1000 again");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete it");
	if (rehash_holds(m, 0, 1000, msg, msg_size))
		goto out;
	EXPECT_EQ(resize_logged(m, 1000, NULL, why, sizeof(why)), 0,
		  "shrink, not killed");
	EXPECT_EQ(m->mem_bytes, hash_created_cost(KBPF_MAP_TYPE_HASH, 1000),
		  "cost of the shrunk map");
	if (rehash_holds(m, 0, 1000, msg, msg_size))
		goto out;
	kbpf_map_put(m);
	return 0;
out:
	kbpf_user_resched_hook = NULL;
	kbpf_map_put(m);
	return 1;
}

/*
 * A hash map rehashed back and forth (256 <-> 4096 buckets) while threads
 * use it as programs and userspace do: stable keys must be found by every
 * lookup, with writes through the value pointer all kept; churned keys,
 * owned by one updater, must answer every operation exactly; every walk
 * must return each stable key once and nothing that was never inserted.
 */
#define STRESS_STABLE		128
#define STRESS_CHURN		100
#define STRESS_CHURN_BASE	1000

struct stress_val {
	u64 id;
	u64 hits;
};

struct stress {
	struct kbpf_map *map;
	bool stop;
	u32 failed;
	u64 hits;		/* increments made through value pointers */
	u64 walks;		/* complete walks */
	u64 churns;		/* churn operations */
	char why[128];		/* the first failure of a thread */
};

static bool stress_running(struct stress *s)
{
	return !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&s->failed, __ATOMIC_ACQUIRE);
}

static void stress_fail(struct stress *s, const char *what, u32 key, int err)
{
	if (!__atomic_exchange_n(&s->failed, 1, __ATOMIC_ACQ_REL))
		snprintf(s->why, sizeof(s->why), "%s: key %u, %d", what, key,
			 err);
}

/* A program's view: one lookup per RCU section, a write through it. */
static void *stress_lookups(void *arg)
{
	struct stress *s = arg;
	struct stress_val *v;
	u32 k = 0;

	while (stress_running(s)) {
		kbpf_rcu_read_lock();
		v = kbpf_map_lookup_elem(s->map, &k);
		if (v && v->id == k) {
			__atomic_fetch_add(&v->hits, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&s->hits, 1, __ATOMIC_RELAXED);
		}
		kbpf_rcu_read_unlock();
		if (!v || v->id != k)
			stress_fail(s, "a stable key looked up", k, 0);
		k = (k + 1) % STRESS_STABLE;
	}
	return NULL;
}

/* The expected answer of one operation on a key this thread owns. */
static int stress_churn_one(struct stress *s, u32 k, u32 op, bool *present)
{
	struct stress_val vals[KBPF_USER_NR_CPUS] = { { .id = k } };
	bool was = *present;
	int err, want;
	u32 i;

	for (i = 0; i < KBPF_USER_NR_CPUS; i++)
		vals[i].id = k;
	switch (op) {
	case 0:
		err = kbpf_map_update_user(s->map, &k, vals, KBPF_NOEXIST);
		want = *present ? -EEXIST : 0;
		*present = true;
		break;
	case 1:
		err = kbpf_map_delete_elem(s->map, &k);
		want = *present ? 0 : -ENOENT;
		*present = false;
		break;
	case 2:
		err = kbpf_map_update_user(s->map, &k, vals, KBPF_EXIST);
		want = *present ? 0 : -ENOENT;
		break;
	default:
		vals[0].id = 0;
		err = kbpf_map_lookup_copy(s->map, &k, vals);
		want = *present ? 0 : -ENOENT;
		if (!err && vals[0].id != k)
			err = -EBADMSG;
		break;
	}
	/*
	 * The other threads' replaces keep the map's grace reserve full
	 * (each leaves an element awaiting its grace period), so an insert or
	 * replace may find the map's memory held even after the update's two
	 * waits: -ENOMEM, documented, and the key as it was.
	 */
	if (err == -ENOMEM && (op == 0 || op == 2)) {
		*present = was;
		return 0;
	}
	return err == want ? 0 : err;
}

static void *stress_churn(void *arg)
{
	bool present[STRESS_CHURN] = { false };
	struct stress *s = arg;
	u32 r = 12345, i;
	int err;

	while (stress_running(s)) {
		r = r * 1103515245U + 12345U;
		i = (r >> 8) % STRESS_CHURN;
		err = stress_churn_one(s, STRESS_CHURN_BASE + i, (r >> 20) % 4,
				       &present[i]);
		if (err)
			stress_fail(s, "a churned key's operation", i, err);
		__atomic_fetch_add(&s->churns, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* One walk: stable keys once each, churned keys at most once. */
static void stress_walk(struct stress *s)
{
	u8 seen[STRESS_CHURN_BASE + STRESS_CHURN] = { 0 };
	u32 k, next, stable = 0;
	int err;

	for (err = kbpf_map_get_next_key(s->map, NULL, &next); !err;
	     err = kbpf_map_get_next_key(s->map, &k, &next)) {
		if ((next >= STRESS_STABLE && next < STRESS_CHURN_BASE) ||
		    next >= STRESS_CHURN_BASE + STRESS_CHURN || seen[next]) {
			stress_fail(s, "a walk returned", next, 0);
			return;
		}
		seen[next] = 1;
		stable += next < STRESS_STABLE;
		k = next;
	}
	if (err != -ENOENT || stable != STRESS_STABLE)
		stress_fail(s, "stable keys walked", stable, err);
	__atomic_fetch_add(&s->walks, 1, __ATOMIC_RELAXED);
}

static void *stress_walks(void *arg)
{
	struct stress *s = arg;

	while (stress_running(s))
		stress_walk(s);
	return NULL;
}

static int stress_fill(struct kbpf_map *m)
{
	struct stress_val vals[KBPF_USER_NR_CPUS] = { { 0 } };
	u32 k, i;
	int err;

	for (k = 0; k < STRESS_STABLE; k++) {
		for (i = 0; i < KBPF_USER_NR_CPUS; i++)
			vals[i].id = k;
		err = kbpf_map_update_user(m, &k, vals, KBPF_NOEXIST);
		if (err)
			return err;
	}
	return 0;
}

/* The hits the stable keys hold (this environment runs on CPU 0). */
static u64 stress_hits(struct kbpf_map *m)
{
	struct stress_val vals[KBPF_USER_NR_CPUS];
	u64 sum = 0;
	u32 k;

	for (k = 0; k < STRESS_STABLE; k++)
		if (!kbpf_map_lookup_copy(m, &k, vals))
			sum += vals[0].hits;
	return sum;
}

static int rehash_stress_one(u32 type, char *msg, size_t msg_size)
{
	void *(*fns[])(void *) = { stress_lookups, stress_churn, stress_walks };
	struct stress s = { 0 };
	pthread_t t[ARRAY_SIZE(fns)];
	struct kbpf_map *m = NULL;
	u32 i, n, started = 0;
	char why[128];
	int err = 0;

	EXPECT_EQ(kbpf_test_map(type, 4, sizeof(struct stress_val), 256, 0,
				&m), 0, "create");
	EXPECT_EQ(stress_fill(m), 0, "stable keys");
	s.map = m;
	for (; started < ARRAY_SIZE(fns); started++)
		if (pthread_create(&t[started], NULL, fns[started], &s))
			break;
	/* 400 rehashes at least, and on until every thread did its share. */
	for (n = 0; !err && started == ARRAY_SIZE(fns) && n < 100000 &&
	     !__atomic_load_n(&s.failed, __ATOMIC_ACQUIRE) &&
	     (n < 400 || __atomic_load_n(&s.hits, __ATOMIC_RELAXED) < 20000 ||
	      __atomic_load_n(&s.walks, __ATOMIC_RELAXED) < 100 ||
	      __atomic_load_n(&s.churns, __ATOMIC_RELAXED) < 20000); n++)
		err = resize_logged(m, n % 2 ? 4096 : 256 + n % 64, NULL, why,
				    sizeof(why));
	__atomic_store_n(&s.stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(started, ARRAY_SIZE(fns), "threads");
	if (s.failed) {
		snprintf(msg, msg_size, "%s", s.why);
		goto out;
	}
	EXPECT_EQ(err, 0, "rehashes under traffic");
	EXPECT_EQ(stress_hits(m), s.hits, "writes through value pointers kept");
	EXPECT_EQ(s.walks >= 100 && s.churns >= 20000, 1, "the threads ran");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/*
 * Replacing elements (hash) and updating them in place with an LRU list
 * (LRU per-CPU hash) cover the writers' paths; ~0.7 s each under ASan.
 */
static int rehash_under_traffic(char *msg, size_t msg_size)
{
	const u32 types[] = { KBPF_MAP_TYPE_HASH,
			      KBPF_MAP_TYPE_LRU_PERCPU_HASH };

	return for_types(types, ARRAY_SIZE(types), rehash_stress_one, msg,
			 msg_size);
}
#endif

static const struct kbpf_test_fn_case map_resize_cases[] = {
	{ "an array grows with zeroed elements and shrinks from the end", array_grow_and_shrink },
	{ "a per-CPU array keeps every CPU's values", percpu_array_keeps_every_cpu },
	{ "a hash map moves its cap and refuses to shrink below its count", hash_moves_its_cap },
	{ "an LRU hash shrinks by evicting the least recently used", lru_shrink_evicts },
	{ "every hash type rehashes into buckets for its new size", hash_rehashes },
	{ "refusals give a reason and change nothing", refusals_change_nothing },
	{ "the budget of all maps follows the size", budget_follows_size },
	{ "direct value addresses fix an array's size while loaded", direct_values_pin_the_size },
	{ "constant formats are read only from pinned values", formats_only_from_pinned_values },
#ifndef __KERNEL__
	{ "old values outlive the RCU readers that found them", old_values_outlive_readers },
	{ "resizes under concurrent lookups and writes", resize_under_lookups },
	{ "hash maps rehash under lookups, updates and walks", rehash_under_traffic },
	{ "a killed rehash leaves the hash map as it was", killed_rehash_changes_nothing },
#endif
};

KBPF_FN_TEST_SUITE(map_resize, "kbpf_map_resize", map_resize_cases);
