/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel half of the core's environment.  The declarations the core
 * sees are in core/env_kernel.h; this header only gathers them for the glue.
 */
#ifndef KBPF_ENV_H
#define KBPF_ENV_H

#include "core/kbpf_core.h"

/* Bytes of interpreter frames each CPU keeps for the program it runs. */
#define KBPF_RUN_STACK_BYTES	(KBPF_MAX_CALL_FRAMES * KBPF_STACK_SIZE)

#endif /* KBPF_ENV_H */
