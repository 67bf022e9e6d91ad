// SPDX-License-Identifier: GPL-2.0
/*
 * Array maps: max_entries values indexed by a u32 key, allocated at creation
 * (or resize), so a program may keep a value pointer for the whole run.
 * Every element always exists; delete is not supported.
 *
 * A per-CPU array keeps one such array per CPU id, one after another, so
 * each CPU's values share cache lines only with its own.
 *
 * The values live in a store published with RCU.  A resize (cloud profile)
 * builds a new store, copies the elements both sizes have (a grown array's
 * new elements are zero), publishes it, waits for a grace period and frees
 * the old one: a program's value pointer stays valid for its run, and
 * every access is bounded by the store it was found in.  Both stores are
 * charged to the budget until then (the smaller one as the resize's
 * transient bytes).  A write made to the old store after the copy is lost.
 * Programs that address values directly (global data) pin the store:
 * resizing is then refused.
 */
#include "map.h"

struct array_store {
	u32 max_entries;
	u64 cpu_stride;		/* bytes of one CPU's array */
	u64 values[];		/* max_entries elements, per CPU id */
};

struct kbpf_array_map {
	struct kbpf_map map;
	u32 elem_size;		/* value_size rounded up to 8 */
	u32 cpus;		/* arrays per store: 1, or every CPU id */
	struct array_store *store;	/* RCU */
};

static struct kbpf_array_map *to_array(struct kbpf_map *map)
{
	return (struct kbpf_array_map *)map;
}

/* In an RCU read section: the store and everything in it stay. */
static struct array_store *array_store(struct kbpf_map *map)
{
	return kbpf_rcu_deref(to_array(map)->store);
}

/* Element idx of CPU cpu's array in st (cpu 0 for plain arrays), or NULL. */
static u8 *store_elem(struct kbpf_map *map, struct array_store *st,
		      const void *key, u32 cpu)
{
	u32 idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= st->max_entries)
		return NULL;
	return (u8 *)st->values + st->cpu_stride * cpu +
	       (size_t)idx * to_array(map)->elem_size;
}

static u8 *array_elem(struct kbpf_map *map, const void *key, u32 cpu)
{
	return store_elem(map, array_store(map), key, cpu);
}

static int array_check(const struct kbpf_map_attrs *attrs,
		       const struct kbpf_limits *limits, struct kbpf_log *log,
		       bool percpu)
{
	int err = kbpf_map_check_sizes(attrs, limits, percpu, log);

	if (err)
		return err;
	if (attrs->key_size != sizeof(u32)) {
		kbpf_map_log(log, "an array's key_size must be 4, not %u",
			     attrs->key_size);
		return -EINVAL;
	}
	return 0;
}

static int plain_array_check(const struct kbpf_map_attrs *attrs,
			     const struct kbpf_limits *limits,
			     struct kbpf_log *log)
{
	return array_check(attrs, limits, log, false);
}

static int percpu_array_check(const struct kbpf_map_attrs *attrs,
			      const struct kbpf_limits *limits,
			      struct kbpf_log *log)
{
	return array_check(attrs, limits, log, true);
}

static int array_cost(const struct kbpf_map_attrs *attrs, bool percpu,
		      u64 *bytes)
{
	u64 values;

	if (kbpf_map_values_bytes(attrs->value_size, attrs->max_entries,
				  percpu, &values))
		return -E2BIG;
	return kbpf_mul_add(1, values, sizeof(struct kbpf_array_map) +
			    sizeof(struct array_store), bytes);
}

static int plain_array_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return array_cost(attrs, false, bytes);
}

static int percpu_array_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return array_cost(attrs, true, bytes);
}

/* Zeroed values for max_entries elements; the cost check bounded them. */
static struct array_store *store_new(const struct kbpf_array_map *am,
				     u32 max_entries)
{
	u64 stride = (u64)am->elem_size * max_entries;
	struct array_store *st;

	st = kbpf_zalloc(sizeof(*st) + stride * am->cpus);
	if (!st)
		return NULL;
	st->max_entries = max_entries;
	st->cpu_stride = stride;
	return st;
}

static int array_alloc_common(const struct kbpf_map_attrs *attrs, u32 cpus,
			      struct kbpf_map **mapp)
{
	struct kbpf_array_map *am;

	am = kbpf_zalloc(sizeof(*am));
	if (!am)
		return -ENOMEM;
	am->elem_size = kbpf_round_up8(attrs->value_size);
	am->cpus = cpus;
	am->store = store_new(am, attrs->max_entries);
	if (!am->store) {
		kbpf_free(am);
		return -ENOMEM;
	}
	*mapp = &am->map;
	return 0;
}

static int plain_array_alloc(const struct kbpf_map_attrs *attrs,
			     struct kbpf_map **mapp)
{
	return array_alloc_common(attrs, 1, mapp);
}

static int percpu_array_alloc(const struct kbpf_map_attrs *attrs,
			      struct kbpf_map **mapp)
{
	return array_alloc_common(attrs, kbpf_nr_cpu_ids(), mapp);
}

static void array_free(struct kbpf_map *map)
{
	kbpf_free(to_array(map)->store);
	kbpf_free(map);
}

static void *array_lookup(struct kbpf_map *map, const void *key)
{
	return array_elem(map, key, 0);
}

static void *percpu_array_lookup(struct kbpf_map *map, const void *key)
{
	return array_elem(map, key, kbpf_processor_id());
}

static int array_lookup_copy(struct kbpf_map *map, const void *key,
			     void *value)
{
	void *elem = array_elem(map, key, 0);

	if (!elem)
		return -ENOENT;
	memcpy(value, elem, map->attrs.value_size);
	return 0;
}

static int percpu_array_lookup_copy(struct kbpf_map *map, const void *key,
				    void *value)
{
	struct array_store *st = array_store(map);
	u8 *elem = store_elem(map, st, key, 0);

	if (!elem)
		return -ENOENT;
	kbpf_percpu_to_user(value, elem, st->cpu_stride,
			    map->attrs.value_size);
	return 0;
}

/* An update's target: -E2BIG past the end; every index exists. */
static int array_update_target(struct kbpf_map *map, struct array_store *st,
			       const void *key, u64 flags, u32 cpu, u8 **elem)
{
	*elem = store_elem(map, st, key, cpu);
	if (!*elem)
		return -E2BIG;
	if (flags == KBPF_NOEXIST)
		return -EEXIST;
	return 0;
}

static int array_update(struct kbpf_map *map, const void *key,
			const void *value, u64 flags)
{
	u8 *elem;
	int err = array_update_target(map, array_store(map), key, flags, 0,
				      &elem);

	if (!err)
		memcpy(elem, value, map->attrs.value_size);
	return err;
}

static int percpu_array_update(struct kbpf_map *map, const void *key,
			       const void *value, u64 flags)
{
	u8 *elem;
	int err = array_update_target(map, array_store(map), key, flags,
				      kbpf_processor_id(), &elem);

	if (!err)
		memcpy(elem, value, map->attrs.value_size);
	return err;
}

static int percpu_array_update_user(struct kbpf_map *map, const void *key,
				    const void *value, u64 flags)
{
	struct array_store *st = array_store(map);
	u8 *elem;
	int err = array_update_target(map, st, key, flags, 0, &elem);

	if (!err)
		kbpf_percpu_from_user(elem, st->cpu_stride, value,
				      map->attrs.value_size);
	return err;
}

static int array_delete(struct kbpf_map *map, const void *key)
{
	return -EINVAL;
}

static int array_get_next_key(struct kbpf_map *map, const void *key,
			      void *next_key)
{
	u32 idx, next, n = array_store(map)->max_entries;

	idx = U32_MAX;
	if (key)
		memcpy(&idx, key, sizeof(idx));
	/* A missing or out-of-range key restarts from the first index. */
	if (idx >= n)
		next = 0;
	else if (idx < n - 1)
		next = idx + 1;
	else
		return -ENOENT;
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

/* Only once the caller pinned the values (or for a map no one resizes). */
static void *array_direct_value(struct kbpf_map *map, u32 off)
{
	return (u8 *)array_store(map)->values + off;
}

/* ---- resizing ----------------------------------------------------------- */

static int plain_array_resize_cost(const struct kbpf_map *map, u32 max_entries,
				   u64 *bytes)
{
	struct kbpf_map_attrs a = map->attrs;

	a.max_entries = max_entries;
	return array_cost(&a, false, bytes);
}

static int percpu_array_resize_cost(const struct kbpf_map *map,
				    u32 max_entries, u64 *bytes)
{
	struct kbpf_map_attrs a = map->attrs;

	a.max_entries = max_entries;
	return array_cost(&a, true, bytes);
}

/* The elements both stores have, each CPU's array in turn. */
static void store_copy(struct array_store *to, const struct array_store *from,
		       u32 cpus)
{
	u64 n = to->cpu_stride < from->cpu_stride ? to->cpu_stride :
						    from->cpu_stride;
	u32 cpu;

	for (cpu = 0; cpu < cpus; cpu++)
		memcpy((u8 *)to->values + to->cpu_stride * cpu,
		       (const u8 *)from->values + from->cpu_stride * cpu, n);
}

/* The old and the new store exist together: the smaller one is extra. */
static u64 array_resize_transient(const struct kbpf_map *map, u32 max_entries)
{
	const struct kbpf_array_map *am = (const struct kbpf_array_map *)map;
	u32 n = map->attrs.max_entries < max_entries ? map->attrs.max_entries :
						       max_entries;

	return sizeof(struct array_store) + (u64)am->elem_size * n * am->cpus;
}

/*
 * kbpf_map_resize() runs one resize at a time: am->store is ours to swap.
 * Sleeps (a grace period), so the old store is freed before the budget
 * stops counting it.
 */
static int array_resize(struct kbpf_map *map, u32 max_entries,
			struct kbpf_log *log)
{
	struct kbpf_array_map *am = to_array(map);
	struct array_store *old = am->store, *st;
	bool unpinned;

	st = store_new(am, max_entries);
	if (!st)
		return -ENOMEM;
	store_copy(st, old, am->cpus);
	kbpf_lock_acquire(&map->resize_lock);
	unpinned = kbpf_map_values_unpinned_locked(map, log);
	if (unpinned) {
		kbpf_rcu_assign(am->store, st);
		kbpf_rcu_assign(map->attrs.max_entries, max_entries);
	}
	kbpf_lock_release(&map->resize_lock);
	if (!unpinned) {
		kbpf_free(st);
		return -EBUSY;
	}
	/* Runs and userspace copies that found the old store finish first. */
	kbpf_synchronize_rcu();
	kbpf_free(old);
	return 0;
}

const struct kbpf_map_ops kbpf_array_map_ops = {
	.create_flags = KBPF_F_PROG_ACCESS,
	.check = plain_array_check,
	.mem_cost = plain_array_cost,
	.alloc = plain_array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.lookup_copy = array_lookup_copy,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = array_get_next_key,
	.direct_value = array_direct_value,
	.resize_cost = plain_array_resize_cost,
	.resize_transient = array_resize_transient,
	.resize = array_resize,
};

const struct kbpf_map_ops kbpf_percpu_array_map_ops = {
	.create_flags = KBPF_F_PROG_ACCESS,
	.check = percpu_array_check,
	.mem_cost = percpu_array_cost,
	.alloc = percpu_array_alloc,
	.free = array_free,
	.lookup = percpu_array_lookup,
	.lookup_copy = percpu_array_lookup_copy,
	.update = percpu_array_update,
	.update_user = percpu_array_update_user,
	.delete = array_delete,
	.get_next_key = array_get_next_key,
	.resize_cost = percpu_array_resize_cost,
	.resize_transient = array_resize_transient,
	.resize = array_resize,
	.percpu = true,
};
