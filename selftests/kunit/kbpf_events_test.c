// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_events: what a subscriber of the object events (kmod/events.h)
 * hears, in which order, and under which lock.
 *
 * The story: map created, programs a and b loaded, a attached to
 * ipv4/forward, a replaced there by b, b unloaded while attached, a
 * unloaded, the map destroyed.  A subscriber must hear exactly, in this
 * order: map created, a loaded, b loaded, a attached, a detached and b
 * attached (the replace), b detached then b unloaded (an unload detaches
 * first), a unloaded, map destroyed.  Each event names its registry entry
 * and the initial namespace (whose the objects and the hook are); attach
 * and detach events carry the hook, the others none.  Every one arrives
 * with the registry lock held (events.h's rule), and nothing arrives once
 * unsubscribed.  The same sequence on the wire, through genl.c's
 * announcer, is abi.sh's check_events().
 */

#include <kunit/test.h>
#include <linux/kbpf.h>

#include "../../kmod/events.h"
#include "../../kmod/netfilter.h"
#include "../../kmod/registry.h"

#define KBPF_TEST_MAX_HEARD	16

struct kbpf_test_heard {
	enum kbpf_event type;
	struct net *net;
	const struct kbpf_reg_obj *obj;
	bool has_hook;
	struct kbpf_hook_id hook;
	bool locked;
};

static struct kbpf_test_heard kbpf_test_heard[KBPF_TEST_MAX_HEARD];
static u32 kbpf_test_n_heard;

static void kbpf_test_hear(const struct kbpf_obj_event *ev)
{
	struct kbpf_test_heard *h;

	if (kbpf_test_n_heard++ >= KBPF_TEST_MAX_HEARD)
		return;
	h = &kbpf_test_heard[kbpf_test_n_heard - 1];
	*h = (struct kbpf_test_heard) {
		.type = ev->type,
		.net = ev->net,
		.obj = ev->obj,
		.has_hook = !!ev->hook,
		.locked = kbpf_registry_is_locked(),
	};
	if (ev->hook)
		h->hook = *ev->hook;
}

static struct kbpf_events_subscriber kbpf_test_subscriber = {
	.notify = kbpf_test_hear,
};

static const struct kbpf_insn kbpf_test_accept[] = {
	KBPF_MOV64_IMM(KBPF_REG_0, KBPF_NF_ACCEPT),
	KBPF_EXIT_INSN(),
};

static const struct kbpf_caller kbpf_test_root = {
	.net = &init_net,
	.admin = true,
	.init_admin = true,
};

static const struct kbpf_hook_id kbpf_test_hook = {
	.family = KBPF_NF_FAMILY_IPV4,
	.hook = KBPF_NF_HOOK_FORWARD,
	.nf_prio = 7,
};

static struct kbpf_reg_prog *kbpf_test_load(struct kunit *test,
					    const char *name)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = kbpf_test_accept,
		.insn_cnt = ARRAY_SIZE(kbpf_test_accept),
	};
	struct kbpf_reg_prog *rp;
	struct kbpf_prog *prog;

	rp = kbpf_registry_prog_new();
	KUNIT_ASSERT_NOT_NULL(test, rp);
	KUNIT_ASSERT_EQ(test, kbpf_prog_load(&opts, &prog), 0);
	KUNIT_ASSERT_EQ(test, kbpf_registry_prog_reserve(&kbpf_test_root, rp,
							 prog, name, NULL), 0);
	kbpf_registry_prog_commit(rp);
	return rp;
}

static void kbpf_test_unload(struct kbpf_reg_prog *rp)
{
	kbpf_registry_lock();
	kbpf_registry_prog_unload_locked(rp);
	kbpf_registry_unlock();
}

/* The i'th event heard is type about obj; with the hook if at_hook. */
static void kbpf_test_expect_heard(struct kunit *test, u32 i,
				   enum kbpf_event type,
				   const struct kbpf_reg_obj *obj, bool at_hook)
{
	const struct kbpf_test_heard *h = &kbpf_test_heard[i];

	KUNIT_EXPECT_EQ_MSG(test, h->type, type, "event %u", i);
	KUNIT_EXPECT_PTR_EQ_MSG(test, h->obj, obj, "event %u", i);
	KUNIT_EXPECT_PTR_EQ_MSG(test, h->net, &init_net, "event %u", i);
	KUNIT_EXPECT_TRUE_MSG(test, h->locked, "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, h->has_hook, at_hook, "event %u", i);
	if (!at_hook || !h->has_hook)
		return;
	KUNIT_EXPECT_EQ_MSG(test, h->hook.family, kbpf_test_hook.family,
			    "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, h->hook.hook, kbpf_test_hook.hook,
			    "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, h->hook.nf_prio, kbpf_test_hook.nf_prio,
			    "event %u", i);
	KUNIT_EXPECT_EQ_MSG(test, h->hook.ifindex, 0, "event %u", i);
}

static void kbpf_events_story(struct kunit *test)
{
	struct kbpf_map_attrs attrs = {
		.type = KBPF_MAP_TYPE_ARRAY,
		.key_size = 4,
		.value_size = 8,
		.max_entries = 1,
	};
	struct kbpf_nf_attach_opts o = {
		.family = kbpf_test_hook.family,
		.hook = kbpf_test_hook.hook,
		.nf_prio = kbpf_test_hook.nf_prio,
		.miss_verdict = KBPF_NF_ACCEPT,
		.mode = KBPF_MODE_INLINE,
	};
	struct kbpf_reg_prog *a, *b;
	struct kbpf_reg_map *rm;
	char buf[128] = "";
	struct kbpf_log log;
	int err;

	/* Act: the story, from the map's creation to its destroy. */
	kbpf_log_init(&log, buf, sizeof(buf), KBPF_LOG_LEVEL_ERRORS);
	rm = kbpf_registry_map_reserve(&kbpf_test_root, &attrs, "kunit_evmap",
				       &log);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(rm), "log: %s", buf);
	kbpf_registry_map_commit(rm);
	a = kbpf_test_load(test, "kunit_eva");
	b = kbpf_test_load(test, "kunit_evb");
	kbpf_registry_lock();
	err = kbpf_nf_attach_locked(&init_net, a, &o, NULL);
	if (!err)
		err = kbpf_nf_replace_locked(&init_net, a, b, NULL);
	kbpf_registry_unlock();
	KUNIT_EXPECT_EQ(test, err, 0);
	kbpf_test_unload(b);
	kbpf_test_unload(a);
	kbpf_registry_lock();
	err = kbpf_registry_map_destroy_locked(rm);
	kbpf_registry_unlock();
	KUNIT_EXPECT_EQ(test, err, 0);

	/* Assert: ten events, in order (a, b and rm are freed: pointers only). */
	KUNIT_ASSERT_EQ(test, kbpf_test_n_heard, 10);
	kbpf_test_expect_heard(test, 0, KBPF_EVENT_MAP_CREATED, &rm->obj, false);
	kbpf_test_expect_heard(test, 1, KBPF_EVENT_PROG_LOADED, &a->obj, false);
	kbpf_test_expect_heard(test, 2, KBPF_EVENT_PROG_LOADED, &b->obj, false);
	kbpf_test_expect_heard(test, 3, KBPF_EVENT_PROG_ATTACHED, &a->obj, true);
	kbpf_test_expect_heard(test, 4, KBPF_EVENT_PROG_DETACHED, &a->obj, true);
	kbpf_test_expect_heard(test, 5, KBPF_EVENT_PROG_ATTACHED, &b->obj, true);
	kbpf_test_expect_heard(test, 6, KBPF_EVENT_PROG_DETACHED, &b->obj, true);
	kbpf_test_expect_heard(test, 7, KBPF_EVENT_PROG_UNLOADED, &b->obj, false);
	kbpf_test_expect_heard(test, 8, KBPF_EVENT_PROG_UNLOADED, &a->obj, false);
	kbpf_test_expect_heard(test, 9, KBPF_EVENT_MAP_DESTROYED, &rm->obj, false);

	/* Unsubscribed: a load and its unload are not heard. */
	kbpf_events_unsubscribe(&kbpf_test_subscriber);
	kbpf_test_unload(kbpf_test_load(test, "kunit_evc"));
	KUNIT_EXPECT_EQ(test, kbpf_test_n_heard, 10);
}

static int kbpf_events_init(struct kunit *test)
{
	kbpf_test_n_heard = 0;
	kbpf_events_subscribe(&kbpf_test_subscriber);
	return 0;
}

/* Unsubscribing twice is harmless: the node was reinitialised. */
static void kbpf_events_exit(struct kunit *test)
{
	kbpf_events_unsubscribe(&kbpf_test_subscriber);
}

static struct kunit_case kbpf_events_cases[] = {
	KUNIT_CASE(kbpf_events_story),
	{}
};

static struct kunit_suite kbpf_events_suite = {
	.name = "kbpf_events",
	.init = kbpf_events_init,
	.exit = kbpf_events_exit,
	.test_cases = kbpf_events_cases,
};

kunit_test_suite(kbpf_events_suite);
