/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map glue: the module-wide map memory budget (module parameter
 * max_map_memory) and map file descriptors (KBPF_IOC_MAP_GET_FD).
 */
#ifndef KBPF_MAPS_H
#define KBPF_MAPS_H

#include "core/kbpf_core.h"

int kbpf_maps_init(void);

/* The budget every map of the module is charged to. */
struct kbpf_map_budget *kbpf_maps_budget(void);
/* Its cap and use, for KBPF_CMD_GET_VERSION. */
void kbpf_maps_budget_read(u64 *max_bytes, u64 *used_bytes);

struct file;

/*
 * The file KBPF_IOC_MAP_GET_FD installs, holding its own reference to map
 * (which the caller holds one to as well); ERR_PTR(-EINVAL) for a map type
 * without one.
 */
struct file *kbpf_map_file_new(struct kbpf_map *map);

#endif /* KBPF_MAPS_H */
