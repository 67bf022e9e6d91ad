// SPDX-License-Identifier: GPL-2.0
/*
 * Hash maps with a fixed capacity.  Every element is allocated when the map
 * is created and kept on a free list, so an update from a program (softirq
 * context) never allocates and a full map fails cleanly with -E2BIG.  An
 * element's memory stays valid until the map is freed, so a value pointer a
 * program got from a lookup never dangles, even if the element is deleted
 * meanwhile.
 *
 * One lock per map serialises lookups and changes; elements hang off
 * power-of-two buckets by a seeded hash of the key bytes.
 */
#include "map.h"

struct hash_elem {
	struct hash_elem *next;	/* in its bucket, or in the free list */
	u32 hash;
	u32 __pad;
	u8 data[];		/* key, padded to 8, then value */
};

struct kbpf_hash_map {
	struct kbpf_map map;
	struct kbpf_lock lock;
	u32 seed;
	u32 bucket_mask;	/* buckets - 1 */
	u32 key_space;		/* key_size rounded up to 8 */
	u32 elem_size;
	struct hash_elem **buckets;
	struct hash_elem *free_list;
	u8 *elems;		/* max_entries * elem_size bytes */
};

static struct kbpf_hash_map *to_hash(struct kbpf_map *map)
{
	return (struct kbpf_hash_map *)map;
}

/* FNV-1a over the key, seeded per map so that keys cannot be chosen to
 * collide in every map alike.
 */
static u32 hash_key(const struct kbpf_hash_map *hm, const void *key)
{
	const u8 *p = key;
	u32 h = 2166136261U ^ hm->seed;
	u32 i;

	for (i = 0; i < hm->map.attrs.key_size; i++) {
		h ^= p[i];
		h *= 16777619U;
	}
	return h;
}

static void *elem_value(const struct kbpf_hash_map *hm, struct hash_elem *e)
{
	return e->data + hm->key_space;
}

static struct hash_elem **bucket_of(struct kbpf_hash_map *hm, u32 hash)
{
	return &hm->buckets[hash & hm->bucket_mask];
}

/* Caller holds the lock. */
static struct hash_elem *find_elem(struct kbpf_hash_map *hm, const void *key,
				   u32 hash)
{
	struct hash_elem *e;

	for (e = *bucket_of(hm, hash); e; e = e->next)
		if (e->hash == hash &&
		    !memcmp(e->data, key, hm->map.attrs.key_size))
			return e;
	return NULL;
}

static void hash_free(struct kbpf_map *map)
{
	struct kbpf_hash_map *hm = to_hash(map);

	kbpf_free(hm->elems);
	kbpf_free(hm->buckets);
	kbpf_free(hm);
}

static void *hash_lookup(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 hash = hash_key(hm, key);
	struct hash_elem *e;

	kbpf_lock_acquire(&hm->lock);
	e = find_elem(hm, key, hash);
	kbpf_lock_release(&hm->lock);
	return e ? elem_value(hm, e) : NULL;
}

static int hash_lookup_copy(struct kbpf_map *map, const void *key,
			    void *value)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 hash = hash_key(hm, key);
	struct hash_elem *e;

	kbpf_lock_acquire(&hm->lock);
	e = find_elem(hm, key, hash);
	if (e)
		memcpy(value, elem_value(hm, e), map->attrs.value_size);
	kbpf_lock_release(&hm->lock);
	return e ? 0 : -ENOENT;
}

/* Caller holds the lock. */
static int insert_elem(struct kbpf_hash_map *hm, const void *key,
		       const void *value, u32 hash)
{
	struct hash_elem *e = hm->free_list;
	struct hash_elem **bucket;

	if (!e)
		return -E2BIG;
	hm->free_list = e->next;
	e->hash = hash;
	memcpy(e->data, key, hm->map.attrs.key_size);
	memcpy(elem_value(hm, e), value, hm->map.attrs.value_size);
	bucket = bucket_of(hm, hash);
	e->next = *bucket;
	*bucket = e;
	return 0;
}

static int hash_update(struct kbpf_map *map, const void *key,
		       const void *value, u64 flags)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 hash = hash_key(hm, key);
	struct hash_elem *e;
	int err = 0;

	kbpf_lock_acquire(&hm->lock);
	e = find_elem(hm, key, hash);
	if (e && flags == KBPF_NOEXIST)
		err = -EEXIST;
	else if (!e && flags == KBPF_EXIST)
		err = -ENOENT;
	else if (e)
		memcpy(elem_value(hm, e), value, map->attrs.value_size);
	else
		err = insert_elem(hm, key, value, hash);
	kbpf_lock_release(&hm->lock);
	return err;
}

static int hash_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 hash = hash_key(hm, key);
	struct hash_elem **link, *e;
	int err = -ENOENT;

	kbpf_lock_acquire(&hm->lock);
	for (link = bucket_of(hm, hash); (e = *link); link = &e->next) {
		if (e->hash == hash &&
		    !memcmp(e->data, key, map->attrs.key_size)) {
			*link = e->next;
			e->next = hm->free_list;
			hm->free_list = e;
			err = 0;
			break;
		}
	}
	kbpf_lock_release(&hm->lock);
	return err;
}

/* Caller holds the lock.  First element in bucket b or any later one. */
static struct hash_elem *first_elem_from(struct kbpf_hash_map *hm, u32 b)
{
	for (; b <= hm->bucket_mask; b++)
		if (hm->buckets[b])
			return hm->buckets[b];
	return NULL;
}

static int hash_get_next_key(struct kbpf_map *map, const void *key,
			     void *next_key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_elem *e = NULL, *next;

	kbpf_lock_acquire(&hm->lock);
	if (key)
		e = find_elem(hm, key, hash_key(hm, key));
	/* A missing key restarts the walk from the first element. */
	if (!e)
		next = first_elem_from(hm, 0);
	else if (e->next)
		next = e->next;
	else
		next = first_elem_from(hm, (e->hash & hm->bucket_mask) + 1);
	if (next)
		memcpy(next_key, next->data, map->attrs.key_size);
	kbpf_lock_release(&hm->lock);
	return next ? 0 : -ENOENT;
}

static const struct kbpf_map_ops kbpf_hash_map_ops = {
	.free = hash_free,
	.lookup = hash_lookup,
	.lookup_copy = hash_lookup_copy,
	.update = hash_update,
	.delete = hash_delete,
	.get_next_key = hash_get_next_key,
};

static u32 bucket_count(u32 max_entries)
{
	u32 n = 1;

	/* A power of two at least max_entries, capped well below overflow. */
	while (n < max_entries && n < (1U << 30))
		n <<= 1;
	return n;
}

static void fill_free_list(struct kbpf_hash_map *hm, u32 count)
{
	u32 i;

	for (i = count; i-- > 0; ) {
		struct hash_elem *e = (struct hash_elem *)
			(hm->elems + (size_t)i * hm->elem_size);

		e->next = hm->free_list;
		hm->free_list = e;
	}
}

int kbpf_hash_map_alloc(const struct kbpf_map_attrs *attrs,
			struct kbpf_map **mapp)
{
	struct kbpf_hash_map *hm;
	u32 buckets = bucket_count(attrs->max_entries);
	size_t elem_size, bytes;

	elem_size = sizeof(struct hash_elem) + kbpf_round_up8(attrs->key_size) +
		    kbpf_round_up8(attrs->value_size);
	if (check_mul_overflow(elem_size, (size_t)attrs->max_entries, &bytes))
		return -E2BIG;

	hm = kbpf_zalloc(sizeof(*hm));
	if (!hm)
		return -ENOMEM;
	hm->map.attrs = *attrs;
	hm->key_space = kbpf_round_up8(attrs->key_size);
	hm->elem_size = elem_size;
	hm->bucket_mask = buckets - 1;
	hm->seed = kbpf_prandom_u32();
	kbpf_lock_init(&hm->lock);
	hm->buckets = kbpf_zalloc(sizeof(*hm->buckets) * (size_t)buckets);
	hm->elems = kbpf_zalloc(bytes);
	if (!hm->buckets || !hm->elems) {
		hash_free(&hm->map);
		return -ENOMEM;
	}
	fill_free_list(hm, attrs->max_entries);
	hm->map.ops = &kbpf_hash_map_ops;
	*mapp = &hm->map;
	return 0;
}
