/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared state of the syscall fuzzer (fuzz_abi.c runs the loop, ops.c the
 * operations, fault.c the fault-injection walk).
 */
#ifndef KBPF_FUZZ_H
#define KBPF_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "raw.h"
#include "rng.h"

enum fuzz_op {
	OP_PROG_LOAD, OP_MAP_CREATE, OP_MAP_UPDATE, OP_MAP_LOOKUP, OP_MAP_DELETE,
	OP_MAP_ITERATE, OP_TEST_RUN, OP_ATTACH, OP_DETACH, OP_UNLOAD,
	OP_MAP_DESTROY, OP_GENL_GET, OP_GENL_RAW, OP_IOCTL_RAW, OP_CHECK,
	OP_UNPRIV, OP_MAP_BTF, NR_OPS,
};

/*
 * Findings already reported and being fixed elsewhere, which the fuzzer can
 * be told to steer around (-x, or $FUZZ_ABI_KNOWN) so that a run finds what
 * is new instead of stopping at the first known WARN (mk/fuzz-abi.mk sets
 * none: both are fixed on main; the names stay for bisecting older trees).
 */
enum known_issue {
	KNOWN_MAP_HUGE = 1 << 0,	/* issue 11.3: map bytes over INT_MAX WARN in kvmalloc */
	KNOWN_CREATE_EFAULT = 1 << 1,	/* issue 11.7: MAP_CREATE keeps the map when map_id faults */
};

struct fuzz_stats {
	unsigned long execs;		/* syscalls into kbpf (ioctl, sendmsg) */
	unsigned long ops[NR_OPS];
	unsigned long ok[NR_OPS];	/* ops that succeeded */
	unsigned long errnos[134];	/* answers by errno */
	unsigned long findings;
	unsigned long checks;		/* full listing comparisons */
	unsigned long nomem;		/* ENOMEM answers */
	unsigned long nl_err_no_extack;	/* netlink errors without a message */
};

struct fuzz {
	struct kraw k;
	struct model m;
	struct rng r;
	struct fuzz_stats st;
	unsigned long op_no;		/* index of the current op */
	const char *op_name;
	bool faults;			/* allocations may fail: ENOMEM is fine */
	int make_it_fail_fd;		/* /proc/self/make-it-fail, or -1 */
	unsigned int name_seq;
	int verbose;
	/* Argument memory: two read-write pages, then an unmapped one. */
	__u8 *arena;
	/* A read-only page (write-backs into it fault). */
	__u8 *ro_page;
	long page;
	int ncpus;
	struct kraw_list *list;
	bool needs_resync;		/* a netlink answer left the outcome open */
	unsigned int known;		/* enum known_issue bits to avoid */
	char last_failed[160];		/* the last create that failed, for reports */
};

extern struct fuzz F;

void __printf(1, 2) finding(const char *fmt, ...);
void __printf(1, 2) vlog(const char *fmt, ...);

/* Record one answer of the module; check its errno class. */
void answer(int err, bool netlink);

/* Compare the module's listing with the model (a full check). */
int check_listing(void);

/* Track objects a successful request created without telling us the id. */
void adopt_unknown(void);

/* Remove everything we created; returns findings. */
int cleanup_all(void);

/* One random operation of the given kind. */
void run_op(enum fuzz_op op);

/* Allocation failures on/off for the fuzzer's own task (fault mode). */
void faults_enable(bool on);

/* Fresh object name with our prefix. */
void fresh_name(char *buf);

/* Fault-injection walk (fault.c): 0 when no finding. */
int fault_walk(const char *module_path, unsigned int max_nth);

#endif
