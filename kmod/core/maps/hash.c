// SPDX-License-Identifier: GPL-2.0
/*
 * Hash maps: HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH.
 *
 * Elements hang off power-of-two buckets by a seeded hash of the key bytes.
 * Readers (program lookups, userspace lookups and iteration) walk a chain
 * without any lock, inside an RCU read section; writers take the lock of
 * the bucket's stripe (one of at most KBPF_HASH_LOCKS), publish with release
 * stores and never change an element a reader may see, except a per-CPU
 * value in place, as Linux does.  A replaced or deleted element is unlinked
 * and freed through kbpf_call_rcu(): a value pointer a program got from a
 * lookup stays valid, and keeps its old contents, until the program's run
 * is over.  No whole-table walk holds a lock.
 *
 * Elements are allocated on insert (Linux's BPF_F_NO_PREALLOC behaviour)
 * and counted: the (max_entries + 1)th key fails with -E2BIG.  The map's
 * memory cost counts max_entries elements, so the budget bounds them.
 *
 * LRU types keep every element on a list, most recently inserted first,
 * under a map-wide lru_lock that lookups never take: a lookup only sets the
 * element's referenced bit.  A new key in a full map first evicts: from the
 * tail, a referenced element gets a second chance (moved to the head, bit
 * cleared), the first unreferenced one -- or the tail after
 * KBPF_LRU_SCAN second chances -- is deleted.  No path holds a stripe lock
 * and lru_lock together; who unlinks an element from its bucket frees it.
 */
#include "map.h"

#define KBPF_HASH_LOCKS		256
#define KBPF_LRU_SCAN		32
/* Evictions an insert into a full LRU map tries before giving up. */
#define KBPF_LRU_RETRIES	4

struct hash_elem {
	struct hash_elem *next;		/* in its bucket; RCU */
	struct hash_elem *lru_prev;	/* LRU list, under lru_lock */
	struct hash_elem *lru_next;
	struct kbpf_rcu_head rcu;
	u32 hash;
	u8 lru_ref;			/* looked up since the last scan */
	u8 on_lru;			/* under lru_lock */
	u8 dead;			/* unlinked from its bucket */
	u8 __pad;
	u64 data[];			/* key, padded to 8, then value(s) */
};

struct kbpf_hash_map {
	struct kbpf_map map;
	u32 seed;
	u32 bucket_mask;	/* buckets - 1 */
	u32 lock_mask;		/* locks - 1 */
	u32 key_space;		/* key_size rounded up to 8 */
	u32 value_stride;	/* value_size rounded up to 8 */
	u32 elem_size;
	u32 count;		/* elements linked in, atomic */
	bool percpu;
	bool lru;
	struct hash_elem **buckets;
	struct kbpf_lock *locks;
	struct kbpf_lock lru_lock;
	struct hash_elem *lru_head;	/* most recent */
	struct hash_elem *lru_tail;	/* eviction candidate */
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

static u8 *elem_key(struct hash_elem *e)
{
	return (u8 *)e->data;
}

/* The value of CPU cpu (0 for maps that are not per-CPU). */
static u8 *elem_value(const struct kbpf_hash_map *hm, struct hash_elem *e,
		      u32 cpu)
{
	return (u8 *)e->data + hm->key_space + (size_t)hm->value_stride * cpu;
}

static struct hash_elem **bucket_of(struct kbpf_hash_map *hm, u32 hash)
{
	return &hm->buckets[hash & hm->bucket_mask];
}

static struct kbpf_lock *lock_of(struct kbpf_hash_map *hm, u32 hash)
{
	return &hm->locks[hash & hm->lock_mask];
}

static bool elem_matches(const struct kbpf_hash_map *hm, struct hash_elem *e,
			 const void *key, u32 hash)
{
	return e->hash == hash &&
	       !memcmp(elem_key(e), key, hm->map.attrs.key_size);
}

/* In an RCU read section, or under the bucket's stripe lock. */
static struct hash_elem *find_elem(struct kbpf_hash_map *hm, const void *key,
				   u32 hash)
{
	struct hash_elem *e;

	for (e = kbpf_rcu_deref(*bucket_of(hm, hash)); e;
	     e = kbpf_rcu_deref(e->next))
		if (elem_matches(hm, e, key, hash))
			return e;
	return NULL;
}

/* Under the stripe lock: the link that points at the element for key. */
static struct hash_elem **find_link(struct kbpf_hash_map *hm, const void *key,
				    u32 hash)
{
	struct hash_elem **link, *e;

	for (link = bucket_of(hm, hash); (e = *link); link = &e->next)
		if (elem_matches(hm, e, key, hash))
			return link;
	return NULL;
}

static void elem_free_rcu(struct kbpf_rcu_head *head)
{
	kbpf_free((u8 *)head - offsetof(struct hash_elem, rcu));
}

/* The unlinker of an element frees it once no reader can hold it. */
static void elem_retire(struct hash_elem *e)
{
	kbpf_call_rcu(&e->rcu, elem_free_rcu);
}

/* The element cap, which a resize may change at any time. */
static u32 max_elems(struct kbpf_hash_map *hm)
{
	return kbpf_rcu_deref(hm->map.attrs.max_entries);
}

/*
 * Fully ordered against hash_resize(), which sets the cap and then reads
 * the count: either the resize sees this element or it sees the new cap.
 */
static bool count_inc(struct kbpf_hash_map *hm)
{
	if (kbpf_atomic32_fetch_add(&hm->count, 1) < max_elems(hm))
		return true;
	kbpf_atomic32_add(&hm->count, (u32)-1);
	return false;
}

static void count_dec(struct kbpf_hash_map *hm)
{
	kbpf_atomic32_add(&hm->count, (u32)-1);
}

/* ---- LRU list ----------------------------------------------------------- */

/* Under lru_lock. */
static void lru_unlink(struct kbpf_hash_map *hm, struct hash_elem *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		hm->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		hm->lru_tail = e->lru_prev;
	e->lru_prev = NULL;
	e->lru_next = NULL;
	e->on_lru = 0;
}

/* Under lru_lock. */
static void lru_push_head(struct kbpf_hash_map *hm, struct hash_elem *e)
{
	e->lru_prev = NULL;
	e->lru_next = hm->lru_head;
	if (hm->lru_head)
		hm->lru_head->lru_prev = e;
	else
		hm->lru_tail = e;
	hm->lru_head = e;
	e->on_lru = 1;
}

/*
 * After linking e into its bucket.  A deleter that unlinked it meanwhile
 * set dead before taking lru_lock, so either it finds e on the list and
 * takes it off, or we see dead here and leave it off.
 */
static void lru_add(struct kbpf_hash_map *hm, struct hash_elem *e)
{
	kbpf_lock_acquire(&hm->lru_lock);
	if (!kbpf_rcu_deref(e->dead))
		lru_push_head(hm, e);
	kbpf_lock_release(&hm->lru_lock);
}

static void lru_remove(struct kbpf_hash_map *hm, struct hash_elem *e)
{
	kbpf_lock_acquire(&hm->lru_lock);
	if (e->on_lru)
		lru_unlink(hm, e);
	kbpf_lock_release(&hm->lru_lock);
}

/* Take the eviction victim off the list: second chance, bounded. */
static struct hash_elem *lru_pick_victim(struct kbpf_hash_map *hm)
{
	struct hash_elem *e;
	u32 scanned;

	kbpf_lock_acquire(&hm->lru_lock);
	for (scanned = 0; (e = hm->lru_tail) && scanned < KBPF_LRU_SCAN;
	     scanned++) {
		if (!kbpf_rcu_deref(e->lru_ref))
			break;
		kbpf_rcu_assign(e->lru_ref, 0);
		lru_unlink(hm, e);
		lru_push_head(hm, e);
	}
	e = hm->lru_tail;
	if (e)
		lru_unlink(hm, e);
	kbpf_lock_release(&hm->lru_lock);
	return e;
}

/* Delete the least recently used element; in an RCU read section. */
static void lru_evict(struct kbpf_hash_map *hm)
{
	struct hash_elem *v = lru_pick_victim(hm), **link, *e;
	struct kbpf_lock *lock;
	bool unlinked = false;

	if (!v)
		return;
	lock = lock_of(hm, v->hash);
	kbpf_lock_acquire(lock);
	for (link = bucket_of(hm, v->hash); (e = *link); link = &e->next) {
		if (e == v) {
			kbpf_rcu_assign(*link, v->next);
			kbpf_rcu_assign(v->dead, 1);
			unlinked = true;
			break;
		}
	}
	kbpf_lock_release(lock);
	/* Not found: a delete or replace unlinked it first and frees it. */
	if (unlinked) {
		count_dec(hm);
		elem_retire(v);
	}
}

/* ---- lookups ------------------------------------------------------------ */

static void *hash_lookup(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_elem *e = find_elem(hm, key, hash_key(hm, key));

	if (!e)
		return NULL;
	if (hm->lru && !kbpf_rcu_deref(e->lru_ref))
		kbpf_rcu_assign(e->lru_ref, 1);
	return elem_value(hm, e, hm->percpu ? kbpf_processor_id() : 0);
}

static int hash_lookup_copy(struct kbpf_map *map, const void *key,
			    void *value)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_elem *e = find_elem(hm, key, hash_key(hm, key));

	if (!e)
		return -ENOENT;
	if (hm->percpu)
		kbpf_percpu_to_user(value, elem_value(hm, e, 0),
				    hm->value_stride, map->attrs.value_size);
	else
		memcpy(value, elem_value(hm, e, 0), map->attrs.value_size);
	return 0;
}

/* ---- updates ------------------------------------------------------------ */

/*
 * Fill a new element's value.  A program writes its CPU's value and the
 * others start zeroed (the allocation is zeroed); userspace writes all.
 */
static void elem_set_value(struct kbpf_hash_map *hm, struct hash_elem *e,
			   const void *value, bool all_cpus)
{
	u32 vs = hm->map.attrs.value_size;

	if (!hm->percpu)
		memcpy(elem_value(hm, e, 0), value, vs);
	else if (all_cpus)
		kbpf_percpu_from_user(elem_value(hm, e, 0), hm->value_stride,
				      value, vs);
	else
		memcpy(elem_value(hm, e, kbpf_processor_id()), value, vs);
}

static struct hash_elem *elem_new(struct kbpf_hash_map *hm, const void *key,
				  u32 hash, const void *value, bool all_cpus)
{
	struct hash_elem *e = kbpf_zalloc_atomic(hm->elem_size);

	if (!e)
		return NULL;
	e->hash = hash;
	memcpy(elem_key(e), key, hm->map.attrs.key_size);
	elem_set_value(hm, e, value, all_cpus);
	return e;
}

/*
 * One attempt under the stripe lock.  *old is set to an element replaced
 * (to retire), *added to a new element (to put on the LRU list).
 */
static int update_locked(struct kbpf_hash_map *hm, const void *key, u32 hash,
			 const void *value, u64 flags, bool all_cpus,
			 struct hash_elem **old, struct hash_elem **added)
{
	struct hash_elem **link = find_link(hm, key, hash), *e, *n;

	e = link ? *link : NULL;
	if (e && flags == KBPF_NOEXIST)
		return -EEXIST;
	if (!e && flags == KBPF_EXIST)
		return -ENOENT;
	if (e && hm->percpu) {
		/* In place, as Linux: a per-CPU value has one writer. */
		elem_set_value(hm, e, value, all_cpus);
		return 0;
	}
	if (!e && !count_inc(hm))
		return -E2BIG;
	n = elem_new(hm, key, hash, value, all_cpus);
	if (!n) {
		if (!e)
			count_dec(hm);
		return -ENOMEM;
	}
	if (e) {
		n->next = e->next;
		kbpf_rcu_assign(*link, n);
		kbpf_rcu_assign(e->dead, 1);
		*old = e;
	} else {
		n->next = *bucket_of(hm, hash);
		kbpf_rcu_assign(*bucket_of(hm, hash), n);
	}
	*added = n;
	return 0;
}

static int hash_update_common(struct kbpf_map *map, const void *key,
			      const void *value, u64 flags, bool all_cpus)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 hash = hash_key(hm, key), tries = 0;
	struct hash_elem *old, *added;
	struct kbpf_lock *lock = lock_of(hm, hash);
	int err;

	do {
		old = NULL;
		added = NULL;
		/* A new key in a full LRU map makes room first. */
		if (hm->lru && flags != KBPF_EXIST &&
		    kbpf_atomic32_fetch_add(&hm->count, 0) >= max_elems(hm) &&
		    !find_elem(hm, key, hash))
			lru_evict(hm);
		kbpf_lock_acquire(lock);
		err = update_locked(hm, key, hash, value, flags, all_cpus,
				    &old, &added);
		kbpf_lock_release(lock);
	} while (err == -E2BIG && hm->lru && ++tries < KBPF_LRU_RETRIES);

	if (hm->lru && added)
		lru_add(hm, added);
	if (old) {
		if (hm->lru)
			lru_remove(hm, old);
		elem_retire(old);
	}
	return err;
}

static int hash_update(struct kbpf_map *map, const void *key,
		       const void *value, u64 flags)
{
	return hash_update_common(map, key, value, flags, false);
}

static int hash_update_user(struct kbpf_map *map, const void *key,
			    const void *value, u64 flags)
{
	return hash_update_common(map, key, value, flags, true);
}

static int hash_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 hash = hash_key(hm, key);
	struct kbpf_lock *lock = lock_of(hm, hash);
	struct hash_elem **link, *e = NULL;

	kbpf_lock_acquire(lock);
	link = find_link(hm, key, hash);
	if (link) {
		e = *link;
		kbpf_rcu_assign(*link, e->next);
		kbpf_rcu_assign(e->dead, 1);
	}
	kbpf_lock_release(lock);
	if (!e)
		return -ENOENT;
	if (hm->lru)
		lru_remove(hm, e);
	count_dec(hm);
	elem_retire(e);
	return 0;
}

/* ---- iteration ---------------------------------------------------------- */

/* First element in bucket b or any later one; RCU read section. */
static struct hash_elem *first_elem_from(struct kbpf_hash_map *hm, u64 b)
{
	struct hash_elem *e;

	for (; b <= hm->bucket_mask; b++) {
		e = kbpf_rcu_deref(hm->buckets[b]);
		if (e)
			return e;
	}
	return NULL;
}

static int hash_get_next_key(struct kbpf_map *map, const void *key,
			     void *next_key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_elem *e = NULL, *next;

	if (key)
		e = find_elem(hm, key, hash_key(hm, key));
	/* A missing key restarts the walk from the first element. */
	if (!e)
		next = first_elem_from(hm, 0);
	else
		next = kbpf_rcu_deref(e->next) ?:
		       first_elem_from(hm, (u64)(e->hash & hm->bucket_mask) + 1);
	if (!next)
		return -ENOENT;
	memcpy(next_key, elem_key(next), map->attrs.key_size);
	return 0;
}

/* ---- creation ----------------------------------------------------------- */

static u32 bucket_count(u32 max_entries)
{
	u32 n = 1;

	/* A power of two at least max_entries, capped well below overflow. */
	while (n < max_entries && n < (1U << 30))
		n <<= 1;
	return n;
}

static u32 lock_count(u32 buckets)
{
	return buckets < KBPF_HASH_LOCKS ? buckets : KBPF_HASH_LOCKS;
}

static int elem_bytes(const struct kbpf_map_attrs *attrs, bool percpu,
		      u64 *bytes)
{
	u64 values;

	if (kbpf_map_values_bytes(attrs->value_size, 1, percpu, &values))
		return -E2BIG;
	return kbpf_mul_add(1, values, sizeof(struct hash_elem) +
			    kbpf_round_up8_64(attrs->key_size), bytes);
}

static int hash_cost_buckets(const struct kbpf_map_attrs *attrs, bool percpu,
			     u32 buckets, u64 *bytes)
{
	u64 elem, fixed;

	fixed = sizeof(struct kbpf_hash_map) +
		(u64)buckets * sizeof(struct hash_elem *) +
		(u64)lock_count(buckets) * sizeof(struct kbpf_lock);
	if (elem_bytes(attrs, percpu, &elem))
		return -E2BIG;
	return kbpf_mul_add(elem, attrs->max_entries, fixed, bytes);
}

static int hash_cost(const struct kbpf_map_attrs *attrs, bool percpu,
		     u64 *bytes)
{
	return hash_cost_buckets(attrs, percpu,
				 bucket_count(attrs->max_entries), bytes);
}

static int hash_alloc(const struct kbpf_map_attrs *attrs, bool percpu,
		      bool lru, struct kbpf_map **mapp)
{
	u32 buckets = bucket_count(attrs->max_entries), i;
	struct kbpf_hash_map *hm;
	u64 elem;

	if (elem_bytes(attrs, percpu, &elem) || elem > U32_MAX)
		return -E2BIG;
	hm = kbpf_zalloc(sizeof(*hm));
	if (!hm)
		return -ENOMEM;
	hm->map.attrs = *attrs;
	hm->key_space = kbpf_round_up8(attrs->key_size);
	hm->value_stride = kbpf_round_up8(attrs->value_size);
	hm->elem_size = elem;
	hm->percpu = percpu;
	hm->lru = lru;
	hm->bucket_mask = buckets - 1;
	hm->lock_mask = lock_count(buckets) - 1;
	hm->seed = kbpf_prandom_u32();
	kbpf_lock_init(&hm->lru_lock);
	hm->buckets = kbpf_zalloc(sizeof(*hm->buckets) * (size_t)buckets);
	hm->locks = kbpf_zalloc(sizeof(*hm->locks) * (size_t)lock_count(buckets));
	if (!hm->buckets || !hm->locks) {
		kbpf_free(hm->buckets);
		kbpf_free(hm->locks);
		kbpf_free(hm);
		return -ENOMEM;
	}
	for (i = 0; i <= hm->lock_mask; i++)
		kbpf_lock_init(&hm->locks[i]);
	*mapp = &hm->map;
	return 0;
}

/* The last reference is gone: no program and no reader can reach it. */
static void hash_free(struct kbpf_map *map)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_elem *e, *next;
	u64 b;

	for (b = 0; b <= hm->bucket_mask; b++) {
		for (e = hm->buckets[b]; e; e = next) {
			next = e->next;
			kbpf_free(e);
		}
	}
	kbpf_free(hm->buckets);
	kbpf_free(hm->locks);
	kbpf_free(hm);
}

static int hash_check(const struct kbpf_map_attrs *attrs,
		      const struct kbpf_limits *limits, struct kbpf_log *log)
{
	return kbpf_map_check_sizes(attrs, limits, false, log);
}

static int percpu_hash_check(const struct kbpf_map_attrs *attrs,
			     const struct kbpf_limits *limits,
			     struct kbpf_log *log)
{
	return kbpf_map_check_sizes(attrs, limits, true, log);
}

static int plain_hash_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return hash_cost(attrs, false, bytes);
}

static int percpu_hash_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return hash_cost(attrs, true, bytes);
}

static int plain_hash_alloc(const struct kbpf_map_attrs *attrs,
			    struct kbpf_map **mapp)
{
	return hash_alloc(attrs, false, false, mapp);
}

static int percpu_hash_alloc(const struct kbpf_map_attrs *attrs,
			     struct kbpf_map **mapp)
{
	return hash_alloc(attrs, true, false, mapp);
}

static int lru_hash_alloc(const struct kbpf_map_attrs *attrs,
			  struct kbpf_map **mapp)
{
	return hash_alloc(attrs, false, true, mapp);
}

static int lru_percpu_hash_alloc(const struct kbpf_map_attrs *attrs,
				 struct kbpf_map **mapp)
{
	return hash_alloc(attrs, true, true, mapp);
}

/* ---- resizing ----------------------------------------------------------- */

/* The buckets stay as created: elements at the new cap, buckets as now. */
static int hash_resize_cost(const struct kbpf_map *map, u32 max_entries,
			    u64 *bytes)
{
	const struct kbpf_hash_map *hm = (const struct kbpf_hash_map *)map;
	struct kbpf_map_attrs a = map->attrs;

	a.max_entries = max_entries;
	return hash_cost_buckets(&a, hm->percpu, hm->bucket_mask + 1, bytes);
}

static u32 elem_count(struct kbpf_hash_map *hm)
{
	return kbpf_atomic32_fetch_add(&hm->count, 0);
}

/* An LRU map shrinks by evicting its least recently used elements. */
static void lru_shrink(struct kbpf_hash_map *hm, u32 max_entries)
{
	u32 n = elem_count(hm);

	for (n = n > max_entries ? n - max_entries : 0; n; n--) {
		kbpf_rcu_read_lock();
		lru_evict(hm);
		kbpf_rcu_read_unlock();
	}
}

/*
 * Elements are allocated one by one, so a resize only moves the cap.  A
 * shrink below the elements held is refused (-EBUSY), except that an LRU
 * map evicts down to the new size first.  The cap is set before the count
 * is read (count_inc() orders the other way), so no insert racing with the
 * shrink can leave the map over its new size; inserts racing with a
 * refused shrink may see the smaller cap and fail as if the map were full.
 */
static int hash_resize(struct kbpf_map *map, u32 max_entries,
		       struct kbpf_log *log)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 old = kbpf_atomic32_xchg(&map->attrs.max_entries, max_entries);
	u32 count;

	if (max_entries >= old)
		return 0;
	if (hm->lru)
		lru_shrink(hm, max_entries);
	count = elem_count(hm);
	if (count <= max_entries)
		return 0;
	kbpf_atomic32_xchg(&map->attrs.max_entries, old);
	kbpf_map_log(log, "the map holds %u elements, more than %u: delete some first",
		     count, max_entries);
	return -EBUSY;
}

#define HASH_MAP_OPS(_check, _cost, _alloc, _percpu)	\
	.create_flags = KBPF_F_NO_PREALLOC,		\
	.check = _check,				\
	.mem_cost = _cost,				\
	.alloc = _alloc,				\
	.free = hash_free,				\
	.lookup = hash_lookup,				\
	.lookup_copy = hash_lookup_copy,		\
	.update = hash_update,				\
	.update_user = hash_update_user,		\
	.delete = hash_delete,				\
	.get_next_key = hash_get_next_key,		\
	.resize_cost = hash_resize_cost,		\
	.resize = hash_resize,				\
	.percpu = _percpu

const struct kbpf_map_ops kbpf_hash_map_ops = {
	HASH_MAP_OPS(hash_check, plain_hash_cost, plain_hash_alloc, false),
};

const struct kbpf_map_ops kbpf_percpu_hash_map_ops = {
	HASH_MAP_OPS(percpu_hash_check, percpu_hash_cost, percpu_hash_alloc,
		     true),
};

const struct kbpf_map_ops kbpf_lru_hash_map_ops = {
	HASH_MAP_OPS(hash_check, plain_hash_cost, lru_hash_alloc, false),
};

const struct kbpf_map_ops kbpf_lru_percpu_hash_map_ops = {
	HASH_MAP_OPS(percpu_hash_check, percpu_hash_cost, lru_percpu_hash_alloc,
		     true),
};
