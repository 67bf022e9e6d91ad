/* SPDX-License-Identifier: GPL-2.0 */
/* The generic netlink family "kbpf" and its "events" group. */
#ifndef KBPF_GENL_H
#define KBPF_GENL_H

int kbpf_genl_init(void);
/*
 * The family's "events" group announces object events (events.h): genl.c
 * subscribes once the family is registered and unsubscribes before it goes.
 */
void kbpf_genl_exit(void);

#endif /* KBPF_GENL_H */
