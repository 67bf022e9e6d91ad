/* SPDX-License-Identifier: GPL-2.0 */
/* What the map suites (selftests/cases/map_*.c) share. */
#ifndef KBPF_MAP_TEST_H
#define KBPF_MAP_TEST_H

#include "cases.h"

/* Fail the case with a message and jump to its out: label. */
#define EXPECT_EQ(got, want, what)					\
	do {								\
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (g_ != w_) {						\
			snprintf(msg, msg_size, "%s: got %lld, expected %lld", \
				 what, g_, w_);				\
			goto out;					\
		}							\
	} while (0)

static inline int kbpf_test_map(u32 type, u32 key, u32 value, u32 entries,
				u32 flags, struct kbpf_map **map)
{
	struct kbpf_map_attrs a = { .type = type, .key_size = key,
				    .value_size = value,
				    .max_entries = entries, .flags = flags };

	return kbpf_map_create(&a, &kbpf_limits_cloud, map);
}

#endif /* KBPF_MAP_TEST_H */
