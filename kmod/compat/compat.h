/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels kbpf.ko builds against (Debian 6.1 to
 * 6.12), force-included into every file of the module.  Each difference is
 * probed for in kmod/compat/Kbuild.include, not read off LINUX_VERSION_CODE,
 * so distribution backports are picked up.  Only macros live here: this file
 * is also seen by the kernel-independent core and must include nothing.
 */
#ifndef KBPF_COMPAT_H
#define KBPF_COMPAT_H

/*
 * Generic netlink operations.  Since v6.2 a family can list do and dump of a
 * command as separate entries (struct genl_split_ops), each with its own
 * policy; before, one struct genl_ops entry carries both.  The glue writes
 * its table with KBPF_GENL_DO() and KBPF_GENL_DO_DUMP() and installs it with
 * KBPF_GENL_FAMILY_OPS(); both shapes come out of the same lines.
 */
#ifdef KBPF_HAVE_GENL_SPLIT_OPS_V6_2
#define kbpf_genl_op genl_split_ops
#define KBPF_GENL_DO(_cmd, _doit, _policy, _flags)			\
	{ .cmd = (_cmd), .doit = (_doit), .policy = (_policy),		\
	  .maxattr = ARRAY_SIZE(_policy) - 1,				\
	  .flags = (_flags) | GENL_CMD_CAP_DO }
#define KBPF_GENL_DO_DUMP(_cmd, _doit, _dumpit, _policy, _flags)	\
	KBPF_GENL_DO(_cmd, _doit, _policy, _flags),			\
	{ .cmd = (_cmd), .dumpit = (_dumpit), .policy = (_policy),	\
	  .maxattr = ARRAY_SIZE(_policy) - 1,				\
	  .flags = (_flags) | GENL_CMD_CAP_DUMP }
#define KBPF_GENL_DUMP(_cmd, _dumpit, _policy, _flags)			\
	{ .cmd = (_cmd), .dumpit = (_dumpit), .policy = (_policy),	\
	  .maxattr = ARRAY_SIZE(_policy) - 1,				\
	  .flags = (_flags) | GENL_CMD_CAP_DUMP }
#define KBPF_GENL_FAMILY_OPS(_ops)					\
	.split_ops = (_ops), .n_split_ops = ARRAY_SIZE(_ops)
#else
#define kbpf_genl_op genl_ops
#define KBPF_GENL_DO(_cmd, _doit, _policy, _flags)			\
	{ .cmd = (_cmd), .doit = (_doit), .policy = (_policy),		\
	  .maxattr = ARRAY_SIZE(_policy) - 1, .flags = (_flags) }
#define KBPF_GENL_DO_DUMP(_cmd, _doit, _dumpit, _policy, _flags)	\
	{ .cmd = (_cmd), .doit = (_doit), .dumpit = (_dumpit),		\
	  .policy = (_policy), .maxattr = ARRAY_SIZE(_policy) - 1,	\
	  .flags = (_flags) }
#define KBPF_GENL_DUMP(_cmd, _dumpit, _policy, _flags)			\
	{ .cmd = (_cmd), .dumpit = (_dumpit), .policy = (_policy),	\
	  .maxattr = ARRAY_SIZE(_policy) - 1, .flags = (_flags) }
#define KBPF_GENL_FAMILY_OPS(_ops)					\
	.ops = (_ops), .n_ops = ARRAY_SIZE(_ops)
#endif

/* The attributes of a dump request, parsed against the dump's policy. */
#ifdef KBPF_HAVE_GENL_INFO_DUMP_V6_6
#define KBPF_GENL_DUMP_ATTRS(cb)	(genl_info_dump(cb)->attrs)
#else
#define KBPF_GENL_DUMP_ATTRS(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * Flags of a multicast group only an admin of the listener's network
 * namespace may join.  A kernel without them lets anyone listen: kbpf then
 * still sends events only to the owning and initial namespaces, but cannot
 * keep unprivileged listeners there out.
 */
#ifdef KBPF_HAVE_GENL_MCAST_CAP_V6_7
#define KBPF_GENL_MCGRP_ADMIN	GENL_MCAST_CAP_NET_ADMIN
#else
#define KBPF_GENL_MCGRP_ADMIN	0
#endif

/* vma flags: a setter since v6.3, a plain field before. */
#ifdef KBPF_HAVE_VM_FLAGS_CLEAR_V6_3
#define kbpf_vm_flags_clear(vma, flags)	vm_flags_clear(vma, flags)
#else
#define kbpf_vm_flags_clear(vma, flags)	((vma)->vm_flags &= ~(flags))
#endif

#endif /* KBPF_COMPAT_H */
