// SPDX-License-Identifier: GPL-2.0
/*
 * LPM tries: longest prefix wins on lookup, exact prefixes on update and
 * delete, Linux's flags and errnos, postorder iteration, and a randomised
 * comparison against a linear scan of the same prefixes.
 */
#include "map_test.h"

struct key4 {
	u32 prefixlen;
	u8 addr[4];
};

static struct key4 k4(u32 len, u8 a, u8 b, u8 c, u8 d)
{
	struct key4 k = { .prefixlen = len, .addr = { a, b, c, d } };

	return k;
}

static int trie(u32 key_size, u32 entries, struct kbpf_map **m)
{
	return kbpf_test_map(KBPF_MAP_TYPE_LPM_TRIE, key_size, 8, entries,
			     KBPF_F_NO_PREALLOC, m);
}

/* The value of the longest match of addr, or -1. */
static long long lookup4(struct kbpf_map *m, u8 a, u8 b, u8 c, u8 d)
{
	struct key4 k = k4(32, a, b, c, d);
	u64 v;

	return kbpf_map_lookup_copy(m, &k, &v) ? -1 : (long long)v;
}

static int create_errors(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;

	EXPECT_EQ(trie(4, 8, &m), -EINVAL, "no data bytes");
	EXPECT_EQ(trie(4 + 257, 8, &m), -EINVAL, "257 data bytes");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_LPM_TRIE, 8, 8, 8, 0, &m),
		  -EINVAL, "without NO_PREALLOC");
	EXPECT_EQ(trie(4 + 256, 8, &m), 0, "256 data bytes");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int longest_wins(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	struct key4 k;
	u64 v;

	EXPECT_EQ(trie(8, 16, &m), 0, "create");
	EXPECT_EQ(lookup4(m, 10, 1, 2, 3), -1, "empty trie");
	k = k4(8, 10, 0, 0, 0); v = 1;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "10/8");
	k = k4(24, 10, 1, 2, 0); v = 3;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "10.1.2/24");
	k = k4(16, 10, 1, 0, 0); v = 2;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "10.1/16");
	k = k4(16, 192, 168, 0, 0); v = 4;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "192.168/16");
	EXPECT_EQ(lookup4(m, 10, 1, 2, 3), 3, "10.1.2.3 -> /24");
	EXPECT_EQ(lookup4(m, 10, 1, 3, 3), 2, "10.1.3.3 -> /16");
	EXPECT_EQ(lookup4(m, 10, 2, 0, 1), 1, "10.2.0.1 -> /8");
	EXPECT_EQ(lookup4(m, 192, 168, 9, 9), 4, "192.168.9.9");
	EXPECT_EQ(lookup4(m, 8, 8, 8, 8), -1, "no default route yet");
	k = k4(0, 0, 0, 0, 0); v = 5;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_NOEXIST), 0, "0/0");
	EXPECT_EQ(lookup4(m, 8, 8, 8, 8), 5, "8.8.8.8 -> default");
	EXPECT_EQ(lookup4(m, 10, 1, 2, 3), 3, "still /24");
	/* A shorter key matches only as far as its own prefix. */
	k = k4(12, 10, 1, 2, 3);
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, &v), 0, "10.1.2.3/12");
	EXPECT_EQ(v, 1, "a /12 key finds the /8");
	/* Flags and errnos. */
	k = k4(16, 10, 1, 0, 0); v = 20;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_NOEXIST), -EEXIST,
		  "NOEXIST on an existing prefix");
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_EXIST), 0, "EXIST");
	EXPECT_EQ(lookup4(m, 10, 1, 3, 3), 20, "replaced value");
	k = k4(17, 10, 1, 0, 0);
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_EXIST), -ENOENT,
		  "EXIST on a missing prefix");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), -ENOENT, "delete missing /17");
	k = k4(33, 10, 1, 0, 0);
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), -EINVAL,
		  "prefixlen 33");
	/* Delete: the next shorter prefix takes over. */
	k = k4(16, 10, 1, 0, 0);
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete 10.1/16");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), -ENOENT, "delete it again");
	EXPECT_EQ(lookup4(m, 10, 1, 3, 3), 1, "10.1.3.3 -> /8 now");
	EXPECT_EQ(lookup4(m, 10, 1, 2, 3), 3, "10.1.2.3 still /24");
	k = k4(0, 0, 0, 0, 0);
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete 0/0");
	EXPECT_EQ(lookup4(m, 8, 8, 8, 8), -1, "no default any more");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int capacity(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	struct key4 k;
	u64 v = 1;
	u32 i;

	EXPECT_EQ(trie(8, 3, &m), 0, "create");
	for (i = 0; i < 3; i++) {
		k = k4(24, 10, 0, i, 0);
		EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "fill");
	}
	k = k4(24, 10, 0, 3, 0);
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), -ENOSPC,
		  "a 4th prefix in a 3-entry trie");
	k = k4(24, 10, 0, 1, 0);
	v = 7;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0,
		  "replace in a full trie");
	EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete one");
	k = k4(24, 10, 0, 3, 0);
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0,
		  "insert after the delete");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* Every prefix once, children before their parents, then -ENOENT. */
static int iterate(char *msg, size_t msg_size)
{
	static const struct { u32 len; u8 a, b, c; } pfx[] = {
		{ 8, 10, 0, 0 }, { 16, 10, 1, 0 }, { 24, 10, 1, 2 },
		{ 24, 10, 1, 3 }, { 16, 192, 168, 0 }, { 0, 0, 0, 0 },
	};
	struct kbpf_map *m = NULL;
	struct key4 k, next;
	u32 i, n = 0, seen = 0, pos[6];
	u64 v = 0;
	int err;

	EXPECT_EQ(trie(8, 16, &m), 0, "create");
	EXPECT_EQ(kbpf_map_get_next_key(m, NULL, &next), -ENOENT, "empty");
	for (i = 0; i < ARRAY_SIZE(pfx); i++) {
		k = k4(pfx[i].len, pfx[i].a, pfx[i].b, pfx[i].c, 0);
		EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "insert");
	}
	for (err = kbpf_map_get_next_key(m, NULL, &next); !err;
	     err = kbpf_map_get_next_key(m, &k, &next)) {
		for (i = 0; i < ARRAY_SIZE(pfx); i++)
			if (next.prefixlen == pfx[i].len &&
			    next.addr[0] == pfx[i].a &&
			    next.addr[1] == pfx[i].b && next.addr[2] == pfx[i].c)
				break;
		EXPECT_EQ(i < ARRAY_SIZE(pfx), 1, "a stored prefix");
		EXPECT_EQ((seen >> i) & 1, 0, "seen once");
		seen |= 1U << i;
		pos[i] = n++;
		k = next;
		EXPECT_EQ(n <= ARRAY_SIZE(pfx), 1, "iteration ends");
	}
	EXPECT_EQ(err, -ENOENT, "end");
	EXPECT_EQ(n, ARRAY_SIZE(pfx), "all prefixes");
	EXPECT_EQ(pos[2] < pos[1] && pos[3] < pos[1], 1, "/24s before /16");
	EXPECT_EQ(pos[1] < pos[0], 1, "/16 before /8");
	EXPECT_EQ(pos[0] < pos[5] && pos[4] < pos[5], 1, "0/0 last");
	k = k4(20, 1, 2, 3, 0);
	EXPECT_EQ(kbpf_map_get_next_key(m, &k, &next), 0, "missing key");
	EXPECT_EQ(next.prefixlen, 24, "restarts at the first");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* ---- against a linear scan ---------------------------------------------- */

#define REF_MAX	96

struct ref_pfx {
	u32 len;
	u16 addr;
	u64 value;
	bool live;
};

static u32 rnd(u32 *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static bool ref_covers(const struct ref_pfx *p, u16 addr)
{
	u16 mask = p->len ? (u16)(0xffff << (16 - p->len)) : 0;

	return (addr & mask) == (p->addr & mask);
}

static long long ref_lookup(const struct ref_pfx *ref, u32 n, u16 addr)
{
	long long best = -1;
	int best_len = -1;
	u32 i;

	for (i = 0; i < n; i++)
		if (ref[i].live && ref_covers(&ref[i], addr) &&
		    (int)ref[i].len > best_len) {
			best_len = ref[i].len;
			best = ref[i].value;
		}
	return best;
}

struct key2 {
	u32 prefixlen;
	u8 addr[2];
};

static struct key2 k2(u32 len, u16 addr)
{
	struct key2 k = { .prefixlen = len,
			  .addr = { addr >> 8, addr & 0xff } };

	return k;
}

/* ref[i]'s index, by prefix; n if none. */
static u32 ref_find(const struct ref_pfx *ref, u32 n, const struct key2 *k)
{
	u16 addr = (u16)(k->addr[0] << 8 | k->addr[1]);
	u32 i;

	for (i = 0; i < n; i++)
		if (ref[i].len == k->prefixlen && ref[i].addr == addr)
			break;
	return i;
}

/*
 * next_key from the start visits every live prefix once and nothing else,
 * a prefix after every longer prefix it covers (postorder), then -ENOENT.
 */
static int iterate_matches(struct kbpf_map *m, const struct ref_pfx *ref,
			   u32 n, char *msg, size_t msg_size)
{
	u32 order[REF_MAX], seen = 0, live = 0, i, j;
	struct key2 k, next;
	int err;

	for (err = kbpf_map_get_next_key(m, NULL, &next); !err;
	     err = kbpf_map_get_next_key(m, &k, &next)) {
		EXPECT_EQ(seen < REF_MAX, 1, "the walk ends");
		i = ref_find(ref, n, &next);
		EXPECT_EQ(i < n && ref[i].live, 1, "a live prefix");
		for (j = 0; j < seen; j++)
			EXPECT_EQ(order[j] != i, 1, "visited once");
		/* Nothing seen so far may be covered by, and shorter than, i. */
		for (j = 0; j < seen; j++)
			EXPECT_EQ(ref[order[j]].len < ref[i].len &&
				  ref_covers(&ref[order[j]], ref[i].addr), 0,
				  "postorder: a longer prefix before a shorter one covering it");
		order[seen++] = i;
		k = next;
	}
	EXPECT_EQ(err, -ENOENT, "the walk ends");
	for (i = 0; i < n; i++)
		live += ref[i].live;
	EXPECT_EQ(seen, live, "every live prefix");
	return 0;
out:
	return 1;
}

static int randomised(char *msg, size_t msg_size)
{
	struct ref_pfx *ref = kbpf_zalloc(sizeof(*ref) * REF_MAX);
	struct kbpf_map *m = NULL;
	u32 s = 12345, i, n = 0, round;
	struct key2 k;
	u64 v;
	int ret = 1;

	if (!ref) {
		snprintf(msg, msg_size, "no memory");
		goto out;
	}
	EXPECT_EQ(trie(6, REF_MAX, &m), 0, "create");
	for (round = 0; round < 3; round++) {
		/* Insert new prefixes (short ones often, to nest them). */
		while (n < REF_MAX * (round + 1) / 3) {
			u32 len = rnd(&s) % 17;
			u16 mask = len ? (u16)(0xffff << (16 - len)) : 0;
			u16 addr = rnd(&s) & mask;

			for (i = 0; i < n; i++)
				if (ref[i].len == len && ref[i].addr == addr)
					break;
			if (i < n)
				continue;
			ref[n] = (struct ref_pfx){ len, addr, 1000 + n, true };
			k = k2(len, addr);
			v = ref[n].value;
			EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_NOEXIST),
				  0, "insert");
			n++;
		}
		/* Delete a third of what lives. */
		for (i = 0; i < n; i++) {
			if (!ref[i].live || rnd(&s) % 3)
				continue;
			k = k2(ref[i].len, ref[i].addr);
			EXPECT_EQ(kbpf_map_delete_elem(m, &k), 0, "delete");
			ref[i].live = false;
		}
		for (i = 0; i < 2048; i++) {
			u16 addr = rnd(&s);
			long long want = ref_lookup(ref, n, addr);

			k = k2(16, addr);
			if (kbpf_map_lookup_copy(m, &k, &v))
				v = (u64)-1;
			EXPECT_EQ((long long)v, want, "trie agrees with the scan");
		}
		if (iterate_matches(m, ref, n, msg, msg_size))
			goto out;
	}
	ret = 0;
out:
	kbpf_map_put(m);
	kbpf_free(ref);
	return ret;
}

/* A value pointer survives a delete until the run section ends. */
static int rcu_lifetime(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	struct key4 k = k4(24, 10, 0, 0, 0);
	u64 v = 42, got = 0, *p;

	EXPECT_EQ(trie(8, 4, &m), 0, "create");
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0, "insert");
	kbpf_run_section_begin();
	k.prefixlen = 32;
	p = kbpf_map_lookup_elem(m, &k);
	k.prefixlen = 24;
	if (p && kbpf_map_delete_elem(m, &k) == 0)
		got = *p;	/* freed only after the section */
	kbpf_run_section_end();
	EXPECT_EQ(got, 42, "the value read after its delete");
	k.prefixlen = 32;
	EXPECT_EQ(kbpf_map_lookup_elem(m, &k) == NULL, 1, "gone after");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static const struct kbpf_test_fn_case map_lpm_cases[] = {
	{ "lpm: creation rules", create_errors },
	{ "lpm: the longest prefix wins; flags, errnos, delete", longest_wins },
	{ "lpm: max_entries prefixes, then ENOSPC", capacity },
	{ "lpm: next_key visits each prefix once, in postorder", iterate },
	{ "lpm: random prefixes agree with a linear scan, next_key too", randomised },
	{ "lpm: a looked-up value outlives its delete in the run", rcu_lifetime },
};

KBPF_FN_TEST_SUITE(map_lpm, "kbpf_map_lpm", map_lpm_cases);
