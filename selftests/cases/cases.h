/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test cases shared by the userspace unit runner (selftests/unit) and the
 * KUnit module (selftests/kunit).  A case file builds in both environments:
 * it includes only core headers and reports through msg, never printf.
 */
#ifndef KBPF_TEST_CASES_H
#define KBPF_TEST_CASES_H

#include "../../kmod/core/kbpf_core.h"

struct kbpf_test_suite {
	const char *name;		 /* "kbpf_interp_alu" */
	u32 count;			 /* number of cases */
	const char *(*case_name)(u32 i); /* reads like a sentence */
	/* Run case i: 0 on pass, or nonzero with the reason in msg. */
	int (*run)(u32 i, char *msg, size_t msg_size);
};

/* Every suite, declared from the list in suites.h. */
#define KBPF_TEST_DECLARE_SUITE(x) extern const struct kbpf_test_suite kbpf_suite_##x;
#include "suites.h"
KBPF_TEST_SUITES(KBPF_TEST_DECLARE_SUITE)
#undef KBPF_TEST_DECLARE_SUITE

#endif /* KBPF_TEST_CASES_H */
