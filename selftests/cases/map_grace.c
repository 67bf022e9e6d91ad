// SPDX-License-Identifier: GPL-2.0
/*
 * Elements awaiting their grace period count against their map: a deleted
 * or replaced hash element, or an LPM trie node, stays the map's until it
 * is freed, and a map holds at most max_entries plus the grace reserve
 * elements (kbpf_map_grace_reserve(), what its memory cost counts), so a
 * burst of deletes and inserts inside one run -- where no grace period can
 * end -- stops at that bound with -ENOMEM.  Userspace, which may sleep,
 * waits for the grace period instead; a map freed with elements still
 * waiting gives its budget back only once they are freed.
 */
#include "map_test.h"
#include "../../kmod/core/maps/map.h"

#ifndef __KERNEL__
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#endif

#define GRACE_ENTRIES	8

static int count_keys(struct kbpf_map *m)
{
	u32 k = 0, next, n = 0;
	int err;

	for (err = kbpf_map_get_next_key(m, NULL, &next); !err;
	     err = kbpf_map_get_next_key(m, &k, &next)) {
		k = next;
		n++;
	}
	return n;
}

/* A zeroed value in the ioctl layout (every CPU's for per-CPU maps). */
static void *user_value(struct kbpf_map *m)
{
	return kbpf_zalloc(kbpf_map_user_value_size(m));
}

static int fill(struct kbpf_map *m, u32 n)
{
	void *v = user_value(m);
	u32 k;
	int err = v ? 0 : -ENOMEM;

	for (k = 0; !err && k < n; k++)
		err = kbpf_map_update_user(m, &k, v, KBPF_NOEXIST);
	kbpf_free(v);
	return err;
}

/*
 * In one run: delete the oldest key and insert a new one until an insert
 * fails; *cycles counts those that succeeded.  An LRU map needs no delete:
 * the insert evicts.  Returns the failing insert's error.
 */
static int churn_to_bound(struct kbpf_map *m, bool lru, u32 *cycles)
{
	u64 v = 1;
	u32 k;
	int err = 0;

	for (*cycles = 0; !err && *cycles < 100000; (*cycles)++) {
		k = *cycles;
		if (!lru && kbpf_map_delete_elem(m, &k))
			return -ENOENT;
		k = GRACE_ENTRIES + *cycles;
		err = kbpf_map_update_elem(m, &k, &v, KBPF_NOEXIST);
	}
	(*cycles)--;
	return err;
}

/* One hash type at its bound, inside a run section that holds off RCU. */
static int hash_bound_one(u32 type, char *msg, size_t msg_size)
{
	bool lru = type == KBPF_MAP_TYPE_LRU_HASH ||
		   type == KBPF_MAP_TYPE_LRU_PERCPU_HASH;
	u32 reserve = kbpf_map_grace_reserve(GRACE_ENTRIES), cycles, k;
	struct kbpf_map *m = NULL;
	int err, replace, keys;
	void *v = NULL;

	EXPECT_EQ(kbpf_test_map(type, 4, 8, GRACE_ENTRIES, 0, &m), 0,
		  "create");
	v = user_value(m);
	EXPECT_EQ(v != NULL, 1, "value buffer");
	EXPECT_EQ(fill(m, GRACE_ENTRIES), 0, "fill");
	kbpf_run_section_begin();
	err = churn_to_bound(m, lru, &cycles);
	/* The newest key, replaced: a new element (per-CPU: in place). */
	k = GRACE_ENTRIES + cycles - 1;
	replace = kbpf_map_update_elem(m, &k, v, KBPF_EXIST);
	keys = count_keys(m);
	kbpf_run_section_end();
	EXPECT_EQ(err, -ENOMEM, "the insert past the reserve");
	EXPECT_EQ(cycles, reserve, "deletes and inserts the reserve allows");
	EXPECT_EQ(replace, m->ops->percpu ? 0 : -ENOMEM,
		  "a replace past the reserve (in place if per-CPU)");
	EXPECT_EQ(keys, lru ? GRACE_ENTRIES : GRACE_ENTRIES - 1,
		  "elements linked in (the refused insert's delete stays)");

	/* Out of the run: userspace waits for the grace period if need be. */
	k = 1000;
	EXPECT_EQ(kbpf_map_update_user(m, &k, v, KBPF_ANY), 0,
		  "userspace insert after the run");
	kbpf_rcu_barrier();
	EXPECT_EQ(kbpf_map_frees_pending(m), 0, "all freed after the barrier");
	kbpf_free(v);
	kbpf_map_put(m);
	return 0;
out:
	kbpf_free(v);
	kbpf_map_put(m);
	return 1;
}

static int hash_bound(char *msg, size_t msg_size)
{
	static const u32 types[] = {
		KBPF_MAP_TYPE_HASH, KBPF_MAP_TYPE_PERCPU_HASH,
		KBPF_MAP_TYPE_LRU_HASH, KBPF_MAP_TYPE_LRU_PERCPU_HASH,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (hash_bound_one(types[i], msg, msg_size))
			return 1;
	return 0;
}

/*
 * The cost counts the reserve: 5, 6 and 8 entries share 8 buckets, so
 * their costs differ by elements only; the reserve grows by one from 6 to
 * 8 (a quarter of max_entries), so 8 entries cost three elements more
 * than 5 and the reserve's one.
 */
static int hash_cost_counts_reserve(char *msg, size_t msg_size)
{
	struct kbpf_map *m5 = NULL, *m6 = NULL, *m8 = NULL;
	u64 elem;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, 5, 0, &m5), 0, "5");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, 6, 0, &m6), 0, "6");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, 8, 0, &m8), 0, "8");
	elem = m6->mem_bytes - m5->mem_bytes;
	EXPECT_EQ(elem >= 8 + 8, 1, "an element costs its key and value");
	EXPECT_EQ(m8->mem_bytes - m5->mem_bytes, 4 * elem,
		  "three elements and one of reserve");
	EXPECT_EQ(m8->mem_bytes >= (8 + kbpf_map_grace_reserve(8)) * elem, 1,
		  "every element the map may hold is counted");
	kbpf_map_put(m5);
	kbpf_map_put(m6);
	kbpf_map_put(m8);
	return 0;
out:
	kbpf_map_put(m5);
	kbpf_map_put(m6);
	kbpf_map_put(m8);
	return 1;
}

struct lpm_key8 {
	u32 prefixlen;
	u8 data[4];
};

/* A trie's nodes awaiting their grace period count too. */
static int lpm_bound(char *msg, size_t msg_size)
{
	u32 reserve = kbpf_map_grace_reserve(GRACE_ENTRIES), ok = 0;
	struct lpm_key8 key = { .prefixlen = 24, .data = { 10, 0, 0, 0 } };
	struct kbpf_map *m = NULL;
	u64 v = 1;
	int err = 0;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_LPM_TRIE, sizeof(key), 8,
				GRACE_ENTRIES, KBPF_F_NO_PREALLOC, &m), 0,
		  "create");
	kbpf_run_section_begin();
	/* Each insert is one node, each delete retires it. */
	while (!err && ok < 100000) {
		err = kbpf_map_update_elem(m, &key, &v, KBPF_NOEXIST);
		if (!err && !kbpf_map_delete_elem(m, &key))
			ok++;
	}
	kbpf_run_section_end();
	EXPECT_EQ(err, -ENOMEM, "the insert past the nodes counted");
	EXPECT_EQ(ok, 2 * (GRACE_ENTRIES + reserve),
		  "inserts the nodes counted allow");
	EXPECT_EQ(kbpf_map_update_user(m, &key, &v, KBPF_NOEXIST), 0,
		  "userspace insert after the run");
	kbpf_rcu_barrier();
	EXPECT_EQ(kbpf_map_frees_pending(m), 0, "all freed after the barrier");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

#ifndef __KERNEL__
/* A run that churns a map to its bound and stays in it for a while. */
struct long_run {
	struct kbpf_map *map;
	bool at_bound;
	bool done;		/* set last thing before the section ends */
	int err;
};

static void *churn_and_hold(void *arg)
{
	struct long_run *r = arg;
	u32 cycles;

	kbpf_run_section_begin();
	r->err = churn_to_bound(r->map, false, &cycles);
	__atomic_store_n(&r->at_bound, true, __ATOMIC_RELEASE);
	usleep(20000);
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	kbpf_run_section_end();
	return NULL;
}

static int start_long_run(struct long_run *r, pthread_t *t)
{
	if (pthread_create(t, NULL, churn_and_hold, r))
		return -1;
	while (!__atomic_load_n(&r->at_bound, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

/* Userspace's insert waits for the run holding the grace period. */
static int user_update_waits(char *msg, size_t msg_size)
{
	struct long_run r = { 0 };
	struct kbpf_map *m = NULL;
	u64 v = 1;
	u32 k = 5000;
	bool waited;
	pthread_t t;
	int err;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, GRACE_ENTRIES, 0,
				&m), 0, "create");
	EXPECT_EQ(fill(m, GRACE_ENTRIES), 0, "fill");
	r.map = m;
	EXPECT_EQ(start_long_run(&r, &t), 0, "thread");
	err = kbpf_map_update_user(m, &k, &v, KBPF_NOEXIST);
	waited = __atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
	pthread_join(t, NULL);
	EXPECT_EQ(r.err, -ENOMEM, "the run reached the bound");
	EXPECT_EQ(err, 0, "userspace insert");
	EXPECT_EQ(waited, 1, "it waited for the run's grace period");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* The last put waits for the elements, then gives the budget back. */
static int free_waits_for_elements(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs a = { .type = KBPF_MAP_TYPE_HASH, .key_size = 4,
				    .value_size = 8,
				    .max_entries = GRACE_ENTRIES };
	struct kbpf_map_create_opts opts = { .attrs = &a };
	struct long_run r = { 0 };
	struct kbpf_map_budget b;
	struct kbpf_map *m = NULL;
	bool waited;
	pthread_t t;

	kbpf_map_budget_init(&b, 1ULL << 30);
	opts.budget = &b;
	EXPECT_EQ(kbpf_map_new(&opts, &m), 0, "create");
	EXPECT_EQ(fill(m, GRACE_ENTRIES), 0, "fill");
	r.map = m;
	EXPECT_EQ(start_long_run(&r, &t), 0, "thread");
	EXPECT_EQ(kbpf_map_frees_pending(m) > 0, 1, "elements waiting");
	kbpf_map_put(m);
	m = NULL;
	waited = __atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
	pthread_join(t, NULL);
	EXPECT_EQ(waited, 1, "the free waited for the run");
	EXPECT_EQ(b.used_bytes == 0 && b.maps == 0, 1, "budget given back");
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}
#endif

static const struct kbpf_test_fn_case map_grace_cases[] = {
	{ "hash maps hold at most max_entries plus the grace reserve", hash_bound },
	{ "a hash map's cost counts the grace reserve", hash_cost_counts_reserve },
	{ "an LPM trie's retired nodes count until freed", lpm_bound },
#ifndef __KERNEL__
	{ "userspace's insert waits for the grace period", user_update_waits },
	{ "a map is freed after its elements awaiting a grace period", free_waits_for_elements },
#endif
};

KBPF_FN_TEST_SUITE(map_grace, "kbpf_map_grace", map_grace_cases);
