/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper set the bpf_conformance corpus expects: kbpf's default helpers,
 * with helper 5 answering its first argument (the corpus uses it as an
 * identity function, where the kernel would answer ktime_get_ns).  Shared
 * by kbpf-run and the conformance suite, so the corpus means the same in
 * both.  Builds in userspace and in the kernel.
 */
#ifndef KBPF_TEST_CONFORMANCE_HELPERS_H
#define KBPF_TEST_CONFORMANCE_HELPERS_H

#include "../../kmod/core/kbpf_core.h"

/* Fill *table; *array is the allocation to kbpf_free() afterwards. */
int kbpf_conformance_helpers_init(struct kbpf_helper_table *table,
				  struct kbpf_helper **array);

#endif /* KBPF_TEST_CONFORMANCE_HELPERS_H */
