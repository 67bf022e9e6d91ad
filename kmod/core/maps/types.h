/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map type, one line each: KBPF_MAP_TYPE_OPS(enum kbpf_map_type value,
 * its struct kbpf_map_ops, declared in map.h).  map.c includes it to build
 * the table indexed by type.  No include guard: an X-macro list.
 */
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_HASH, kbpf_hash_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_ARRAY, kbpf_array_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_PERCPU_HASH, kbpf_percpu_hash_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_PERCPU_ARRAY, kbpf_percpu_array_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_LRU_HASH, kbpf_lru_hash_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_LRU_PERCPU_HASH, kbpf_lru_percpu_hash_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_RINGBUF, kbpf_ringbuf_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_PROG_ARRAY, kbpf_prog_array_map_ops)
KBPF_MAP_TYPE_OPS(KBPF_MAP_TYPE_LPM_TRIE, kbpf_lpm_trie_map_ops)
