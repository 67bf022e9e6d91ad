// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_api: module-level KUnit tests of the core API as kbpf.ko exports it.
 *
 * The shared suites (selftests/cases/) test the core case by case; these
 * check that the pieces work together inside the real module: a map lives
 * and dies through its references, a program is loaded, run and freed, a
 * broken program is refused with a message, and the tables the glue relies
 * on (profiles, helpers, program types) answer as uapi/linux/kbpf.h says.
 * Expected values come from that header and from BPF's own semantics (an
 * array map's elements exist from creation and cannot be deleted).
 * Leaks are caught by the run script's kmemleak scan after rmmod.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/kbpf.h>
#include <linux/string.h>

#include "../cases/cases.h"

static const struct kbpf_map_attrs kbpf_test_array_attrs = {
	.type = KBPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(u32),
	.value_size = sizeof(u64),
	.max_entries = 4,
};

KUNIT_DEFINE_ACTION_WRAPPER(kbpf_test_map_put, kbpf_map_put, struct kbpf_map *);
KUNIT_DEFINE_ACTION_WRAPPER(kbpf_test_prog_free, kbpf_prog_free, struct kbpf_prog *);

/*
 * Create a map the test owns: its creation reference is put when the test
 * ends, pass or fail, so a failed assertion cannot leak it.
 */
static struct kbpf_map *kbpf_test_map(struct kunit *test,
				      const struct kbpf_map_attrs *attrs)
{
	struct kbpf_map *map = NULL;
	int err;

	err = kbpf_map_create(attrs, &kbpf_limits_cloud, &map);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "kbpf_map_create");
	KUNIT_ASSERT_NOT_NULL(test, map);
	err = kunit_add_action_or_reset(test, kbpf_test_map_put, map);
	KUNIT_ASSERT_EQ(test, err, 0);
	return map;
}

static void kbpf_api_array_map_round_trip(struct kunit *test)
{
	u64 value = 0x1122334455667788ULL, out = ~0ULL, *slot;
	struct kbpf_map *map;
	u32 key = 2;

	/* Arrange */
	map = kbpf_test_map(test, &kbpf_test_array_attrs);

	/* Act */
	KUNIT_EXPECT_EQ(test, kbpf_map_update_elem(map, &key, &value, KBPF_ANY), 0);

	/* Assert: both the copy and the program-side pointer see it. */
	KUNIT_EXPECT_EQ(test, kbpf_map_lookup_copy(map, &key, &out), 0);
	KUNIT_EXPECT_EQ(test, out, value);
	slot = kbpf_map_lookup_elem(map, &key);
	KUNIT_EXPECT_NOT_NULL(test, slot);
	if (slot)
		KUNIT_EXPECT_EQ(test, *slot, value);
}

static void kbpf_api_array_map_bounds(struct kunit *test)
{
	u64 value = 7, out = ~0ULL;
	struct kbpf_map *map;
	u32 key;

	/* Arrange */
	map = kbpf_test_map(test, &kbpf_test_array_attrs);

	/* Act + Assert: elements exist and are zero from creation on. */
	key = 3;
	KUNIT_EXPECT_EQ(test, kbpf_map_lookup_copy(map, &key, &out), 0);
	KUNIT_EXPECT_EQ(test, out, 0ULL);
	/* An index at max_entries is outside the array. */
	key = 4;
	KUNIT_EXPECT_EQ(test, kbpf_map_lookup_copy(map, &key, &out), -ENOENT);
	KUNIT_EXPECT_NULL(test, kbpf_map_lookup_elem(map, &key));
	KUNIT_EXPECT_EQ(test, kbpf_map_update_elem(map, &key, &value, KBPF_ANY), -E2BIG);
	/* Array elements cannot be deleted, only overwritten. */
	key = 0;
	KUNIT_EXPECT_EQ(test, kbpf_map_delete_elem(map, &key), -EINVAL);
}

static void kbpf_api_map_lives_while_referenced(struct kunit *test)
{
	u64 value = 42, out = 0;
	struct kbpf_map *map;
	u32 key = 1;

	/* Arrange: a second reference, like the one a program holds. */
	map = kbpf_test_map(test, &kbpf_test_array_attrs);
	kbpf_map_get(map);
	KUNIT_EXPECT_EQ(test, kbpf_refcount_read(&map->refcnt), 2U);

	/* Act: the second holder lets go. */
	kbpf_map_put(map);

	/* Assert: the map still works for the creator (whose put is deferred). */
	KUNIT_EXPECT_EQ(test, kbpf_refcount_read(&map->refcnt), 1U);
	KUNIT_EXPECT_EQ(test, kbpf_map_update_elem(map, &key, &value, KBPF_ANY), 0);
	KUNIT_EXPECT_EQ(test, kbpf_map_lookup_copy(map, &key, &out), 0);
	KUNIT_EXPECT_EQ(test, out, value);
}

struct kbpf_bad_map_attrs {
	const char *desc;
	struct kbpf_map_attrs attrs;
};

static const struct kbpf_bad_map_attrs kbpf_bad_map_attrs[] = {
	{ "unknown map type", { .type = 0xffff, .key_size = 4, .value_size = 4, .max_entries = 1 } },
	{ "value size zero", { .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 0, .max_entries = 1 } },
	{ "no entries", { .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 0 } },
	{ "array key not 4 bytes", { .type = KBPF_MAP_TYPE_ARRAY, .key_size = 8, .value_size = 4, .max_entries = 1 } },
};

KUNIT_ARRAY_PARAM_DESC(kbpf_bad_map_attrs, kbpf_bad_map_attrs, desc);

static void kbpf_api_map_create_rejects(struct kunit *test)
{
	const struct kbpf_bad_map_attrs *p = test->param_value;
	struct kbpf_map *map = NULL;
	int err;

	/* Act */
	err = kbpf_map_create(&p->attrs, &kbpf_limits_cloud, &map);

	/* Assert: a malformed request is -EINVAL and leaves nothing behind. */
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_NULL(test, map);
	if (map)
		kbpf_map_put(map);
}

static void kbpf_api_prog_loads_and_runs(struct kunit *test)
{
	const struct kbpf_insn insns[] = {
		KBPF_MOV64_IMM(KBPF_REG_0, KBPF_NF_ACCEPT),
		KBPF_EXIT_INSN(),
	};
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = insns,
		.insn_cnt = ARRAY_SIZE(insns),
	};
	struct kbpf_nf_ctx ctx = {};
	struct kbpf_prog *prog = NULL;
	char *buf;
	u64 ret;

	/* Arrange */
	buf = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	opts.log = kunit_kzalloc(test, sizeof(*opts.log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, opts.log);
	kbpf_log_init(opts.log, buf, 512, KBPF_LOG_LEVEL_ERRORS);

	/* Act */
	KUNIT_ASSERT_EQ_MSG(test, kbpf_prog_load(&opts, &prog), 0, "log: %s", buf);
	KUNIT_ASSERT_NOT_NULL(test, prog);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kbpf_test_prog_free, prog), 0);
	ret = kbpf_test_prog_run(prog, &ctx);	/* as a netfilter hook would */

	/* Assert */
	KUNIT_EXPECT_EQ(test, ret, (u64)KBPF_NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, prog->insn_cnt, 2U);
	KUNIT_EXPECT_EQ(test, prog->type, (u32)KBPF_PROG_TYPE_NETFILTER);
}

static void kbpf_api_prog_without_exit_is_refused(struct kunit *test)
{
	/* Control runs off the end after the move. */
	const struct kbpf_insn insns[] = {
		KBPF_MOV64_IMM(KBPF_REG_0, KBPF_NF_ACCEPT),
	};
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = insns,
		.insn_cnt = ARRAY_SIZE(insns),
	};
	struct kbpf_prog *prog = NULL;
	struct kbpf_log *log;
	char *buf;
	int err;

	/* Arrange */
	buf = kunit_kzalloc(test, 512, GFP_KERNEL);
	log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, log);
	kbpf_log_init(log, buf, 512, KBPF_LOG_LEVEL_ERRORS);
	opts.log = log;

	/* Act */
	err = kbpf_prog_load(&opts, &prog);

	/* Assert: refused as malformed, with a reason, nothing allocated. */
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_NULL(test, prog);
	KUNIT_EXPECT_GT_MSG(test, strlen(buf), 0UL, "no message in the log");
	if (!err && prog)
		kbpf_prog_free(prog);
}

static void kbpf_api_netfilter_type_matches_uapi(struct kunit *test)
{
	const struct kbpf_prog_type_ops *ops;

	/* Act */
	ops = kbpf_prog_type_ops(KBPF_PROG_TYPE_NETFILTER);

	/* Assert: the context and verdicts of uapi/linux/kbpf.h. */
	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_EXPECT_EQ(test, ops->ctx_size, (u32)sizeof(struct kbpf_nf_ctx));
	KUNIT_EXPECT_EQ(test, ops->ret_min, (s64)KBPF_NF_DROP);
	KUNIT_EXPECT_EQ(test, ops->ret_max, (s64)KBPF_NF_ACCEPT);
	KUNIT_EXPECT_TRUE(test, ops->has_ret_special);
	KUNIT_EXPECT_EQ(test, ops->ret_special, (s64)KBPF_NF_REJECT);
	/* (UNSPEC is the core's "raw" type for conformance runs, not unknown.) */
	KUNIT_EXPECT_NULL(test, kbpf_prog_type_ops(__KBPF_PROG_TYPE_MAX));
	KUNIT_EXPECT_NULL(test, kbpf_prog_type_ops(U32_MAX));
}

static void kbpf_api_helper_numbers_match_the_kernel(struct kunit *test)
{
	const struct kbpf_helper *h;

	/* Act: BPF_FUNC_map_lookup_elem is 1 in the kernel's numbering. */
	h = kbpf_helper_lookup(&kbpf_default_helpers, 1);

	/* Assert */
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->name, "map_lookup_elem");
	KUNIT_EXPECT_NOT_NULL(test, h->fn);
	KUNIT_EXPECT_EQ(test, h->ret, KBPF_RET_MAP_VALUE_OR_NULL);
	KUNIT_EXPECT_EQ(test, h->args[0], KBPF_ARG_CONST_MAP_PTR);
	KUNIT_EXPECT_EQ(test, h->args[1], KBPF_ARG_PTR_TO_MAP_KEY);
	/* 0 is BPF_FUNC_unspec; a number past the table is no helper. */
	KUNIT_EXPECT_NULL(test, kbpf_helper_lookup(&kbpf_default_helpers, 0));
	KUNIT_EXPECT_NULL(test, kbpf_helper_lookup(&kbpf_default_helpers, U32_MAX));
}

static void kbpf_api_profiles_by_name(struct kunit *test)
{
	const struct kbpf_limits *def = kbpf_default_limits();

	KUNIT_EXPECT_PTR_EQ(test, kbpf_limits_by_name("cloud"), &kbpf_limits_cloud);
	KUNIT_EXPECT_PTR_EQ(test, kbpf_limits_by_name("embedded"), &kbpf_limits_embedded);
	KUNIT_EXPECT_NULL(test, kbpf_limits_by_name("Cloud"));
	KUNIT_EXPECT_NULL(test, kbpf_limits_by_name(""));
	KUNIT_EXPECT_TRUE(test, def == &kbpf_limits_cloud || def == &kbpf_limits_embedded);
	/* The embedded profile is the smaller one in every dimension. */
	KUNIT_EXPECT_LT(test, kbpf_limits_embedded.max_insns, kbpf_limits_cloud.max_insns);
	KUNIT_EXPECT_LT(test, kbpf_limits_embedded.max_entries, kbpf_limits_cloud.max_entries);
}

static struct kunit_case kbpf_api_test_cases[] = {
	KUNIT_CASE(kbpf_api_array_map_round_trip),
	KUNIT_CASE(kbpf_api_array_map_bounds),
	KUNIT_CASE(kbpf_api_map_lives_while_referenced),
	KUNIT_CASE_PARAM(kbpf_api_map_create_rejects, kbpf_bad_map_attrs_gen_params),
	KUNIT_CASE(kbpf_api_prog_loads_and_runs),
	KUNIT_CASE(kbpf_api_prog_without_exit_is_refused),
	KUNIT_CASE(kbpf_api_netfilter_type_matches_uapi),
	KUNIT_CASE(kbpf_api_helper_numbers_match_the_kernel),
	KUNIT_CASE(kbpf_api_profiles_by_name),
	{}
};

static struct kunit_suite kbpf_api_test_suite = {
	.name = "kbpf_api",
	.test_cases = kbpf_api_test_cases,
};

kunit_test_suite(kbpf_api_test_suite);
