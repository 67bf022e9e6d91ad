// SPDX-License-Identifier: GPL-2.0
/*
 * Array maps: max_entries values indexed by a u32 key, allocated at creation
 * and never freed before the map, so a program may keep a value pointer for
 * the whole run.  Every element always exists; delete is not supported.
 *
 * A per-CPU array keeps one such array per CPU id, one after another, so
 * each CPU's values share cache lines only with its own.
 */
#include "map.h"

struct kbpf_array_map {
	struct kbpf_map map;
	u32 elem_size;		/* value_size rounded up to 8 */
	u64 cpu_stride;		/* per-CPU: bytes of one CPU's array */
	u8 *values;		/* max_entries * elem_size bytes, per CPU id */
};

static struct kbpf_array_map *to_array(struct kbpf_map *map)
{
	return (struct kbpf_array_map *)map;
}

/* Element idx of CPU cpu's array (cpu 0 for plain arrays), or NULL. */
static u8 *array_elem(struct kbpf_map *map, const void *key, u32 cpu)
{
	struct kbpf_array_map *am = to_array(map);
	u32 idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->attrs.max_entries)
		return NULL;
	return am->values + am->cpu_stride * cpu + (size_t)idx * am->elem_size;
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
	return kbpf_mul_add(1, values, sizeof(struct kbpf_array_map), bytes);
}

static int plain_array_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return array_cost(attrs, false, bytes);
}

static int percpu_array_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return array_cost(attrs, true, bytes);
}

static int array_alloc_common(const struct kbpf_map_attrs *attrs, u32 cpus,
			      struct kbpf_map **mapp)
{
	struct kbpf_array_map *am;
	u64 bytes;

	am = kbpf_zalloc(sizeof(*am));
	if (!am)
		return -ENOMEM;
	am->elem_size = kbpf_round_up8(attrs->value_size);
	am->cpu_stride = (u64)am->elem_size * attrs->max_entries;
	/* The cost check bounded this product already. */
	bytes = am->cpu_stride * cpus;
	am->values = kbpf_zalloc(bytes);
	if (!am->values) {
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
	kbpf_free(to_array(map)->values);
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
	u8 *elem = array_elem(map, key, 0);

	if (!elem)
		return -ENOENT;
	kbpf_percpu_to_user(value, elem, to_array(map)->cpu_stride,
			    map->attrs.value_size);
	return 0;
}

/* An update's target: -E2BIG past the end; every index exists. */
static int array_update_target(struct kbpf_map *map, const void *key,
			       u64 flags, u32 cpu, u8 **elem)
{
	*elem = array_elem(map, key, cpu);
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
	int err = array_update_target(map, key, flags, 0, &elem);

	if (!err)
		memcpy(elem, value, map->attrs.value_size);
	return err;
}

static int percpu_array_update(struct kbpf_map *map, const void *key,
			       const void *value, u64 flags)
{
	u8 *elem;
	int err = array_update_target(map, key, flags, kbpf_processor_id(),
				      &elem);

	if (!err)
		memcpy(elem, value, map->attrs.value_size);
	return err;
}

static int percpu_array_update_user(struct kbpf_map *map, const void *key,
				    const void *value, u64 flags)
{
	u8 *elem;
	int err = array_update_target(map, key, flags, 0, &elem);

	if (!err)
		kbpf_percpu_from_user(elem, to_array(map)->cpu_stride, value,
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
	u32 idx, next;

	idx = U32_MAX;
	if (key)
		memcpy(&idx, key, sizeof(idx));
	/* A missing or out-of-range key restarts from the first index. */
	if (idx >= map->attrs.max_entries)
		next = 0;
	else if (idx < map->attrs.max_entries - 1)
		next = idx + 1;
	else
		return -ENOENT;
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

static void *array_direct_value(struct kbpf_map *map, u32 off)
{
	return to_array(map)->values + off;
}

const struct kbpf_map_ops kbpf_array_map_ops = {
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
};

const struct kbpf_map_ops kbpf_percpu_array_map_ops = {
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
	.percpu = true,
};
