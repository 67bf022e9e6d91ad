/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/kbpf and its ioctls. */
#ifndef KBPF_CHARDEV_H
#define KBPF_CHARDEV_H

/* Largest verifier log a load may ask for. */
#define KBPF_LOG_MAX_SIZE	(16U << 20)

/*
 * A fixed misc minor, from the range devices.txt reserves for local use
 * (243-254), so that depmod can list /dev/kbpf in modules.devname: the node
 * then exists from boot and its first open loads the module.
 */
#define KBPF_MISC_MINOR		249

int kbpf_chardev_init(void);
void kbpf_chardev_exit(void);

#endif /* KBPF_CHARDEV_H */
