/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the verifier's passes (the .c files of this folder) and
 * the program types (progtype.c, progtypes/), which fill the entry state
 * and answer context accesses.  The loader (prog.c) sees only kbpf_verify().
 */
#ifndef KBPF_VERIFIER_TYPES_H
#define KBPF_VERIFIER_TYPES_H

#include "../kbpf_core.h"

/* ---- known bits ------------------------------------------------------- */

/*
 * A "tristate number": bit i is known to be value's bit i when mask's bit i
 * is clear, and unknown when it is set.  value & mask is always 0.
 */
struct kbpf_tnum {
	u64 value;
	u64 mask;
};

/* ---- register state --------------------------------------------------- */

enum kbpf_reg_type {
	KBPF_REG_NOT_INIT = 0,	/* never written on this path */
	KBPF_REG_SCALAR,	/* a number: known bits and ranges */
	KBPF_REG_PTR_TO_CTX,	/* r1 at entry: the context struct */
	KBPF_REG_PTR_TO_STACK,	/* fp + off of frame frameno */
	KBPF_REG_PTR_TO_PACKET,	/* ctx->data + off + variable part */
	KBPF_REG_PTR_TO_PACKET_END, /* ctx->data_end */
	KBPF_REG_CONST_PTR_TO_MAP, /* from ld_imm64 with a map id */
	KBPF_REG_PTR_TO_MAP_VALUE, /* into map->value_size bytes */
	KBPF_REG_PTR_TO_MAP_VALUE_OR_NULL, /* map lookup result, unchecked */
	KBPF_REG_PTR_TO_MEM,	/* raw type's r1 or a ring buffer record:
				 * range bytes, read-write
				 */
	KBPF_REG_PTR_TO_MEM_OR_NULL, /* ringbuf_reserve result, unchecked */
	KBPF_REG_PTR_TO_FUNC,	/* a callback's address: off is its insn */
};

/*
 * The abstract value of one register.  For a scalar, var_off and the ranges
 * describe the value.  For a pointer, off is the constant part of the offset
 * from the object's start and var_off/ranges describe the variable part
 * (added scalars); both are zero for pointers that cannot carry one.
 */
struct kbpf_reg_state {
	enum kbpf_reg_type type;
	s32 off;
	/*
	 * Packet pointers: bytes [0, range) counted from the same base as off
	 * (the packet start plus the variable part) are proven to lie below
	 * data_end.  Pointers sharing id share the variable part, so a
	 * comparison on one proves the range for all of them.
	 * PTR_TO_MEM: the size of the memory, counted from its start.
	 */
	u32 range;
	/* Links registers that hold copies of the same pointer: packet
	 * pointers (same variable part) and map lookup results (null check
	 * applies to all copies).  0 for none.
	 */
	u32 id;
	u32 frameno;		/* PTR_TO_STACK: frame the pointer is into */
	/*
	 * PTR_TO_MEM(_OR_NULL) from a helper that hands out a reference
	 * (ringbuf_reserve): the reference, in the state's refs.  0: none.
	 */
	u32 ref_obj_id;
	struct kbpf_map *map;	/* map pointer, map value (or null) */
	struct kbpf_tnum var_off;
	s64 smin, smax;
	u64 umin, umax;
	s32 s32_min, s32_max;
	u32 u32_min, u32_max;
};

/* What one byte of a stack slot holds. */
enum kbpf_stack_byte {
	KBPF_STACK_INVALID = 0,	/* never written: reading it is an error */
	KBPF_STACK_SPILL,	/* part of a spilled 8-byte register */
	KBPF_STACK_MISC,	/* some scalar bytes */
	KBPF_STACK_ZERO,	/* a scalar byte known to be 0 */
};

#define KBPF_SLOT_SIZE		8
#define KBPF_STACK_SLOTS	(KBPF_STACK_SIZE / KBPF_SLOT_SIZE)
#define KBPF_CHUNK_SLOTS	8	/* 64 bytes of stack per chunk */
#define KBPF_STACK_CHUNKS	(KBPF_STACK_SLOTS / KBPF_CHUNK_SLOTS)

/* Slot i covers fp - 8 * (i + 1) .. fp - 8 * i - 1. */
struct kbpf_stack_slot {
	struct kbpf_reg_state spilled;	/* valid when all bytes are SPILL */
	u8 bytes[KBPF_SLOT_SIZE];	/* enum kbpf_stack_byte, by fp offset */
};

/*
 * Eight neighbouring slots.  Chunks are shared, copy on write, by every
 * state copied from the one that wrote them last: copying a state copies
 * chunk pointers, and only a write (kbpf_stack_slot_mut()) duplicates the
 * one chunk it lands in.  A frame that filled its whole stack and then
 * forks a thousand paths stores its stack once.
 */
struct kbpf_stack_chunk {
	u32 refs;			/* states (frames) sharing it */
	struct kbpf_stack_slot slots[KBPF_CHUNK_SLOTS];
};

/*
 * One call frame: the main program's or a subprogram's.  The stack is only
 * reached through kbpf_stack_slot_get() (read) and kbpf_stack_slot_mut()
 * (write); a chunk never written is NULL and reads as invalid bytes.
 */
struct kbpf_func_state {
	struct kbpf_reg_state regs[KBPF_REG_COUNT];
	u32 callsite;		/* insn index of the call into this frame */
	u32 subprog;		/* index into env->subprogs */
	u32 frameno;
	struct kbpf_stack_chunk *chunks[KBPF_STACK_CHUNKS];
	/*
	 * A bpf_loop callback's frame: the caller's state at the call, which
	 * the callback's exits must stay within (helpers.c).  Owned by
	 * env->cb_entries; NULL for other frames.
	 */
	struct kbpf_verifier_state *cb_entry;
	/*
	 * A bpf_loop callback's frame: the node the path after the call
	 * descends from (worst.c); its wc_max is what that path
	 * charges from the call on.  NULL for other frames.
	 */
	struct kbpf_verifier_state *wc_after;
};

/*
 * A whole abstract machine state at one instruction: the chain of frames.
 * Explored states are also kept per instruction for pruning; parent links
 * a path's state to the last explored state on that path and branches
 * counts the paths below an explored state still being verified.
 */
/*
 * References a path holds (refs.c): each must be released exactly
 * once before the program exits, e.g. a reserved ring buffer record
 * submitted or discarded.
 */
#define KBPF_MAX_REFS		16

/* Levels of worst-case counts: the program and nested bpf_loop callbacks. */
#define KBPF_WC_LEVELS		KBPF_MAX_CALL_FRAMES

struct kbpf_ref_state {
	u32 id;			/* the ref_obj_id of the registers holding it */
	u32 insn_idx;		/* where it was acquired */
};

struct kbpf_verifier_state {
	struct kbpf_func_state *frame[KBPF_MAX_CALL_FRAMES];
	struct kbpf_ref_state refs[KBPF_MAX_REFS];
	u32 ref_cnt;
	u32 curframe;
	u32 insn_idx;
	struct kbpf_verifier_state *parent;
	u32 branches;
	/* Evicted from its explored list; freed when branches reaches 0. */
	bool retired;
	/*
	 * The worst-case count (worst.c), in the meter's units, per
	 * level: [0] the program's run, [l] the run of the bpf_loop callback
	 * l callback frames deep.  On a path: what it charged since it left
	 * parent.  In an explored state: what its path charged from parent
	 * to it; wc_max is then the most any of its explored continuations
	 * charges from it on (final once branches is 0).
	 */
	u64 wc_count[KBPF_WC_LEVELS];
	u64 wc_max[KBPF_WC_LEVELS];
	/*
	 * A node made at a bpf_loop call whose callback runs at level
	 * wc_block (0 for every other state): levels from wc_block up are
	 * that call's callback runs, whose most is recorded for subprogram
	 * wc_cb_sp and not handed up (the path after the call pays for them).
	 */
	u32 wc_block;
	u32 wc_cb_sp;
};

/*
 * An explored state kept at a pruning point, or retired: evicted from its
 * list while paths below it were still open (it is their parent), on the
 * doubly linked env->retired list until the last of them ends.
 */
struct kbpf_state_list {
	struct kbpf_state_list *next;
	struct kbpf_state_list *prev;		/* retired list only */
	u32 hit_cnt, miss_cnt;		/* prunes made, comparisons failed */
	struct kbpf_verifier_state state;
};

/* A path still to verify: a branch not taken yet. */
struct kbpf_branch {
	struct kbpf_branch *next;
	struct kbpf_verifier_state *state;
	u32 insn_idx;
	u32 prev_insn_idx;
};

/* ---- program structure ------------------------------------------------ */

struct kbpf_subprog {
	u32 start;		/* first insn */
	u32 end;		/* one past the last insn */
	u32 stack_depth;	/* deepest stack byte used, rounded to 8 */
	/*
	 * As a bpf_loop callback: the most one run charges, as this pass
	 * assumes it (once known), and the most a run explored in this pass
	 * charged (worst.c).
	 */
	u64 cb_worst;
	bool cb_worst_known;
	u64 cb_explored;
};

#define KBPF_MAX_SUBPROGS	256

/* Per-instruction facts from check_cfg. */
#define KBPF_INSN_PRUNE_POINT	0x1	/* jump target or branch successor */
#define KBPF_INSN_SECOND_SLOT	0x2	/* second half of ld_imm64 */
#define KBPF_INSN_SEEN		0x4	/* reached by do_check */

struct kbpf_verifier_env {
	struct kbpf_prog *prog;
	const struct kbpf_prog_load_opts *opts;
	const struct kbpf_limits *limits;
	const struct kbpf_prog_type_ops *type_info;
	struct kbpf_log *log;
	const struct kbpf_insn *insns;
	u32 insn_cnt;
	u8 *insn_flags;
	u16 *live_regs;		/* per insn: registers read before written */

	struct kbpf_subprog subprogs[KBPF_MAX_SUBPROGS + 1];
	u32 subprog_cnt;

	struct kbpf_verifier_state *cur;
	struct kbpf_state_list **explored;	/* per insn */
	struct kbpf_state_list *retired;	/* evicted, still a parent */
	struct kbpf_branch *branches;		/* stack of pending paths */
	u32 branch_cnt;
	u32 insn_idx;
	u32 prev_insn_idx;
	u32 id_gen;				/* last id handed out */
	u32 states_now;				/* explored + retired */
	u64 mem_used;				/* bytes from kbpf_vzalloc() */
	bool mem_exhausted;			/* a request hit the budget */
	u32 loop_check_insns;			/* insns since the last save */

	/* ids seen while comparing two states (old -> cur bijection). */
	struct { u32 old, cur; } idmap[KBPF_REG_COUNT * KBPF_MAX_CALL_FRAMES +
				       KBPF_STACK_SLOTS * KBPF_MAX_CALL_FRAMES];
	u32 idmap_cnt;

	/* The worst-case count (worst.c). */
	u32 *block_len;		/* per insn: what the meter charges there */
	/* The pruning state's wc_max, when pruned, per level. */
	u64 wc_tail[KBPF_WC_LEVELS];
	/* Walks of the program so far: counts may need another (verifier.c). */
	u32 pass;

	/* Callers' states at bpf_loop calls (helpers.c). */
	struct kbpf_cb_entry *cb_entries;
	u32 cb_entry_cnt;
	/*
	 * The path goes back into a bpf_loop call from its callback's exit:
	 * the middle of the call, not an arrival at the instruction, so it
	 * is neither pruned there nor charged the call's block again.
	 */
	bool cb_reentry;

	bool error_logged;			/* first root cause only */
	struct kbpf_verifier_stats stats;
	char scratch[128];			/* disassembly of one insn */
};

/*
 * Instructions processed between two kbpf_resched_check() calls: a few
 * hundred microseconds of work, so a killed loader stops at once and a
 * long verification never holds the CPU.
 */
#define KBPF_RESCHED_INSNS		4096

/* Upper bound on paths waiting to be verified at once. */
#define KBPF_MAX_PENDING_BRANCHES	8192
/* Packet offsets beyond this cannot be proven (a packet is < 64 KiB). */
#define KBPF_MAX_PACKET_OFF		0xffff
/* Variable pointer offsets beyond this are refused outright. */
#define KBPF_MAX_VAR_OFF		(1 << 29)

/* ---- log.c ------------------------------------------------------------ */

bool kbpf_log_on(const struct kbpf_verifier_env *env);
bool kbpf_verr_begin(struct kbpf_verifier_env *env);
void kbpf_log_regs(struct kbpf_verifier_env *env, u32 mask);

/* Trace text, when any log level is set. */
#define kbpf_verbose(env, fmt, ...)					\
	do {								\
		if (kbpf_log_on(env))					\
			kbpf_log_printf((env)->log, fmt, ##__VA_ARGS__); \
	} while (0)

/*
 * Reject: log the first root cause (insn line, then the reason, then the
 * registers in regmask) and evaluate to err.
 */
#define kbpf_verr_regs(env, err, regmask, fmt, ...)			\
	({								\
		struct kbpf_verifier_env *__env = (env);		\
		if (kbpf_verr_begin(__env)) {				\
			kbpf_log_printf(__env->log, fmt, ##__VA_ARGS__); \
			kbpf_log_regs(__env, regmask);			\
		}							\
		(err);							\
	})
#define kbpf_verr(env, err, fmt, ...)					\
	kbpf_verr_regs(env, err, 0, fmt, ##__VA_ARGS__)
#define KBPF_REGMASK(r)		(1U << (r))
void kbpf_log_reg(struct kbpf_verifier_env *env, u32 regno);
void kbpf_log_insn(struct kbpf_verifier_env *env, u32 idx);
void kbpf_log_state(struct kbpf_verifier_env *env);
bool kbpf_log_verbose(const struct kbpf_verifier_env *env);
const char *kbpf_reg_type_str(enum kbpf_reg_type t);

/* ---- scalar.c --------------------------------------------------------- */

struct kbpf_tnum kbpf_tnum_const(u64 v);
struct kbpf_tnum kbpf_tnum_unknown(void);
struct kbpf_tnum kbpf_tnum_range(u64 min, u64 max);
bool kbpf_tnum_is_const(struct kbpf_tnum t);
bool kbpf_tnum_in(struct kbpf_tnum outer, struct kbpf_tnum inner);
struct kbpf_tnum kbpf_tnum_cast(struct kbpf_tnum t, u32 size);

void kbpf_mark_reg_unknown(struct kbpf_reg_state *reg);
void kbpf_mark_reg_known(struct kbpf_reg_state *reg, u64 val);
void kbpf_mark_reg_not_init(struct kbpf_reg_state *reg);
void kbpf_mark_var_zero(struct kbpf_reg_state *reg);
void kbpf_mark_reg_size(struct kbpf_reg_state *reg, u32 size, bool sign);
bool kbpf_reg_is_const(const struct kbpf_reg_state *reg);
bool kbpf_reg_bounds_sane(const struct kbpf_reg_state *reg);
void kbpf_reg_bounds_sync(struct kbpf_reg_state *reg);
void kbpf_reg_zext32(struct kbpf_reg_state *reg);
int kbpf_scalar_alu(struct kbpf_verifier_env *env, const struct kbpf_insn *insn,
		    struct kbpf_reg_state *dst, const struct kbpf_reg_state *src);
/* 1: always taken, 0: never, -1: unknown. */
int kbpf_scalar_branch_taken(const struct kbpf_reg_state *a,
			     const struct kbpf_reg_state *b, u8 op, bool is32);
/* Refine a (and b) for "a op b" being true; false if impossible. */
bool kbpf_scalar_refine(struct kbpf_reg_state *a, struct kbpf_reg_state *b,
			u8 op, bool is32);
u8 kbpf_jmp_negate(u8 op);
/* Not an ISA opcode: the false side of JSET, "(a & b) == 0". */
#define KBPF_JSET_FALSE		0xf0
u8 kbpf_jmp_swap(u8 op);

/* ---- state.c ---------------------------------------------------------- */

/* Verifier memory: counted against limits->max_verifier_bytes. */
void *kbpf_vzalloc(struct kbpf_verifier_env *env, size_t size);
/* Size of env->explored (one list head per insn). */
static inline size_t kbpf_explored_bytes(const struct kbpf_verifier_env *env)
{
	return (size_t)(env->insn_cnt ? env->insn_cnt : 1) *
	       sizeof(*env->explored);
}
void kbpf_vfree(struct kbpf_verifier_env *env, const void *p, size_t size);
int kbpf_vmem_error(struct kbpf_verifier_env *env, int err);

struct kbpf_verifier_state *kbpf_state_alloc(struct kbpf_verifier_env *env,
					     u32 curframe);
void kbpf_state_free(struct kbpf_verifier_env *env,
		     struct kbpf_verifier_state *st);
int kbpf_state_copy(struct kbpf_verifier_env *env,
		    struct kbpf_verifier_state *dst,
		    const struct kbpf_verifier_state *src);
struct kbpf_verifier_state *kbpf_state_dup(struct kbpf_verifier_env *env,
					   const struct kbpf_verifier_state *src);
struct kbpf_func_state *kbpf_frame_alloc(struct kbpf_verifier_env *env,
					 u32 frameno, u32 subprog, u32 callsite);
void kbpf_frame_free(struct kbpf_verifier_env *env, struct kbpf_func_state *f);
/* Slot i of f for reading: NULL if never written (all bytes invalid). */
static inline const struct kbpf_stack_slot *
kbpf_stack_slot_get(const struct kbpf_func_state *f, u32 i)
{
	const struct kbpf_stack_chunk *c = f->chunks[i / KBPF_CHUNK_SLOTS];

	return c ? &c->slots[i % KBPF_CHUNK_SLOTS] : NULL;
}

static inline u8 kbpf_stack_byte_get(const struct kbpf_func_state *f, u32 i,
				     u32 b)
{
	const struct kbpf_stack_slot *s = kbpf_stack_slot_get(f, i);

	return s ? s->bytes[b] : KBPF_STACK_INVALID;
}

/* Slot i of f for writing, its chunk unshared first; NULL: out of memory. */
struct kbpf_stack_slot *kbpf_stack_slot_mut(struct kbpf_verifier_env *env,
					    struct kbpf_func_state *f, u32 i);
int kbpf_push_branch(struct kbpf_verifier_env *env, u32 insn_idx,
		     u32 prev_insn_idx, struct kbpf_verifier_state **out);
int kbpf_pop_branch(struct kbpf_verifier_env *env);
void kbpf_drop_pushed_branch(struct kbpf_verifier_env *env);
void kbpf_free_branches(struct kbpf_verifier_env *env);
/* Free every explored and retired state (the per-insn lists stay). */
void kbpf_forget_explored(struct kbpf_verifier_env *env);
void kbpf_free_explored(struct kbpf_verifier_env *env);
void kbpf_path_done(struct kbpf_verifier_env *env);
/* 1: prune this path, 0: go on, negative: error. */
int kbpf_is_state_visited(struct kbpf_verifier_env *env, u32 insn_idx);
/*
 * From here on the current path and the branches it forks descend from a
 * new node (returned) that keeps no state to prune against; NULL: no memory.
 */
struct kbpf_verifier_state *kbpf_path_node(struct kbpf_verifier_env *env);
/* Is everything cur allows also allowed by old (same insn, same frames)? */
bool kbpf_state_covers(struct kbpf_verifier_env *env,
		       const struct kbpf_verifier_state *old,
		       const struct kbpf_verifier_state *cur);
u32 kbpf_new_id(struct kbpf_verifier_env *env);

static inline struct kbpf_func_state *kbpf_cur_frame(struct kbpf_verifier_env *env)
{
	return env->cur->frame[env->cur->curframe];
}

static inline struct kbpf_reg_state *kbpf_cur_regs(struct kbpf_verifier_env *env)
{
	return kbpf_cur_frame(env)->regs;
}

/* A helper result that is a pointer or NULL until a check says which. */
static inline bool kbpf_reg_may_be_null(enum kbpf_reg_type t)
{
	return t == KBPF_REG_PTR_TO_MAP_VALUE_OR_NULL ||
	       t == KBPF_REG_PTR_TO_MEM_OR_NULL;
}

static inline bool kbpf_is_pointer(const struct kbpf_reg_state *reg)
{
	return reg->type != KBPF_REG_SCALAR && reg->type != KBPF_REG_NOT_INIT;
}

/*
 * No object a pointer can point into (or near: offsets stay within
 * KBPF_MAX_VAR_OFF) lies in the first or the last page of the address
 * space, so a pointer never equals such a constant: comparing the two
 * tells nothing about the pointer.
 */
static inline bool kbpf_never_an_address(u64 v)
{
	return (s64)v > -4096 && (s64)v < 4096;
}

/* ---- cfg.c ------------------------------------------------------------ */

int kbpf_verifier_check_cfg(struct kbpf_verifier_env *env);
int kbpf_compute_liveness(struct kbpf_verifier_env *env);
/* Index of the subprogram containing insn, or -1. */
int kbpf_find_subprog(const struct kbpf_verifier_env *env, u32 insn);
bool kbpf_is_ldimm64(const struct kbpf_insn *insn);

/* ---- mem.c ------------------------------------------------------------ */

int kbpf_check_mem_access(struct kbpf_verifier_env *env, u32 regno, s32 off,
			  u32 size, bool write, int value_regno, bool sign_ext);
int kbpf_check_mem_region(struct kbpf_verifier_env *env, u32 regno,
			  u64 size, const char *what);
int kbpf_check_atomic(struct kbpf_verifier_env *env,
		      const struct kbpf_insn *insn);
int kbpf_init_entry_regs(struct kbpf_verifier_env *env,
			 struct kbpf_reg_state *regs);
int kbpf_ctx_field_access(struct kbpf_prog *prog, s32 off, u32 size,
			  bool write, enum kbpf_reg_type *type);
struct kbpf_map *kbpf_find_map(struct kbpf_verifier_env *env, u32 insn_idx);
/*
 * Whether the program may read (KBPF_MAP_READ) and/or write
 * (KBPF_MAP_WRITE) the size bytes at off from the map value pointer regno:
 * KBPF_F_RDONLY_PROG and KBPF_F_WRONLY_PROG maps forbid one of them.
 */
#define KBPF_MAP_READ	0x1
#define KBPF_MAP_WRITE	0x2
int kbpf_check_map_access_type(struct kbpf_verifier_env *env, u32 regno,
			       s64 off, u64 size, u32 access);
int kbpf_check_mem_writable(struct kbpf_verifier_env *env, u32 regno,
			    u64 size, const char *what);
/* A helper wrote umin(size) bytes at regno: they are initialised now. */
int kbpf_mark_mem_written(struct kbpf_verifier_env *env, u32 regno, u64 size);
/* Initialised, pointer-free bytes readable at the stack pointer reg. */
u32 kbpf_stack_readable_bytes(struct kbpf_verifier_env *env,
			      const struct kbpf_reg_state *reg, u32 max);

/* ---- helpers.c -------------------------------------------------------- */

/* Helper-specific rules after the generic argument checks. */
int kbpf_check_helper_rules(struct kbpf_verifier_env *env,
			    const struct kbpf_helper *h,
			    const struct kbpf_insn *insn);
/* Is some frame of st a bpf_loop callback's (call.c)? */
bool kbpf_in_callback(const struct kbpf_verifier_state *st);
/* bpf_loop: continue after the call and enter the callback. */
int kbpf_check_loop_call(struct kbpf_verifier_env *env,
			 const struct kbpf_insn *insn, u32 *next_idx);
/* At a callback's exit: 1 when the path is done, 0 to run it again. */
int kbpf_check_callback_exit(struct kbpf_verifier_env *env, u32 *next_idx);
int kbpf_forget_packet_pointers(struct kbpf_verifier_env *env);
void kbpf_free_cb_entries(struct kbpf_verifier_env *env);

/* ---- worst.c ---------------------------------------------------------- */

/* Block lengths for the charges; 0 or -ENOMEM. */
int kbpf_worst_init(struct kbpf_verifier_env *env);
void kbpf_worst_free(struct kbpf_verifier_env *env);
/* Charge the current path for the insn it is about to process. */
void kbpf_worst_charge(struct kbpf_verifier_env *env);
/* What one path charged, per level. */
struct kbpf_wc_charge {
	u64 v[KBPF_WC_LEVELS];
};

/* The current path ended: what it charged, a pruning state's part included. */
void kbpf_worst_path_end(struct kbpf_verifier_env *env,
			 struct kbpf_wc_charge *c);
/* Fold a continuation's charge c into st. */
void kbpf_worst_fold(struct kbpf_verifier_state *st,
		     const struct kbpf_wc_charge *c);
/* st's last path ended: c becomes st's own charge through its most. */
void kbpf_worst_state_done(struct kbpf_verifier_env *env,
			   const struct kbpf_verifier_state *st,
			   struct kbpf_wc_charge *c);
/* A charge c that reached the entry: a candidate for the program's count. */
void kbpf_worst_root(struct kbpf_verifier_env *env,
		     const struct kbpf_wc_charge *c);
/* node (explored or made) takes over what the path cur charged so far. */
void kbpf_worst_node_begin(struct kbpf_verifier_state *node,
			   struct kbpf_verifier_state *cur);
/*
 * bpf_loop of callback sp: the node the paths after the call and into the
 * callback then descend from (made first, with nothing charged yet);
 * NULL: no memory.
 */
struct kbpf_verifier_state *kbpf_worst_loop_node(struct kbpf_verifier_env *env,
						 u32 sp);
/* Charge the current path, the one after the call, for every run. */
int kbpf_worst_loop_charge(struct kbpf_verifier_env *env, u32 sp,
			   const struct kbpf_reg_state *nr_loops);
/*
 * A callback run ended in a state its entry covers: the path is done, and
 * charges what the path after the call (from after_node) charges.
 */
void kbpf_worst_callback_done(struct kbpf_verifier_env *env,
			      const struct kbpf_verifier_state *after_node);
/*
 * A walk of the program ended: true if a callback's runs charged other
 * than this pass assumed, which another pass then assumes (verifier.c
 * walks again).
 */
bool kbpf_worst_pass_again(struct kbpf_verifier_env *env);

/* ---- refs.c ----------------------------------------------------------- */

/* A new reference acquired at the current insn: its id, or 0 if too many. */
u32 kbpf_acquire_ref(struct kbpf_verifier_env *env);
/* Release it and invalidate every register holding it; -EACCES if unheld. */
int kbpf_release_ref(struct kbpf_verifier_env *env, u32 id);
/* On the null branch of a check: the helper gave nothing to release. */
void kbpf_drop_ref(struct kbpf_verifier_state *st, u32 id);
/* At the program's exit: -EACCES, logged, if any reference is still held. */
int kbpf_check_refs_released(struct kbpf_verifier_env *env);

/* ---- call.c ----------------------------------------------------------- */

int kbpf_check_helper_call(struct kbpf_verifier_env *env,
			   const struct kbpf_insn *insn, u32 *next_idx);
int kbpf_check_subprog_call(struct kbpf_verifier_env *env,
			    const struct kbpf_insn *insn, u32 *next_idx);
int kbpf_check_subprog_exit(struct kbpf_verifier_env *env, u32 *next_idx);
int kbpf_check_stack_depth(struct kbpf_verifier_env *env);

#endif /* KBPF_VERIFIER_TYPES_H */
