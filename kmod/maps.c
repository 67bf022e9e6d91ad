// SPDX-License-Identifier: GPL-2.0
/*
 * Map glue.
 *
 * Budget: every map is charged its worst-case memory against one
 * module-wide budget before it is allocated (see kbpf_map_new()).  The cap
 * is the module parameter max_map_memory, in bytes, which defaults to the
 * profile's max_maps_bytes and may be changed at run time; lowering it
 * below what maps use now frees nothing, it only refuses new maps.
 *
 * File descriptors: KBPF_IOC_MAP_GET_FD gives an anonymous-inode file that
 * holds a map reference, for what ioctls on /dev/kbpf cannot do: mmap and
 * poll of a ring buffer.
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/sysfs.h>

#include "env.h"
#include "maps.h"

static struct kbpf_map_budget kbpf_budget;
/* Parameters are parsed before kbpf_init(): keep a value until then. */
static bool kbpf_budget_ready;
static u64 kbpf_max_map_memory;	/* 0: the profile's default */

static int kbpf_max_map_memory_set(const char *val,
				   const struct kernel_param *kp)
{
	u64 bytes;
	int err;

	err = kstrtou64(val, 0, &bytes);
	if (err)
		return err;
	if (!kbpf_budget_ready) {
		kbpf_max_map_memory = bytes;
		return 0;
	}
	kbpf_lock_acquire(&kbpf_budget.lock);
	kbpf_budget.max_bytes = bytes;
	kbpf_lock_release(&kbpf_budget.lock);
	return 0;
}

static int kbpf_max_map_memory_get(char *buf, const struct kernel_param *kp)
{
	u64 max = kbpf_max_map_memory, used;

	if (kbpf_budget_ready)
		kbpf_maps_budget_read(&max, &used);
	return sysfs_emit(buf, "%llu\n", max);
}

static const struct kernel_param_ops kbpf_max_map_memory_ops = {
	.set = kbpf_max_map_memory_set,
	.get = kbpf_max_map_memory_get,
};

module_param_cb(max_map_memory, &kbpf_max_map_memory_ops, NULL, 0644);
MODULE_PARM_DESC(max_map_memory,
		 "bytes all maps together may use (default: the profile's)");

int kbpf_maps_init(void)
{
	const struct kbpf_limits *limits = kbpf_default_limits();

	kbpf_map_budget_init(&kbpf_budget, kbpf_max_map_memory ?:
			     limits->max_maps_bytes);
	kbpf_budget_ready = true;
	pr_info("maps: up to %llu bytes each, %llu bytes together\n",
		limits->max_map_bytes, kbpf_budget.max_bytes);
	return 0;
}

struct kbpf_map_budget *kbpf_maps_budget(void)
{
	return &kbpf_budget;
}

void kbpf_maps_budget_read(u64 *max_bytes, u64 *used_bytes)
{
	kbpf_lock_acquire(&kbpf_budget.lock);
	*max_bytes = kbpf_budget.max_bytes;
	*used_bytes = kbpf_budget.used_bytes;
	kbpf_lock_release(&kbpf_budget.lock);
}

/* ---- map file descriptors ------------------------------------------------ */

static int kbpf_map_fd_release(struct inode *inode, struct file *file)
{
	kbpf_map_put(file->private_data);
	return 0;
}

/*
 * A writable mapping (VM_MAYWRITE) counts as a writer of the map while it
 * exists, in each of its copies (fork, split): the map cannot be frozen
 * meanwhile.  The vma's file holds the map.
 */
static void kbpf_map_vma_open(struct vm_area_struct *vma)
{
	kbpf_map_writable_mmap_dup(vma->vm_file->private_data);
}

static void kbpf_map_vma_close(struct vm_area_struct *vma)
{
	kbpf_map_writable_mmap_put(vma->vm_file->private_data);
}

static const struct vm_operations_struct kbpf_map_writable_vm_ops = {
	.open = kbpf_map_vma_open,
	.close = kbpf_map_vma_close,
};

/*
 * Offset 0: the consumer page, the only one that may be writable (not
 * once the map is frozen).  From one page on: the producer page and the
 * data mapped twice, read-only (VM_MAYWRITE cleared, so mprotect() cannot
 * make it writable).
 */
static int kbpf_map_fd_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kbpf_map *map = file->private_data;
	unsigned long pages = vma_pages(vma);
	struct kbpf_ring_mem *mem;
	u64 ring_pages;
	u32 first;
	int err;

	mem = kbpf_ringbuf_mem(map, &first);
	if (!mem)
		return -ENODEV;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* consumer + producer + data twice */
	ring_pages = 2 + 2ULL * (map->attrs.max_entries >> PAGE_SHIFT);
	if (vma->vm_pgoff >= ring_pages || pages > ring_pages - vma->vm_pgoff)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE) {
		if (vma->vm_pgoff != 0 || pages != 1)
			return -EPERM;
	} else {
		kbpf_vm_flags_clear(vma, VM_MAYWRITE);
	}
	if (!(vma->vm_flags & VM_MAYWRITE))
		return kbpf_ring_mem_mmap(mem, vma, first);
	err = kbpf_map_writable_mmap_get(map);
	if (err)
		return err;
	err = kbpf_ring_mem_mmap(mem, vma, first);
	if (err) {
		/* A failed mmap() calls no close: give it back here. */
		kbpf_map_writable_mmap_put(map);
		return err;
	}
	vma->vm_ops = &kbpf_map_writable_vm_ops;
	return 0;
}

static __poll_t kbpf_map_fd_poll(struct file *file, poll_table *pt)
{
	struct kbpf_map *map = file->private_data;
	struct kbpf_waitq *w = kbpf_ringbuf_waitq(map);

	if (!w)
		return EPOLLERR;
	poll_wait(file, &w->wq, pt);
	return kbpf_ringbuf_has_data(map) ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations kbpf_map_fd_fops = {
	.owner = THIS_MODULE,
	.release = kbpf_map_fd_release,
	.mmap = kbpf_map_fd_mmap,
	.poll = kbpf_map_fd_poll,
	.llseek = noop_llseek,
};

struct file *kbpf_map_file_new(struct kbpf_map *map)
{
	struct file *file;
	u32 first;

	if (!kbpf_ringbuf_mem(map, &first))
		return ERR_PTR(-EINVAL);
	kbpf_map_get(map);
	file = anon_inode_getfile("kbpf-map", &kbpf_map_fd_fops, map,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file))
		kbpf_map_put(map);
	return file;
}
