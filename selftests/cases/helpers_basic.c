// SPDX-License-Identifier: GPL-2.0
/*
 * The default helper set: numbered as Linux numbers them (BPF_FUNC_*),
 * absent numbers are NULL, and each helper does what its name says when
 * called the way the interpreter calls it (five u64 arguments).
 */
#include "cases.h"

static u64 ptr_arg(const void *p)
{
	return (u64)(uintptr_t)p;
}

static const struct kbpf_helper *helper(u32 id)
{
	return kbpf_helper_lookup(&kbpf_default_helpers, id);
}

static int helpers_have_linux_numbers(char *msg, size_t msg_size)
{
	/* Numbers from Linux's include/uapi/linux/bpf.h, by hand. */
	static const struct { u32 id; const char *name; } known[] = {
		{ 1, "map_lookup_elem" }, { 2, "map_update_elem" },
		{ 3, "map_delete_elem" }, { 5, "ktime_get_ns" },
		{ 6, "trace_printk" }, { 7, "get_prandom_u32" },
		{ 8, "get_smp_processor_id" }, { 9, "skb_store_bytes" },
		{ 10, "l3_csum_replace" }, { 11, "l4_csum_replace" },
		{ 12, "tail_call" }, { 26, "skb_load_bytes" },
		{ 28, "csum_diff" }, { 118, "jiffies64" },
		{ 125, "ktime_get_boot_ns" }, { 165, "snprintf" },
		{ 181, "loop" },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		const struct kbpf_helper *h = helper(known[i].id);

		CHECK(h && !strcmp(h->name, known[i].name),
		      "helper %u is %s, expected %s", known[i].id,
		      h ? h->name : "absent", known[i].name);
	}
	return 0;
}

static int absent_helpers_are_null(char *msg, size_t msg_size)
{
	CHECK(!helper(0), "helper 0 exists");
	CHECK(!helper(4), "helper 4 (probe_read) exists");
	CHECK(!helper(13), "helper 13 (skb_vlan_push) exists");
	CHECK(!helper(23), "helper 23 (redirect) exists");
	CHECK(!helper(kbpf_default_helpers.count), "helper past the table exists");
	CHECK(!helper(0xffffffff), "helper 0xffffffff exists");
	CHECK(!kbpf_helper_lookup(NULL, 1), "lookup in a NULL table succeeds");
	return 0;
}

static int map_helpers_update_lookup_delete(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs attrs = {
		.type = KBPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
		.max_entries = 4,
	};
	struct kbpf_map *map;
	u32 key = 7;
	u64 value = 0x1122334455667788ULL, *found, ret;
	int err;

	err = kbpf_map_create(&attrs, NULL, &map);
	CHECK(!err, "map create: %d", err);
	ret = helper(1)->fn(ptr_arg(map), ptr_arg(&key), 0, 0, 0);
	if (ret) {
		kbpf_map_put(map);
		CHECK(0, "lookup of an absent key returned %llx",
		      (unsigned long long)ret);
	}
	ret = helper(2)->fn(ptr_arg(map), ptr_arg(&key), ptr_arg(&value),
			    KBPF_ANY, 0);
	found = (u64 *)(uintptr_t)helper(1)->fn(ptr_arg(map), ptr_arg(&key),
						0, 0, 0);
	if (ret || !found || *found != value) {
		kbpf_map_put(map);
		CHECK(0, "update returned %lld, lookup found %s",
		      (long long)ret, found ? "a wrong value" : "nothing");
	}
	/* NOEXIST on a present key fails with -EEXIST as an s64 in r0. */
	ret = helper(2)->fn(ptr_arg(map), ptr_arg(&key), ptr_arg(&value),
			    KBPF_NOEXIST, 0);
	if ((s64)ret != -EEXIST) {
		kbpf_map_put(map);
		CHECK(0, "update NOEXIST of a present key returned %lld",
		      (long long)ret);
	}
	ret = helper(3)->fn(ptr_arg(map), ptr_arg(&key), 0, 0, 0);
	found = (u64 *)(uintptr_t)helper(1)->fn(ptr_arg(map), ptr_arg(&key),
						0, 0, 0);
	kbpf_map_put(map);
	CHECK(!ret && !found, "delete returned %lld, key %s after it",
	      (long long)ret, found ? "still present" : "gone");
	return 0;
}

static int map_delete_of_absent_key_is_enoent(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs attrs = {
		.type = KBPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4,
		.max_entries = 2,
	};
	struct kbpf_map *map;
	u32 key = 1;
	u64 ret;
	int err;

	err = kbpf_map_create(&attrs, NULL, &map);
	CHECK(!err, "map create: %d", err);
	ret = helper(3)->fn(ptr_arg(map), ptr_arg(&key), 0, 0, 0);
	kbpf_map_put(map);
	CHECK((s64)ret == -ENOENT, "delete returned %lld", (long long)ret);
	return 0;
}

static int ktime_does_not_go_back(char *msg, size_t msg_size)
{
	u64 a = helper(5)->fn(0, 0, 0, 0, 0);
	u64 b = helper(5)->fn(0, 0, 0, 0, 0);

	CHECK(a && b >= a, "ktime_get_ns gave %llu then %llu",
	      (unsigned long long)a, (unsigned long long)b);
	return 0;
}

static int prandom_varies(char *msg, size_t msg_size)
{
	u64 first = helper(7)->fn(0, 0, 0, 0, 0), v = first;
	u32 i;

	CHECK(first <= 0xffffffffULL, "prandom_u32 returned %llx",
	      (unsigned long long)first);
	/* 16 equal 32-bit draws in a row: chance 2^-480 with a working RNG. */
	for (i = 0; i < 16 && v == first; i++)
		v = helper(7)->fn(0, 0, 0, 0, 0);
	CHECK(v != first, "prandom_u32 returned %llx 17 times",
	      (unsigned long long)first);
	return 0;
}

static int processor_id_is_small(char *msg, size_t msg_size)
{
	u64 cpu = helper(8)->fn(0, 0, 0, 0, 0);

	CHECK(cpu < 8192, "get_smp_processor_id returned %llu",
	      (unsigned long long)cpu);
	return 0;
}

static int helpers_describe_their_arguments(char *msg, size_t msg_size)
{
	CHECK(helper(1)->args[0] == KBPF_ARG_CONST_MAP_PTR &&
	      helper(1)->args[1] == KBPF_ARG_PTR_TO_MAP_KEY &&
	      helper(1)->ret == KBPF_RET_MAP_VALUE_OR_NULL,
	      "map_lookup_elem signature");
	CHECK(helper(2)->args[2] == KBPF_ARG_PTR_TO_MAP_VALUE &&
	      helper(2)->args[3] == KBPF_ARG_ANYTHING &&
	      helper(2)->ret == KBPF_RET_INTEGER, "map_update_elem signature");
	CHECK(helper(5)->args[0] == KBPF_ARG_NONE, "ktime_get_ns takes an argument");
	return 0;
}

static const struct kbpf_test_fn_case helper_tests[] = {
	{ "helpers have the Linux numbers", helpers_have_linux_numbers },
	{ "numbers without a helper look up as NULL", absent_helpers_are_null },
	{ "map helpers update, look up and delete",
	  map_helpers_update_lookup_delete },
	{ "map_delete_elem of an absent key returns -ENOENT",
	  map_delete_of_absent_key_is_enoent },
	{ "ktime_get_ns does not go back", ktime_does_not_go_back },
	{ "get_prandom_u32 varies and fits 32 bits", prandom_varies },
	{ "get_smp_processor_id is a cpu number", processor_id_is_small },
	{ "helpers describe their arguments for the verifier",
	  helpers_describe_their_arguments },
};

KBPF_FN_TEST_SUITE(helpers_basic, "kbpf_helpers_basic", helper_tests);
