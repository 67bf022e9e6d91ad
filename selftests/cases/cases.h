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
 * Defines kbpf_suite_<id> over a static table whose entries have a .name:
 * case i runs as run_case(&table[i], msg, msg_size).
 */
#define KBPF_TABLE_TEST_SUITE(id, title, table, run_case)		\
static const char *id##_case_name(u32 i)				\
{									\
	return table[i].name;						\
}									\
static int id##_run(u32 i, char *msg, size_t msg_size)			\
{									\
	return run_case(&table[i], msg, msg_size);			\
}									\
const struct kbpf_test_suite kbpf_suite_##id = {			\
	.name = title,							\
	.count = ARRAY_SIZE(table),					\
	.case_name = id##_case_name,					\
	.run = id##_run,						\
}

/* A case that is a function of its own, in a table of them. */
struct kbpf_test_fn_case {
	const char *name;
	int (*fn)(char *msg, size_t msg_size);
};

static inline int kbpf_test_fn_case_run(const struct kbpf_test_fn_case *c,
					char *msg, size_t msg_size)
{
	return c->fn(msg, msg_size);
}

/* Defines kbpf_suite_<id> over a static table of struct kbpf_test_fn_case. */
#define KBPF_FN_TEST_SUITE(id, title, table)				\
	KBPF_TABLE_TEST_SUITE(id, title, table, kbpf_test_fn_case_run)

/* In a case function: fail with the message unless cond holds. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			snprintf(msg, msg_size, __VA_ARGS__);		\
			return -EINVAL;					\
		}							\
	} while (0)

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

/*
 * The engine the program-running suites (interp_*) test.  NULL: the
 * interpreter.  kbpf-unit --aot installs one that binds every loaded program
 * to ahead-of-time compiled code, so the same cases and hand-derived
 * expectations test the native engine.  KUnit never sets it.
 */
struct kbpf_test_engine {
	const char *name;
	int (*bind)(struct kbpf_prog *prog, void **cookie);
	void (*release)(struct kbpf_prog *prog, void *cookie);
};

extern const struct kbpf_test_engine *kbpf_test_engine;

/* Every suite, declared from the list in suites.h. */
#define KBPF_TEST_DECLARE_SUITE(x) extern const struct kbpf_test_suite kbpf_suite_##x;
#include "suites.h"
KBPF_TEST_SUITES(KBPF_TEST_DECLARE_SUITE)
#undef KBPF_TEST_DECLARE_SUITE

#endif /* KBPF_TEST_CASES_H */
