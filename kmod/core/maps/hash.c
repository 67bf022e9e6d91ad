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
 * and counted: the (max_entries + 1)th key fails with -E2BIG.  An element
 * stays the map's until it is freed, a grace period after its delete or
 * replace: held counts those too, and stops at max_entries plus the grace
 * reserve (kbpf_map_grace_reserve()), which is what the map's memory cost
 * counts.  Past it an insert or replace fails with -ENOMEM until a grace
 * period frees some (userspace waits for that, see kbpf_map_update_user()).
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
/* Buckets a resize moves between checks for a reschedule or SIGKILL. */
#define KBPF_REHASH_BATCH	1024

struct hash_elem {
	struct hash_elem *next[2];	/* in a table's bucket, by its link; RCU */
	union {
		struct {
			struct hash_elem *lru_prev;	/* LRU list, under lru_lock */
			struct hash_elem *lru_next;
		};
		/*
		 * Once retired: the map its free gives the element back to.
		 * A retired element is off the LRU list for good (it is dead
		 * before it is taken off, and lru_add() skips a dead one).
		 */
		struct kbpf_hash_map *owner;
	};
	struct kbpf_rcu_head rcu;
	u32 hash;
	u8 lru_ref;			/* looked up since the last scan */
	u8 on_lru;			/* under lru_lock */
	u8 dead;			/* unlinked from its bucket */
	u8 __pad;
	u64 data[];			/* key, padded to 8, then value(s) */
};

/*
 * A bucket array with its stripe locks, in one allocation.  Elements chain
 * through next[link]; a resize builds the next table on the other link, so
 * that every element is in both tables while readers still walk the old
 * one (see rehash()).
 */
struct hash_table {
	u32 bucket_mask;	/* buckets - 1 */
	u32 lock_mask;		/* locks - 1 */
	u32 bits;		/* log2(buckets) */
	u32 link;		/* the elements' next[] this table chains by */
	/* Buckets [0, migrated) are also in future: set under their lock. */
	u32 migrated;
	struct hash_table *future;	/* the table a resize fills, or NULL */
	struct kbpf_lock *locks;
	struct hash_elem *buckets[];
};

struct kbpf_hash_map {
	struct kbpf_map map;
	u32 seed;
	u32 key_space;		/* key_size rounded up to 8 */
	u32 value_stride;	/* value_size rounded up to 8 */
	u32 elem_size;
	u32 count;		/* elements linked in, atomic */
	u32 held;		/* allocated and not yet freed, atomic */
	bool percpu;
	bool lru;
	struct hash_table *tbl;	/* what readers walk; RCU */
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

static struct hash_elem **tbl_bucket(struct hash_table *t, u32 hash)
{
	return &t->buckets[hash & t->bucket_mask];
}

/* In an RCU read section, or under the stripe lock of e's bucket in t. */
static struct hash_elem *tbl_next(const struct hash_table *t,
				  struct hash_elem *e)
{
	return kbpf_rcu_deref(e->next[t->link]);
}

static bool elem_matches(const struct kbpf_hash_map *hm, struct hash_elem *e,
			 const void *key, u32 hash)
{
	return e->hash == hash &&
	       !memcmp(elem_key(e), key, hm->map.attrs.key_size);
}

/* In an RCU read section: the table readers use. */
static struct hash_elem *find_elem(struct kbpf_hash_map *hm, const void *key,
				   u32 hash)
{
	struct hash_table *t = kbpf_rcu_deref(hm->tbl);
	struct hash_elem *e;

	for (e = kbpf_rcu_deref(*tbl_bucket(t, hash)); e; e = tbl_next(t, e))
		if (elem_matches(hm, e, key, hash))
			return e;
	return NULL;
}

/* Under the stripe lock: the link in t that points at the key's element. */
static struct hash_elem **find_link(struct kbpf_hash_map *hm,
				    struct hash_table *t, const void *key,
				    u32 hash)
{
	struct hash_elem **link, *e;

	for (link = tbl_bucket(t, hash); (e = *link); link = &e->next[t->link])
		if (elem_matches(hm, e, key, hash))
			return link;
	return NULL;
}

/* Under the stripe lock: the link in t that points at e, or NULL. */
static struct hash_elem **link_to(struct hash_table *t, struct hash_elem *e)
{
	struct hash_elem **link, *x;

	for (link = tbl_bucket(t, e->hash); (x = *link);
	     link = &x->next[t->link])
		if (x == e)
			return link;
	return NULL;
}

/* The element cap, which a resize may change at any time. */
static u32 max_elems(struct kbpf_hash_map *hm)
{
	return kbpf_rcu_deref(hm->map.attrs.max_entries);
}

/*
 * What the map's cost counts: the elements linked in and those awaiting
 * their grace period, at most max_entries plus the grace reserve.
 */
static u64 held_cap(struct kbpf_hash_map *hm)
{
	u32 max = max_elems(hm);

	return (u64)max + kbpf_map_grace_reserve(max);
}

/* One more element's memory, within held_cap(). */
static bool held_take(struct kbpf_hash_map *hm)
{
	return kbpf_map_count_take(&hm->held, held_cap(hm));
}

static void held_put(struct kbpf_hash_map *hm)
{
	kbpf_map_count_put(&hm->held);
}

static void elem_free_rcu(struct kbpf_rcu_head *head)
{
	struct hash_elem *e = (struct hash_elem *)((u8 *)head -
						   offsetof(struct hash_elem, rcu));
	struct kbpf_hash_map *hm = e->owner;

	kbpf_free(e);
	held_put(hm);
}

/*
 * The unlinker of an element frees it once no reader can hold it; the
 * map counts it until then (hash_free() waits for the last ones).
 */
static void elem_retire(struct kbpf_hash_map *hm, struct hash_elem *e)
{
	e->owner = hm;
	kbpf_call_rcu(&e->rcu, elem_free_rcu);
}

/*
 * Fully ordered against hash_resize(), which sets the cap and then reads
 * the count: either the resize sees this element or it sees the new cap.
 */
static bool count_inc(struct kbpf_hash_map *hm)
{
	return kbpf_map_count_take(&hm->count, max_elems(hm));
}

static void count_dec(struct kbpf_hash_map *hm)
{
	kbpf_map_count_put(&hm->count);
}

/* ---- writers ------------------------------------------------------------ */

/*
 * Where a writer works, its stripe locks held: the table that decides
 * whether a key is there (tbl) and, while a resize moves buckets, the table
 * readers still walk (mirror), kept in step with it.  A key's bucket in the
 * readers' table is decided there until the resize moved it, and in the
 * future table from then on.  Every writer of a bucket takes its lock in
 * the readers' table first, so writers of one key never decide on two
 * tables at once.
 */
struct hash_writer {
	struct hash_table *tbl;
	struct hash_table *mirror;	/* or NULL */
};

typedef int (*hash_write_fn)(struct kbpf_hash_map *hm, struct hash_writer *w,
			     void *arg);

/*
 * Run fn for the key hashed to hash under the locks of its bucket, in an RCU
 * read section (which keeps both tables).  Inlined, so that fn is a direct
 * call; each branch takes and drops its own locks.
 */
static __always_inline int hash_write(struct kbpf_hash_map *hm, u32 hash,
				      hash_write_fn fn, void *arg)
{
	struct hash_table *t = kbpf_rcu_deref(hm->tbl), *f;
	struct kbpf_lock *lock = &t->locks[hash & t->lock_mask], *flock;
	struct hash_writer w = { .tbl = t };
	int err;

	kbpf_lock_acquire(lock);
	if ((hash & t->bucket_mask) < kbpf_rcu_deref(t->migrated)) {
		f = kbpf_rcu_deref(t->future);
		flock = &f->locks[hash & f->lock_mask];
		w = (struct hash_writer){ .tbl = f, .mirror = t };
		/* Always the readers' table first, then its future one. */
		kbpf_lock_acquire_nested(flock);
		err = fn(hm, &w, arg);
		kbpf_lock_release(flock);
	} else {
		err = fn(hm, &w, arg);
	}
	kbpf_lock_release(lock);
	return err;
}

/* Link n at the head of its bucket in t. */
static void tbl_push(struct hash_table *t, struct hash_elem *n)
{
	struct hash_elem **head = tbl_bucket(t, n->hash);

	n->next[t->link] = *head;
	kbpf_rcu_assign(*head, n);
}

static void writer_insert(struct hash_writer *w, struct hash_elem *n)
{
	tbl_push(w->tbl, n);
	if (w->mirror)
		tbl_push(w->mirror, n);
}

/*
 * Put n (NULL: nothing) in e's place, at *link in t.  A reader on the chain
 * sees e or what replaced it, and e's own link still leads on.
 */
static void tbl_replace(struct hash_table *t, struct hash_elem **link,
			struct hash_elem *e, struct hash_elem *n)
{
	struct hash_elem *next = e->next[t->link];

	if (n) {
		n->next[t->link] = next;
		next = n;
	}
	kbpf_rcu_assign(*link, next);
}

/*
 * Replace e (at *link in the deciding table) by n, or unlink it if n is
 * NULL.  The mirror may lack e: a late writer mirrors into a table readers
 * have left (rehash()), where others no longer keep it in step.
 */
static void writer_replace(struct hash_writer *w, struct hash_elem **link,
			   struct hash_elem *e, struct hash_elem *n)
{
	struct hash_elem **m;

	tbl_replace(w->tbl, link, e, n);
	if (w->mirror) {
		m = link_to(w->mirror, e);
		if (m)
			tbl_replace(w->mirror, m, e, n);
	}
	kbpf_rcu_assign(e->dead, 1);
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

static int evict_locked(struct kbpf_hash_map *hm, struct hash_writer *w,
			void *victim)
{
	struct hash_elem **link = link_to(w->tbl, victim);

	if (!link)
		return -ENOENT;
	writer_replace(w, link, victim, NULL);
	return 0;
}

/* Delete the least recently used element; in an RCU read section. */
static void lru_evict(struct kbpf_hash_map *hm)
{
	struct hash_elem *v = lru_pick_victim(hm);

	/* Not found: a delete or replace unlinked it first and frees it. */
	if (v && !hash_write(hm, v->hash, evict_locked, v)) {
		count_dec(hm);
		elem_retire(hm, v);
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

/* Counted in held first: -ENOMEM once the map's memory is all taken. */
static struct hash_elem *elem_new(struct kbpf_hash_map *hm, const void *key,
				  u32 hash, const void *value, bool all_cpus)
{
	struct hash_elem *e;

	if (!held_take(hm))
		return NULL;
	e = kbpf_zalloc_atomic(hm->elem_size);
	if (!e) {
		held_put(hm);
		return NULL;
	}
	e->hash = hash;
	memcpy(elem_key(e), key, hm->map.attrs.key_size);
	elem_set_value(hm, e, value, all_cpus);
	return e;
}

struct update_args {
	const void *key;
	const void *value;
	u64 flags;
	u32 hash;
	bool all_cpus;
	struct hash_elem *old;		/* replaced: to retire */
	struct hash_elem *added;	/* new: to put on the LRU list */
};

/* One attempt under the writer's locks. */
static int update_locked(struct kbpf_hash_map *hm, struct hash_writer *w,
			 void *arg)
{
	struct update_args *u = arg;
	struct hash_elem **link = find_link(hm, w->tbl, u->key, u->hash), *e, *n;

	e = link ? *link : NULL;
	if (e && u->flags == KBPF_NOEXIST)
		return -EEXIST;
	if (!e && u->flags == KBPF_EXIST)
		return -ENOENT;
	if (e && hm->percpu) {
		/* In place, as Linux: a per-CPU value has one writer. */
		elem_set_value(hm, e, u->value, u->all_cpus);
		return 0;
	}
	if (!e && !count_inc(hm))
		return -E2BIG;
	n = elem_new(hm, u->key, u->hash, u->value, u->all_cpus);
	if (!n) {
		if (!e)
			count_dec(hm);
		return -ENOMEM;
	}
	if (e) {
		writer_replace(w, link, e, n);
		u->old = e;
	} else {
		writer_insert(w, n);
	}
	u->added = n;
	return 0;
}

static int hash_update_common(struct kbpf_map *map, const void *key,
			      const void *value, u64 flags, bool all_cpus)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct update_args u = { .key = key, .value = value, .flags = flags,
				 .hash = hash_key(hm, key),
				 .all_cpus = all_cpus };
	u32 tries = 0;
	int err;

	do {
		/*
		 * A new key in a full LRU map makes room first, unless the
		 * evicted element's memory could not be reused before a grace
		 * period: the insert would fail and lose it for nothing.
		 */
		if (hm->lru && flags != KBPF_EXIST &&
		    kbpf_atomic32_fetch_add(&hm->count, 0) >= max_elems(hm) &&
		    !find_elem(hm, key, u.hash)) {
			if (kbpf_atomic32_fetch_add(&hm->held, 0) >=
			    held_cap(hm))
				return -ENOMEM;
			lru_evict(hm);
		}
		err = hash_write(hm, u.hash, update_locked, &u);
	} while (err == -E2BIG && hm->lru && ++tries < KBPF_LRU_RETRIES);

	if (hm->lru && u.added)
		lru_add(hm, u.added);
	if (u.old) {
		if (hm->lru)
			lru_remove(hm, u.old);
		elem_retire(hm, u.old);
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

struct delete_args {
	const void *key;
	u32 hash;
	struct hash_elem *gone;
};

static int delete_locked(struct kbpf_hash_map *hm, struct hash_writer *w,
			 void *arg)
{
	struct delete_args *d = arg;
	struct hash_elem **link = find_link(hm, w->tbl, d->key, d->hash);

	if (!link)
		return -ENOENT;
	d->gone = *link;
	writer_replace(w, link, d->gone, NULL);
	return 0;
}

static int hash_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct delete_args d = { .key = key, .hash = hash_key(hm, key) };
	int err = hash_write(hm, d.hash, delete_locked, &d);

	if (err)
		return err;
	if (hm->lru)
		lru_remove(hm, d.gone);
	count_dec(hm);
	elem_retire(hm, d.gone);
	return 0;
}

/* ---- iteration ---------------------------------------------------------- */

/*
 * Keys come in split order: by their hash with its bits reversed, then by
 * their bytes.  A bucket of a 2^k table holds one contiguous range of that
 * order (the hashes whose k low bits, reversed, are its position), whatever
 * k is, so the successor of a key is the same in the tables before and
 * after a resize.  A walk therefore sees every key present throughout it
 * exactly once, across resizes, and a deleted key needs no restart.
 */
static u32 bit_reverse32(u32 x)
{
	x = ((x >> 1) & 0x55555555U) | ((x & 0x55555555U) << 1);
	x = ((x >> 2) & 0x33333333U) | ((x & 0x33333333U) << 2);
	x = ((x >> 4) & 0x0f0f0f0fU) | ((x & 0x0f0f0f0fU) << 4);
	x = ((x >> 8) & 0x00ff00ffU) | ((x & 0x00ff00ffU) << 8);
	return (x >> 16) | (x << 16);
}

/* The bucket at split-order position pos, or pos of a bucket: an involution. */
static u32 split_pos(const struct hash_table *t, u32 x)
{
	return (u32)((u64)bit_reverse32(x) >> (32 - t->bits));
}

/* e against the key with reversed hash rhash: <0, 0 or >0. */
static int split_cmp(const struct kbpf_hash_map *hm, struct hash_elem *e,
		     u32 rhash, const void *key)
{
	u32 re = bit_reverse32(e->hash);

	if (re != rhash)
		return re < rhash ? -1 : 1;
	return memcmp(elem_key(e), key, hm->map.attrs.key_size);
}

/*
 * The first element of bucket b after (rhash, key) in split order (key
 * NULL: the first of all); RCU read section.
 */
static struct hash_elem *bucket_first_after(struct kbpf_hash_map *hm,
					    struct hash_table *t, u32 b,
					    u32 rhash, const void *key)
{
	struct hash_elem *e, *best = NULL;

	for (e = kbpf_rcu_deref(t->buckets[b]); e; e = tbl_next(t, e)) {
		if (key && split_cmp(hm, e, rhash, key) <= 0)
			continue;
		if (!best || split_cmp(hm, e, bit_reverse32(best->hash),
				       elem_key(best)) < 0)
			best = e;
	}
	return best;
}

static int hash_get_next_key(struct kbpf_map *map, const void *key,
			     void *next_key)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_table *t = kbpf_rcu_deref(hm->tbl);
	u32 hash, rhash = 0, pos = 0;
	struct hash_elem *next;

	/* Absent or not, a key has its place in the order. */
	if (key) {
		hash = hash_key(hm, key);
		rhash = bit_reverse32(hash);
		pos = split_pos(t, hash & t->bucket_mask);
	}
	next = bucket_first_after(hm, t, split_pos(t, pos), rhash, key);
	while (!next && pos++ < t->bucket_mask)
		next = bucket_first_after(hm, t, split_pos(t, pos), 0, NULL);
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

/* A table of buckets (a power of two): header, buckets, then locks. */
static u64 table_bytes(u32 buckets)
{
	return sizeof(struct hash_table) +
	       (u64)buckets * sizeof(struct hash_elem *) +
	       (u64)lock_count(buckets) * sizeof(struct kbpf_lock);
}

static struct hash_table *table_new(u32 buckets, u32 link)
{
	struct hash_table *t = kbpf_zalloc(table_bytes(buckets));
	u32 i;

	if (!t)
		return NULL;
	t->bucket_mask = buckets - 1;
	t->lock_mask = lock_count(buckets) - 1;
	while ((1U << t->bits) < buckets)
		t->bits++;
	t->link = link;
	t->locks = (struct kbpf_lock *)&t->buckets[buckets];
	for (i = 0; i <= t->lock_mask; i++)
		kbpf_lock_init(&t->locks[i]);
	return t;
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

/*
 * The map at attrs->max_entries: its elements, those it may hold awaiting
 * their grace period, and a table sized for the former.
 */
static int hash_cost(const struct kbpf_map_attrs *attrs, bool percpu,
		     u64 *bytes)
{
	u64 elem, fixed, n = attrs->max_entries;

	fixed = sizeof(struct kbpf_hash_map) +
		table_bytes(bucket_count(attrs->max_entries));
	if (elem_bytes(attrs, percpu, &elem))
		return -E2BIG;
	n += kbpf_map_grace_reserve(attrs->max_entries);
	return kbpf_mul_add(elem, n, fixed, bytes);
}

static int hash_alloc(const struct kbpf_map_attrs *attrs, bool percpu,
		      bool lru, struct kbpf_map **mapp)
{
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
	hm->seed = kbpf_prandom_u32();
	kbpf_lock_init(&hm->lru_lock);
	hm->tbl = table_new(bucket_count(attrs->max_entries), 0);
	if (!hm->tbl) {
		kbpf_free(hm);
		return -ENOMEM;
	}
	*mapp = &hm->map;
	return 0;
}

static u32 elem_count(struct kbpf_hash_map *hm)
{
	return kbpf_atomic32_fetch_add(&hm->count, 0);
}

/* Elements deleted or replaced and not freed yet. */
static u32 hash_frees_pending(struct kbpf_map *map)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 held = kbpf_atomic32_fetch_add(&hm->held, 0);
	u32 live = elem_count(hm);

	/* An insert counts itself live before it takes its memory. */
	return held > live ? held - live : 0;
}

/*
 * The last reference is gone: no program and no reader can reach it.  The
 * elements still awaiting their grace period give themselves back to the
 * map when freed: wait for them (kbpf_map_put() may sleep), so that the
 * map's budget is given back only once its memory is.
 */
static void hash_free(struct kbpf_map *map)
{
	struct kbpf_hash_map *hm = to_hash(map);
	struct hash_table *t = hm->tbl;
	struct hash_elem *e, *next;
	u64 b;

	if (hash_frees_pending(map))
		kbpf_rcu_barrier();
	for (b = 0; b <= t->bucket_mask; b++) {
		for (e = t->buckets[b]; e; e = next) {
			next = e->next[t->link];
			kbpf_free(e);
		}
	}
	kbpf_free(t);
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

/* Elements at the new cap, and the table the resize sizes for them. */
static int hash_resize_cost(const struct kbpf_map *map, u32 max_entries,
			    u64 *bytes)
{
	struct kbpf_map_attrs a = map->attrs;

	a.max_entries = max_entries;
	return hash_cost(&a, map->ops->percpu, bytes);
}

/* Both tables exist while a resize rehashes: the smaller one is extra. */
static u64 hash_resize_transient(const struct kbpf_map *map, u32 max_entries)
{
	const struct kbpf_hash_map *hm = (const struct kbpf_hash_map *)map;
	u32 now = hm->tbl->bucket_mask + 1, next = bucket_count(max_entries);

	if (now == next)
		return 0;
	return table_bytes(now < next ? now : next);
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
 * Lower the cap to max_entries from old.  The cap is set before the count
 * is read (count_inc() orders the other way), so no insert racing with the
 * shrink can leave the map over its new size; inserts racing with a
 * refused shrink may see the smaller cap and fail as if the map were full.
 * An LRU map evicts down to the new size first.
 */
static int lower_cap(struct kbpf_hash_map *hm, u32 old, u32 max_entries,
		     struct kbpf_log *log)
{
	u32 count;

	kbpf_atomic32_xchg(&hm->map.attrs.max_entries, max_entries);
	if (hm->lru)
		lru_shrink(hm, max_entries);
	count = elem_count(hm);
	if (count <= max_entries)
		return 0;
	kbpf_atomic32_xchg(&hm->map.attrs.max_entries, old);
	kbpf_map_log(log, "the map holds %u elements, more than %u: delete some first",
		     count, max_entries);
	return -EBUSY;
}

/*
 * Link every element of old's bucket b into the future table too, under
 * b's lock, so that no writer changes the chain meanwhile.  Its link there
 * is free: the table that used it last was freed a grace period ago.
 */
static void migrate_bucket(struct hash_table *old, u32 b)
{
	struct hash_table *f = old->future;
	struct kbpf_lock *lock;
	struct hash_elem *e;

	for (e = old->buckets[b]; e; e = e->next[old->link]) {
		lock = &f->locks[e->hash & f->lock_mask];
		kbpf_lock_acquire_nested(lock);
		tbl_push(f, e);
		kbpf_lock_release(lock);
	}
	kbpf_rcu_assign(old->migrated, b + 1);
}

/*
 * Every bucket into the future table, a batch at a time.  -EINTR once the
 * caller is killed: the readers' table was kept whole all along.
 */
static int migrate(struct hash_table *old)
{
	struct kbpf_lock *lock;
	u32 b;
	int err;

	for (b = 0; b <= old->bucket_mask; b++) {
		lock = &old->locks[b & old->lock_mask];
		kbpf_lock_acquire(lock);
		migrate_bucket(old, b);
		kbpf_lock_release(lock);
		if (b % KBPF_REHASH_BATCH == KBPF_REHASH_BATCH - 1) {
			err = kbpf_resched_check();
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Move the elements into a new table of that many buckets, never letting a
 * reader miss one.  Elements are not copied: each gets linked into the
 * new table by its other link while readers walk the old one, which every
 * writer keeps whole (hash_write()), then the new table is published.
 * Readers and writers that found the old table finish within a grace
 * period, after which it is freed -- and its link is free for the next
 * resize.  Values stay where they are, so a program's value pointer and
 * its writes survive the resize.
 */
static int rehash(struct kbpf_hash_map *hm, u32 buckets)
{
	struct hash_table *old = hm->tbl, *f, *gone;
	int err;

	if (buckets == old->bucket_mask + 1)
		return 0;
	f = table_new(buckets, !old->link);
	if (!f)
		return -ENOMEM;
	kbpf_rcu_assign(old->future, f);
	err = migrate(old);
	if (err) {
		/*
		 * The writers of a bucket are ordered by its lock in old:
		 * until one sees 0 they all kept old whole, after it none
		 * looks at f.
		 */
		kbpf_rcu_assign(old->migrated, 0);
		gone = f;
	} else {
		kbpf_rcu_assign(hm->tbl, f);
		gone = old;
	}
	kbpf_synchronize_rcu();
	if (err)
		kbpf_rcu_assign(old->future, NULL);
	kbpf_free(gone);
	return err;
}

/*
 * A grown map gets its buckets before its cap, a shrunk one after: the
 * load stays at most one element per bucket.  A shrink below the elements
 * held is refused (-EBUSY), except that an LRU map evicts first; a failed
 * rehash puts the old cap back; a shrink waits for the elements awaiting
 * their grace period.  Sleeps (a grace period).
 */
static int hash_resize(struct kbpf_map *map, u32 max_entries,
		       struct kbpf_log *log)
{
	struct kbpf_hash_map *hm = to_hash(map);
	u32 old = map->attrs.max_entries;
	int err;

	if (max_entries > old) {
		err = rehash(hm, bucket_count(max_entries));
		if (!err)
			kbpf_atomic32_xchg(&map->attrs.max_entries,
					   max_entries);
		return err;
	}
	err = lower_cap(hm, old, max_entries, log);
	if (err)
		return err;
	err = rehash(hm, bucket_count(max_entries));
	if (err) {
		kbpf_atomic32_xchg(&map->attrs.max_entries, old);
		return err;
	}
	/*
	 * The budget gives back the old size's memory once this returns:
	 * the elements it held awaiting their grace period go first.
	 */
	if (hash_frees_pending(map))
		kbpf_rcu_barrier();
	return 0;
}

#define HASH_MAP_OPS(_check, _cost, _alloc, _percpu)	\
	.create_flags = KBPF_F_NO_PREALLOC | KBPF_F_PROG_ACCESS,	\
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
	.resize_transient = hash_resize_transient,	\
	.resize = hash_resize,				\
	.frees_pending = hash_frees_pending,		\
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
