/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object events: the one way news of a change leaves the code that made it.
 *
 * The registry (load, unload, map create and destroy) and netfilter (attach,
 * detach, replace) call kbpf_events_notify() right after each change; they
 * do not know who listens.  Subscribers register at module init and are
 * called with each event: today genl.c, which announces it on the "events"
 * multicast group.  The flow is one-way: a subscriber only reports.  It may
 * read the event and the object it points at, but it calls nothing in the
 * registry or netfilter and changes no object, so no event causes another
 * one or comes back into the code that sent it.
 *
 * What is not an event: work a change cannot finish without.  Unloading a
 * program detaches it from every hook first (registry.c calls
 * kbpf_nf_detach_prog_locked() directly): the attachments hold references
 * and run the program from the packet path, so they must be gone, a grace
 * period later, before its tail-call slots are emptied and its id freed.
 * That is a step of the unload at a fixed point, with detach events of its
 * own in between, not news about it; as a subscriber it would depend on the
 * order subscribers registered in and re-enter the notifier from inside a
 * notification.
 *
 * Locking: every event is sent under the registry lock (kbpf_registry_lock()),
 * right after the change it reports and before the lock is released, so
 * subscribers see changes in the order they were made and the object stays
 * valid while they read it (an unloaded program or destroyed map is freed
 * only after its event).  The subscriber list changes under the same lock,
 * so a subscriber is called only between its kbpf_events_subscribe() and
 * kbpf_events_unsubscribe().  Subscribers may sleep and allocate (the lock
 * is a mutex) and must not take the registry lock.  Nothing here allocates:
 * an event lives on its sender's stack, a subscriber in its owner's data.
 * No event comes from the packet path.
 */
#ifndef KBPF_EVENTS_H
#define KBPF_EVENTS_H

#include <linux/list.h>
#include <net/net_namespace.h>

#include "registry.h"

struct kbpf_obj_event {
	enum kbpf_event type;		/* KBPF_EVENT_* (uapi): what happened */
	/*
	 * Whose it is: the namespace owning the object; for attach and
	 * detach, the hook's.
	 */
	struct net *net;
	/* The program or map: id and name. */
	const struct kbpf_reg_obj *obj;
	/* Attach and detach: where; else NULL. */
	const struct kbpf_hook_id *hook;
};

struct kbpf_events_subscriber {
	struct list_head node;
	void (*notify)(const struct kbpf_obj_event *ev);
};

/* Take the registry lock: call them without it. */
void kbpf_events_subscribe(struct kbpf_events_subscriber *s);
void kbpf_events_unsubscribe(struct kbpf_events_subscriber *s);

/* Under the registry lock: ev to every subscriber, in subscription order. */
void kbpf_events_notify(const struct kbpf_obj_event *ev);

#endif /* KBPF_EVENTS_H */
