/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map internals: the operations each map type provides behind the generic
 * kbpf_map_* functions of kbpf_core.h.
 */
#ifndef KBPF_CORE_MAP_H
#define KBPF_CORE_MAP_H

#include "kbpf_core.h"

struct kbpf_map_ops {
	/* Release everything the map owns, including the map itself. */
	void (*free)(struct kbpf_map *map);
	void *(*lookup)(struct kbpf_map *map, const void *key);
	int (*lookup_copy)(struct kbpf_map *map, const void *key, void *value);
	int (*update)(struct kbpf_map *map, const void *key, const void *value,
		      u64 flags);
	int (*delete)(struct kbpf_map *map, const void *key);
	int (*get_next_key)(struct kbpf_map *map, const void *key,
			    void *next_key);
	/* Address of byte off of element 0's value, or NULL if the type has
	 * no fixed value memory (only arrays do).
	 */
	void *(*direct_value)(struct kbpf_map *map, u32 off);
};

/* Type constructors; attrs are already checked against the limits. */
int kbpf_array_map_alloc(const struct kbpf_map_attrs *attrs,
			 struct kbpf_map **mapp);
int kbpf_hash_map_alloc(const struct kbpf_map_attrs *attrs,
			struct kbpf_map **mapp);

/*
 * For KBPF_PSEUDO_MAP_VALUE: the address of byte off of element 0's value.
 * -EINVAL if the map type has no direct value or off is past the value.
 */
int kbpf_map_direct_value_addr(struct kbpf_map *map, u32 off, u64 *addr);

/* Values are laid out 8-byte aligned so that atomics on them are legal. */
static inline u32 kbpf_round_up8(u32 n)
{
	return (n + 7) & ~7U;
}

#endif /* KBPF_CORE_MAP_H */
