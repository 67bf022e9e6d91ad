// SPDX-License-Identifier: GPL-2.0
/*
 * Map memory bounds (issue 11 item 3): every type's worst-case cost is
 * checked against the per-map cap and the budget of all maps before
 * anything is allocated; the largest maps the ABI can describe fail with
 * -E2BIG and a reason, never with an allocation attempt.
 */
#include "map_test.h"

static const u32 all_types[] = {
	KBPF_MAP_TYPE_HASH, KBPF_MAP_TYPE_ARRAY, KBPF_MAP_TYPE_PERCPU_HASH,
	KBPF_MAP_TYPE_PERCPU_ARRAY, KBPF_MAP_TYPE_LRU_HASH,
	KBPF_MAP_TYPE_LRU_PERCPU_HASH, KBPF_MAP_TYPE_LPM_TRIE,
};

static int create_logged(const struct kbpf_map_attrs *a,
			 const struct kbpf_limits *limits,
			 struct kbpf_map_budget *budget, char *buf, u32 size,
			 struct kbpf_map **map)
{
	struct kbpf_map_create_opts opts = {
		.attrs = a, .limits = limits, .budget = budget,
	};
	struct kbpf_log log;

	kbpf_log_init(&log, buf, size, KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	return kbpf_map_new(&opts, map);
}

/* u32 everywhere in the ABI: each type at every maximum. */
static int largest_maps(char *msg, size_t msg_size)
{
	struct kbpf_limits unlimited = kbpf_limits_cloud;
	struct kbpf_map *m = NULL;
	char reason[128];
	u32 i;

	/* Even with every size limit lifted, the byte cap stops them. */
	unlimited.max_key_size = U32_MAX;
	unlimited.max_value_size = U32_MAX;
	unlimited.max_entries = U32_MAX;
	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		struct kbpf_map_attrs a = {
			.type = all_types[i], .value_size = U32_MAX,
			.max_entries = U32_MAX, .key_size = U32_MAX,
		};

		if (a.type == KBPF_MAP_TYPE_ARRAY ||
		    a.type == KBPF_MAP_TYPE_PERCPU_ARRAY)
			a.key_size = 4;
		if (a.type == KBPF_MAP_TYPE_LPM_TRIE) {
			a.key_size = 4 + 256;
			a.flags = KBPF_F_NO_PREALLOC;
		}

		reason[0] = '\0';
		EXPECT_EQ(create_logged(&a, &kbpf_limits_cloud, NULL, reason,
					sizeof(reason), &m), -E2BIG,
			  "largest map under the cloud profile");
		EXPECT_EQ(reason[0] != '\0', 1, "a reason is logged");
		EXPECT_EQ(create_logged(&a, &unlimited, NULL, reason,
					sizeof(reason), &m), -E2BIG,
			  "largest map without size limits");
		EXPECT_EQ(m == NULL, 1, "no map on failure");
	}
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* The example: 64 KiB values x 2^20 entries is 64 GiB. */
static int per_map_cap(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs a = { .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,
				    .value_size = 65536,
				    .max_entries = 1U << 20 };
	struct kbpf_limits small = kbpf_limits_embedded;
	struct kbpf_map *m = NULL;
	char reason[128] = "";

	EXPECT_EQ(create_logged(&a, &kbpf_limits_cloud, NULL, reason,
				sizeof(reason), &m), -E2BIG, "64 GiB array");
	EXPECT_EQ(strstr(reason, "per-map limit") != NULL, 1,
		  "reason names the per-map limit");
	/* 1024 x 1 KiB is 1 MiB of values plus the header: over 1 MiB. */
	a.value_size = 1024;
	a.max_entries = 1024;
	EXPECT_EQ(create_logged(&a, &small, NULL, reason, sizeof(reason), &m),
		  -E2BIG, "1 MiB + header under a 1 MiB cap");
	a.max_entries = 1000;
	EXPECT_EQ(create_logged(&a, &small, NULL, reason, sizeof(reason), &m),
		  0, "1000 KiB fits");
	EXPECT_EQ(m->mem_bytes >= 1000 * 1024, 1, "cost counts the values");
	EXPECT_EQ(m->mem_bytes <= small.max_map_bytes, 1, "cost under the cap");
	kbpf_map_put(m);
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

/* The budget of all maps: bytes and count, given back on the last put. */
static int total_budget(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs a = { .type = KBPF_MAP_TYPE_HASH, .key_size = 8,
				    .value_size = 8, .max_entries = 64 };
	struct kbpf_limits two = kbpf_limits_cloud;
	struct kbpf_map *m1 = NULL, *m2 = NULL, *m3 = NULL;
	struct kbpf_map_budget b;
	char reason[160] = "";
	u64 one;

	two.max_maps = 2;
	kbpf_map_budget_init(&b, 1ULL << 30);
	EXPECT_EQ(create_logged(&a, &two, &b, reason, sizeof(reason), &m1), 0,
		  "first map");
	one = b.used_bytes;
	EXPECT_EQ(one, m1->mem_bytes, "budget charged the map's cost");
	EXPECT_EQ(create_logged(&a, &two, &b, reason, sizeof(reason), &m2), 0,
		  "second map");
	EXPECT_EQ(create_logged(&a, &two, &b, reason, sizeof(reason), &m3),
		  -E2BIG, "third map over max_maps");
	EXPECT_EQ(strstr(reason, "already 2 maps") != NULL, 1,
		  "reason names the map limit");
	kbpf_map_put(m2);
	m2 = NULL;
	EXPECT_EQ(b.maps, 1, "a freed map gives its slot back");
	EXPECT_EQ(b.used_bytes, one, "and its bytes");
	b.max_bytes = one + one / 2;
	EXPECT_EQ(create_logged(&a, &two, &b, reason, sizeof(reason), &m2),
		  -E2BIG, "second map over the total");
	EXPECT_EQ(strstr(reason, "limit for all maps") != NULL, 1,
		  "reason names the total");
	EXPECT_EQ(b.used_bytes, one, "a refused map charges nothing");
	kbpf_map_put(m1);
	m1 = NULL;
	EXPECT_EQ(b.maps == 0 && b.used_bytes == 0, 1, "budget empty again");
	return 0;
out:
	kbpf_map_put(m1);
	kbpf_map_put(m2);
	kbpf_map_put(m3);
	return 1;
}

/* Every type's cost grows with what it holds; per-CPU ones per CPU. */
static int costs_scale(char *msg, size_t msg_size)
{
	struct kbpf_map *m1 = NULL, *m2 = NULL;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		u32 t = all_types[i];
		u32 key = t == KBPF_MAP_TYPE_LPM_TRIE ? 8 : 4;
		u32 flags = t == KBPF_MAP_TYPE_LPM_TRIE ? KBPF_F_NO_PREALLOC : 0;

		EXPECT_EQ(kbpf_test_map(t, key, 64, 100, flags, &m1), 0, "small");
		EXPECT_EQ(kbpf_test_map(t, key, 64, 200, flags, &m2), 0, "twice");
		EXPECT_EQ(m2->mem_bytes - m1->mem_bytes >= 100 * 64, 1,
			  "100 more values cost at least their bytes");
		if (t == KBPF_MAP_TYPE_PERCPU_ARRAY ||
		    t == KBPF_MAP_TYPE_PERCPU_HASH ||
		    t == KBPF_MAP_TYPE_LRU_PERCPU_HASH)
			EXPECT_EQ(m2->mem_bytes - m1->mem_bytes >=
				  100ULL * 64 * kbpf_nr_cpu_ids(), 1,
				  "per-CPU values cost per CPU");
		kbpf_map_put(m1);
		kbpf_map_put(m2);
		m1 = m2 = NULL;
	}
	return 0;
out:
	kbpf_map_put(m1);
	kbpf_map_put(m2);
	return 1;
}

static int flags_per_type(char *msg, size_t msg_size)
{
	struct kbpf_map *m = NULL;

	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 4, 4, KBPF_F_NO_PREALLOC,
				&m), 0, "hash takes NO_PREALLOC");
	kbpf_map_put(m);
	m = NULL;
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_ARRAY, 4, 4, 4,
				KBPF_F_NO_PREALLOC, &m), -EINVAL,
		  "array refuses NO_PREALLOC");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_HASH, 4, 4, 4, 2, &m), -EINVAL,
		  "hash refuses unknown flags");
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 4, 0, &m),
		  -E2BIG, "per-CPU value over 32 KiB");
	return 0;
out:
	kbpf_map_put(m);
	return 1;
}

static const struct kbpf_test_fn_case map_limits_cases[] = {
	{ "the largest maps of every type fail with E2BIG and a reason", largest_maps },
	{ "the per-map byte cap refuses 64 GiB and admits what fits", per_map_cap },
	{ "the budget of all maps counts bytes and maps and gives them back", total_budget },
	{ "every type's cost grows with entries, per-CPU ones per CPU", costs_scale },
	{ "creation flags are checked per type", flags_per_type },
};

KBPF_FN_TEST_SUITE(map_limits, "kbpf_map_limits", map_limits_cases);
