/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper set the bpf_conformance corpus expects: kbpf's default helpers,
 * with helper 5 answering its first argument (the corpus uses it as an
 * identity function, where the kernel would answer ktime_get_ns).  kbpf-run
 * owns it, as the plugin that gives the corpus its meaning; the conformance
 * suite (selftests/cases/conformance_run.c) uses it from here, so the corpus
 * means the same in both, and no tool links test code.  It builds in
 * userspace and in the kernel (kbpf_kunit.ko): core API only.
 */
#ifndef KBPF_RUN_CONFORMANCE_HELPERS_H
#define KBPF_RUN_CONFORMANCE_HELPERS_H

#include "../../kmod/core/kbpf_core.h"

/* Fill *table; *array is the allocation to kbpf_free() afterwards. */
int kbpf_conformance_helpers_init(struct kbpf_helper_table *table,
				  struct kbpf_helper **array);

#endif /* KBPF_RUN_CONFORMANCE_HELPERS_H */
