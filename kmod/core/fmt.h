/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Format strings of trace_printk and snprintf: one parser for the verifier
 * (which checks a format it can read at load time) and for the helpers
 * (which format at run time, trusting nothing the program could change).
 *
 * Accepted, as Linux's bpf_trace_printk and bpf_snprintf accept them:
 *   %d %i %u %x %X with no length (32 bits), l or ll (64 bits); %c; %s; %p;
 *   %% ; the flags '-' '0' '+' ' ' and a width up to 63.
 * %s reads a NUL-terminated string from memory the verifier proved
 * readable, at most KBPF_FMT_STR_MAX bytes.  %p prints a hashed value in
 * the kernel, never a raw address.  Anything else is refused: with a
 * message at load when the format is a constant the verifier can read,
 * else with -EINVAL from the helper.
 */
#ifndef KBPF_CORE_FMT_H
#define KBPF_CORE_FMT_H

#include "kbpf_core.h"

#define KBPF_FMT_MAX_ARGS	12	/* snprintf; trace_printk takes 3 */
#define KBPF_FMT_STR_MAX	127	/* bytes %s reads at most */
#define KBPF_FMT_WIDTH_MAX	63

/* What the verifier proved an argument to be. */
enum kbpf_fmt_kind {
	KBPF_FMT_SCALAR = 0,	/* a number: any conversion but %s */
	KBPF_FMT_STRING,	/* readable memory: %s (str_max bytes) or %p */
	KBPF_FMT_POINTER,	/* another pointer: %p only */
};

/* The arguments of one call site whose format the verifier typed. */
struct kbpf_fmt_site {
	u32 insn;			/* index of the helper call */
	u32 fmt_max;			/* snprintf: readable format bytes */
	u8 kind[KBPF_FMT_MAX_ARGS];	/* enum kbpf_fmt_kind */
	u8 str_max[KBPF_FMT_MAX_ARGS];	/* KBPF_FMT_STRING: readable bytes */
};

/* One conversion of a format string. */
struct kbpf_fmt_conv {
	char conv;		/* 'd' 'u' 'x' 'X' 'c' 's' 'p' */
	bool is64;
	bool minus, zero, plus, space;
	u32 width;
};

/*
 * Step through fmt[0..len): *pos is the scan position.  Returns 1 with
 * *conv filled and *lit_len bytes of literal text before it (starting at
 * the old *pos), 0 at the end (the literal tail in *lit_len), or -EINVAL
 * with *pos at the offending '%' and a reason in *why.
 */
int kbpf_fmt_next(const char *fmt, u32 len, u32 *pos, u32 *lit_start,
		  u32 *lit_len, struct kbpf_fmt_conv *conv, const char **why);

/*
 * Format into out (size bytes, NUL-terminated if size > 0).  args[i] is
 * what the program passed, site says what each argument is (NULL: all
 * scalars).  Returns the length the whole output needs without the NUL,
 * or -EINVAL for a format or argument the site does not allow.
 */
int kbpf_fmt_format(char *out, u32 size, const char *fmt, u32 fmt_len,
		    const u64 *args, u32 nargs,
		    const struct kbpf_fmt_site *site);

#endif /* KBPF_CORE_FMT_H */
