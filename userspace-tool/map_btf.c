// SPDX-License-Identifier: GPL-2.0
/*
 * A map's BTF through the module: stored when kbpfctl creates a map from an
 * object (KBPF_IOC_MAP_SET_BTF), fetched when it prints elements
 * (KBPF_IOC_MAP_GET_BTF).  The module keeps it for any tool and never reads
 * it; a map without BTF, or with BTF libbpf cannot parse, prints as hex.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "main.h"
#include "map_btf.h"
#include "ctl.h"

int map_btf_store(int dev_fd, __u32 map_id, const void *btf, __u32 size,
		  __u32 key_id, __u32 value_id)
{
	struct kbpf_map_btf_attr attr = { .size = sizeof(attr) };

	attr.map_id = map_id;
	attr.btf = (__u64)(unsigned long)btf;
	attr.btf_size = size;
	attr.btf_key_type_id = key_id;
	attr.btf_value_type_id = value_id;
	return kbpf_dev_ioctl(dev_fd, KBPF_IOC_MAP_SET_BTF, &attr);
}

/* The raw BTF, or NULL when the map has none; *attr gets the ids. */
static void *fetch_btf(int dev_fd, __u32 map_id,
		       struct kbpf_map_btf_attr *attr)
{
	void *buf = NULL;
	int err;

	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->map_id = map_id;
	/* Ask for the size, then for the bytes. */
	err = kbpf_dev_ioctl(dev_fd, KBPF_IOC_MAP_GET_BTF, attr);
	if (err != -ENOSPC || !attr->btf_size ||
	    attr->btf_size > KBPF_MAP_BTF_MAX_SIZE)
		return NULL;
	buf = malloc(attr->btf_size);
	if (!buf)
		return NULL;
	attr->btf = (__u64)(unsigned long)buf;
	if (kbpf_dev_ioctl(dev_fd, KBPF_IOC_MAP_GET_BTF, attr)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void map_btf_load(int dev_fd, const struct kbpf_map_info *info,
		  struct map_btf *mb)
{
	struct kbpf_map_btf_attr attr;
	struct btf *btf;
	void *raw;

	memset(mb, 0, sizeof(*mb));
	raw = fetch_btf(dev_fd, info->id, &attr);
	if (!raw)
		return;
	btf = btf__new(raw, attr.btf_size);
	free(raw);
	if (!btf)
		return;
	/* Ids that do not fit their sizes would print garbage: use hex. */
	if (attr.btf_key_type_id &&
	    btf__resolve_size(btf, attr.btf_key_type_id) != info->key_size)
		attr.btf_key_type_id = 0;
	if (attr.btf_value_type_id &&
	    btf__resolve_size(btf, attr.btf_value_type_id) != info->value_size)
		attr.btf_value_type_id = 0;
	if (!attr.btf_key_type_id && !attr.btf_value_type_id) {
		btf__free(btf);
		return;
	}
	mb->btf = btf;
	mb->key_id = attr.btf_key_type_id;
	mb->value_id = attr.btf_value_type_id;
}

void map_btf_load_any(int dev_fd, const struct kbpf_map_info *info,
		      struct map_btf *mb)
{
	struct kbpf_map_btf_attr attr;
	void *raw;

	memset(mb, 0, sizeof(*mb));
	raw = fetch_btf(dev_fd, info->id, &attr);
	if (!raw)
		return;
	/* NULL when libbpf cannot parse it: records then print as hex. */
	mb->btf = btf__new(raw, attr.btf_size);
	free(raw);
}

void map_btf_free(struct map_btf *mb)
{
	btf__free(mb->btf);
	mb->btf = NULL;
}
