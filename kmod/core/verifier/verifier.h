/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's interface to program loading (prog.c).
 *
 * kbpf_verify() runs after prog.c has decoded the program: every opcode is
 * on the whitelist, register numbers and reserved fields are valid,
 * ld_imm64 pairs are well formed and their maps resolved into prog->maps.
 * It proves the program safe, fills prog->stack_depth and prog->stats, and
 * returns 0, or -EINVAL (malformed), -EACCES (unsafe), -E2BIG (past a
 * limit), -ENOMEM, with the first root cause written to opts->log.
 */
#ifndef KBPF_VERIFIER_H
#define KBPF_VERIFIER_H

#include "../kbpf_core.h"

int kbpf_verify(struct kbpf_prog *prog, const struct kbpf_prog_load_opts *opts);

#endif /* KBPF_VERIFIER_H */
