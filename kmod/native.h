/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ahead-of-time compiled programs: modules built by `kbpfctl prog build`
 * register their compiled code here; program loads bind to it.
 */
#ifndef KBPF_NATIVE_GLUE_H
#define KBPF_NATIVE_GLUE_H

#include <linux/module.h>

#include "core/kbpf_core.h"

/* Bounds the scratch maps a registration verifies against. */
#define KBPF_MAX_MAPS_PER_NATIVE	KBPF_NATIVE_MAX_MAPS

/*
 * Run prog, just loaded and verified but not yet published, through
 * compiled code when a registered module holds its bytecode.  Not finding
 * one is not an error: the interpreter runs it.
 */
void kbpf_native_bind(struct kbpf_prog *prog);

/* The module whose code runs prog, or NULL for the interpreter. */
static inline struct module *kbpf_native_module(const struct kbpf_prog *prog)
{
	return prog->native ? prog->native_owner : NULL;
}

#endif /* KBPF_NATIVE_GLUE_H */
