// SPDX-License-Identifier: GPL-2.0
/*
 * Control operations, one implementation for netlink (genl.c) and the
 * control ioctls of /dev/kbpf (ctl_dev.c): see ctl.h.  Every refusal comes
 * with its extack message, which netlink sends in its ack and the device
 * copies to the caller's log buffer.
 */
#include <linux/cpumask.h>
#include <linux/string.h>

#include "ctl.h"
#include "maps.h"
#include "native.h"

/* ---- lookups ----------------------------------------------------------- */

static void kbpf_ctl_lookup_msg(struct netlink_ext_ack *extack,
				const struct nlattr *attr, int err,
				enum kbpf_ctl_kind kind)
{
	if (err == -EPERM)
		NL_SET_ERR_MSG(extack,
			       "needs CAP_NET_ADMIN or CAP_SYS_ADMIN over this network namespace");
	else if (err == -ENOTUNIQ)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "name used in several network namespaces: give the id");
	else if (err == -ENOENT && kind == KBPF_CTL_PROG)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such program");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such map");
}

int kbpf_ctl_may_look(const struct kbpf_caller *c,
		      struct netlink_ext_ack *extack)
{
	int err = kbpf_perm_check(c, KBPF_PERM_USE, c->net);

	if (err)
		kbpf_ctl_lookup_msg(extack, NULL, err, KBPF_CTL_PROG);
	return err;
}

/* Whether o names anything: an id, or a name. */
static bool kbpf_ctl_obj_named(const struct kbpf_ctl_obj *o)
{
	return o->id || o->name;
}

struct kbpf_reg_prog *kbpf_ctl_find_prog_locked(const struct kbpf_caller *c,
						const struct kbpf_ctl_obj *o,
						struct netlink_ext_ack *extack)
{
	struct kbpf_reg_prog *rp;

	if (!kbpf_ctl_obj_named(o)) {
		NL_SET_ERR_MSG(extack, "program id or name required");
		return ERR_PTR(-EINVAL);
	}
	rp = kbpf_registry_prog_find_locked(c, o->id, o->id ? NULL : o->name);
	if (IS_ERR(rp))
		kbpf_ctl_lookup_msg(extack, o->attr, PTR_ERR(rp), KBPF_CTL_PROG);
	return rp;
}

struct kbpf_reg_map *kbpf_ctl_find_map_locked(const struct kbpf_caller *c,
					      const struct kbpf_ctl_obj *o,
					      struct netlink_ext_ack *extack)
{
	struct kbpf_reg_map *rm;

	if (!kbpf_ctl_obj_named(o)) {
		NL_SET_ERR_MSG(extack, "map id or name required");
		return ERR_PTR(-EINVAL);
	}
	rm = kbpf_registry_map_find_locked(c, o->id, o->id ? NULL : o->name);
	if (IS_ERR(rm))
		kbpf_ctl_lookup_msg(extack, o->attr, PTR_ERR(rm), KBPF_CTL_MAP);
	return rm;
}

/* ---- reports ----------------------------------------------------------- */

void kbpf_ctl_version(struct kbpf_version_attr *v)
{
	const struct kbpf_limits *l = kbpf_default_limits();

	v->version = KBPF_ABI_VERSION;
	v->nr_cpus = num_possible_cpus();
	strscpy_pad(v->profile, l->name, sizeof(v->profile));
	strscpy_pad(v->module_version, KBPF_VERSION, sizeof(v->module_version));
	v->map_bytes_max = l->max_map_bytes;
	kbpf_maps_budget_read(&v->maps_bytes_max, &v->maps_bytes_used);
}

void kbpf_ctl_prog_info_locked(const struct kbpf_reg_prog *rp,
			       struct kbpf_prog_info_attr *pi)
{
	struct module *mod = kbpf_native_module(rp->prog);
	struct kbpf_prog_stats st;

	kbpf_registry_assert_locked();
	kbpf_registry_prog_read_stats(rp, &st);
	pi->prog_id = rp->obj.id;
	strscpy_pad(pi->name, rp->obj.name, sizeof(pi->name));
	pi->prog_type = rp->prog->type;
	pi->insn_cnt = rp->prog->insn_cnt;
	pi->engine = mod ? KBPF_ENGINE_NATIVE : KBPF_ENGINE_INTERPRETER;
	strscpy_pad(pi->native_module, mod ? module_name(mod) : "",
		    sizeof(pi->native_module));
	pi->netns_cookie = rp->obj.owner->net_cookie;
	pi->run_cnt = st.run_cnt;
	pi->run_time_ns = st.run_time_ns;
	pi->worst_case = rp->prog->worst_case;
	pi->attach_cnt = kbpf_nf_link_count_locked(rp);
}

void kbpf_ctl_map_info_locked(const struct kbpf_reg_map *rm,
			      struct kbpf_map_info_attr *mi)
{
	const struct kbpf_map_attrs *a = &rm->map->attrs;

	kbpf_registry_assert_locked();
	mi->map_id = rm->obj.id;
	strscpy_pad(mi->name, rm->obj.name, sizeof(mi->name));
	mi->map_type = a->type;
	mi->key_size = a->key_size;
	mi->value_size = a->value_size;
	mi->max_entries = READ_ONCE(a->max_entries);	/* a resize may run */
	mi->map_flags = a->flags;
	mi->netns_cookie = rm->obj.owner->net_cookie;
	mi->frozen = kbpf_map_frozen(rm->map);
}

int kbpf_ctl_next_id(const struct kbpf_caller *c, enum kbpf_ctl_kind kind,
		     u32 start, u32 *next, struct netlink_ext_ack *extack)
{
	u32 id = start + 1;
	void *obj = NULL;
	int err;

	err = kbpf_ctl_may_look(c, extack);
	if (err)
		return err;
	/* id 0: start was the last id there can be. */
	kbpf_registry_lock();
	if (id && kind == KBPF_CTL_PROG)
		obj = kbpf_registry_prog_next_locked(c, &id);
	else if (id)
		obj = kbpf_registry_map_next_locked(c, &id);
	kbpf_registry_unlock();
	if (!obj && kind == KBPF_CTL_PROG)
		NL_SET_ERR_MSG(extack, "no program after this id");
	else if (!obj)
		NL_SET_ERR_MSG(extack, "no map after this id");
	if (!obj)
		return -ENOENT;
	*next = id;
	return 0;
}

/* ---- changes ----------------------------------------------------------- */

int kbpf_ctl_prog_attach(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *prog,
			 const struct kbpf_nf_attach_opts *opts, u32 *id,
			 struct netlink_ext_ack *extack)
{
	struct kbpf_reg_prog *rp;
	int err;

	err = kbpf_nf_check_hook(opts->family, opts->hook, opts->nf_prio,
				 extack);
	if (err)
		return err;
	kbpf_registry_lock();
	rp = kbpf_ctl_find_prog_locked(c, prog, extack);
	err = IS_ERR(rp) ? PTR_ERR(rp) :
	      kbpf_perm_check(c, KBPF_PERM_ATTACH, rp->obj.owner);
	if (!IS_ERR(rp) && err)
		NL_SET_ERR_MSG(extack,
			       "a program attaches only in the network namespace that loaded it");
	if (!err) {
		*id = rp->obj.id;
		err = kbpf_nf_attach_locked(c->net, rp, opts, extack);
	}
	kbpf_registry_unlock();
	return err;
}

int kbpf_ctl_prog_detach(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *prog,
			 const struct kbpf_ctl_detach *d,
			 struct netlink_ext_ack *extack)
{
	struct kbpf_reg_prog *rp;
	int err;

	if (d->ifindex && !d->one) {
		NL_SET_ERR_MSG(extack,
			       "a device goes with the netdev/ingress hook");
		return -EINVAL;
	}
	if (d->one && d->family == KBPF_NF_FAMILY_NETDEV && !d->ifindex) {
		NL_SET_ERR_MSG(extack,
			       "netdev/ingress is per device: give one (KBPF_A_IFINDEX)");
		return -EINVAL;
	}
	kbpf_registry_lock();
	rp = kbpf_ctl_find_prog_locked(c, prog, extack);
	if (IS_ERR(rp))
		err = PTR_ERR(rp);
	else
		err = kbpf_nf_detach_locked(c->net, rp, d->one, d->family,
					    d->hook, d->ifindex, extack);
	kbpf_registry_unlock();
	return err;
}

int kbpf_ctl_prog_replace(const struct kbpf_caller *c,
			  const struct kbpf_ctl_obj *old,
			  const struct kbpf_ctl_obj *new,
			  struct netlink_ext_ack *extack)
{
	struct kbpf_reg_prog *rp_old, *rp_new;
	int err;

	if (!kbpf_ctl_obj_named(new)) {
		NL_SET_ERR_MSG(extack,
			       "replacement program id or name required");
		return -EINVAL;
	}
	kbpf_registry_lock();
	rp_old = kbpf_ctl_find_prog_locked(c, old, extack);
	rp_new = kbpf_registry_prog_find_locked(c, new->id,
						new->id ? NULL : new->name);
	if (IS_ERR(rp_old)) {
		err = PTR_ERR(rp_old);
	} else if (IS_ERR(rp_new)) {
		NL_SET_ERR_MSG_ATTR(extack, new->attr,
				    "no such replacement program");
		err = PTR_ERR(rp_new);
	} else {
		err = kbpf_perm_check(c, KBPF_PERM_ATTACH, rp_new->obj.owner);
		if (err)
			NL_SET_ERR_MSG(extack,
				       "a program attaches only in the network namespace that loaded it");
		else
			err = kbpf_nf_replace_locked(c->net, rp_old, rp_new,
						     extack);
	}
	kbpf_registry_unlock();
	return err;
}

int kbpf_ctl_prog_unload(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *prog,
			 struct netlink_ext_ack *extack)
{
	struct kbpf_reg_prog *rp;

	kbpf_registry_lock();
	rp = kbpf_ctl_find_prog_locked(c, prog, extack);
	if (!IS_ERR(rp))
		kbpf_registry_prog_unload_locked(rp);
	kbpf_registry_unlock();
	return PTR_ERR_OR_ZERO(rp);
}

int kbpf_ctl_map_destroy(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *map,
			 struct netlink_ext_ack *extack)
{
	struct kbpf_reg_map *rm;
	int err;

	kbpf_registry_lock();
	rm = kbpf_ctl_find_map_locked(c, map, extack);
	if (IS_ERR(rm)) {
		err = PTR_ERR(rm);
	} else {
		err = kbpf_registry_map_destroy_locked(rm);
		if (err == -EBUSY)
			NL_SET_ERR_MSG(extack,
				       "map is in use by a loaded program");
	}
	kbpf_registry_unlock();
	return err;
}

/*
 * Resizing may allocate and copy a large map: it runs on a reference,
 * outside the registry lock; kbpf_map_resize() serialises resizes.
 */
int kbpf_ctl_map_resize(const struct kbpf_caller *c,
			const struct kbpf_ctl_obj *map, u32 max_entries,
			struct netlink_ext_ack *extack)
{
	struct kbpf_map *m = NULL;
	struct kbpf_reg_map *rm;
	struct kbpf_log log;
	char why[128];
	int err;

	kbpf_registry_lock();
	rm = kbpf_ctl_find_map_locked(c, map, extack);
	if (!IS_ERR(rm)) {
		m = rm->map;
		kbpf_map_get(m);
	}
	kbpf_registry_unlock();
	if (IS_ERR(rm))
		return PTR_ERR(rm);
	kbpf_log_init(&log, why, sizeof(why), KBPF_LOG_LEVEL_ERRORS);
	err = kbpf_map_resize(m, max_entries, NULL, &log);
	kbpf_map_put(m);
	if (err)
		kbpf_nf_errmsg(extack, "%s", why);
	return err;
}

int kbpf_ctl_hook_set(const struct kbpf_caller *c,
		      const struct kbpf_ctl_hook_set *hs,
		      struct netlink_ext_ack *extack)
{
	const struct kbpf_hook_id *h = &hs->hook;
	int err;

	if (!hs->set_policy && !hs->set_deadline) {
		NL_SET_ERR_MSG(extack,
			       "nothing to set: give a policy or a deadline");
		return -EINVAL;
	}
	err = kbpf_nf_check_hook(h->family, h->hook, h->nf_prio, extack);
	if (err)
		return err;
	err = kbpf_perm_check(c, KBPF_PERM_ATTACH, c->net);
	if (err) {
		kbpf_ctl_lookup_msg(extack, NULL, err, KBPF_CTL_PROG);
		return err;
	}
	kbpf_registry_lock();
	err = kbpf_nf_hook_set_locked(c->net, h->family, h->hook, h->nf_prio,
				      h->ifindex,
				      hs->set_policy ? hs->policy : U32_MAX,
				      hs->set_deadline ? hs->deadline_ns :
				      U64_MAX, extack);
	kbpf_registry_unlock();
	return err;
}

int kbpf_ctl_feature_set(const struct kbpf_caller *c,
			 const struct kbpf_ctl_feature_set *fs,
			 struct netlink_ext_ack *extack)
{
	/* Statistics are module-wide: the initial namespace's admin only. */
	if (!c->init_admin) {
		NL_SET_ERR_MSG(extack,
			       "module-wide: needs CAP_NET_ADMIN or CAP_SYS_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (!fs->set_stats) {
		NL_SET_ERR_MSG(extack, "nothing to set");
		return -EINVAL;
	}
	if (fs->stats > 1) {
		NL_SET_ERR_MSG(extack, "statistics are on (1) or off (0)");
		return -EINVAL;
	}
	kbpf_nf_set_stats(fs->stats);
	return 0;
}
