/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/kbpf and its ioctls. */
#ifndef KBPF_CHARDEV_H
#define KBPF_CHARDEV_H

#include <linux/compiler_types.h>
#include <linux/types.h>

/* Largest verifier log a load may ask for. */
#define KBPF_LOG_MAX_SIZE	(16U << 20)

/*
 * A fixed misc minor, from the range devices.txt reserves for local use
 * (243-254), so that depmod can list /dev/kbpf in modules.devname: the node
 * then exists from boot and its first open loads the module.
 */
#define KBPF_MISC_MINOR		249

struct kbpf_caller;

/*
 * Read a size-prefixed argument struct of ksize bytes into attr: a shorter
 * one is zero-extended, a longer one must be zero past ksize (-E2BIG).  Its
 * size member becomes the caller's size, which bounds every output.
 */
int kbpf_attr_in(void *attr, size_t ksize, const void __user *uattr);
/* A control ioctl (ctl_dev.c), or -ENOTTY for a number that is none. */
long kbpf_ctl_ioctl(const struct kbpf_caller *c, unsigned int cmd,
		    void __user *uattr);

int kbpf_chardev_init(void);
void kbpf_chardev_exit(void);

#endif /* KBPF_CHARDEV_H */
