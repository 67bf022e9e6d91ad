/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between kbpf and ahead-of-time compiled programs.
 *
 * `kbpfctl prog build` translates a program's verified bytecode into C
 * (userspace-tool/bpf2c.c) and compiles it, with the kernel's toolchain into
 * a module or with cc into a shared object for userspace tests.  The C
 * includes this header and nothing else of kbpf, so the same header serves
 * three builds:
 *
 *   - kbpf's core (kbpf.ko and the userspace core library), which binds a
 *     compiled function to a loaded program and calls it instead of the
 *     interpreter;
 *   - a generated kernel module (__KERNEL__, KBPF_NATIVE_GENERATED);
 *   - a generated userspace shared object (KBPF_NATIVE_GENERATED).
 *
 * A compiled program is one C function per BPF subprogram.  The entry
 * function has the type kbpf_native_fn: args are r1..r5, stack is frame 0
 * of the run stack (the same memory and layout the interpreter uses: frame d is
 * stack + d * KBPF_NATIVE_STACK_SIZE, so r10 of frame d is its end), and
 * ctx holds what is only known once kbpf has bound the code to a loaded
 * program: the helper functions and the values of the map loads.
 *
 * Semantics are RFC 9669's, exactly as the interpreter implements them
 * (kmod/core/interp.c): masked shifts, division by zero gives 0, modulo by
 * zero leaves the dividend, S64_MIN / -1 wraps; the helpers below are the
 * interpreter's, instruction for instruction.
 */
#ifndef KBPF_NATIVE_H
#define KBPF_NATIVE_H

#if defined(__KERNEL__)
#include <linux/types.h>
#include <linux/atomic.h>
#elif !defined(KBPF_CORE_ENV_USER_H)
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif

/* Bumped whenever anything below changes shape. */
#define KBPF_NATIVE_ABI_VERSION		2
#define KBPF_NATIVE_STACK_SIZE		512
#define KBPF_NATIVE_MAX_FRAMES		8
#define KBPF_NATIVE_NAME_LEN		16
#define KBPF_NATIVE_MAX_MAPS		64	/* definitions per program */

typedef u64 (*kbpf_native_helper_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);

/* Filled by kbpf when it binds compiled code to a loaded program. */
struct kbpf_native_ctx {
	/* Indexed by helper number; NULL where the program type has none. */
	const kbpf_native_helper_fn *helpers;
	/*
	 * The 64-bit value of each ld_imm64 whose src_reg is not 0 (map
	 * loads), in instruction order: the generated code reads
	 * ld_imm64[k] for the k-th such load.
	 */
	const u64 *ld_imm64;
	/*
	 * Called with the run stack and the instruction's index right before
	 * a call of a helper that formats (trace_printk, snprintf): the helper
	 * then finds the argument types the verifier recorded for that call
	 * site, as it does under the interpreter.
	 */
	void (*at_call)(u8 *stack, u32 insn);
};

typedef u64 (*kbpf_native_fn)(const u64 *args, u8 *stack,
			      const struct kbpf_native_ctx *ctx);

/*
 * A map the bytecode refers to.  The embedded bytecode's map loads carry
 * 1 + the index of their map here instead of a map id; binding compares
 * these definitions with the maps of the program being loaded.
 *
 * Global data (.data, .rodata, .bss: an array of one element) also carries
 * element 0's initial value, so that registration verifies the bytecode
 * against the same contents a load starts with; data is NULL when it is all
 * zeros.  A read-only (.rodata) definition binds only to a map holding
 * exactly these bytes.
 */
struct kbpf_native_map_def {
	char name[KBPF_NATIVE_NAME_LEN];
	u32 type;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
	const u8 *data;			/* value_size bytes, or NULL */
	u32 rodata;			/* 1: read-only data, bound by contents */
};

/*
 * What a generated module hands to kbpf_native_register(): the program's
 * bytecode (struct kbpf_insn, 8 bytes each) as it was translated, so kbpf
 * can verify it and recognise it at load, and the compiled entry point.
 */
struct kbpf_native_prog {
	u32 abi_version;		/* KBPF_NATIVE_ABI_VERSION */
	char name[KBPF_NATIVE_NAME_LEN];
	u32 prog_type;			/* enum kbpf_prog_type */
	const void *insns;
	u32 insn_cnt;
	const struct kbpf_native_map_def *maps;
	u32 map_cnt;
	kbpf_native_fn run;
#ifdef __KERNEL__
	struct module *owner;		/* pinned while a program uses run */
#endif
};

#ifdef __KERNEL__
/*
 * Exported by kbpf.ko (EXPORT_SYMBOL_GPL).  Register verifies the bytecode
 * and makes the code available to program loads: 0 or a negative errno,
 * with the reason in the kernel log.
 */
int kbpf_native_register(struct kbpf_native_prog *np);
void kbpf_native_unregister(struct kbpf_native_prog *np);
#endif

#if defined(__KERNEL__) && defined(KBPF_NATIVE_GENERATED)
#include <linux/module.h>
/*
 * A generated module's init and exit.  kbpf.ko is found at run time with
 * symbol_get(), which also pins it while the module is loaded, so the
 * module builds without kbpf's Module.symvers (DKMS installs none) and
 * loading it without kbpf says so instead of failing on a symbol.
 */
static inline int kbpf_native_module_init(struct kbpf_native_prog *np)
{
	int (*reg)(struct kbpf_native_prog *np) =
		symbol_get(kbpf_native_register);
	int err;

	if (!reg) {
		pr_err("%s: kbpf is not loaded (modprobe kbpf)\n", np->name);
		return -ENOENT;
	}
	err = reg(np);
	if (err)
		symbol_put(kbpf_native_register);
	return err;
}

static inline void kbpf_native_module_exit(struct kbpf_native_prog *np)
{
	void (*unreg)(struct kbpf_native_prog *np) =
		symbol_get(kbpf_native_unregister);

	if (unreg) {
		unreg(np);
		symbol_put(kbpf_native_unregister);
	}
	symbol_put(kbpf_native_register);
}
#endif

/*
 * RFC 9669's arithmetic corner cases and unaligned memory access, as both
 * engines execute them: the interpreter (interp.c) and the generated code
 * call these same functions.
 */

static __always_inline u64 kbpf_native_div64(u64 a, u64 b)
{
	return b ? a / b : 0;
}

static __always_inline u64 kbpf_native_mod64(u64 a, u64 b)
{
	return b ? a % b : a;
}

static __always_inline u64 kbpf_native_sdiv64(u64 a, u64 b)
{
	if (!b)
		return 0;
	if ((s64)b == -1)
		return -a;
	return (u64)((s64)a / (s64)b);
}

static __always_inline u64 kbpf_native_smod64(u64 a, u64 b)
{
	if (!b)
		return a;
	if ((s64)b == -1)
		return 0;
	return (u64)((s64)a % (s64)b);
}

static __always_inline u32 kbpf_native_div32(u32 a, u32 b)
{
	return b ? a / b : 0;
}

static __always_inline u32 kbpf_native_mod32(u32 a, u32 b)
{
	return b ? a % b : a;
}

static __always_inline u32 kbpf_native_sdiv32(u32 a, u32 b)
{
	if (!b)
		return 0;
	if ((s32)b == -1)
		return -a;
	return (u32)((s32)a / (s32)b);
}

static __always_inline u32 kbpf_native_smod32(u32 a, u32 b)
{
	if (!b)
		return a;
	if ((s32)b == -1)
		return 0;
	return (u32)((s32)a % (s32)b);
}

/* Packet and context fields need not be aligned. */
#define KBPF_NATIVE_DEF_MEM(bits)					\
static __always_inline u##bits kbpf_native_ld##bits(u64 addr)		\
{									\
	u##bits v;							\
	__builtin_memcpy(&v, (const void *)(unsigned long)addr, sizeof(v)); \
	return v;							\
}									\
static __always_inline void kbpf_native_st##bits(u64 addr, u##bits v)	\
{									\
	__builtin_memcpy((void *)(unsigned long)addr, &v, sizeof(v));	\
}
KBPF_NATIVE_DEF_MEM(8)
KBPF_NATIVE_DEF_MEM(16)
KBPF_NATIVE_DEF_MEM(32)
KBPF_NATIVE_DEF_MEM(64)
#undef KBPF_NATIVE_DEF_MEM

#ifdef KBPF_NATIVE_GENERATED
/*
 * Atomics on memory the verifier proved aligned: the kernel's atomic types
 * in a module (as kbpf's env_kernel.h does), sequentially consistent
 * compiler builtins in userspace (as env_user.h does).
 */
#ifdef __KERNEL__
#define KBPF_NATIVE_A32(p)	((atomic_t *)(unsigned long)(p))
#define KBPF_NATIVE_A64(p)	((atomic64_t *)(unsigned long)(p))
#define kbpf_native_add32(p, v)		atomic_add((s32)(v), KBPF_NATIVE_A32(p))
#define kbpf_native_or32(p, v)		atomic_or((s32)(v), KBPF_NATIVE_A32(p))
#define kbpf_native_and32(p, v)		atomic_and((s32)(v), KBPF_NATIVE_A32(p))
#define kbpf_native_xor32(p, v)		atomic_xor((s32)(v), KBPF_NATIVE_A32(p))
#define kbpf_native_fetch_add32(p, v)	((u32)atomic_fetch_add((s32)(v), KBPF_NATIVE_A32(p)))
#define kbpf_native_fetch_or32(p, v)	((u32)atomic_fetch_or((s32)(v), KBPF_NATIVE_A32(p)))
#define kbpf_native_fetch_and32(p, v)	((u32)atomic_fetch_and((s32)(v), KBPF_NATIVE_A32(p)))
#define kbpf_native_fetch_xor32(p, v)	((u32)atomic_fetch_xor((s32)(v), KBPF_NATIVE_A32(p)))
#define kbpf_native_xchg32(p, v)	((u32)atomic_xchg(KBPF_NATIVE_A32(p), (s32)(v)))
#define kbpf_native_cmpxchg32(p, o, v)	((u32)atomic_cmpxchg(KBPF_NATIVE_A32(p), (s32)(o), (s32)(v)))
#define kbpf_native_add64(p, v)		atomic64_add((s64)(v), KBPF_NATIVE_A64(p))
#define kbpf_native_or64(p, v)		atomic64_or((s64)(v), KBPF_NATIVE_A64(p))
#define kbpf_native_and64(p, v)		atomic64_and((s64)(v), KBPF_NATIVE_A64(p))
#define kbpf_native_xor64(p, v)		atomic64_xor((s64)(v), KBPF_NATIVE_A64(p))
#define kbpf_native_fetch_add64(p, v)	((u64)atomic64_fetch_add((s64)(v), KBPF_NATIVE_A64(p)))
#define kbpf_native_fetch_or64(p, v)	((u64)atomic64_fetch_or((s64)(v), KBPF_NATIVE_A64(p)))
#define kbpf_native_fetch_and64(p, v)	((u64)atomic64_fetch_and((s64)(v), KBPF_NATIVE_A64(p)))
#define kbpf_native_fetch_xor64(p, v)	((u64)atomic64_fetch_xor((s64)(v), KBPF_NATIVE_A64(p)))
#define kbpf_native_xchg64(p, v)	((u64)atomic64_xchg(KBPF_NATIVE_A64(p), (s64)(v)))
#define kbpf_native_cmpxchg64(p, o, v)	((u64)atomic64_cmpxchg(KBPF_NATIVE_A64(p), (s64)(o), (s64)(v)))
#else
#define KBPF_NATIVE_P(bits, p)	((u##bits *)(unsigned long)(p))
#define KBPF_NATIVE_SC		__ATOMIC_SEQ_CST
#define kbpf_native_add32(p, v)		((void)__atomic_fetch_add(KBPF_NATIVE_P(32, p), (u32)(v), KBPF_NATIVE_SC))
#define kbpf_native_or32(p, v)		((void)__atomic_fetch_or(KBPF_NATIVE_P(32, p), (u32)(v), KBPF_NATIVE_SC))
#define kbpf_native_and32(p, v)		((void)__atomic_fetch_and(KBPF_NATIVE_P(32, p), (u32)(v), KBPF_NATIVE_SC))
#define kbpf_native_xor32(p, v)		((void)__atomic_fetch_xor(KBPF_NATIVE_P(32, p), (u32)(v), KBPF_NATIVE_SC))
#define kbpf_native_fetch_add32(p, v)	__atomic_fetch_add(KBPF_NATIVE_P(32, p), (u32)(v), KBPF_NATIVE_SC)
#define kbpf_native_xchg32(p, v)	__atomic_exchange_n(KBPF_NATIVE_P(32, p), (u32)(v), KBPF_NATIVE_SC)
#define kbpf_native_add64(p, v)		((void)__atomic_fetch_add(KBPF_NATIVE_P(64, p), (u64)(v), KBPF_NATIVE_SC))
#define kbpf_native_or64(p, v)		((void)__atomic_fetch_or(KBPF_NATIVE_P(64, p), (u64)(v), KBPF_NATIVE_SC))
#define kbpf_native_and64(p, v)		((void)__atomic_fetch_and(KBPF_NATIVE_P(64, p), (u64)(v), KBPF_NATIVE_SC))
#define kbpf_native_xor64(p, v)		((void)__atomic_fetch_xor(KBPF_NATIVE_P(64, p), (u64)(v), KBPF_NATIVE_SC))
#define kbpf_native_fetch_add64(p, v)	__atomic_fetch_add(KBPF_NATIVE_P(64, p), (u64)(v), KBPF_NATIVE_SC)
#define kbpf_native_xchg64(p, v)	__atomic_exchange_n(KBPF_NATIVE_P(64, p), (u64)(v), KBPF_NATIVE_SC)

/*
 * The fetching bitwise operations as compare-and-swap loops: GCC 12 turns
 * __atomic_fetch_{or,and,xor} whose result is used into wrong code in some
 * programs (the operand is dropped; found by make aot-diff), which the
 * kernel's own atomics, built from cmpxchg, never meet.
 */
static inline u32 kbpf_native_fetch_or32(u64 p, u32 v)
{
	u32 old = __atomic_load_n(KBPF_NATIVE_P(32, p), __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(KBPF_NATIVE_P(32, p), &old,
					    old | v, 0, KBPF_NATIVE_SC,
					    KBPF_NATIVE_SC))
		;
	return old;
}

static inline u32 kbpf_native_fetch_and32(u64 p, u32 v)
{
	u32 old = __atomic_load_n(KBPF_NATIVE_P(32, p), __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(KBPF_NATIVE_P(32, p), &old,
					    old & v, 0, KBPF_NATIVE_SC,
					    KBPF_NATIVE_SC))
		;
	return old;
}

static inline u32 kbpf_native_fetch_xor32(u64 p, u32 v)
{
	u32 old = __atomic_load_n(KBPF_NATIVE_P(32, p), __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(KBPF_NATIVE_P(32, p), &old,
					    old ^ v, 0, KBPF_NATIVE_SC,
					    KBPF_NATIVE_SC))
		;
	return old;
}

static inline u64 kbpf_native_fetch_or64(u64 p, u64 v)
{
	u64 old = __atomic_load_n(KBPF_NATIVE_P(64, p), __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(KBPF_NATIVE_P(64, p), &old,
					    old | v, 0, KBPF_NATIVE_SC,
					    KBPF_NATIVE_SC))
		;
	return old;
}

static inline u64 kbpf_native_fetch_and64(u64 p, u64 v)
{
	u64 old = __atomic_load_n(KBPF_NATIVE_P(64, p), __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(KBPF_NATIVE_P(64, p), &old,
					    old & v, 0, KBPF_NATIVE_SC,
					    KBPF_NATIVE_SC))
		;
	return old;
}

static inline u64 kbpf_native_fetch_xor64(u64 p, u64 v)
{
	u64 old = __atomic_load_n(KBPF_NATIVE_P(64, p), __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(KBPF_NATIVE_P(64, p), &old,
					    old ^ v, 0, KBPF_NATIVE_SC,
					    KBPF_NATIVE_SC))
		;
	return old;
}

static inline u32 kbpf_native_cmpxchg32(u64 p, u32 old, u32 new)
{
	__atomic_compare_exchange_n(KBPF_NATIVE_P(32, p), &old, new, 0,
				    KBPF_NATIVE_SC, KBPF_NATIVE_SC);
	return old;
}

static inline u64 kbpf_native_cmpxchg64(u64 p, u64 old, u64 new)
{
	__atomic_compare_exchange_n(KBPF_NATIVE_P(64, p), &old, new, 0,
				    KBPF_NATIVE_SC, KBPF_NATIVE_SC);
	return old;
}
#endif /* __KERNEL__ */
#endif /* KBPF_NATIVE_GENERATED */

#endif /* KBPF_NATIVE_H */
