/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RFC 9669 conformance corpus (the .data files of selftests/conformance/)
 * as a shared suite, so that it runs in KUnit as well as through kbpf-run.
 * gen-cases turns the corpus into conformance_gen.c, a table of struct
 * conformance_test; conformance_run.c runs one entry the way kbpf-run runs
 * a program: no verifier, r1/r2 = a copy of the memory and its length,
 * helper 5 returning its first argument.
 */
#ifndef KBPF_TEST_CONFORMANCE_H
#define KBPF_TEST_CONFORMANCE_H

#include "cases.h"

struct conformance_test {
	const char *name;	/* "alu64: sdiv of INT64_MIN by -1 wraps" */
	const u8 *prog;		/* program bytes, as in -- raw */
	u32 prog_len;
	const u8 *mem;		/* -- mem bytes, NULL when absent */
	u32 mem_len;
	u64 result;		/* r0 expected, unless error is set */
	const char *error;	/* the load must fail with this in its log */
};

int kbpf_test_conformance_run(const struct conformance_test *t, char *msg,
			      size_t msg_size);

#endif /* KBPF_TEST_CONFORMANCE_H */
