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

/*
 * Run a loaded program as kbpf.ko runs it: inside a run section (in the
 * kernel, bottom halves off and an RCU read section, which the interpreter's
 * per-CPU stack needs).  Test cases run in process context, so they call
 * these instead of kbpf_prog_run*() bare.
 */
static inline u64 kbpf_test_prog_run(const struct kbpf_prog *prog,
				     const void *ctx)
{
	u64 r0;

	kbpf_run_section_begin();
	r0 = kbpf_prog_run(prog, ctx);
	kbpf_run_section_end();
	return r0;
}

static inline u64 kbpf_test_prog_run_args(const struct kbpf_prog *prog,
					  const u64 *args)
{
	u64 r0;

	kbpf_run_section_begin();
	r0 = kbpf_prog_run_args(prog, args);
	kbpf_run_section_end();
	return r0;
}

/* Every suite, declared from the list in suites.h. */
#define KBPF_TEST_DECLARE_SUITE(x) extern const struct kbpf_test_suite kbpf_suite_##x;
#include "suites.h"
KBPF_TEST_SUITES(KBPF_TEST_DECLARE_SUITE)
#undef KBPF_TEST_DECLARE_SUITE

#endif /* KBPF_TEST_CASES_H */
