/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Program loading internals shared by the loader, the verifier and the
 * interpreter.
 *
 * After kbpf_prog_load()'s decode stage, prog->insns differ from what the
 * caller submitted in one way only: the first slot of a KBPF_PSEUDO_MAP_ID
 * or KBPF_PSEUDO_MAP_VALUE load keeps its src_reg but its imm is the index
 * of the map in prog->maps instead of the map's id.  (The second slot of a
 * MAP_VALUE load still holds the offset into the value, which the loader
 * has checked against value_size.)  Use kbpf_prog_ld_map() to read it.
 */
#ifndef KBPF_CORE_PROG_H
#define KBPF_CORE_PROG_H

#include "kbpf_core.h"

/*
 * The verifier: checks prog (decoded, maps resolved) against opts and may
 * rewrite prog->insns, prog->insn_cnt, prog->stack_depth and prog->stats.
 * Provided by the verifier owner (verifier.c); 0, -EINVAL (malformed),
 * -EACCES (unsafe), -E2BIG (over a limit) or -ENOMEM, with the reason in
 * opts->log.
 */
int kbpf_verify(struct kbpf_prog *prog, const struct kbpf_prog_load_opts *opts);

/* True for the first slot of a 64-bit immediate load. */
static inline bool kbpf_insn_is_ld_imm64(const struct kbpf_insn *insn)
{
	return insn->code == (KBPF_LD | KBPF_IMM | KBPF_DW);
}

/* The map a resolved pseudo map load refers to; NULL for a plain ld_imm64. */
static inline struct kbpf_map *kbpf_prog_ld_map(const struct kbpf_prog *prog,
						const struct kbpf_insn *insn)
{
	if (!kbpf_insn_is_ld_imm64(insn) ||
	    (insn->src_reg != KBPF_PSEUDO_MAP_ID &&
	     insn->src_reg != KBPF_PSEUDO_MAP_VALUE) ||
	    (u32)insn->imm >= prog->map_cnt)
		return NULL;
	return prog->maps[insn->imm];
}

/*
 * Whether prog pinned map's values (it loads a direct value address of
 * it): only then may the load read them in place, a resize being refused.
 */
static inline bool kbpf_prog_pinned_values(const struct kbpf_prog *prog,
					   const struct kbpf_map *map)
{
	u32 i;

	for (i = 0; i < prog->map_cnt && i < 64; i++)
		if (prog->maps[i] == map)
			return prog->maps_values_pinned & (1ULL << i);
	return false;
}

#endif /* KBPF_CORE_PROG_H */
