/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel half of the core's environment.  The declarations the core
 * sees are in core/env_kernel.h; this header only gathers them for the glue.
 */
#ifndef KBPF_ENV_H
#define KBPF_ENV_H

#include "core/kbpf_core.h"

/*
 * Bytes each CPU keeps for the program it runs: the frames plus the
 * registers the interpreter saves per call, as kbpf_core.h defines them.
 */
#define KBPF_RUN_STACK_BYTES	KBPF_RUN_STACK_SIZE

struct vm_area_struct;

/*
 * Map ring memory (kbpf_ring_mem_alloc()) into vma from ring page
 * first_page on, shifted by the vma's page offset.  The caller checked the
 * size and the protection.
 */
int kbpf_ring_mem_mmap(struct kbpf_ring_mem *mem, struct vm_area_struct *vma,
		       u32 first_page);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * The allocation seam (core/env_kernel.h), for KUnit cases: the calling
 * task's nth allocation from now fails (0 disarms; returns what was left
 * of an earlier arming, 0 once it fired), and the blocks kbpf holds.
 */
int kbpf_env_fail_nth(int nth);
long kbpf_env_live_blocks_read(void);
#endif

#endif /* KBPF_ENV_H */
