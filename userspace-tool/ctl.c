// SPDX-License-Identifier: GPL-2.0
/*
 * The control operations (ctl.h): which transport carries them, and what
 * the transports share: one error line per failure, worded the same
 * whichever carried the request, and the helpers built on the requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "main.h"
#include "ctl.h"

/* What --via or KBPFCTL_VIA asked for; NULL: choose by the profile. */
static const struct kbpf_ctl_ops *forced;
/* The choice by the profile, made once per run. */
static const struct kbpf_ctl_ops *chosen;

static const struct kbpf_ctl_ops * const transports[] = {
	&kbpf_ctl_netlink,
	&kbpf_ctl_dev,
};

int kbpf_ctl_set_via(const char *word)
{
	size_t i;

	if (!strcmp(word, "auto")) {
		forced = NULL;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(transports); i++) {
		if (!strcmp(word, transports[i]->name)) {
			forced = transports[i];
			return 0;
		}
	}
	p_err("transport '%s': use dev, netlink or auto", word);
	return -1;
}

/*
 * Keep ctl on the device if the module runs the embedded profile: nothing
 * may be allocated after load there, and netlink's skbs are.  Anything
 * else (no device, no permission to open it, a module without the
 * control ioctls, the cloud profile) leaves the choice to netlink, which
 * also loads an installed module on first use.
 */
static bool keep_embedded_device(struct kbpf_ctl *ctl)
{
	struct kbpf_feature_info f = { .policy = 0 };

	ctl->fd = kbpf_dev_try_open();
	if (ctl->fd < 0)
		return false;
	ctl->ops = &kbpf_ctl_dev;
	if (!ctl->ops->feature_get(ctl, &f) && !strcmp(f.profile, "embedded"))
		return true;
	ctl->ops->close(ctl);
	return false;
}

static int ctl_open(struct kbpf_ctl *ctl, bool quiet)
{
	int err;

	memset(ctl, 0, sizeof(*ctl));
	ctl->fd = -1;
	if (!forced && !chosen) {
		chosen = keep_embedded_device(ctl) ? &kbpf_ctl_dev :
						     &kbpf_ctl_netlink;
		if (verbose)
			p_info("control operations through %s (chosen by the module's profile)",
			       chosen->name);
	}
	ctl->ops = forced ? forced : chosen;
	/* The device the choice opened is already this ctl's. */
	if (ctl->fd >= 0)
		return 0;
	err = ctl->ops->open(ctl, quiet);
	if (err)
		ctl->ops = NULL;
	return err;
}

int kbpf_ctl_open(struct kbpf_ctl *ctl)
{
	return ctl_open(ctl, false);
}

int kbpf_ctl_open_quiet(struct kbpf_ctl *ctl)
{
	return ctl_open(ctl, true);
}

void kbpf_ctl_close(struct kbpf_ctl *ctl)
{
	if (ctl->ops)
		ctl->ops->close(ctl);
	ctl->ops = NULL;
}

const char *kbpf_ctl_via(const struct kbpf_ctl *ctl)
{
	return ctl->ops ? ctl->ops->name : "none";
}

const char *kbpf_ref_str(char *buf, size_t size, const char *what, __u32 id,
			 const char *name)
{
	if (name)
		snprintf(buf, size, "%s '%s'", what, name);
	else
		snprintf(buf, size, "%s %u", what, id);
	return buf;
}

/* ---- one error line per failed request: "<what>: <why>" --------------- */

static int ctl_fail(struct kbpf_ctl *ctl, int err, const char *what)
{
	if ((err == -EPERM || err == -EACCES) && !ctl->msg[0])
		p_err(ERR_NO_PERM);
	else if (err == -EPERM || err == -EACCES)
		p_err("permission denied: %s (%s)", ctl->msg, what);
	else if (ctl->msg[0])
		p_err("%s: %s", what, ctl->msg);
	else
		p_err("%s: %s", what, strerror(-err));
	return err;
}

/*
 * What carries an operation: ctl when its transport has it; else, when the
 * transport was chosen automatically, netlink (which has every operation)
 * opened into spare; else nothing, and ctl->msg says why.
 */
static struct kbpf_ctl *carrier(struct kbpf_ctl *ctl, bool carried,
				struct kbpf_ctl *spare)
{
	ctl->msg[0] = '\0';
	if (carried)
		return ctl;
	if (!forced && ctl->ops != &kbpf_ctl_netlink) {
		memset(spare, 0, sizeof(*spare));
		spare->fd = -1;
		spare->ops = &kbpf_ctl_netlink;
		if (!spare->ops->open(spare, false))
			return spare;
		spare->ops = NULL;
	}
	snprintf(ctl->msg, sizeof(ctl->msg),
		 "the %s transport does not carry this request (try --via netlink)",
		 ctl->ops->name);
	return NULL;
}

/* After the operation: its reason into ctl, the spare connection closed. */
static int carried(struct kbpf_ctl *ctl, struct kbpf_ctl *c, int err)
{
	if (c && c != ctl) {
		memcpy(ctl->msg, c->msg, sizeof(ctl->msg));
		kbpf_ctl_close(c);
	}
	return err;
}

/* Run one operation with a clean message buffer, on whatever carries it. */
#define CTL_CALL(ctl, op, ...)						\
	({								\
		struct kbpf_ctl __spare, *__c;				\
									\
		__c = carrier(ctl, (ctl)->ops->op, &__spare);		\
		carried(ctl, __c, __c ? __c->ops->op(__c, ##__VA_ARGS__) :	\
					-EOPNOTSUPP);			\
	})

/* 0, or the failure of the request what describes, reported. */
static int ctl_done(struct kbpf_ctl *ctl, int err, const char *what)
{
	return err ? ctl_fail(ctl, err, what) : 0;
}

/* The same for a request on one object: "cannot unload prog 'x': ...". */
static int ref_done(struct kbpf_ctl *ctl, int err, const char *what,
		    const struct obj_ref *ref)
{
	char buf[96];

	if (!err)
		return 0;
	return ctl_fail(ctl, err, kbpf_ref_str(buf, sizeof(buf), what, ref->id,
					       ref->name));
}

/* ---- the operations --------------------------------------------------- */

int kbpf_ctl_get_version(struct kbpf_ctl *ctl, struct kbpf_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	snprintf(ver->profile, sizeof(ver->profile), "unknown");
	snprintf(ver->module_version, sizeof(ver->module_version), "unknown");
	return ctl_done(ctl, CTL_CALL(ctl, get_version, ver),
			"cannot get the module version");
}

int kbpf_ctl_prog_dump(struct kbpf_ctl *ctl, kbpf_prog_fn fn, void *arg)
{
	return ctl_done(ctl, CTL_CALL(ctl, prog_dump, NULL, fn, arg),
			"cannot list programs");
}

int kbpf_ctl_prog_show(struct kbpf_ctl *ctl, __u32 id, const char *name,
		       kbpf_prog_fn fn, void *arg)
{
	struct obj_ref ref = { .id = id, .name = name };

	return ref_done(ctl, CTL_CALL(ctl, prog_dump, &ref, fn, arg),
			"cannot show prog", &ref);
}

/* Keep the one program shown, attachments included. */
static int keep_prog(const struct kbpf_prog_info *info, void *arg)
{
	struct kbpf_prog_info *copy = arg;
	size_t size = info->attach_cnt * sizeof(*info->attach);

	*copy = *info;
	copy->attach = NULL;
	if (!size)
		return 0;
	copy->attach = malloc(size);
	if (!copy->attach) {
		copy->attach_cnt = 0;
		return -ENOMEM;
	}
	memcpy(copy->attach, info->attach, size);
	return 0;
}

int kbpf_ctl_prog_get_all(struct kbpf_ctl *ctl, __u32 id, const char *name,
			  struct kbpf_prog_info *info)
{
	memset(info, 0, sizeof(*info));
	return kbpf_ctl_prog_show(ctl, id, name, keep_prog, info);
}

void kbpf_prog_info_release(struct kbpf_prog_info *info)
{
	free(info->attach);
	info->attach = NULL;
	info->attach_cnt = 0;
}

int kbpf_ctl_prog_get(struct kbpf_ctl *ctl, __u32 id, const char *name,
		      struct kbpf_prog_info *info)
{
	struct obj_ref ref = { .id = id, .name = name };

	memset(info, 0, sizeof(*info));
	return ref_done(ctl, CTL_CALL(ctl, prog_get, &ref, info),
			"cannot get prog", &ref);
}

int kbpf_ctl_map_get(struct kbpf_ctl *ctl, __u32 id, const char *name,
		     struct kbpf_map_info *info)
{
	struct obj_ref ref = { .id = id, .name = name };

	memset(info, 0, sizeof(*info));
	return ref_done(ctl, CTL_CALL(ctl, map_get, &ref, info),
			"cannot get map", &ref);
}

int kbpf_ctl_map_dump(struct kbpf_ctl *ctl, kbpf_map_fn fn, void *arg)
{
	return ctl_done(ctl, CTL_CALL(ctl, map_dump, fn, arg),
			"cannot list maps");
}

int kbpf_ctl_prog_attach(struct kbpf_ctl *ctl, __u32 id, const char *name,
			 const struct kbpf_attach_req *req)
{
	struct obj_ref ref = { .id = id, .name = name };

	char what[96];
	size_t len;

	kbpf_ref_str(what, sizeof(what), "cannot attach prog", id, name);
	len = strlen(what);
	snprintf(what + len, sizeof(what) - len, " to %s/%s",
		 kbpf_family_name(req->family), kbpf_hook_name(req->hook));
	len = strlen(what);
	if (req->ifindex)
		snprintf(what + len, sizeof(what) - len, " dev %u",
			 req->ifindex);
	return ctl_done(ctl, CTL_CALL(ctl, prog_attach, &ref, req), what);
}

/* A program named on the command line: digits are an id. */
static void prog_word_ref(const char *word, struct obj_ref *ref)
{
	ref->name = is_all_digits(word) ? NULL : word;
	ref->id = ref->name ? 0 : (__u32)strtoul(word, NULL, 10);
}

int kbpf_ctl_prog_replace(struct kbpf_ctl *ctl, const char *old,
			  const char *new)
{
	struct obj_ref old_ref, new_ref;
	char what[96];

	prog_word_ref(old, &old_ref);
	prog_word_ref(new, &new_ref);
	snprintf(what, sizeof(what), "cannot replace prog %s with %s", old,
		 new);
	return ctl_done(ctl, CTL_CALL(ctl, prog_replace, &old_ref, &new_ref),
			what);
}

int kbpf_ctl_prog_detach(struct kbpf_ctl *ctl, __u32 id, const char *name,
			 const struct kbpf_detach_req *req)
{
	struct obj_ref ref = { .id = id, .name = name };

	return ref_done(ctl, CTL_CALL(ctl, prog_detach, &ref, req),
			"cannot detach prog", &ref);
}

int kbpf_ctl_prog_unload(struct kbpf_ctl *ctl, __u32 id, const char *name)
{
	struct obj_ref ref = { .id = id, .name = name };

	return ref_done(ctl, CTL_CALL(ctl, prog_unload, &ref),
			"cannot unload prog", &ref);
}

int kbpf_ctl_map_destroy(struct kbpf_ctl *ctl, __u32 id, const char *name)
{
	struct obj_ref ref = { .id = id, .name = name };

	return ref_done(ctl, CTL_CALL(ctl, map_destroy, &ref),
			"cannot destroy map", &ref);
}

/*
 * Whether a refused change of the map was the freeze's: the map is frozen
 * (asked quietly; ctl->msg keeps the change's reason).  Seeing a map takes
 * the rights changing it does, so a frozen map's EPERM is no privilege's.
 */
static bool refused_by_freeze(struct kbpf_ctl *ctl, const struct obj_ref *ref)
{
	struct kbpf_map_info info;
	char why[sizeof(ctl->msg)];
	bool frozen;

	memcpy(why, ctl->msg, sizeof(why));
	frozen = !CTL_CALL(ctl, map_get, ref, &info) && info.frozen;
	memcpy(ctl->msg, why, sizeof(why));
	return frozen;
}

int kbpf_ctl_map_resize(struct kbpf_ctl *ctl, __u32 id, const char *name,
			__u32 max_entries)
{
	struct obj_ref ref = { .id = id, .name = name };
	int err = CTL_CALL(ctl, map_resize, &ref, max_entries);
	char what[96];

	/* The module's reason alone: no "permission denied" in front. */
	if (err == -EPERM && refused_by_freeze(ctl, &ref)) {
		p_err("%s: %s", kbpf_ref_str(what, sizeof(what),
					     "cannot resize map", id, name),
		      ctl->msg[0] ? ctl->msg : "the map is frozen");
		return err;
	}
	return ref_done(ctl, err, "cannot resize map", &ref);
}

int kbpf_ctl_hook_dump(struct kbpf_ctl *ctl, kbpf_hook_fn fn, void *arg)
{
	return ctl_done(ctl, CTL_CALL(ctl, hook_dump, fn, arg),
			"cannot list hook points");
}

int kbpf_ctl_hook_set(struct kbpf_ctl *ctl, const struct kbpf_hook_req *req)
{
	char what[96];

	snprintf(what, sizeof(what), "cannot set hook %s/%s",
		 kbpf_family_name(req->family), kbpf_hook_name(req->hook));
	return ctl_done(ctl, CTL_CALL(ctl, hook_set, req), what);
}

int kbpf_ctl_feature_get(struct kbpf_ctl *ctl, struct kbpf_feature_info *f)
{
	memset(f, 0, sizeof(*f));
	return ctl_done(ctl, CTL_CALL(ctl, feature_get, f),
			"cannot get the module's features");
}

int kbpf_ctl_stats_set(struct kbpf_ctl *ctl, bool on)
{
	return ctl_done(ctl, CTL_CALL(ctl, stats_set, on),
			"cannot switch statistics");
}

int kbpf_ctl_prog_id(const struct obj_ref *ref, __u32 *id)
{
	struct kbpf_prog_info info;
	struct kbpf_ctl ctl;
	int err;

	err = kbpf_ctl_open(&ctl);
	if (err)
		return err;
	err = kbpf_ctl_prog_get(&ctl, ref->id, ref->name, &info);
	kbpf_ctl_close(&ctl);
	if (!err)
		*id = info.id;
	return err;
}
