/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers: the kernel's numbers (BPF_FUNC_*), the entries program types put
 * in their tables, and the pieces of the run the helpers reach.
 *
 * A program type's table (kmod/core/progtypes/<type>.c) lists the helpers
 * that type offers with the KBPF_HELPER_*() entries below, so one helper is
 * described once and offered by several types.
 */
#ifndef KBPF_CORE_HELPERS_H
#define KBPF_CORE_HELPERS_H

#include "kbpf_core.h"
#include "fmt.h"

/* The kernel's helper numbers (enum bpf_func_id) that kbpf implements. */
enum kbpf_func_id {
	KBPF_FUNC_map_lookup_elem = 1,
	KBPF_FUNC_map_update_elem = 2,
	KBPF_FUNC_map_delete_elem = 3,
	KBPF_FUNC_ktime_get_ns = 5,
	KBPF_FUNC_trace_printk = 6,
	KBPF_FUNC_get_prandom_u32 = 7,
	KBPF_FUNC_get_smp_processor_id = 8,
	KBPF_FUNC_skb_store_bytes = 9,
	KBPF_FUNC_l3_csum_replace = 10,
	KBPF_FUNC_l4_csum_replace = 11,
	KBPF_FUNC_tail_call = 12,
	KBPF_FUNC_skb_load_bytes = 26,
	KBPF_FUNC_csum_diff = 28,
	KBPF_FUNC_jiffies64 = 118,
	KBPF_FUNC_ktime_get_boot_ns = 125,
	KBPF_FUNC_ringbuf_output = 130,
	KBPF_FUNC_ringbuf_reserve = 131,
	KBPF_FUNC_ringbuf_submit = 132,
	KBPF_FUNC_ringbuf_discard = 133,
	KBPF_FUNC_ringbuf_query = 134,
	KBPF_FUNC_snprintf = 165,
	KBPF_FUNC_loop = 181,
	__KBPF_FUNC_MAX_ID,
};

/* Linux's MAX_TAIL_CALL_CNT: a run follows at most 33 tail calls. */
#define KBPF_MAX_TAIL_CALLS	33
/* Linux's BPF_MAX_LOOPS; kbpf counts it per run, nested loops included. */
#define KBPF_MAX_LOOPS		(1U << 23)
/* Bytes trace_printk formats at most (a longer line is cut). */
#define KBPF_TRACE_PRINTK_MAX	KBPF_TRACE_TEXT_MAX

/* ---- generic helpers (helpers.c) --------------------------------------- */

u64 kbpf_helper_map_lookup_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_map_update_elem(u64 map, u64 key, u64 value, u64 flags,
				u64 r5);
u64 kbpf_helper_map_delete_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_ktime_get_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_ktime_get_boot_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_jiffies64(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 kbpf_helper_trace_printk(u64 fmt, u64 fmt_size, u64 a1, u64 a2, u64 a3);
u64 kbpf_helper_snprintf(u64 str, u64 str_size, u64 fmt, u64 data,
			 u64 data_len);
u64 kbpf_helper_csum_diff(u64 from, u64 from_size, u64 to, u64 to_size,
			  u64 seed);
u64 kbpf_helper_loop(u64 nr_loops, u64 callback, u64 ctx, u64 flags, u64 r5);
/* The interpreter runs tail calls itself (TAIL_CALL op): native code only. */
u64 kbpf_helper_tail_call(u64 ctx, u64 map, u64 index, u64 r4, u64 r5);

#define KBPF_HELPER_MAP_LOOKUP_ELEM					\
	[KBPF_FUNC_map_lookup_elem] = {					\
		.name = "map_lookup_elem",				\
		.fn = kbpf_helper_map_lookup_elem,			\
		.ret = KBPF_RET_MAP_VALUE_OR_NULL,			\
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MAP_KEY }, \
	}
#define KBPF_HELPER_MAP_UPDATE_ELEM					\
	[KBPF_FUNC_map_update_elem] = {					\
		.name = "map_update_elem",				\
		.fn = kbpf_helper_map_update_elem,			\
		.ret = KBPF_RET_INTEGER,				\
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MAP_KEY, \
			  KBPF_ARG_PTR_TO_MAP_VALUE, KBPF_ARG_ANYTHING }, \
	}
#define KBPF_HELPER_MAP_DELETE_ELEM					\
	[KBPF_FUNC_map_delete_elem] = {					\
		.name = "map_delete_elem",				\
		.fn = kbpf_helper_map_delete_elem,			\
		.ret = KBPF_RET_INTEGER,				\
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MAP_KEY }, \
	}
#define KBPF_HELPER_NOARGS(id, fname)					\
	[KBPF_FUNC_##id] = {						\
		.name = #id,						\
		.fn = fname,						\
		.ret = KBPF_RET_INTEGER,				\
	}
#define KBPF_HELPER_KTIME_GET_NS					\
	KBPF_HELPER_NOARGS(ktime_get_ns, kbpf_helper_ktime_get_ns)
#define KBPF_HELPER_KTIME_GET_BOOT_NS					\
	KBPF_HELPER_NOARGS(ktime_get_boot_ns, kbpf_helper_ktime_get_boot_ns)
#define KBPF_HELPER_JIFFIES64						\
	KBPF_HELPER_NOARGS(jiffies64, kbpf_helper_jiffies64)
#define KBPF_HELPER_GET_PRANDOM_U32					\
	KBPF_HELPER_NOARGS(get_prandom_u32, kbpf_helper_get_prandom_u32)
#define KBPF_HELPER_GET_SMP_PROCESSOR_ID				\
	KBPF_HELPER_NOARGS(get_smp_processor_id,			\
			   kbpf_helper_get_smp_processor_id)
#define KBPF_HELPER_TRACE_PRINTK					\
	[KBPF_FUNC_trace_printk] = {					\
		.name = "trace_printk",					\
		.fn = kbpf_helper_trace_printk,				\
		.ret = KBPF_RET_INTEGER,				\
		.args = { KBPF_ARG_PTR_TO_MEM, KBPF_ARG_CONST_SIZE,	\
			  KBPF_ARG_FMT_VALUE, KBPF_ARG_FMT_VALUE,	\
			  KBPF_ARG_FMT_VALUE },				\
	}
#define KBPF_HELPER_SNPRINTF						\
	[KBPF_FUNC_snprintf] = {					\
		.name = "snprintf",					\
		.fn = kbpf_helper_snprintf,				\
		.ret = KBPF_RET_INTEGER,				\
		.args = { KBPF_ARG_PTR_TO_UNINIT_MEM,			\
			  KBPF_ARG_CONST_SIZE_OR_ZERO,			\
			  KBPF_ARG_PTR_TO_CONST_STR,			\
			  KBPF_ARG_PTR_TO_FMT_DATA,			\
			  KBPF_ARG_CONST_SIZE_OR_ZERO },		\
	}
#define KBPF_HELPER_CSUM_DIFF						\
	[KBPF_FUNC_csum_diff] = {					\
		.name = "csum_diff",					\
		.fn = kbpf_helper_csum_diff,				\
		.ret = KBPF_RET_INTEGER,				\
		.args = { KBPF_ARG_PTR_TO_MEM_OR_NULL,			\
			  KBPF_ARG_CONST_SIZE_OR_ZERO,			\
			  KBPF_ARG_PTR_TO_MEM_OR_NULL,			\
			  KBPF_ARG_CONST_SIZE_OR_ZERO, KBPF_ARG_ANYTHING }, \
	}
#define KBPF_HELPER_LOOP						\
	[KBPF_FUNC_loop] = {						\
		.name = "loop",						\
		.fn = kbpf_helper_loop,					\
		.ret = KBPF_RET_INTEGER,				\
		.args = { KBPF_ARG_ANYTHING, KBPF_ARG_PTR_TO_FUNC,	\
			  KBPF_ARG_CALLBACK_CTX, KBPF_ARG_CONST_ZERO },	\
	}
#define KBPF_HELPER_TAIL_CALL						\
	[KBPF_FUNC_tail_call] = {					\
		.name = "tail_call",					\
		.fn = kbpf_helper_tail_call,				\
		.ret = KBPF_RET_INTEGER,				\
		.map_type = KBPF_MAP_TYPE_PROG_ARRAY,			\
		.args = { KBPF_ARG_PTR_TO_CTX, KBPF_ARG_CONST_MAP_PTR,	\
			  KBPF_ARG_ANYTHING },				\
	}

/* Ring buffers (maps/ringbuf.c): the functions are in kbpf_core.h. */
#define KBPF_HELPER_RINGBUF_OUTPUT					\
	[KBPF_FUNC_ringbuf_output] = {					\
		.name = "ringbuf_output",				\
		.fn = kbpf_ringbuf_output,				\
		.ret = KBPF_RET_INTEGER,				\
		.map_type = KBPF_MAP_TYPE_RINGBUF,			\
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MEM,	\
			  KBPF_ARG_CONST_SIZE_OR_ZERO, KBPF_ARG_ANYTHING }, \
	}
#define KBPF_HELPER_RINGBUF_RESERVE					\
	[KBPF_FUNC_ringbuf_reserve] = {					\
		.name = "ringbuf_reserve",				\
		.fn = kbpf_ringbuf_reserve,				\
		.ret = KBPF_RET_ALLOC_MEM_OR_NULL,			\
		.map_type = KBPF_MAP_TYPE_RINGBUF,			\
		.args = { KBPF_ARG_CONST_MAP_PTR,			\
			  KBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO,		\
			  KBPF_ARG_ANYTHING },				\
	}
#define KBPF_HELPER_RINGBUF_COMMIT(id, fname)				\
	[KBPF_FUNC_##id] = {						\
		.name = #id,						\
		.fn = fname,						\
		.ret = KBPF_RET_VOID,					\
		.args = { KBPF_ARG_PTR_TO_ALLOC_MEM, KBPF_ARG_ANYTHING }, \
	}
#define KBPF_HELPER_RINGBUF_SUBMIT					\
	KBPF_HELPER_RINGBUF_COMMIT(ringbuf_submit, kbpf_ringbuf_submit)
#define KBPF_HELPER_RINGBUF_DISCARD					\
	KBPF_HELPER_RINGBUF_COMMIT(ringbuf_discard, kbpf_ringbuf_discard)
#define KBPF_HELPER_RINGBUF_QUERY					\
	[KBPF_FUNC_ringbuf_query] = {					\
		.name = "ringbuf_query",				\
		.fn = kbpf_ringbuf_query,				\
		.ret = KBPF_RET_INTEGER,				\
		.map_type = KBPF_MAP_TYPE_RINGBUF,			\
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_ANYTHING },	\
	}

/* The program types (progtypes/<type>.c), for progtype.c's table. */
extern const struct kbpf_prog_type_ops kbpf_raw_prog_type;
extern const struct kbpf_prog_type_ops kbpf_netfilter_prog_type;

/* ---- the run, as helpers see it (interp.c) ------------------------------- */

const struct kbpf_fmt_site *kbpf_run_fmt_site(const struct kbpf_run_ctx *run);
u64 kbpf_run_callback(struct kbpf_run_ctx *run, u32 depth, u64 target,
		      const u64 *args);

/* ---- prog_array (map_prog_array.c) --------------------------------------- */

/* The program at index, for a tail call: NULL if none. */
const struct kbpf_prog *kbpf_prog_array_get(struct kbpf_map *map, u64 index);
/* A program of type will tail call through map: -EINVAL if it holds others. */
int kbpf_prog_array_bind_type(struct kbpf_map *map, u32 type);

/* Linux's name of helper id ("map_lookup_elem"), "unknown" if none. */
const char *kbpf_helper_linux_name(u32 id);

/* Ones' complement sum helpers shared by csum_diff and the packet helpers. */
u32 kbpf_csum_add(u32 csum, u32 addend);
u32 kbpf_csum_partial(const void *buf, u32 len, u32 sum);
u16 kbpf_csum_fold(u32 csum);

#endif /* KBPF_CORE_HELPERS_H */
