// SPDX-License-Identifier: GPL-2.0
/*
 * Array maps: max_entries values indexed by a u32 key, allocated at creation
 * and never freed before the map, so a program may keep a value pointer for
 * the whole run.  Every element always exists; delete is not supported.
 */
#include "map.h"

struct kbpf_array_map {
	struct kbpf_map map;
	u32 elem_size;		/* value_size rounded up to 8 */
	u8 *values;		/* max_entries * elem_size bytes */
};

static struct kbpf_array_map *to_array(struct kbpf_map *map)
{
	return (struct kbpf_array_map *)map;
}

static void *array_elem(struct kbpf_map *map, const void *key)
{
	struct kbpf_array_map *am = to_array(map);
	u32 idx;

	memcpy(&idx, key, sizeof(idx));
	if (idx >= map->attrs.max_entries)
		return NULL;
	return am->values + (size_t)idx * am->elem_size;
}

static void array_free(struct kbpf_map *map)
{
	kbpf_free(to_array(map)->values);
	kbpf_free(map);
}

static void *array_lookup(struct kbpf_map *map, const void *key)
{
	return array_elem(map, key);
}

static int array_lookup_copy(struct kbpf_map *map, const void *key,
			     void *value)
{
	void *elem = array_elem(map, key);

	if (!elem)
		return -ENOENT;
	memcpy(value, elem, map->attrs.value_size);
	return 0;
}

static int array_update(struct kbpf_map *map, const void *key,
			const void *value, u64 flags)
{
	void *elem = array_elem(map, key);

	if (!elem)
		return -E2BIG;
	/* Every index exists: "create only" can never succeed. */
	if (flags == KBPF_NOEXIST)
		return -EEXIST;
	memcpy(elem, value, map->attrs.value_size);
	return 0;
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

static const struct kbpf_map_ops kbpf_array_map_ops = {
	.free = array_free,
	.lookup = array_lookup,
	.lookup_copy = array_lookup_copy,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = array_get_next_key,
	.direct_value = array_direct_value,
};

int kbpf_array_map_alloc(const struct kbpf_map_attrs *attrs,
			 struct kbpf_map **mapp)
{
	struct kbpf_array_map *am;
	size_t bytes;

	if (attrs->key_size != sizeof(u32))
		return -EINVAL;
	if (check_mul_overflow((size_t)kbpf_round_up8(attrs->value_size),
			       (size_t)attrs->max_entries, &bytes))
		return -E2BIG;

	am = kbpf_zalloc(sizeof(*am));
	if (!am)
		return -ENOMEM;
	am->elem_size = kbpf_round_up8(attrs->value_size);
	am->values = kbpf_zalloc(bytes);
	if (!am->values) {
		kbpf_free(am);
		return -ENOMEM;
	}
	am->map.ops = &kbpf_array_map_ops;
	*mapp = &am->map;
	return 0;
}
