// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only maps, as Linux has them: the program access flags
 * (KBPF_F_RDONLY_PROG, KBPF_F_WRONLY_PROG) and which types take them, and
 * kbpf_map_freeze() (KBPF_IOC_MAP_FREEZE): userspace changes refused with
 * -EPERM after it, programs unaffected, a second freeze, a freeze of a
 * map mapped writable or during a userspace change refused with -EBUSY
 * and the reason, no writable mapping of a frozen map.  The verifier's side is verifier_rdonly.c.
 */
#include "map_test.h"

static noinline int create_flags(u32 type, u32 key, u32 value, u32 entries, u32 flags,
			char *why, u32 why_size)
{
	struct kbpf_map_attrs a = { .type = type, .key_size = key,
				    .value_size = value,
				    .max_entries = entries, .flags = flags };
	struct kbpf_map_create_opts opts = { .attrs = &a,
					     .limits = &kbpf_limits_cloud };
	struct kbpf_map *m = NULL;
	struct kbpf_log log;
	int err;

	why[0] = '\0';
	kbpf_log_init(&log, why, why_size, KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	err = kbpf_map_new(&opts, &m);
	kbpf_map_put(m);
	return err;
}

static int access_flags(char *msg, size_t msg_size)
{
	const u32 ro = KBPF_F_RDONLY_PROG, wo = KBPF_F_WRONLY_PROG;
	char why[128];

	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_ARRAY, 4, 8, 1, ro, why,
			       sizeof(why)), 0, "array RDONLY_PROG");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, wo, why,
			       sizeof(why)), 0, "percpu array WRONLY_PROG");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_HASH, 4, 8, 4, ro, why,
			       sizeof(why)), 0, "hash RDONLY_PROG");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4, wo, why,
			       sizeof(why)), 0, "lru percpu hash WRONLY_PROG");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_LPM_TRIE, 8, 8, 4,
			       ro | KBPF_F_NO_PREALLOC, why, sizeof(why)), 0,
		  "lpm trie RDONLY_PROG");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_ARRAY, 4, 8, 1, ro | wo, why,
			       sizeof(why)), -EINVAL, "both flags");
	EXPECT_EQ(strstr(why, "RDONLY_PROG and WRONLY_PROG exclude each other") != NULL,
		  1, "both flags: reason");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_RINGBUF, 0, 0, 2 * KBPF_PAGE_SIZE,
			       ro, why, sizeof(why)), -EINVAL, "ringbuf");
	EXPECT_EQ(strstr(why, "map type 27 takes no RDONLY_PROG or WRONLY_PROG") != NULL,
		  1, "ringbuf: reason");
	EXPECT_EQ(create_flags(KBPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, wo, why,
			       sizeof(why)), -EINVAL, "prog array");
	EXPECT_EQ(strstr(why, "map type 3 takes no") != NULL, 1,
		  "prog array: reason");
	return 0;
out:
	return 1;
}

static int freeze_logged(struct kbpf_map *m, char *why, u32 why_size)
{
	struct kbpf_log log;

	why[0] = '\0';
	kbpf_log_init(&log, why, why_size, KBPF_LOG_LEVEL_ERRORS);
	return kbpf_map_freeze(m, &log);
}

/* Userspace may not change a frozen map; programs still may. */
static int freeze_array(char *msg, size_t msg_size)
{
	u64 v = 7, out = 0;
	struct kbpf_map *m = NULL;
	char why[128];
	u32 k = 1;
	u64 *p;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, &m), 0,
		  "create");
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), 0,
		  "update before the freeze");
	EXPECT_EQ(kbpf_map_frozen(m), 0, "not frozen yet");
	/* As a resize holds it (kbpf_map_resize() on another thread). */
	m->resizing = true;
	EXPECT_EQ(freeze_logged(m, why, sizeof(why)), -EBUSY,
		  "freeze while a resize runs");
	EXPECT_EQ(strstr(why, "the map is being resized") != NULL, 1,
		  "freeze during a resize: reason");
	m->resizing = false;
	EXPECT_EQ(kbpf_map_user_write_begin(m), 0, "a change begins");
	EXPECT_EQ(freeze_logged(m, why, sizeof(why)), -EBUSY,
		  "freeze while a change is under way");
	EXPECT_EQ(strstr(why, "1 userspace update(s) or delete(s) of the map are under way") != NULL,
		  1, "freeze during a change: reason");
	kbpf_map_user_write_end(m);
	EXPECT_EQ(freeze_logged(m, why, sizeof(why)), 0, "freeze");
	EXPECT_EQ(kbpf_map_user_write_begin(m), -EPERM,
		  "no change begins once frozen");
	EXPECT_EQ(kbpf_map_frozen(m), 1, "frozen");
	v = 8;
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_ANY), -EPERM,
		  "update after the freeze");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, &out), 0, "lookup still works");
	EXPECT_EQ(out, 7, "the value before the freeze");
	EXPECT_EQ(freeze_logged(m, why, sizeof(why)), -EBUSY, "freeze twice");
	EXPECT_EQ(strstr(why, "frozen already") != NULL, 1,
		  "freeze twice: reason");
	EXPECT_EQ(kbpf_map_update_elem(m, &k, &v, KBPF_ANY), 0,
		  "a program's update is not affected");
	p = kbpf_map_lookup_elem(m, &k);
	EXPECT_EQ(p && *p == 8, 1, "the program's value");
	EXPECT_EQ(kbpf_map_resize(m, 4, &kbpf_limits_cloud, NULL), -EPERM,
		  "resize of a frozen map");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static int freeze_hash(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	u32 k = 5, k2 = 6;
	u64 v = 1;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 8, 4,
				KBPF_F_RDONLY_PROG, &m), 0, "create");
	EXPECT_EQ(kbpf_map_update_user(m, &k, &v, KBPF_NOEXIST), 0, "insert");
	EXPECT_EQ(kbpf_map_freeze(m, NULL), 0, "freeze");
	EXPECT_EQ(kbpf_map_delete_user(m, &k), -EPERM, "delete after freeze");
	EXPECT_EQ(kbpf_map_update_user(m, &k2, &v, KBPF_NOEXIST), -EPERM,
		  "insert after freeze");
	EXPECT_EQ(kbpf_map_lookup_elem(m, &k) != NULL, 1, "the element stays");
	EXPECT_EQ(kbpf_map_lookup_elem(m, &k2) == NULL, 1, "no new element");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* A writable mapping and a freeze exclude each other, both ways. */
static int freeze_mapped(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;
	char why[128];

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_RINGBUF, 0, 0,
				2 * KBPF_PAGE_SIZE, 0, &m), 0, "create");
	EXPECT_EQ(kbpf_map_writable_mmap_get(m), 0, "map writable");
	kbpf_map_writable_mmap_dup(m);
	EXPECT_EQ(freeze_logged(m, why, sizeof(why)), -EBUSY,
		  "freeze while mapped writable");
	EXPECT_EQ(strstr(why, "mapped writable 2 time(s)") != NULL, 1,
		  "freeze while mapped: reason");
	kbpf_map_writable_mmap_put(m);
	EXPECT_EQ(kbpf_map_freeze(m, NULL), -EBUSY,
		  "freeze while the copy is mapped");
	kbpf_map_writable_mmap_put(m);
	EXPECT_EQ(kbpf_map_freeze(m, NULL), 0, "freeze once unmapped");
	EXPECT_EQ(kbpf_map_writable_mmap_get(m), -EPERM,
		  "writable mapping of a frozen map");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static const struct kbpf_test_fn_case map_freeze_cases[] = {
	{ "RDONLY_PROG/WRONLY_PROG: types that take them, and not both",
	  access_flags },
	{ "array: frozen for userspace, not for programs; freeze twice",
	  freeze_array },
	{ "hash: no insert or delete from userspace once frozen", freeze_hash },
	{ "no freeze while mapped writable, no writable mapping once frozen",
	  freeze_mapped },
};

KBPF_FN_TEST_SUITE(map_freeze, "kbpf_map_freeze", map_freeze_cases);
