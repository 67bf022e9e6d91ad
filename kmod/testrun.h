/* SPDX-License-Identifier: GPL-2.0 */
/* Running a loaded program on caller-supplied bytes (KBPF_IOC_PROG_TEST_RUN). */
#ifndef KBPF_TESTRUN_H
#define KBPF_TESTRUN_H

#include <linux/kbpf.h>

#include "registry.h"

/* Largest packet and repeat count a test run accepts. */
#define KBPF_TEST_RUN_MAX_DATA		65535
#define KBPF_TEST_RUN_MAX_REPEAT	(1U << 24)

/*
 * Run rp on a kernel copy of attr->data_in, in the context attr->ctx_in
 * gives (devices of c's namespace), as attr asks, and fill in retval,
 * duration_ns, data_size_out and ctx_size_out, copying the packet to
 * attr->data_out and the context to attr->ctx_out.  A refusal the caller
 * can act on (its context, a full pool) has its reason in log.
 */
int kbpf_test_run(const struct kbpf_caller *c, struct kbpf_reg_prog *rp,
		  struct kbpf_prog_test_run_attr *attr, struct kbpf_log *log);

#endif /* KBPF_TESTRUN_H */
