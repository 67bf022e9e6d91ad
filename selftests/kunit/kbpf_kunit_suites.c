// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_kunit.ko: the shared test cases of selftests/cases/ as KUnit suites.
 *
 * Each suite listed in selftests/cases/suites.h becomes one KUnit suite,
 * "kbpf_<x>", holding one parameterised case that walks the shared suite's
 * cases 0..count-1 (each reported under its sentence-like name).  A case that
 * returns nonzero fails with the message it wrote.  The cases call the core
 * inside the loaded kbpf.ko through the symbols the core exports with
 * KBPF_EXPORT_FOR_KUNIT() when the kernel has KUnit.  The module-level suite is kbpf_api_test.c.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include "../cases/cases.h"

/* Room for a failure reason; a case writes one sentence or two. */
#define KBPF_KUNIT_MSG_SIZE	256

/*
 * A parameter is a case index.  KUnit stops at a NULL parameter and never
 * dereferences it, so index i travels as the non-NULL value i + 1.
 */
static const void *kbpf_kunit_index_to_param(u32 i)
{
	return (const void *)(uintptr_t)(i + 1);
}

static u32 kbpf_kunit_param_to_index(const void *param)
{
	return (u32)((uintptr_t)param - 1);
}

static const void *kbpf_kunit_next_case(const struct kbpf_test_suite *suite,
					const void *prev, char *desc)
{
	u32 i = prev ? kbpf_kunit_param_to_index(prev) + 1 : 0;

	if (i >= suite->count)
		return NULL;
	strscpy(desc, suite->case_name(i), KUNIT_PARAM_DESC_SIZE);
	return kbpf_kunit_index_to_param(i);
}

static void kbpf_kunit_run_case(struct kunit *test,
				const struct kbpf_test_suite *suite)
{
	u32 i = kbpf_kunit_param_to_index(test->param_value);
	char *msg;
	int err;

	/* Arrange: a message buffer off the small kernel stack. */
	msg = kunit_kzalloc(test, KBPF_KUNIT_MSG_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);

	/* Act */
	err = suite->run(i, msg, KBPF_KUNIT_MSG_SIZE);

	/* Assert */
	if (err)
		KUNIT_FAIL(test, "%s", msg[0] ? msg : "failed without a reason");
}

/*
 * KUnit suite names are fixed at compile time ("kbpf_" #x); refuse to run a
 * suite whose own name says otherwise, or that has nothing to run, rather
 * than report a misnamed or empty suite as passing.
 */
static int kbpf_kunit_check_suite(struct kunit_suite *ksuite,
				  const struct kbpf_test_suite *suite)
{
	if (strcmp(ksuite->name, suite->name)) {
		pr_err("kbpf_kunit: suite %s calls itself %s\n", ksuite->name,
		       suite->name);
		return -EINVAL;
	}
	if (!suite->count) {
		pr_err("kbpf_kunit: suite %s has no cases\n", suite->name);
		return -ENODATA;
	}
	return 0;
}

/*
 * One KUnit suite per shared suite, all generated from suites.h.  Each
 * registers itself (kunit_test_suites() may appear many times in a module);
 * the definitions are ordered so the macro ends in a function body.
 */
#define KBPF_KUNIT_SHARED_SUITE(x)					\
static int kbpf_kunit_##x##_init(struct kunit_suite *ksuite);		\
static const void *kbpf_kunit_##x##_gen(const void *prev, char *desc)	\
{									\
	return kbpf_kunit_next_case(&kbpf_suite_##x, prev, desc);	\
}									\
static void x##_shared_cases(struct kunit *test)			\
{									\
	kbpf_kunit_run_case(test, &kbpf_suite_##x);			\
}									\
static struct kunit_case kbpf_kunit_##x##_cases[] = {			\
	KUNIT_CASE_PARAM(x##_shared_cases, kbpf_kunit_##x##_gen),	\
	{}								\
};									\
static struct kunit_suite kbpf_kunit_##x##_suite = {			\
	.name = "kbpf_" #x,						\
	.suite_init = kbpf_kunit_##x##_init,				\
	.test_cases = kbpf_kunit_##x##_cases,				\
};									\
kunit_test_suites(&kbpf_kunit_##x##_suite);				\
static int kbpf_kunit_##x##_init(struct kunit_suite *ksuite)		\
{									\
	return kbpf_kunit_check_suite(ksuite, &kbpf_suite_##x);		\
}

KBPF_TEST_SUITES(KBPF_KUNIT_SHARED_SUITE)

/*
 * MODULE_IMPORT_NS() wants an identifier before 6.13 and a string literal
 * from 6.13 on; both expand to this modinfo tag, which takes the string on
 * every version.
 */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the kbpf core inside kbpf.ko");
MODULE_AUTHOR("kbpf authors");
