// SPDX-License-Identifier: GPL-2.0
/*
 * Object events (events.h): a list of subscribers, changed and walked under
 * the registry lock.
 */
#include "events.h"

/* Under the registry lock. */
static LIST_HEAD(kbpf_events_subscribers);

void kbpf_events_subscribe(struct kbpf_events_subscriber *s)
{
	kbpf_registry_lock();
	list_add_tail(&s->node, &kbpf_events_subscribers);
	kbpf_registry_unlock();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_events_subscribe);

void kbpf_events_unsubscribe(struct kbpf_events_subscriber *s)
{
	kbpf_registry_lock();
	list_del_init(&s->node);
	kbpf_registry_unlock();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_events_unsubscribe);

void kbpf_events_notify(const struct kbpf_obj_event *ev)
{
	struct kbpf_events_subscriber *s;

	kbpf_registry_assert_locked();
	list_for_each_entry(s, &kbpf_events_subscribers, node)
		s->notify(ev);
}
