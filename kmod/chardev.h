/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/kbpf and its ioctls. */
#ifndef KBPF_CHARDEV_H
#define KBPF_CHARDEV_H

/* Largest verifier log a load may ask for. */
#define KBPF_LOG_MAX_SIZE	(16U << 20)

int kbpf_chardev_init(void);
void kbpf_chardev_exit(void);

#endif /* KBPF_CHARDEV_H */
