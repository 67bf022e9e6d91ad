// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU maps: a program sees and writes its own CPU's value; userspace
 * moves every possible CPU's value at once, each rounded up to 8 bytes
 * (Linux's layout).
 */
#include "map_test.h"

static const u32 percpu_types[] = {
	KBPF_MAP_TYPE_PERCPU_ARRAY, KBPF_MAP_TYPE_PERCPU_HASH,
	KBPF_MAP_TYPE_LRU_PERCPU_HASH,
};

/* Value for CPU n in the user layout: 4 bytes, padded to 8. */
static u32 cpu_value(u32 n)
{
	return 0x100 + n;
}

static int layout_one(u32 type, char *msg, size_t msg_size)
{
	u32 ncpus = kbpf_num_possible_cpus(), n, k = 3, mine = 0, cpu;
	u32 size = 8 * ncpus, *p;
	struct kbpf_map *m = NULL;
	u8 *buf = kbpf_zalloc(size), *back = kbpf_zalloc(size);
	int ret = 1;

	if (!buf || !back) {
		snprintf(msg, msg_size, "no memory");
		goto out;
	}
	EXPECT_EQ(kbpf_test_map(type, 4, 4, 8, 0, &m), 0, "create");
	EXPECT_EQ(kbpf_map_user_value_size(m), size,
		  "user value size is 8 x possible CPUs");
	for (n = 0; n < ncpus; n++) {
		u32 v = cpu_value(n);

		memcpy(buf + 8 * n, &v, 4);
		memset(buf + 8 * n + 4, 0xee, 4);	/* padding */
	}
	EXPECT_EQ(kbpf_map_update_user(m, &k, buf, KBPF_ANY), 0, "update all");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, back), 0, "lookup all");
	for (n = 0; n < ncpus; n++)
		EXPECT_EQ(*(u32 *)(back + 8 * n), cpu_value(n), "CPU's value");

	/* The program side: this CPU's value, and writes only it. */
	kbpf_run_section_begin();
	cpu = kbpf_processor_id();
	p = kbpf_map_lookup_elem(m, &k);
	if (p) {
		mine = *p;
		*p = 0xabc;
	}
	kbpf_run_section_end();
	for (n = 0; n < ncpus && n != cpu; n++)
		;
	EXPECT_EQ(mine, cpu_value(n), "lookup gives this CPU's value");
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, back), 0, "lookup again");
	EXPECT_EQ(*(u32 *)(back + 8 * n), 0xabc, "this CPU's value written");
	EXPECT_EQ(*(u32 *)(back + 8 * ((n + 1) % ncpus)),
		  ncpus > 1 ? cpu_value((n + 1) % ncpus) : 0xabc,
		  "another CPU's value untouched");
	ret = 0;
out:
	kbpf_map_put(m);
	kbpf_free(buf);
	kbpf_free(back);
	return ret;
}

static int layout(char *msg, size_t msg_size)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(percpu_types); i++)
		if (layout_one(percpu_types[i], msg, msg_size))
			return 1;
	return 0;
}

/* A program's insert sets its CPU's value; the other CPUs start at 0. */
static int program_insert(char *msg, size_t msg_size)
{
	u32 ncpus = kbpf_num_possible_cpus(), n, k = 9, v = 77, cpu, seen = 0;
	u8 *back = kbpf_zalloc(8 * ncpus);
	struct kbpf_map *m = NULL;
	int ret = 1;

	if (!back) {
		snprintf(msg, msg_size, "no memory");
		goto out;
	}
	EXPECT_EQ(kbpf_test_map(KBPF_MAP_TYPE_PERCPU_HASH, 4, 4, 8, 0, &m), 0,
		  "create");
	kbpf_run_section_begin();
	cpu = kbpf_processor_id();
	ret = kbpf_map_update_elem(m, &k, &v, KBPF_NOEXIST);
	kbpf_run_section_end();
	EXPECT_EQ(ret, 0, "insert from the program side");
	ret = 1;
	EXPECT_EQ(kbpf_map_lookup_copy(m, &k, back), 0, "lookup all");
	for (n = 0; n < ncpus; n++) {
		u32 got = *(u32 *)(back + 8 * n);

		if (got == 77)
			seen++;
		else
			EXPECT_EQ(got, 0, "other CPUs start at zero");
	}
	EXPECT_EQ(seen, 1, "exactly one CPU has the value");
	EXPECT_EQ(cpu < kbpf_nr_cpu_ids(), 1, "cpu id in range");
	ret = 0;
out:
	kbpf_map_put(m);
	kbpf_free(back);
	return ret;
}

static const struct kbpf_test_fn_case map_percpu_cases[] = {
	{ "per-CPU types move 8-byte-padded values of every CPU", layout },
	{ "a program's per-CPU insert sets only its CPU's value", program_insert },
};

KBPF_FN_TEST_SUITE(map_percpu, "kbpf_map_percpu", map_percpu_cases);
