/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interpreter's side of program loading: turn checked instructions into
 * the decoded image kbpf_prog_run() executes.
 */
#ifndef KBPF_CORE_INTERP_H
#define KBPF_CORE_INTERP_H

#include "kbpf_core.h"

/*
 * Build prog->image from prog->insns.  The instructions must have passed
 * the load-time decode checks (prog.c): every opcode and field is valid,
 * every jump and call lands inside the program, every helper exists, and
 * pseudo map loads carry an index into prog->maps.  0 or -ENOMEM.
 */
int kbpf_interp_build(struct kbpf_prog *prog);
void kbpf_interp_free(struct kbpf_prog_image *image);
/* The 64-bit value the checked ld_imm64 at insn loads, maps resolved. */
int kbpf_ld_imm64_value(const struct kbpf_prog *prog,
			const struct kbpf_insn *insn, u64 *value);

#endif /* KBPF_CORE_INTERP_H */
