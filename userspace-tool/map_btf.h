/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed keys and values: a map created from an object with BTF keeps the
 * object's BTF and its key and value type ids in the module (see
 * KBPF_IOC_MAP_GET_BTF), and kbpfctl prints its elements as bpftool's
 * "map dump" does: integers, enums by name, structs as objects, arrays as
 * arrays, char arrays as strings.  Without BTF, hex.
 */
#ifndef KBPFCTL_MAP_BTF_H
#define KBPFCTL_MAP_BTF_H

#include <stdio.h>
#include <linux/types.h>

#include "json_writer.h"

struct btf;
struct kbpf_map_info;

struct map_btf {
	struct btf *btf;		/* NULL: print hex */
	__u32 key_id;			/* 0: the key has no type */
	__u32 value_id;
};

/* Keep raw BTF with a map: 0 or -errno (nothing printed). */
int map_btf_store(int dev_fd, __u32 map_id, const void *btf, __u32 size,
		  __u32 key_id, __u32 value_id);
/* Fetch the map's BTF; without any (or on error) mb->btf stays NULL. */
void map_btf_load(int dev_fd, const struct kbpf_map_info *info,
		  struct map_btf *mb);
/* The map's BTF even without key or value types (a ringbuf's records). */
void map_btf_load_any(int dev_fd, const struct kbpf_map_info *info,
		      struct map_btf *mb);
void map_btf_free(struct map_btf *mb);

/* One typed value as JSON; data holds the type's whole size. */
void btf_json_value(struct json_writer *w, const struct btf *btf, __u32 id,
		    const void *data);
/* The same, compact on one line of out (no newline). */
void btf_plain_value(FILE *out, const struct btf *btf, __u32 id,
		     const void *data);

#endif /* KBPFCTL_MAP_BTF_H */
