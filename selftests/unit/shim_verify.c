// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the core library only while kmod/core/verifier/verifier.c
 * does not exist (see mk/core.mk): refuses every program, so nothing runs
 * unverified by accident.  Tests that exercise the interpreter load with
 * KBPF_LOAD_NO_VERIFY.
 */
#include "prog.h"

int kbpf_verify(struct kbpf_prog *prog, const struct kbpf_prog_load_opts *opts)
{
	kbpf_log_printf(opts->log, "verifier not built into this library\n");
	return -EINVAL;
}
