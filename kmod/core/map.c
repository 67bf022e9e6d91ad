// SPDX-License-Identifier: GPL-2.0
/*
 * Generic map operations: creation checks shared by every type, reference
 * counting, and dispatch to the type's kbpf_map_ops.
 */
#include "map.h"

/* Checks every map type shares; the type constructor checks the rest. */
static int check_map_attrs(const struct kbpf_map_attrs *attrs,
			   const struct kbpf_limits *limits)
{
	if (attrs->flags)
		return -EINVAL;
	if (!attrs->key_size || !attrs->value_size || !attrs->max_entries)
		return -EINVAL;
	if (attrs->key_size > limits->max_key_size ||
	    attrs->value_size > limits->max_value_size ||
	    attrs->max_entries > limits->max_entries)
		return -E2BIG;
	return 0;
}

int kbpf_map_create(const struct kbpf_map_attrs *attrs,
		    const struct kbpf_limits *limits, struct kbpf_map **mapp)
{
	struct kbpf_map *map = NULL;
	int err;

	*mapp = NULL;
	if (!limits)
		limits = kbpf_default_limits();
	err = check_map_attrs(attrs, limits);
	if (err)
		return err;

	switch (attrs->type) {
	case KBPF_MAP_TYPE_ARRAY:
		err = kbpf_array_map_alloc(attrs, &map);
		break;
	case KBPF_MAP_TYPE_HASH:
		err = kbpf_hash_map_alloc(attrs, &map);
		break;
	default:
		/* Per-CPU and LPM types are known to the ABI, not built yet. */
		err = -EINVAL;
		break;
	}
	if (err)
		return err;

	map->attrs = *attrs;
	kbpf_refcount_set(&map->refcnt, 1);
	*mapp = map;
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_create);

void kbpf_map_get(struct kbpf_map *map)
{
	kbpf_refcount_inc(&map->refcnt);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_get);

void kbpf_map_put(struct kbpf_map *map)
{
	if (map && kbpf_refcount_dec_and_test(&map->refcnt))
		map->ops->free(map);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_put);

void *kbpf_map_lookup_elem(struct kbpf_map *map, const void *key)
{
	return map->ops->lookup(map, key);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_lookup_elem);

int kbpf_map_update_elem(struct kbpf_map *map, const void *key,
			 const void *value, u64 flags)
{
	if (flags > KBPF_EXIST)
		return -EINVAL;
	return map->ops->update(map, key, value, flags);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_update_elem);

int kbpf_map_delete_elem(struct kbpf_map *map, const void *key)
{
	return map->ops->delete(map, key);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_delete_elem);

int kbpf_map_lookup_copy(struct kbpf_map *map, const void *key, void *value)
{
	return map->ops->lookup_copy(map, key, value);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_lookup_copy);

int kbpf_map_get_next_key(struct kbpf_map *map, const void *key,
			  void *next_key)
{
	return map->ops->get_next_key(map, key, next_key);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_get_next_key);

int kbpf_map_direct_value_addr(struct kbpf_map *map, u32 off, u64 *addr)
{
	void *p;

	if (!map->ops->direct_value || off >= map->attrs.value_size)
		return -EINVAL;
	p = map->ops->direct_value(map, off);
	if (!p)
		return -EINVAL;
	*addr = (u64)(uintptr_t)p;
	return 0;
}
