// SPDX-License-Identifier: GPL-2.0
/*
 * Longest-prefix-match tries (LPM_TRIE), as Linux's: keys are struct
 * kbpf_lpm_trie_key, a prefix length in bits followed by data_size bytes
 * (an address, network byte order).  Lookup returns the value of the
 * longest stored prefix that matches the key; update and delete work on the
 * exact prefix.
 *
 * A binary trie of nodes, each holding a prefix; a node's children extend
 * it, child[b] by the bit b at position prefixlen.  Intermediate nodes
 * (flag NODE_IM) exist only to branch and carry no value; they always
 * have two children.  Lookups walk the trie without a lock, in an RCU read
 * section; writers serialise on the map's lock, publish a node only once
 * it is filled, and free what they unlink through kbpf_call_rcu().  So a
 * value pointer from a lookup stays valid, with its contents, for the rest
 * of the run.  At most max_entries prefixes (-ENOSPC for the next, as
 * Linux), hence at most 2 * max_entries - 1 nodes linked in.  A node
 * stays the map's until it is freed, a grace period after it was
 * unlinked: nodes counts those too and stops at twice max_entries plus
 * the grace reserve (kbpf_map_grace_reserve()), which the memory cost
 * counts; past it an update fails with -ENOMEM until a grace period frees
 * some.
 */
#include "map.h"

#define LPM_DATA_SIZE_MAX	256	/* bytes of a key's data, as Linux */
#define NODE_IM			1	/* intermediate: no value */

struct lpm_node {
	struct lpm_node *child[2];	/* RCU */
	struct kbpf_rcu_head rcu;
	struct lpm_trie *owner;		/* once retired: who counts it */
	u32 prefixlen;
	u32 flags;
	u64 data[];			/* data_size bytes, padded, then value */
};

struct lpm_trie {
	struct kbpf_map map;
	struct lpm_node *root;		/* RCU */
	struct kbpf_lock lock;		/* writers */
	u32 n_entries;			/* under lock */
	u32 nodes;			/* allocated, not freed yet; atomic */
	u32 retired;			/* of those, awaiting a grace period */
	u32 data_size;
	u32 max_prefixlen;		/* data_size * 8 */
	u32 value_off;			/* data_size rounded up to 8 */
};

/* The key's layout, uapi struct kbpf_lpm_trie_key. */
struct lpm_key {
	u32 prefixlen;
	u8 data[];
};

static struct lpm_trie *to_trie(struct kbpf_map *map)
{
	return (struct lpm_trie *)map;
}

static u8 *lpm_node_bytes(struct lpm_node *n)
{
	return (u8 *)n->data;
}

static void *lpm_node_value(const struct lpm_trie *t, struct lpm_node *n)
{
	return lpm_node_bytes(n) + t->value_off;
}

/* Bit index of data, counted from the most significant bit of byte 0. */
static u32 extract_bit(const u8 *data, u32 index)
{
	return !!(data[index / 8] & (1 << (7 - (index % 8))));
}

/* Leading bits node and key have in common, at most both prefixes. */
static u32 prefix_match(const struct lpm_trie *t, struct lpm_node *n,
			const struct lpm_key *key)
{
	u32 limit = n->prefixlen < key->prefixlen ? n->prefixlen :
						      key->prefixlen;
	const u8 *a = lpm_node_bytes(n);
	u32 i, bits = 0;

	for (i = 0; i < t->data_size && bits < limit; i++) {
		u8 diff = a[i] ^ key->data[i];

		if (diff) {
			/* Leading equal bits of this byte. */
			while (!(diff & 0x80)) {
				diff <<= 1;
				bits++;
			}
			break;
		}
		bits += 8;
	}
	return bits < limit ? bits : limit;
}

/* ---- lookup ------------------------------------------------------------- */

static struct lpm_node *longest_match(struct lpm_trie *t,
				      const struct lpm_key *key)
{
	struct lpm_node *n, *found = NULL;

	for (n = kbpf_rcu_deref(t->root); n;) {
		u32 match = prefix_match(t, n, key);

		if (match < n->prefixlen)
			break;
		if (!(n->flags & NODE_IM))
			found = n;
		if (match == t->max_prefixlen || match >= key->prefixlen)
			break;
		n = kbpf_rcu_deref(n->child[extract_bit(key->data,
							 n->prefixlen)]);
	}
	return found;
}

static void *trie_lookup(struct kbpf_map *map, const void *key)
{
	struct lpm_trie *t = to_trie(map);
	struct lpm_node *n = longest_match(t, key);

	return n ? lpm_node_value(t, n) : NULL;
}

static int trie_lookup_copy(struct kbpf_map *map, const void *key,
			    void *value)
{
	struct lpm_trie *t = to_trie(map);
	struct lpm_node *n = longest_match(t, key);

	if (!n)
		return -ENOENT;
	memcpy(value, lpm_node_value(t, n), map->attrs.value_size);
	return 0;
}

/* ---- update and delete -------------------------------------------------- */

/* Nodes the memory cost counts: linked in, or awaiting a grace period. */
static u64 max_nodes(u32 max_entries)
{
	return 2 * ((u64)max_entries + kbpf_map_grace_reserve(max_entries));
}

/* NULL once the map's nodes are all taken (-ENOMEM) or memory is out. */
static struct lpm_node *lpm_node_new(struct lpm_trie *t, const void *value)
{
	size_t size = sizeof(struct lpm_node) + t->value_off +
		      (value ? t->map.attrs.value_size : 0);
	u64 cap = max_nodes(t->map.attrs.max_entries);
	struct lpm_node *n;

	if (!kbpf_map_count_take(&t->nodes, cap))
		return NULL;
	n = kbpf_zalloc_atomic(size);
	if (!n) {
		kbpf_map_count_put(&t->nodes);
		return NULL;
	}
	if (value)
		memcpy(lpm_node_value(t, n), value, t->map.attrs.value_size);
	return n;
}

/* A node no reader has seen. */
static void lpm_node_free(struct lpm_trie *t, struct lpm_node *n)
{
	kbpf_free(n);
	kbpf_map_count_put(&t->nodes);
}

static void node_free_rcu(struct kbpf_rcu_head *head)
{
	struct lpm_node *n = (struct lpm_node *)((u8 *)head -
						 offsetof(struct lpm_node, rcu));
	struct lpm_trie *t = n->owner;

	lpm_node_free(t, n);
	kbpf_map_count_put(&t->retired);
}

/* Freed once no reader can hold it; trie_free() waits for the last. */
static void node_retire(struct lpm_trie *t, struct lpm_node *n)
{
	if (!n)
		return;
	n->owner = t;
	kbpf_atomic32_add(&t->retired, 1);
	kbpf_call_rcu(&n->rcu, node_free_rcu);
}

static bool key_valid(const struct lpm_trie *t, const struct lpm_key *key)
{
	return key->prefixlen <= t->max_prefixlen;
}

/*
 * Under the lock.  The slot holding the node where key's prefix belongs,
 * and that node (NULL: an empty slot on the path).
 */
static struct lpm_node **find_slot(struct lpm_trie *t,
				   const struct lpm_key *key,
				   struct lpm_node **node, u32 *matchlen)
{
	struct lpm_node **slot = &t->root, *n;
	u32 match = 0;

	while ((n = *slot)) {
		match = prefix_match(t, n, key);
		if (n->prefixlen != match || n->prefixlen == key->prefixlen ||
		    n->prefixlen == t->max_prefixlen)
			break;
		slot = &n->child[extract_bit(key->data, n->prefixlen)];
	}
	*node = n;
	*matchlen = match;
	return slot;
}

/* Under the lock: link new (prefix of key) where find_slot() stopped. */
static int link_node(struct lpm_trie *t, const struct lpm_key *key,
		     struct lpm_node **slot, struct lpm_node *n, u32 match,
		     struct lpm_node *new)
{
	struct lpm_node *im;
	u32 bit;

	if (!n) {
		kbpf_rcu_assign(*slot, new);
		return 0;
	}
	if (match == key->prefixlen) {
		/* new is a prefix of n: n hangs below it. */
		new->child[extract_bit(lpm_node_bytes(n), match)] = n;
		kbpf_rcu_assign(*slot, new);
		return 0;
	}
	/* They part at bit match: an intermediate node branches there. */
	im = lpm_node_new(t, NULL);
	if (!im)
		return -ENOMEM;
	im->prefixlen = match;
	im->flags = NODE_IM;
	memcpy(lpm_node_bytes(im), lpm_node_bytes(n), t->data_size);
	bit = extract_bit(key->data, match);
	im->child[bit] = new;
	im->child[!bit] = n;
	kbpf_rcu_assign(*slot, im);
	return 0;
}

static int trie_update(struct kbpf_map *map, const void *key,
		       const void *value, u64 flags)
{
	struct lpm_trie *t = to_trie(map);
	const struct lpm_key *k = key;
	struct lpm_node **slot, *n, *new, *old = NULL;
	bool exists;
	u32 match;
	int err = 0;

	if (!key_valid(t, k))
		return -EINVAL;
	new = lpm_node_new(t, value);
	if (!new)
		return -ENOMEM;
	new->prefixlen = k->prefixlen;
	memcpy(lpm_node_bytes(new), k->data, t->data_size);

	kbpf_lock_acquire(&t->lock);
	slot = find_slot(t, k, &n, &match);
	exists = n && n->prefixlen == k->prefixlen && match == k->prefixlen &&
		 !(n->flags & NODE_IM);
	if (exists && flags == KBPF_NOEXIST)
		err = -EEXIST;
	else if (!exists && flags == KBPF_EXIST)
		err = -ENOENT;
	else if (!exists && t->n_entries >= map->attrs.max_entries)
		err = -ENOSPC;
	if (err)
		goto unlock;
	if (n && n->prefixlen == k->prefixlen && match == k->prefixlen) {
		/* The same prefix: new takes the place of n (maybe an IM). */
		new->child[0] = n->child[0];
		new->child[1] = n->child[1];
		kbpf_rcu_assign(*slot, new);
		old = n;
	} else {
		err = link_node(t, k, slot, n, match, new);
	}
	if (!err && !exists)
		t->n_entries++;
unlock:
	kbpf_lock_release(&t->lock);
	if (err)
		lpm_node_free(t, new);
	node_retire(t, old);
	return err;
}

static int trie_delete(struct kbpf_map *map, const void *key)
{
	struct lpm_trie *t = to_trie(map);
	const struct lpm_key *k = key;
	struct lpm_node **trim = &t->root, **trim2 = trim, *parent = NULL;
	struct lpm_node *n, *gone = NULL, *gone2 = NULL;
	u32 match = 0;
	int err = 0;

	if (!key_valid(t, k))
		return -EINVAL;
	kbpf_lock_acquire(&t->lock);
	while ((n = *trim)) {
		match = prefix_match(t, n, k);
		if (n->prefixlen != match || n->prefixlen == k->prefixlen)
			break;
		parent = n;
		trim2 = trim;
		trim = &n->child[extract_bit(k->data, n->prefixlen)];
	}
	if (!n || n->prefixlen != k->prefixlen || match != k->prefixlen ||
	    (n->flags & NODE_IM)) {
		err = -ENOENT;
		goto unlock;
	}
	t->n_entries--;
	if (n->child[0] && n->child[1]) {
		/* Still needed to branch: it only loses its value. */
		n->flags |= NODE_IM;
	} else if (parent && (parent->flags & NODE_IM) && !n->child[0] &&
		   !n->child[1]) {
		/* A leaf under an intermediate: the sibling replaces both. */
		kbpf_rcu_assign(*trim2, parent->child[parent->child[0] == n]);
		gone = n;
		gone2 = parent;
	} else {
		kbpf_rcu_assign(*trim, n->child[0] ?: n->child[1]);
		gone = n;
	}
unlock:
	kbpf_lock_release(&t->lock);
	node_retire(t, gone);
	node_retire(t, gone2);
	return err;
}

/* ---- iteration ---------------------------------------------------------- */

/* The first node in postorder below root: leftmost with a value. */
static struct lpm_node *leftmost(struct lpm_node *root)
{
	struct lpm_node *n = root, *next = NULL;

	while (n) {
		if (n->flags & NODE_IM) {
			n = kbpf_rcu_deref(n->child[0]);
			continue;
		}
		next = n;
		n = kbpf_rcu_deref(n->child[0]) ?:
		    kbpf_rcu_deref(next->child[1]);
	}
	return next;
}

/*
 * What follows n's subtree in postorder, as its ancestor p sees it when the
 * path down to n left p by child bit: p's right subtree's first node if
 * the path went left and there is one, else p itself if p holds a prefix
 * (children before their parent), else nothing (ask p's own ancestor).
 */
static struct lpm_node *after_child(struct lpm_node *p, u32 bit)
{
	struct lpm_node *right = kbpf_rcu_deref(p->child[1]);

	if (bit == 0 && right)
		return leftmost(right);
	return (p->flags & NODE_IM) ? NULL : p;
}

/*
 * Postorder, as Linux: children before their parent, so a walk that
 * deletes what it visits never loses its place.  A missing key restarts
 * from the first.  One walk down from the root, remembering what the
 * nearest ancestor says comes after the key, instead of a stack of the
 * path (Linux allocates one per call: up to 16 KiB here).
 */
static int trie_get_next_key(struct kbpf_map *map, const void *key,
			     void *next_key)
{
	struct lpm_trie *t = to_trie(map);
	const struct lpm_key *k = key;
	struct lpm_node *n, *next = NULL, *after = NULL;
	struct lpm_key *out = next_key;
	u32 match = 0;

	for (n = k && key_valid(t, k) ? kbpf_rcu_deref(t->root) : NULL; n;) {
		u32 bit;

		match = prefix_match(t, n, k);
		if (n->prefixlen != match || n->prefixlen == k->prefixlen)
			break;
		bit = extract_bit(k->data, n->prefixlen);
		after = after_child(n, bit) ?: after;
		n = kbpf_rcu_deref(n->child[bit]);
	}
	if (!n || n->prefixlen != k->prefixlen || match != k->prefixlen ||
	    (n->flags & NODE_IM))
		next = leftmost(kbpf_rcu_deref(t->root));
	else
		next = after;
	if (!next)
		return -ENOENT;
	out->prefixlen = next->prefixlen;
	memcpy(out->data, lpm_node_bytes(next), t->data_size);
	return 0;
}

/* ---- creation ----------------------------------------------------------- */

static int trie_check(const struct kbpf_map_attrs *attrs,
		      const struct kbpf_limits *limits, struct kbpf_log *log)
{
	int err = kbpf_map_check_sizes(attrs, limits, false, log);

	if (err)
		return err;
	if (attrs->key_size <= sizeof(struct lpm_key) ||
	    attrs->key_size > sizeof(struct lpm_key) + LPM_DATA_SIZE_MAX) {
		kbpf_map_log(log, "an LPM trie's key_size must be 4 + 1..%u bytes of data, not %u",
			     LPM_DATA_SIZE_MAX, attrs->key_size);
		return -EINVAL;
	}
	if (!(attrs->flags & KBPF_F_NO_PREALLOC)) {
		kbpf_map_log(log, "an LPM trie needs flags KBPF_F_NO_PREALLOC, as in Linux");
		return -EINVAL;
	}
	return 0;
}

static int trie_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	u64 node = sizeof(struct lpm_node) +
		   kbpf_round_up8_64(attrs->key_size) +
		   kbpf_round_up8_64(attrs->value_size);

	/*
	 * Prefixes plus the intermediate nodes between them, and those
	 * awaiting their grace period.
	 */
	return kbpf_mul_add(node, max_nodes(attrs->max_entries),
			    sizeof(struct lpm_trie), bytes);
}

static int trie_alloc(const struct kbpf_map_attrs *attrs,
		      struct kbpf_map **mapp)
{
	struct lpm_trie *t = kbpf_zalloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->map.attrs = *attrs;
	t->data_size = attrs->key_size - sizeof(struct lpm_key);
	t->max_prefixlen = t->data_size * 8;
	t->value_off = kbpf_round_up8(t->data_size);
	kbpf_lock_init(&t->lock);
	*mapp = &t->map;
	return 0;
}

static u32 trie_frees_pending(struct kbpf_map *map)
{
	return kbpf_atomic32_fetch_add(&to_trie(map)->retired, 0);
}

/*
 * No reader is left: free leaves until nothing remains.  Retired nodes
 * give themselves back to the map when freed: wait for them first (see
 * hash_free()).
 */
static void trie_free(struct kbpf_map *map)
{
	struct lpm_trie *t = to_trie(map);
	struct lpm_node **slot, *n;

	if (trie_frees_pending(map))
		kbpf_rcu_barrier();
	while (t->root) {
		slot = &t->root;
		for (;;) {
			n = *slot;
			if (n->child[0]) {
				slot = &n->child[0];
				continue;
			}
			if (n->child[1]) {
				slot = &n->child[1];
				continue;
			}
			kbpf_free(n);
			*slot = NULL;
			break;
		}
	}
	kbpf_free(t);
}

const struct kbpf_map_ops kbpf_lpm_trie_map_ops = {
	.create_flags = KBPF_F_NO_PREALLOC | KBPF_F_PROG_ACCESS,
	.check = trie_check,
	.mem_cost = trie_cost,
	.alloc = trie_alloc,
	.free = trie_free,
	.lookup = trie_lookup,
	.lookup_copy = trie_lookup_copy,
	.update = trie_update,
	.delete = trie_delete,
	.get_next_key = trie_get_next_key,
	.frees_pending = trie_frees_pending,
};
