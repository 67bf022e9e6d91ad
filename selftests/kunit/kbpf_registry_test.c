// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_registry: a program load that loses a race, driven step by step.
 *
 * KBPF_IOC_PROG_LOAD (kbpf_prog_load_reserved() in kmod/chardev.c) checks
 * the name and the room, allocates its registry entry, verifies, and only
 * then reserves the id and name, before it finishes the log.  Two loads
 * verifying at once both pass the first checks; the one that reserves
 * second must get -EEXIST (its name was taken meanwhile) or -ENOSPC (the
 * last program slot was), with the reason in its own log, and leave
 * nothing behind.  The cases run the two loads' steps in that racing
 * order through the registry functions the ioctl calls.
 *
 * A map's destroy, in the same way: its last put (which may wait for RCU
 * callbacks) must run once the registry mutex is released, by the unlock
 * that ends the destroy's section, so no other control operation waits for
 * it (docs/architecture.md, "Object lifetimes and locking").  The map's
 * free is seen through its ops, replaced by one that notes whether anyone
 * held the mutex and then frees as the type does.
 *
 * "Nothing behind": the registry's program count, and the blocks kbpf
 * holds (kbpf_env_live_blocks_read(), the allocation seam of
 * core/env_kernel.h: every kbpf_zalloc*() block not yet freed, pool
 * blocks in the embedded profile), back where they were.  Expected
 * messages are the ones docs/architecture.md promises.
 */

#include <kunit/test.h>
#include <linux/kbpf.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "../../kmod/env.h"
#include "../../kmod/registry.h"
#include "../../kmod/core/maps/map.h"

#define KBPF_TEST_LOG_SIZE	256

/* One load in flight: its entry, its verified program and its log. */
struct kbpf_test_load {
	struct kbpf_reg_prog *rp;
	struct kbpf_prog *prog;
	struct kbpf_log log;
	char buf[KBPF_TEST_LOG_SIZE];
};

static const struct kbpf_insn kbpf_test_accept[] = {
	KBPF_MOV64_IMM(KBPF_REG_0, KBPF_NF_ACCEPT),
	KBPF_EXIT_INSN(),
};

/* The initial namespace's admin, as the device describes root. */
static const struct kbpf_caller kbpf_test_root = {
	.net = &init_net,
	.admin = true,
	.init_admin = true,
};

/* Blocks kbpf holds once RCU callbacks that free some have run. */
static long kbpf_test_blocks(void)
{
	rcu_barrier();
	return kbpf_env_live_blocks_read();
}

/*
 * A load's steps up to its reservation, as kbpf_ioctl_prog_load() takes
 * them: name free, room, registry entry, verification.
 */
static void kbpf_test_load_verify(struct kunit *test, struct kbpf_test_load *l,
				  const char *name, u32 flags)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = kbpf_test_accept,
		.insn_cnt = ARRAY_SIZE(kbpf_test_accept),
		.flags = flags,
		.log = &l->log,
	};

	kbpf_log_init(&l->log, l->buf, sizeof(l->buf), KBPF_LOG_LEVEL_ERRORS);
	KUNIT_ASSERT_EQ(test, kbpf_registry_prog_name_free(&kbpf_test_root, name), 0);
	KUNIT_ASSERT_EQ_MSG(test, kbpf_registry_prog_room(&l->log), 0, "log: %s", l->buf);
	l->rp = kbpf_registry_prog_new();
	KUNIT_ASSERT_NOT_NULL(test, l->rp);
	KUNIT_ASSERT_EQ_MSG(test, kbpf_prog_load(&opts, &l->prog), 0, "log: %s", l->buf);
}

static void kbpf_test_unload(struct kbpf_reg_prog *rp)
{
	kbpf_registry_lock();
	kbpf_registry_prog_unload_locked(rp);
	kbpf_registry_unlock();
}

/* Two loads of one name verify at once; the second to reserve loses. */
static void kbpf_registry_load_loses_name(struct kunit *test)
{
	static const char name[] = "kunit_race";
	struct kbpf_test_load *a, *b;
	u32 progs = kbpf_registry_prog_count();
	long blocks = kbpf_test_blocks(), with_a, with_both;
	struct kbpf_reg_prog *found;
	int err;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* Arrange: both past the name check and the verifier. */
	kbpf_test_load_verify(test, a, name, 0);
	with_a = kbpf_test_blocks();
	kbpf_test_load_verify(test, b, name, 0);
	with_both = kbpf_test_blocks();
	KUNIT_EXPECT_GT(test, with_both, with_a);

	/* Act: a reserves first, then b. */
	KUNIT_ASSERT_EQ(test, kbpf_registry_prog_reserve(&kbpf_test_root, a->rp,
							 a->prog, name, &a->log), 0);
	kbpf_registry_prog_commit(a->rp);
	err = kbpf_registry_prog_reserve(&kbpf_test_root, b->rp, b->prog, name,
					 &b->log);

	/* Assert: b refused, with the reason in its log, its blocks gone. */
	KUNIT_EXPECT_EQ(test, err, -EEXIST);
	KUNIT_EXPECT_STREQ(test, b->buf,
			   "a program named 'kunit_race' was loaded meanwhile\n");
	KUNIT_EXPECT_STREQ(test, a->buf, "");
	KUNIT_EXPECT_EQ(test, kbpf_registry_prog_count(), progs + 1);
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), with_a);
	/* The name is a's: its lookup finds a's program. */
	kbpf_registry_lock();
	found = kbpf_registry_prog_find_locked(&kbpf_test_root, 0, name);
	kbpf_registry_unlock();
	KUNIT_EXPECT_PTR_EQ(test, found, a->rp);

	kbpf_test_unload(a->rp);
	KUNIT_EXPECT_EQ(test, kbpf_registry_prog_count(), progs);
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), blocks);
}

/*
 * Fill the registry up to one free slot with reserved programs (loaded
 * without the verifier: cheaper, and the registry does not care); their
 * entries, n of them, in *fill.
 */
static u32 kbpf_test_fill(struct kunit *test, struct kbpf_reg_prog ***fill)
{
	u32 max = kbpf_default_limits()->max_progs;
	u32 n = max - 1 - kbpf_registry_prog_count(), i;
	struct kbpf_test_load *l;

	l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	*fill = kunit_kcalloc(test, n ?: 1, sizeof(**fill), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_NOT_NULL(test, *fill);
	for (i = 0; i < n; i++) {
		kbpf_test_load_verify(test, l, "", KBPF_LOAD_NO_VERIFY);
		KUNIT_ASSERT_EQ(test, kbpf_registry_prog_reserve(&kbpf_test_root,
								 l->rp, l->prog,
								 "", &l->log), 0);
		(*fill)[i] = l->rp;
	}
	KUNIT_ASSERT_EQ(test, kbpf_registry_prog_count(), max - 1);
	return n;
}

/* Two loads pass the room check for the last slot; the second loses it. */
static void kbpf_registry_load_loses_last_slot(struct kunit *test)
{
	u32 max = kbpf_default_limits()->max_progs;
	u32 progs = kbpf_registry_prog_count(), n, i;
	long blocks = kbpf_test_blocks(), with_a;
	struct kbpf_test_load *a, *b, *c;
	struct kbpf_reg_prog **fill;
	char want[KBPF_TEST_LOG_SIZE];
	int err;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	snprintf(want, sizeof(want), "there are already %u programs, the limit\n",
		 max);

	/* Arrange: one slot left, and two loads verified for it. */
	n = kbpf_test_fill(test, &fill);
	kbpf_test_load_verify(test, a, "kunit_a", 0);
	with_a = kbpf_test_blocks();
	kbpf_test_load_verify(test, b, "kunit_b", 0);

	/* Act: a takes the slot, then b asks for it. */
	KUNIT_ASSERT_EQ(test, kbpf_registry_prog_reserve(&kbpf_test_root, a->rp,
							 a->prog, "kunit_a",
							 &a->log), 0);
	err = kbpf_registry_prog_reserve(&kbpf_test_root, b->rp, b->prog,
					 "kunit_b", &b->log);

	/* Assert: b refused with the limit in its log, its blocks gone. */
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_STREQ(test, b->buf, want);
	KUNIT_EXPECT_EQ(test, kbpf_registry_prog_count(), max);
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), with_a);
	/* A load starting now is refused before it verifies, alike. */
	kbpf_log_init(&c->log, c->buf, sizeof(c->buf), KBPF_LOG_LEVEL_ERRORS);
	KUNIT_EXPECT_EQ(test, kbpf_registry_prog_room(&c->log), -ENOSPC);
	KUNIT_EXPECT_STREQ(test, c->buf, want);

	/* Reserved, never committed: aborted as a failed load's would be. */
	kbpf_registry_prog_abort(a->rp);
	for (i = 0; i < n; i++)
		kbpf_registry_prog_abort(fill[i]);
	KUNIT_EXPECT_EQ(test, kbpf_registry_prog_count(), progs);
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), blocks);
}

/* The map's type's ops, but free, which notes how it was called. */
static const struct kbpf_map_ops *kbpf_test_type_ops;
static struct kbpf_map_ops kbpf_test_noting_ops;
static bool kbpf_test_freed, kbpf_test_freed_locked;

static void kbpf_test_noting_free(struct kbpf_map *map)
{
	kbpf_test_freed = true;
	kbpf_test_freed_locked = kbpf_registry_is_locked();
	kbpf_test_type_ops->free(map);
}

/* A destroyed map is freed after the registry mutex, not under it. */
static void kbpf_registry_destroy_frees_unlocked(struct kunit *test)
{
	struct kbpf_map_attrs attrs = {
		.type = KBPF_MAP_TYPE_HASH,
		.key_size = 4,
		.value_size = 8,
		.max_entries = 4,
	};
	long blocks = kbpf_test_blocks();
	bool freed_in_section;
	struct kbpf_reg_map *rm;
	char buf[KBPF_TEST_LOG_SIZE] = "";
	struct kbpf_log log;
	int err;

	/* Arrange: a map whose free notes whether the mutex is held. */
	kbpf_log_init(&log, buf, sizeof(buf), KBPF_LOG_LEVEL_ERRORS);
	rm = kbpf_registry_map_reserve(&kbpf_test_root, &attrs, "kunit_destroy",
				       &log);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(rm), "log: %s", buf);
	kbpf_registry_map_commit(rm);
	kbpf_test_type_ops = rm->map->ops;
	kbpf_test_noting_ops = *rm->map->ops;
	kbpf_test_noting_ops.free = kbpf_test_noting_free;
	rm->map->ops = &kbpf_test_noting_ops;
	kbpf_test_freed = false;

	/* Act: destroy it as MAP_DESTROY does. */
	kbpf_registry_lock();
	err = kbpf_registry_map_destroy_locked(rm);
	freed_in_section = kbpf_test_freed;
	kbpf_registry_unlock();

	/* Assert: gone from lookups at once, freed by the unlock, unlocked. */
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_FALSE(test, freed_in_section);
	KUNIT_EXPECT_TRUE(test, kbpf_test_freed);
	KUNIT_EXPECT_FALSE(test, kbpf_test_freed_locked);
	kbpf_registry_lock();
	KUNIT_EXPECT_PTR_EQ(test, kbpf_registry_map_find_locked(&kbpf_test_root, 0,
								"kunit_destroy"),
			    ERR_PTR(-ENOENT));
	kbpf_registry_unlock();
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), blocks);
}

static struct kunit_case kbpf_registry_cases[] = {
	KUNIT_CASE(kbpf_registry_load_loses_name),
	KUNIT_CASE(kbpf_registry_load_loses_last_slot),
	KUNIT_CASE(kbpf_registry_destroy_frees_unlocked),
	{}
};

static struct kunit_suite kbpf_registry_suite = {
	.name = "kbpf_registry",
	.test_cases = kbpf_registry_cases,
};

kunit_test_suite(kbpf_registry_suite);
