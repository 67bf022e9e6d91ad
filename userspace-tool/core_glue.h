/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kbpf core library as kbpfctl sees it.  The core speaks u32 and its
 * own environment; kbpfctl speaks __u32 and libc.  core_glue.c is the only
 * kbpfctl file that includes core headers, and this interface is all the
 * rest of the tool uses.
 */
#ifndef KBPFCTL_CORE_GLUE_H
#define KBPFCTL_CORE_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/kbpf.h>

struct kbpfctl_core;

struct kbpfctl_core_stats {
	__u32 insns_processed;
	__u32 states_total;
	__u32 states_peak;
	__u64 time_ns;
	/* Instructions a run executes at most, or KBPF_WORST_CASE_UNBOUNDED. */
	__u64 worst_case;
	/* Bytes the whole log needs (NUL included) when it was cut, else 0. */
	__u32 log_true_size;
};

/* profile NULL: the core's default.  NULL return: unknown profile or OOM. */
struct kbpfctl_core *kbpfctl_core_new(const char *profile);
void kbpfctl_core_free(struct kbpfctl_core *core);
const char *kbpfctl_core_profile(const struct kbpfctl_core *core);

/*
 * 0 or -errno; ids are 1, 2, ... in creation order.  freeze: frozen once
 * init is written, as the loader leaves .rodata.
 */
int kbpfctl_core_map_create(struct kbpfctl_core *core, __u32 type,
			    __u32 key_size, __u32 value_size,
			    __u32 max_entries, __u32 flags, const void *init,
			    size_t init_size, bool freeze, __u32 *id);

/* Load and free one program: 0 if the verifier accepts it, else -errno. */
int kbpfctl_core_verify(struct kbpfctl_core *core, __u32 prog_type,
			const struct kbpf_insn *insns, __u32 cnt,
			__u32 log_level, char *log, __u32 log_size,
			struct kbpfctl_core_stats *stats);

/* Print the program as the core disassembles it, one line per insn. */
void kbpfctl_core_disasm(FILE *out, const struct kbpf_insn *insns, __u32 cnt);

#endif /* KBPFCTL_CORE_GLUE_H */
