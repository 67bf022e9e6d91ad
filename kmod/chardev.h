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
struct kbpf_ctl_hdr;
struct netlink_ext_ack;

/*
 * Read a size-prefixed argument struct of ksize bytes into attr: a shorter
 * one is zero-extended, a longer one must be zero past ksize (-E2BIG).  Its
 * size member becomes the caller's size, which bounds every output.
 */
int kbpf_attr_in(void *attr, size_t ksize, const void __user *uattr);
/*
 * An ioctl struct that begins with struct kbpf_ctl_hdr (ctl_dev.c): read it
 * and check its header (flags against known, reserved members, log buffer
 * and size together), the reason in extack when the header can carry one.
 */
int kbpf_ctl_hdr_in(void *attr, size_t ksize, const void __user *uattr,
		    u32 known, struct netlink_ext_ack *extack);
/* -EINVAL with a reason unless a reserved member is 0. */
int kbpf_ctl_reserved(u32 reserved, struct netlink_ext_ack *extack);
/* extack's reason, NUL-terminated, cut to the header's log buffer. */
int kbpf_ctl_reason_out(const struct kbpf_ctl_hdr *h,
			const struct netlink_ext_ack *extack);
/* A control ioctl (ctl_dev.c), or -ENOTTY for a number that is none. */
long kbpf_ctl_ioctl(const struct kbpf_caller *c, unsigned int cmd,
		    void __user *uattr);

int kbpf_chardev_init(void);
void kbpf_chardev_exit(void);

#endif /* KBPF_CHARDEV_H */
