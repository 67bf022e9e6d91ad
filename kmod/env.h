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

#endif /* KBPF_ENV_H */
