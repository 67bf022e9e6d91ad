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
 * Run rp on a kernel copy of attr->data_in as attr asks and fill in retval,
 * duration_ns and data_size_out, copying the packet to attr->data_out.
 */
int kbpf_test_run(struct kbpf_reg_prog *rp,
		  struct kbpf_prog_test_run_attr *attr);

#endif /* KBPF_TESTRUN_H */
