/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kbpf: an alternate BPF runtime shipped as a loadable kernel module.
 *
 * This header is the whole userspace ABI of kbpf.ko, version KBPF_ABI_VERSION.
 *
 * Two channels reach the module:
 *
 *  - /dev/kbpf, a misc character device (mode 0600).  Operations that move
 *    bulk data (program load with its verifier log, map element access,
 *    program test runs) are ioctls on it, and so is every control operation
 *    of the netlink family but MAP_RESIZE (numbers 32 and up, "Control
 *    ioctls" below), which allocate nothing.  Every ioctl takes a pointer to an
 *    argument struct whose first member is its size in bytes, as the caller
 *    knows it.  The module accepts a smaller struct from an older caller (the
 *    missing tail reads as zero) and a larger one from a newer caller as long
 *    as every byte it does not know is zero; otherwise -E2BIG.  Output members
 *    are written back only within the size the caller passed.
 *
 *  - the generic netlink family "kbpf" (KBPF_GENL_NAME), version
 *    KBPF_GENL_VERSION, for control: version query, listing, attach, detach,
 *    unload, and one multicast group ("events") announcing object changes.
 *    Errors carry an extended ack message.  Its requests and replies are
 *    skbs the network stack allocates.
 *
 * Permissions.  Programs and maps belong to the network namespace they were
 * created in.  An "admin" of a network namespace holds CAP_NET_ADMIN or
 * CAP_SYS_ADMIN in the user namespace owning it; the "initial admin" holds
 * one of them in the initial user namespace.  Rights are those of both the
 * opener of the device or socket and the task making the request.  The
 * namespace a request concerns is the calling task's for /dev/kbpf and the
 * socket's for netlink.  Then, for the device and netlink alike:
 *
 *  - version query: anyone;
 *  - load, map create: an admin of the caller's namespace, which owns the
 *    new object;
 *  - everything else on an object (get, list, test run, map lookup, update,
 *    delete and next key, detach, unload, destroy, and a map reference in a
 *    program being loaded): an admin of the owning namespace, or the
 *    initial admin.  To any other admin the object does not exist (ENOENT);
 *  - attach: in the owning namespace, or anywhere by the initial admin;
 *  - the "events" group: joining needs CAP_NET_ADMIN over the listener's
 *    namespace (on kernels with GENL_MCAST_CAP_NET_ADMIN, 6.7 and 6.1.y);
 *    an event goes to the owning namespace and to the initial one;
 *  - a caller who is admin nowhere gets EPERM for all but the version.
 *
 * Names are unique per kind within the owning namespace; a lookup by name
 * searches the caller's namespace, and for the initial admin then the
 * initial one, then all (ENOTUNIQ when several namespaces use the name).  When a network namespace goes away, its objects go too
 * (a map still used by a program elsewhere passes to the initial namespace).
 *
 * Objects are named by a numeric id (never 0, not reused while the module is
 * loaded) and a name (at most KBPF_OBJ_NAME_LEN - 1 bytes of [A-Za-z0-9_.]).
 * An object lives until it is unloaded or destroyed, its namespace goes
 * away, or the module is removed: closing /dev/kbpf does not free it.  An
 * ioctl that creates an object and then cannot write its id back fails
 * (EFAULT) and leaves no object behind.
 *
 * Instructions are struct kbpf_insn, the 64-bit encoding of RFC 9669; it is
 * bit-for-bit the kernel's struct bpf_insn on little-endian hosts.
 */
#ifndef _UAPI_LINUX_KBPF_H
#define _UAPI_LINUX_KBPF_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define KBPF_ABI_VERSION	1
#define KBPF_DEVICE_NAME	"kbpf"
#define KBPF_DEVICE_PATH	"/dev/kbpf"
#define KBPF_OBJ_NAME_LEN	16
/* Room for KBPF_A_MODULE_VERSION, the terminating NUL included. */
#define KBPF_MODULE_VERSION_LEN	64

/* One BPF instruction (RFC 9669 section 3).  A 64-bit immediate load
 * (BPF_LD | BPF_IMM | BPF_DW) occupies two consecutive slots; the second has
 * code, registers and offset zero and its imm holds the upper 32 bits.
 */
struct kbpf_insn {
	__u8	code;		/* opcode: class, size/mode or operation, source */
	__u8	dst_reg:4;	/* destination register, 0..10 */
	__u8	src_reg:4;	/* source register, 0..10, or pseudo type */
	__s16	off;		/* signed offset */
	__s32	imm;		/* signed immediate */
};

/*
 * Pseudo source registers of a 64-bit immediate load, as libbpf emits them
 * after relocation.  kbpf has no file descriptors for maps: the loader writes
 * the map's kbpf id where the kernel would take a file descriptor.
 *
 *  KBPF_PSEUDO_MAP_ID:    imm = map id; dst becomes a pointer to the map.
 *  KBPF_PSEUDO_MAP_VALUE: imm = map id, second slot's imm = offset into the
 *                         value of element 0 of an array map; dst becomes a
 *                         pointer to that byte (global data).
 *
 * The numbers are BPF_PSEUDO_MAP_FD and BPF_PSEUDO_MAP_VALUE.
 */
#define KBPF_PSEUDO_MAP_ID	1
#define KBPF_PSEUDO_MAP_VALUE	2

/* Source register of BPF_JMP | BPF_CALL: 0 calls a helper by number (imm),
 * KBPF_PSEUDO_CALL calls a BPF subprogram at pc + imm + 1.
 */
#define KBPF_PSEUDO_CALL	1

/*
 * KBPF_PSEUDO_FUNC (BPF_PSEUDO_FUNC) as the source of a 64-bit immediate
 * load: dst becomes a pointer to the subprogram at pc + imm + 1, the
 * callback of bpf_loop().  The second slot's imm is 0.
 */
#define KBPF_PSEUDO_FUNC	4

/* Program types. */
enum kbpf_prog_type {
	KBPF_PROG_TYPE_UNSPEC,
	/* Runs on a netfilter hook; context is struct kbpf_nf_ctx; returns a
	 * verdict (KBPF_NF_DROP, KBPF_NF_ACCEPT or KBPF_NF_REJECT).
	 */
	KBPF_PROG_TYPE_NETFILTER,
	__KBPF_PROG_TYPE_MAX,
};

/* Map types.  Numbers match the kernel's enum bpf_map_type so that map
 * definitions written for libbpf (__uint(type, BPF_MAP_TYPE_HASH)) load as
 * they are.
 */
enum kbpf_map_type {
	KBPF_MAP_TYPE_UNSPEC		= 0,
	KBPF_MAP_TYPE_HASH		= 1,
	KBPF_MAP_TYPE_ARRAY		= 2,
	/*
	 * Targets of bpf_tail_call(): key u32, value a program id (lookups
	 * return the id), update with KBPF_ANY only.  A slot holds its
	 * program until deleted or replaced, the map is destroyed or the
	 * program unloaded (unloading empties the slots holding it).  All
	 * programs in one array have one type.  Programs cannot read it.
	 */
	KBPF_MAP_TYPE_PROG_ARRAY	= 3,
	KBPF_MAP_TYPE_PERCPU_HASH	= 5,
	KBPF_MAP_TYPE_PERCPU_ARRAY	= 6,
	KBPF_MAP_TYPE_LRU_HASH		= 9,
	KBPF_MAP_TYPE_LRU_PERCPU_HASH	= 10,
	KBPF_MAP_TYPE_LPM_TRIE		= 11,
	KBPF_MAP_TYPE_RINGBUF		= 27,
};

/*
 * What each map type takes, as in Linux:
 *
 *  ARRAY, PERCPU_ARRAY   key_size 4 (a u32 index < max_entries); every
 *                        element exists and reads as zero until written;
 *                        delete fails with EINVAL, NOEXIST with EEXIST.
 *  HASH, PERCPU_HASH     any key_size; at most max_entries elements, the
 *                        next new key fails with E2BIG.
 *  LRU_HASH, LRU_PERCPU_HASH
 *                        like HASH, but a new key in a full map evicts the
 *                        least recently used element instead of failing.
 *  LPM_TRIE              key is struct kbpf_lpm_trie_key: key_size = 4 +
 *                        1..256 bytes of data, prefixlen <= 8 * that;
 *                        lookup finds the longest matching prefix, update
 *                        and delete the exact prefix.  Flags must include
 *                        KBPF_F_NO_PREALLOC, as libbpf programs declare it.
 *  RINGBUF               key_size 0, value_size 0, max_entries = the data
 *                        area in bytes, a power of two and a multiple of the
 *                        page size.  No element operations (EOPNOTSUPP):
 *                        programs write records with the ringbuf helpers and
 *                        userspace reads them through KBPF_IOC_MAP_GET_FD.
 *
 * Per-CPU types (PERCPU_ARRAY, PERCPU_HASH, LRU_PERCPU_HASH) keep one value
 * per possible CPU.  A program sees the value of the CPU it runs on.  The
 * element ioctls move all of them at once: the value buffer of LOOKUP and
 * UPDATE is KBPF_PERCPU_VALUE_SIZE(value_size) * ncpus bytes, CPU n's value
 * at n * KBPF_PERCPU_VALUE_SIZE(value_size), where ncpus is the number of
 * possible CPUs (KBPF_A_NR_CPUS of KBPF_CMD_GET_VERSION, or the count of
 * /sys/devices/system/cpu/possible) in ascending order -- the layout of
 * Linux's bpf(BPF_MAP_LOOKUP_ELEM) and libbpf_num_possible_cpus().
 *
 * Hash-family and LPM elements are freed only after every program that may
 * still hold a pointer to them has finished (an RCU grace period), so a
 * value pointer from a lookup stays valid for the rest of the run.  Until
 * then a deleted or replaced element still counts against its map, which
 * holds at most max_entries plus a quarter of it plus 16 elements (an LPM
 * trie twice that in nodes) -- its memory as the budget counts it: past
 * that, an insert or replace fails with ENOMEM until a grace period frees
 * some.  KBPF_IOC_MAP_UPDATE waits for that (twice at most) instead.
 */
#define KBPF_PERCPU_VALUE_SIZE(value_size)	(((value_size) + 7) & ~7U)

/* Flags of kbpf_map_create_attr.flags (the kernel's BPF_F_*). */
#define KBPF_F_NO_PREALLOC	(1U << 0)	/* hash family, LPM: elements
						 * are allocated on insert (the
						 * only way kbpf builds them)
						 */
/*
 * What programs may do with the map's values (the kernel's
 * BPF_F_RDONLY_PROG, BPF_F_WRONLY_PROG; at most one of them): the verifier
 * refuses every store, atomic and helper write into a value of an RDONLY_PROG
 * map (and map_update_elem/map_delete_elem on it), and every load, atomic
 * and helper read of a WRONLY_PROG one, whether the pointer came from a
 * lookup or a direct value load (global data).  Userspace is not
 * restricted (see KBPF_IOC_MAP_FREEZE).  Taken by ARRAY, PERCPU_ARRAY, the
 * HASH family and LPM_TRIE; EINVAL for RINGBUF and PROG_ARRAY, whose
 * contents programs reach only through helpers.  kbpfctl creates .rodata
 * with RDONLY_PROG and freezes it after writing its contents, as libbpf does.
 */
#define KBPF_F_RDONLY_PROG	(1U << 7)
#define KBPF_F_WRONLY_PROG	(1U << 8)

/* Key of an LPM_TRIE map (struct bpf_lpm_trie_key). */
struct kbpf_lpm_trie_key {
	__u32	prefixlen;	/* bits of data that count, from the first */
	__u8	data[];		/* network byte order, e.g. an IPv4 address */
};

/*
 * Netfilter attachment points.  A hook is named "<family>/<hook>" on the
 * command line and in ELF section names ("kbpf/ipv4/local_in"); the family
 * numbers are the kernel's NFPROTO_* values, the ipv4 and ipv6 hook numbers
 * its NF_INET_* values.  netdev/ingress (KBPF_NF_FAMILY_NETDEV with
 * KBPF_NF_HOOK_INGRESS, netfilter's NF_NETDEV_INGRESS) is per interface:
 * an attachment names the device by KBPF_A_IFINDEX, and goes away with it.
 * It runs on every frame the device receives, before IP (after XDP, taps
 * such as tcpdump, and tc ingress); the kernel needs CONFIG_NETFILTER_INGRESS.
 */
enum kbpf_nf_family {
	KBPF_NF_FAMILY_IPV4	= 2,	/* NFPROTO_IPV4 */
	KBPF_NF_FAMILY_NETDEV	= 5,	/* NFPROTO_NETDEV */
	KBPF_NF_FAMILY_IPV6	= 10,	/* NFPROTO_IPV6 */
};

enum kbpf_nf_hook {
	KBPF_NF_HOOK_PRE_ROUTING,	/* "pre_routing" */
	KBPF_NF_HOOK_LOCAL_IN,		/* "local_in" */
	KBPF_NF_HOOK_FORWARD,		/* "forward" */
	KBPF_NF_HOOK_LOCAL_OUT,		/* "local_out" */
	KBPF_NF_HOOK_POST_ROUTING,	/* "post_routing" */
	/* The IP hooks come first: KBPF_NF_HOOK_INGRESS also counts them. */
	KBPF_NF_HOOK_INGRESS,		/* "ingress", netdev family only */
	__KBPF_NF_HOOK_MAX,
};

/*
 * Lowest and highest netfilter priority an attachment may ask for.  As for
 * Linux's netfilter BPF links, both extremes are refused (-ERANGE):
 * NF_IP_PRI_FIRST (INT_MIN) and NF_IP_PRI_LAST (INT_MAX) belong to netfilter
 * itself (conntrack confirms at INT_MAX), so a program always runs strictly
 * between them.
 */
#define KBPF_NF_PRIO_MIN	(-2147483647)		/* NF_IP_PRI_FIRST + 1 */
#define KBPF_NF_PRIO_MAX	(2147483647 - 1)	/* NF_IP_PRI_LAST - 1 */

/*
 * Verdicts a netfilter program returns in r0.  KBPF_NF_DROP and
 * KBPF_NF_ACCEPT are NF_DROP and NF_ACCEPT.  KBPF_NF_REJECT drops the packet
 * and answers it as netfilter's REJECT target does: a TCP segment gets a
 * TCP reset, anything else an ICMP (ICMPv6) port unreachable.  The answer
 * is not sent for packets that must not be answered (ICMP errors,
 * broadcasts, packets on output hooks without a route back), which are
 * only dropped.
 */
#define KBPF_NF_DROP		0
#define KBPF_NF_ACCEPT		1
#define KBPF_NF_REJECT		16

/*
 * Scheduling.  Every program attached at one hook point (network namespace,
 * family, hook, netfilter priority) runs from one dispatcher, in a chain:
 * a program returning KBPF_NF_DROP (or KBPF_NF_REJECT) ends the chain and
 * drops the packet, KBPF_NF_ACCEPT passes the packet to the next program.  The hook point's
 * policy decides the order:
 *
 *  KBPF_SCHED_THROUGHPUT: higher kbpf priority (KBPF_A_SCHED_PRIO) first,
 *      then attach order.  Programs run to completion; budgets and
 *      deadlines are kept but not enforced.
 *  KBPF_SCHED_DEADLINE: earliest relative deadline first (EDF), then as
 *      above.  Each run is metered against the attachment's instruction
 *      budget; a run that exhausts it is stopped and the packet takes the
 *      attachment's miss verdict.  A run finishing after its deadline counts
 *      as a deadline miss.  Attach refuses a program whose worst case exceeds
 *      its budget, or a chain whose summed worst case no longer fits the hook
 *      point's deadline.
 *
 * An attachment in KBPF_MODE_OBSERVE never holds the packet: its first
 * snap-length bytes are queued on this CPU and a per-CPU worker runs the
 * program later; its verdict is ignored.
 */
enum kbpf_sched_policy {
	KBPF_SCHED_DEFAULT,		/* the module's policy= parameter */
	KBPF_SCHED_THROUGHPUT,
	KBPF_SCHED_DEADLINE,
	__KBPF_SCHED_MAX,
};

enum kbpf_attach_mode {
	KBPF_MODE_INLINE,		/* runs on the packet, verdict counts */
	KBPF_MODE_OBSERVE,		/* runs later on a copy, verdict ignored */
	__KBPF_MODE_MAX,
};

/* Worst-case instruction count of a program with unbounded loops. */
#define KBPF_WORST_CASE_UNBOUNDED	(~0ULL)

/*
 * Context of a KBPF_PROG_TYPE_NETFILTER program, passed in r1.  Read-only
 * but for mark, which a program may store (whole, a number) and which the
 * hook then writes back to skb->mark.  data and data_end are pointers widened to 64 bits: cast them with
 * (void *)(long)ctx->data.  data points at the network header (the IPv4 or
 * IPv6 header); data_end one past the last byte of the packet's linear part.
 * A program may read a packet byte only after proving by a comparison against
 * data_end that it lies below it.  Bytes past data_end (a paged skb) are
 * read with bpf_skb_load_bytes(); packets change only through
 * bpf_skb_store_bytes() and bpf_l3/l4_csum_replace(), after which packet
 * pointers must be loaded again from ctx->data (the verifier forgets them).
 * Offsets of these helpers count from the network header, as data does.
 *
 * At netdev/ingress (hook KBPF_NF_HOOK_INGRESS) the frame is not yet
 * checked by IP: data points past the link-layer header (and VLAN tag), at
 * what skb->protocol says follows; family is KBPF_NF_FAMILY_IPV4 or _IPV6
 * when protocol is ETH_P_IP or ETH_P_IPV6, KBPF_NF_FAMILY_NETDEV for any
 * other frame (ARP, ...); nothing promises that an IP header is complete,
 * or linear, so compare against data_end as everywhere.  ifindex is the
 * receiving device.  KBPF_NF_REJECT drops there without an answer.
 */
struct kbpf_nf_ctx {
	__u64	data;		/* first byte of the network header */
	__u64	data_end;	/* one past the last readable byte */
	__u32	len;		/* whole packet length, linear or not */
	__u32	family;		/* enum kbpf_nf_family (ingress: of the frame) */
	__u32	hook;		/* enum kbpf_nf_hook */
	__u32	ifindex;	/* input device, or output for output hooks */
	__u32	protocol;	/* skb->protocol, network byte order */
	__u32	mark;		/* skb->mark; writable */
};

/* ioctls on /dev/kbpf.  The argument is a pointer to the struct named. */
#define KBPF_IOC_MAGIC		0xb7
#define KBPF_IOC_PROG_LOAD	_IO(KBPF_IOC_MAGIC, 1)	/* kbpf_prog_load_attr */
#define KBPF_IOC_MAP_CREATE	_IO(KBPF_IOC_MAGIC, 2)	/* kbpf_map_create_attr */
#define KBPF_IOC_MAP_LOOKUP	_IO(KBPF_IOC_MAGIC, 3)	/* kbpf_map_elem_attr */
#define KBPF_IOC_MAP_UPDATE	_IO(KBPF_IOC_MAGIC, 4)	/* kbpf_map_elem_attr */
#define KBPF_IOC_MAP_DELETE	_IO(KBPF_IOC_MAGIC, 5)	/* kbpf_map_elem_attr */
#define KBPF_IOC_MAP_NEXT_KEY	_IO(KBPF_IOC_MAGIC, 6)	/* kbpf_map_elem_attr */
#define KBPF_IOC_PROG_TEST_RUN	_IO(KBPF_IOC_MAGIC, 7)	/* kbpf_prog_test_run_attr */
#define KBPF_IOC_MAP_SET_BTF	_IO(KBPF_IOC_MAGIC, 12)	/* kbpf_map_btf_attr */
#define KBPF_IOC_MAP_GET_BTF	_IO(KBPF_IOC_MAGIC, 13)	/* kbpf_map_btf_attr */
#define KBPF_IOC_MAP_GET_FD	_IO(KBPF_IOC_MAGIC, 8)	/* kbpf_map_get_fd_attr */
#define KBPF_IOC_TRACE_OPEN	_IO(KBPF_IOC_MAGIC, 16)	/* kbpf_trace_open_attr */
#define KBPF_IOC_MAP_FREEZE	_IO(KBPF_IOC_MAGIC, 17)	/* kbpf_map_freeze_attr */

/* Verifier log levels for kbpf_prog_load_attr.log_level. */
#define KBPF_LOG_LEVEL_ERRORS	1	/* the rejection, with its context */
#define KBPF_LOG_LEVEL_VERBOSE	2	/* every processed instruction */
#define KBPF_LOG_LEVEL_STATS	4	/* statistics line at the end */

/*
 * KBPF_IOC_PROG_LOAD: verify and load a program (see Permissions above).
 * On success prog_id is set and the program exists until unloaded.  On a
 * verifier rejection the ioctl fails with EINVAL or EACCES and, when log_size
 * is non-zero, log_buf holds a NUL-terminated explanation.
 *
 * A log that does not fit in log_size bytes fails the load with ENOSPC (as
 * Linux does, whatever the verdict): log_buf then holds what fit, cut at a
 * line end, and always ends with the statistics line when
 * KBPF_LOG_LEVEL_STATS asked for it; log_true_size tells the size that
 * holds the whole log, so that the caller can load again with room for it.
 */
struct kbpf_prog_load_attr {
	__u32		size;		/* in: sizeof(struct kbpf_prog_load_attr) */
	__u32		prog_type;	/* in: enum kbpf_prog_type */
	__aligned_u64	insns;		/* in: pointer to struct kbpf_insn[] */
	__u32		insn_cnt;	/* in: number of instruction slots */
	__u32		log_level;	/* in: KBPF_LOG_LEVEL_* bits, 0 = no log */
	__aligned_u64	log_buf;	/* in: pointer to the log buffer */
	__u32		log_size;	/* in: its size in bytes */
	__u32		flags;		/* in: must be 0 */
	char		name[KBPF_OBJ_NAME_LEN]; /* in: NUL-terminated name */
	__u32		prog_id;	/* out: id of the new program */
	__u32		verified_insns;	/* out: instructions the verifier processed */
	__u32		log_true_size;	/* out: bytes the whole log needs, NUL
					 * included (when a log was asked for)
					 */
	__u32		__reserved;	/* must be 0 */
};

/*
 * KBPF_IOC_MAP_CREATE: create a map (see Permissions above).
 *
 * Map memory is bounded twice, and both bounds are checked before anything
 * is allocated: each map's worst-case size (its elements at max_entries,
 * per-CPU copies, buckets, trie nodes or ring pages) must fit the per-map
 * cap, and the sum over all maps the module-wide cap (module parameter
 * max_map_memory); KBPF_CMD_GET_VERSION reports both and the bytes in use.
 * Over either, or over a profile limit (key or value size, max_entries, the
 * number of maps): E2BIG.  The memory is charged to the creator's memory
 * cgroup.
 *
 * When log_size is non-zero, a failed create writes a one-line,
 * NUL-terminated reason into log_buf ("map of 68719476736 bytes is over the
 * per-map limit of 1073741824"), truncated to log_size.
 */
struct kbpf_map_create_attr {
	__u32	size;		/* in: sizeof(struct kbpf_map_create_attr) */
	__u32	map_type;	/* in: enum kbpf_map_type */
	__u32	key_size;	/* in: bytes; 4 for arrays */
	__u32	value_size;	/* in: bytes */
	__u32	max_entries;	/* in: capacity, within the profile's limit */
	__u32	flags;		/* in: KBPF_F_* the type accepts, else 0 */
	char	name[KBPF_OBJ_NAME_LEN]; /* in: NUL-terminated name */
	__u32	map_id;		/* out: id of the new map */
	__u32	__reserved;	/* must be 0 */
	__aligned_u64	log_buf; /* in: buffer for the reason of a failure */
	__u32	log_size;	/* in: its size, 0 = no reason wanted */
	__u32	__reserved2;	/* must be 0 */
};

/* Flags of KBPF_IOC_MAP_UPDATE (the kernel's BPF_ANY, BPF_NOEXIST, BPF_EXIST). */
#define KBPF_ANY	0	/* create or replace */
#define KBPF_NOEXIST	1	/* create only */
#define KBPF_EXIST	2	/* replace only */

/*
 * KBPF_IOC_MAP_{LOOKUP,UPDATE,DELETE,NEXT_KEY}: one element operation, on a
 * map the caller sees (see Permissions above).  NEXT_KEY with key 0 (NULL) returns
 * the first key; it fails with ENOENT after the last one.
 */
struct kbpf_map_elem_attr {
	__u32		size;		/* in: sizeof(struct kbpf_map_elem_attr) */
	__u32		map_id;		/* in: target map */
	__aligned_u64	key;		/* in: pointer to key_size bytes */
	__aligned_u64	value;		/* in/out: value_size bytes, or the next
					 * key for NEXT_KEY
					 */
	__u64		flags;		/* in: KBPF_ANY/NOEXIST/EXIST for update */
};

/*
 * KBPF_IOC_MAP_SET_BTF, KBPF_IOC_MAP_GET_BTF: the BTF type information of a
 * map's keys and values, so that any tool can print them typed (kbpfctl map
 * dump, as bpftool does).  kbpf keeps it for userspace and interprets
 * nothing but its magic: programs and the verifier never see it.
 *
 * SET (on a map the caller sees, see Permissions): btf points at btf_size bytes of raw BTF (an object's
 * .BTF section, starting with the magic 0xeB9F; at most
 * KBPF_MAP_BTF_MAX_SIZE, else E2BIG, charged to the caller's memory cgroup)
 * in which btf_key_type_id and btf_value_type_id (0: untyped) describe the
 * map's key and value.  Once per map: EEXIST after that.  ENOENT: no map.
 *
 * GET: returns btf_size and the type ids, and copies the BTF to btf when
 * btf_size (in) leaves room for it; otherwise ENOSPC, with btf_size set to
 * the room needed.  ENODATA: the map has no BTF.  ENOENT: no map.
 */
#define KBPF_MAP_BTF_MAX_SIZE	(256 * 1024)

struct kbpf_map_btf_attr {
	__u32		size;		/* in: sizeof(struct kbpf_map_btf_attr) */
	__u32		map_id;		/* in: the map */
	__aligned_u64	btf;		/* in: pointer to the raw BTF */
	__u32		btf_size;	/* in: bytes at btf; out (GET): its size */
	__u32		btf_key_type_id;   /* in (SET), out (GET) */
	__u32		btf_value_type_id; /* in (SET), out (GET) */
	__u32		flags;		/* in: must be 0 */
};

/*
 * KBPF_IOC_MAP_GET_FD: a file descriptor for a map, for what ioctls cannot
 * do: mmap and poll.  Only RINGBUF maps have one (EINVAL otherwise).  The
 * descriptor holds a reference on the map (KBPF_CMD_MAP_DESTROY fails with
 * EBUSY while it is open).  Needs the same privilege as MAP_LOOKUP.
 *
 * A ring buffer maps as Linux's BPF_MAP_TYPE_RINGBUF does, so code written
 * like libbpf's ring_buffer__poll() works unchanged (page = the page size):
 *
 *   offset 0, one page, PROT_READ|PROT_WRITE: the consumer page; its first
 *       __u64 is consumer_pos, which the reader advances (release store)
 *       past what it has consumed.  The only writable page.
 *   offset page, page + 2 * max_entries bytes, PROT_READ only: the producer
 *       page, whose first __u64 is producer_pos (read it with acquire), then
 *       the data area of max_entries bytes mapped twice in a row, so a
 *       record that wraps around the end is contiguous.
 *
 * Positions only grow; a byte's place in the data area is pos & (max_entries
 * - 1).  Each record starts on an 8-byte boundary with an 8-byte header: a
 * __u32 length (of the data that follows, without the header) or'ed with
 * KBPF_RINGBUF_BUSY_BIT while the program still writes it and with
 * KBPF_RINGBUF_DISCARD_BIT if it was discarded (skip it), and a __u32 the
 * kernel uses internally.  A reader consumes records from consumer_pos up to
 * producer_pos, stops at the first busy one, and moves consumer_pos past
 * round_up(KBPF_RINGBUF_HDR_SZ + length, 8) for each.
 *
 * poll()/epoll report EPOLLIN while consumer_pos != producer_pos.  A
 * submitted record wakes waiters when the reader has caught up with it
 * (unless KBPF_RB_NO_WAKEUP), or always with KBPF_RB_FORCE_WAKEUP.
 */
struct kbpf_map_get_fd_attr {
	__u32	size;		/* in: sizeof(struct kbpf_map_get_fd_attr) */
	__u32	map_id;		/* in: the map */
	__u32	flags;		/* in: must be 0 */
	__s32	fd;		/* out: the new descriptor (O_CLOEXEC) */
};

#define KBPF_RINGBUF_BUSY_BIT		(1U << 31)
#define KBPF_RINGBUF_DISCARD_BIT	(1U << 30)
#define KBPF_RINGBUF_HDR_SZ		8

/* Flags of the ringbuf helpers (BPF_RB_*). */
#define KBPF_RB_NO_WAKEUP	(1U << 0)	/* submit, discard, output */
#define KBPF_RB_FORCE_WAKEUP	(1U << 1)
#define KBPF_RB_AVAIL_DATA	0		/* ringbuf_query */
#define KBPF_RB_RING_SIZE	1
#define KBPF_RB_CONS_POS	2
#define KBPF_RB_PROD_POS	3

/*
 * KBPF_IOC_PROG_TEST_RUN: run a loaded program on caller-supplied packet
 * bytes, repeat times (0 means once), without attaching it, on a program
 * the caller sees.  The context is built as the hook would build it, with data
 * pointing at a private copy of data_in.
 *
 * Where the packet is, as Linux's BPF_PROG_TEST_RUN takes ctx_in: a
 * struct kbpf_nf_ctx (ctx_size_in bytes, zero-extended; bytes past it must
 * be 0) giving family (required) and hook (an IP hook of ipv4 or ipv6,
 * or ingress with the frame's family: ipv4, ipv6, or netdev for anything
 * else),
 * ifindex (the device the packet came in by, at local_out and post_routing
 * the one it leaves by, as ctx->ifindex; a device of the caller's
 * namespace, required at ingress, else 0 for none), protocol (0: the
 * family's EtherType; required for a netdev-family frame) and mark (what
 * every repetition starts from).  data, data_end and len come from the
 * packet and must be 0.  Without ctx_in: local_in, the family from the IP
 * version nibble, no device, mark 0.  A refused context is -EINVAL
 * (-ENODEV for an ifindex no device has), with the reason at log_buf.
 * ctx_out receives the context after the last run (data and data_end 0).
 */
struct kbpf_prog_test_run_attr {
	__u32		size;		/* in: sizeof(struct kbpf_prog_test_run_attr) */
	__u32		prog_id;	/* in: program to run */
	__aligned_u64	data_in;	/* in: pointer to the packet bytes */
	__u32		data_size_in;	/* in: their length */
	__u32		repeat;		/* in: number of runs, 0 = 1 */
	__aligned_u64	data_out;	/* in: where to copy the packet after the
					 * last run, or 0
					 */
	__u32		data_size_out;	/* in: room at data_out; out: bytes copied */
	__u32		retval;		/* out: r0 of the last run */
	__u64		duration_ns;	/* out: average nanoseconds per run */
	__aligned_u64	ctx_in;		/* in: struct kbpf_nf_ctx, or 0 */
	__u32		ctx_size_in;	/* in: its size, 0 without ctx_in */
	__u32		ctx_size_out;	/* in: room at ctx_out; out: bytes copied */
	__aligned_u64	ctx_out;	/* in: where the context goes, or 0 */
	__aligned_u64	log_buf;	/* in: where a refusal's reason goes, or 0 */
	__u32		log_size;	/* in: its size (NUL-terminated, cut) */
	__u32		__reserved;	/* must be 0 */
};
#define KBPF_PROG_TEST_RUN_ATTR_SIZE_VER0	48

/*
 * Packet capture through a RINGBUF map (`kbpfctl capture MAP -w FILE.pcap`).
 * A program that wants a packet seen by userspace reserves one ring buffer
 * record holding this header followed by caplen bytes of the packet from its
 * network header on (what ctx->data points at: the IPv4 or IPv6 header, no
 * link-layer header), and submits it.  kbpfctl writes each record as one
 * pcap packet of link type RAW (IPv4 or IPv6 by the version nibble), with
 * the original length len and the timestamp converted to the wall clock.
 * Records shorter than the header, or whose caplen overruns the record, are
 * skipped and counted.
 */
struct kbpf_capture_hdr {
	__u64	tstamp_ns;	/* bpf_ktime_get_boot_ns() (CLOCK_BOOTTIME) */
	__u32	ifindex;	/* ctx->ifindex: the device it came in or goes out */
	__u32	len;		/* ctx->len: the packet's whole length */
	__u32	caplen;		/* bytes of the packet that follow the header */
	__u32	__reserved;	/* 0 */
};

/*
 * KBPF_IOC_TRACE_OPEN: open the output of bpf_printk (trace_printk, helper
 * 6) of one program (prog_id) or of every program (prog_id 0).  Needs
 * CAP_NET_ADMIN.  Returns a new file descriptor (close-on-exec; O_NONBLOCK
 * when flags has KBPF_TRACE_NONBLOCK) that is read with read(2) and waited
 * on with poll(2)/epoll (EPOLLIN: lines are ready).
 *
 * Each program that calls trace_printk has its own bounded buffer of lines
 * (its size is the profile's trace_lines: 1024 cloud, 32 embedded).  A
 * program never waits for a reader: when its buffer is full, new lines
 * are dropped and counted.  Reading consumes lines, so two readers of the
 * same program share them.
 *
 * read(2) returns whole lines only, at least one, and needs a buffer of at
 * least KBPF_TRACE_LINE_MAX bytes (else EINVAL).  It blocks until a line
 * is ready (EAGAIN with O_NONBLOCK).  A one-program descriptor returns 0
 * (end of file) once its program has been unloaded and every line read.
 * Lines of the all-programs descriptor come oldest first across programs.
 * Each line is ASCII text:
 *
 *   <seconds>.<microseconds> <cpu> <prog id> <prog name>: <message>\n
 *
 * where the time is CLOCK_BOOTTIME when the line was written (the clock of
 * bpf_ktime_get_boot_ns()), the name is "-" for an unnamed program and the
 * message is the formatted text, at most 232 bytes, with a trailing
 * newline removed and control characters shown as '.'.  When lines were
 * dropped just before a line, a line of the form
 *
 *   <seconds>.<microseconds> <cpu> <prog id> <prog name>! <count> dropped\n
 *
 * (note '!' for ':') comes first, with the time and CPU of the line that
 * follows.
 */
struct kbpf_trace_open_attr {
	__u32	size;		/* in: sizeof(struct kbpf_trace_open_attr) */
	__u32	prog_id;	/* in: one program, or 0 for every program */
	__u32	flags;		/* in: KBPF_TRACE_* */
	__u32	__reserved;	/* must be 0 */
};

#define KBPF_TRACE_NONBLOCK	0x1
/* A read(2) buffer this big always holds at least one line. */
#define KBPF_TRACE_LINE_MAX	512

/*
 * Control ioctls (numbers 32 and up): every operation of the netlink family
 * has one here too, so that a system can be driven through /dev/kbpf alone.
 * They share one implementation with the netlink commands (same checks,
 * same permissions as Permissions above, same messages) and allocate
 * nothing from the kernel: in the embedded profile the module's pool is
 * the only memory they touch (attach, for its link and run list), and
 * listing, showing and the feature query work on a full pool.  Netlink
 * stays for what only it can do: the "events" multicast group.
 *
 * Every control ioctl's struct begins with struct kbpf_ctl_hdr.  A request
 * that fails with a reason the module can name (e.g. "no such program",
 * "program already attached to this hook in this namespace", an admission
 * refusal with its figures) writes it, one NUL-terminated line cut to
 * log_size bytes, to log_buf; the netlink command's extack carries the same
 * text.  log_buf and log_size go together (both 0: no reason wanted).
 * Reserved members and flags the ioctl does not define must be 0 (EINVAL).
 *
 * Objects are named by id or, when the id is 0, by name (as KBPF_A_*_ID or
 * _NAME in netlink): ENOENT "no such program/map", ENOTUNIQ when the name
 * is used in several namespaces, EINVAL when neither is given.
 *
 * Lists walk ids, as Linux's BPF_PROG_GET_NEXT_ID: start at 0, ask for the
 * next id after the one returned until ENOENT.  Objects created or removed
 * meanwhile may or may not be seen; none is seen twice.
 *
 * Arrays the module fills (a program's attachments, a hook point's chain)
 * are the caller's: a pointer, a count of records it has room for (in) and
 * the count there are (out), and the size of one record as the caller knows
 * it (rec_size, at least KBPF_ATTACH_INFO_SIZE_VER0, at most 4096): each
 * record is written over rec_size bytes, zero past what the module knows.
 * Too little room fills what fits and fails with ENOSPC, the count telling
 * how many there are; a null pointer asks for the count only (room and
 * rec_size are then not looked at).  The records
 * are read in pieces without holding the registry across the copy, so an
 * attach or detach meanwhile may shift the list by one.
 */
#define KBPF_IOC_GET_VERSION	_IO(KBPF_IOC_MAGIC, 32)	/* kbpf_version_attr */
#define KBPF_IOC_PROG_GET_NEXT_ID _IO(KBPF_IOC_MAGIC, 33) /* kbpf_next_id_attr */
#define KBPF_IOC_MAP_GET_NEXT_ID _IO(KBPF_IOC_MAGIC, 34) /* kbpf_next_id_attr */
#define KBPF_IOC_PROG_GET_INFO	_IO(KBPF_IOC_MAGIC, 35)	/* kbpf_prog_info_attr */
#define KBPF_IOC_MAP_GET_INFO	_IO(KBPF_IOC_MAGIC, 36)	/* kbpf_map_info_attr */
#define KBPF_IOC_PROG_ATTACH	_IO(KBPF_IOC_MAGIC, 37)	/* kbpf_prog_attach_attr */
#define KBPF_IOC_PROG_DETACH	_IO(KBPF_IOC_MAGIC, 38)	/* kbpf_prog_detach_attr */
#define KBPF_IOC_PROG_REPLACE	_IO(KBPF_IOC_MAGIC, 39)	/* kbpf_prog_replace_attr */
#define KBPF_IOC_PROG_UNLOAD	_IO(KBPF_IOC_MAGIC, 40)	/* kbpf_obj_attr */
#define KBPF_IOC_MAP_DESTROY	_IO(KBPF_IOC_MAGIC, 41)	/* kbpf_obj_attr */
#define KBPF_IOC_HOOK_GET_NEXT	_IO(KBPF_IOC_MAGIC, 42)	/* kbpf_hook_next_attr */
#define KBPF_IOC_HOOK_GET_INFO	_IO(KBPF_IOC_MAGIC, 43)	/* kbpf_hook_info_attr */
#define KBPF_IOC_HOOK_SET	_IO(KBPF_IOC_MAGIC, 44)	/* kbpf_hook_set_attr */
#define KBPF_IOC_FEATURE_GET	_IO(KBPF_IOC_MAGIC, 45)	/* kbpf_feature_get_attr */
#define KBPF_IOC_FEATURE_SET	_IO(KBPF_IOC_MAGIC, 46)	/* kbpf_feature_set_attr */

/* The first member of every control ioctl's struct. */
struct kbpf_ctl_hdr {
	__u32		size;		/* in: sizeof the whole ioctl struct */
	__u32		flags;		/* in: the ioctl's KBPF_*_F_*, else 0 */
	__aligned_u64	log_buf;	/* in: where a failure's reason goes */
	__u32		log_size;	/* in: its size, 0 = no reason wanted */
	__u32		__reserved;	/* must be 0 */
};

/* Longest reason a control ioctl writes, NUL included. */
#define KBPF_CTL_LOG_SIZE	128
/* Room for a device name (IFNAMSIZ) and a module name, NUL included. */
#define KBPF_IFNAME_LEN		16
#define KBPF_MODULE_NAME_LEN	64

/*
 * A hook point: (family, hook, netfilter priority) in the caller's network
 * namespace, and for netdev/ingress the device (ifindex, else 0).
 */
struct kbpf_hook_id {
	__u32	family;		/* enum kbpf_nf_family */
	__u32	hook;		/* enum kbpf_nf_hook */
	__s32	nf_prio;	/* KBPF_NF_PRIO_MIN..KBPF_NF_PRIO_MAX */
	__u32	ifindex;	/* netdev/ingress: the device; else 0 */
};

/* Counters of an attachment or a hook point (KBPF_STATS_A_*). */
struct kbpf_stats {
	__u64	runs;		/* programs run (hook: packets seen) */
	__u64	accepts;
	__u64	drops;
	__u64	overruns;	/* runs stopped by their budget */
	__u64	misses;		/* runs finished after their deadline */
	__u64	queued;		/* observer requests queued */
	__u64	queue_drops;	/* lost to a full queue */
	__u64	queue_hwm;	/* deepest queue seen at an enqueue */
	__u64	run_time_ns;	/* while statistics are on */
	__u64	run_time_max_ns;
};

/* One attachment (KBPF_A_ATTACHMENT): of a program, or in a chain. */
struct kbpf_attach_info {
	__u32	family;		/* the hook point */
	__u32	hook;
	__s32	nf_prio;
	__u32	ifindex;	/* netdev/ingress, else 0 */
	char	ifname[KBPF_IFNAME_LEN]; /* its name, else "" */
	__u64	netns_cookie;	/* namespace the hook point lives in */
	__u32	prog_id;
	__s32	sched_prio;	/* kbpf priority in the chain */
	char	prog_name[KBPF_OBJ_NAME_LEN];
	__u32	budget;		/* instructions per run */
	__u32	miss_verdict;	/* KBPF_NF_DROP or KBPF_NF_ACCEPT */
	__u64	deadline_ns;	/* relative deadline */
	__u32	mode;		/* enum kbpf_attach_mode */
	__u32	policy;		/* the hook point's, in effect */
	struct kbpf_stats stats;
};
#define KBPF_ATTACH_INFO_SIZE_VER0	168

/*
 * KBPF_IOC_GET_VERSION (KBPF_CMD_GET_VERSION): anyone who has the device
 * open.
 */
struct kbpf_version_attr {
	struct kbpf_ctl_hdr hdr;
	__u32	version;	/* out: KBPF_ABI_VERSION */
	__u32	nr_cpus;	/* out: possible CPUs (per-CPU value count) */
	char	profile[KBPF_OBJ_NAME_LEN];	/* out: "cloud" or "embedded" */
	char	module_version[KBPF_MODULE_VERSION_LEN]; /* out: "0.2" */
	__u64	map_bytes_max;	/* out: memory one map may use */
	__u64	maps_bytes_max;	/* out: memory all maps may use together */
	__u64	maps_bytes_used; /* out: memory all maps use now */
};

/*
 * KBPF_IOC_PROG_GET_NEXT_ID, KBPF_IOC_MAP_GET_NEXT_ID: the least id above
 * start_id of a program (map) the caller sees; ENOENT after the last.
 */
struct kbpf_next_id_attr {
	struct kbpf_ctl_hdr hdr;
	__u32	start_id;	/* in: 0 for the first */
	__u32	next_id;	/* out */
};

/*
 * KBPF_IOC_PROG_GET_INFO (KBPF_CMD_PROG_GET): a program by id or name, its
 * counters and its attachments (see "Arrays" above).
 */
struct kbpf_prog_info_attr {
	struct kbpf_ctl_hdr hdr;
	__u32	prog_id;	/* in (0: by name) / out */
	char	name[KBPF_OBJ_NAME_LEN]; /* in (when prog_id is 0) / out */
	__u32	prog_type;	/* out: enum kbpf_prog_type */
	__u32	insn_cnt;	/* out: instruction slots */
	__u32	engine;		/* out: enum kbpf_engine */
	char	native_module[KBPF_MODULE_NAME_LEN]; /* out: when native */
	__u64	netns_cookie;	/* out: the namespace owning it */
	__u64	run_cnt;	/* out: times run on packets */
	__u64	run_time_ns;	/* out: total time of those runs */
	__u64	worst_case;	/* out: instructions, or _UNBOUNDED */
	__aligned_u64 attachments; /* in: struct kbpf_attach_info[], or 0 */
	__u32	attach_cnt;	/* in: room there; out: attachments in all */
	__u32	attach_rec_size; /* in: size of one record */
};

/* KBPF_IOC_MAP_GET_INFO (KBPF_CMD_MAP_GET): a map by id or name. */
struct kbpf_map_info_attr {
	struct kbpf_ctl_hdr hdr;
	__u32	map_id;		/* in (0: by name) / out */
	char	name[KBPF_OBJ_NAME_LEN]; /* in (when map_id is 0) / out */
	__u32	map_type;	/* out: enum kbpf_map_type */
	__u32	key_size;	/* out */
	__u32	value_size;	/* out */
	__u32	max_entries;	/* out */
	__u32	map_flags;	/* out: KBPF_F_* it was created with */
	__u64	netns_cookie;	/* out: the namespace owning it */
	__u32	frozen;		/* out: 1 once frozen (KBPF_IOC_MAP_FREEZE) */
	__u32	__reserved;	/* must be 0 */
};

/*
 * KBPF_IOC_MAP_FREEZE: make a map read-only for userspace, for good (the
 * kernel's BPF_MAP_FREEZE), on a map the caller sees (see Permissions).
 * From then on KBPF_IOC_MAP_UPDATE and KBPF_IOC_MAP_DELETE fail with EPERM
 * and KBPF_CMD_MAP_RESIZE with EPERM; programs keep what KBPF_F_RDONLY_PROG
 * or KBPF_F_WRONLY_PROG allow them.  A frozen RDONLY_PROG map can change no
 * more: the verifier reads a frozen RDONLY_PROG single-element array (frozen
 * .rodata) at constant offsets as the constants it holds, as Linux does.
 * EBUSY: frozen already, being resized, being updated, or a writable mapping
 * of the map exists (a ring buffer's consumer page, KBPF_IOC_MAP_GET_FD);
 * once frozen, a writable mmap() fails with EPERM.  ENOENT: no such map.
 * A failure's one-line reason goes to hdr.log_buf (struct kbpf_ctl_hdr).
 * The ioctl's number is below the control ioctls': it changes what a map
 * holds.
 */
struct kbpf_map_freeze_attr {
	struct kbpf_ctl_hdr hdr;	/* flags: 0 */
	__u32	map_id;		/* in: the map */
	__u32	__reserved;	/* must be 0 */
};

/*
 * KBPF_IOC_PROG_ATTACH (KBPF_CMD_PROG_ATTACH): attach a program, named by
 * id or name, at a hook point of the caller's network namespace.  Zero
 * members take the defaults: netfilter priority 0, kbpf priority 0, the
 * profile's budget, the hook point's deadline, inline mode, and a run
 * stopped by its budget accepting the packet (KBPF_ATTACH_F_MISS_DROP:
 * dropping it).  Admission refusals say why, with the figures.
 */
#define KBPF_ATTACH_F_MISS_DROP	(1U << 0)

struct kbpf_prog_attach_attr {
	struct kbpf_ctl_hdr hdr;	/* flags: KBPF_ATTACH_F_* */
	__u32	prog_id;	/* in (0: by name) */
	char	name[KBPF_OBJ_NAME_LEN]; /* in, when prog_id is 0 */
	struct kbpf_hook_id hook; /* in: where */
	__s32	sched_prio;	/* in: kbpf priority, higher runs first */
	__u64	deadline_ns;	/* in: relative deadline, 0 = the hook's */
	__u32	budget;		/* in: instructions per run, 0 = default */
	__u32	mode;		/* in: enum kbpf_attach_mode */
};

/*
 * KBPF_IOC_PROG_DETACH (KBPF_CMD_PROG_DETACH): detach a program from one
 * hook of the caller's namespace (family, hook, and ifindex for
 * netdev/ingress), or with KBPF_DETACH_F_ALL from every hook there (family,
 * hook and ifindex then 0).
 */
#define KBPF_DETACH_F_ALL	(1U << 0)

struct kbpf_prog_detach_attr {
	struct kbpf_ctl_hdr hdr;	/* flags: KBPF_DETACH_F_* */
	__u32	prog_id;	/* in (0: by name) */
	char	name[KBPF_OBJ_NAME_LEN]; /* in, when prog_id is 0 */
	__u32	family;		/* in */
	__u32	hook;		/* in */
	__u32	ifindex;	/* in: netdev/ingress only */
};

/*
 * KBPF_IOC_PROG_REPLACE (KBPF_CMD_PROG_REPLACE): in every chain of the
 * caller's namespace where the old program is attached, put the new one in
 * its place with the same settings, all chains or none.
 */
struct kbpf_prog_replace_attr {
	struct kbpf_ctl_hdr hdr;
	__u32	prog_id;	/* in: the attached program (0: by name) */
	char	name[KBPF_OBJ_NAME_LEN];
	__u32	new_prog_id;	/* in: its replacement (0: by new_name) */
	char	new_name[KBPF_OBJ_NAME_LEN];
};

/*
 * KBPF_IOC_PROG_UNLOAD (KBPF_CMD_PROG_UNLOAD): detach everywhere and free.
 * KBPF_IOC_MAP_DESTROY (KBPF_CMD_MAP_DESTROY): EBUSY while a loaded
 * program uses the map or a descriptor of it is open.
 */
struct kbpf_obj_attr {
	struct kbpf_ctl_hdr hdr;
	__u32	id;		/* in (0: by name) */
	char	name[KBPF_OBJ_NAME_LEN]; /* in, when id is 0 */
	__u32	__reserved;	/* must be 0 */
};

/*
 * KBPF_IOC_HOOK_GET_NEXT (KBPF_CMD_HOOK_GET's walk): the hook point of the
 * caller's namespace that follows start in the order (family, hook,
 * ifindex, nf_prio); start.family 0 asks for the first.  ENOENT after the
 * last.
 */
struct kbpf_hook_next_attr {
	struct kbpf_ctl_hdr hdr;
	struct kbpf_hook_id start;	/* in */
	struct kbpf_hook_id next;	/* out */
};

/*
 * KBPF_IOC_HOOK_GET_INFO (KBPF_CMD_HOOK_GET): a hook point of the caller's
 * namespace, its settings and counters, and its chain in run order (see
 * "Arrays" above).  ENOENT: nothing is attached or set there.
 */
struct kbpf_hook_info_attr {
	struct kbpf_ctl_hdr hdr;
	struct kbpf_hook_id hook;	/* in */
	char	ifname[KBPF_IFNAME_LEN]; /* out: netdev/ingress device */
	__u32	policy;		/* out: in effect (never _DEFAULT) */
	__u32	chain_cnt;	/* in: room at chain; out: programs in all */
	__u64	deadline_ns;	/* out: in effect */
	__aligned_u64 chain;	/* in: struct kbpf_attach_info[], or 0 */
	__u32	chain_rec_size;	/* in: size of one record */
	__u32	__reserved;	/* must be 0 */
	struct kbpf_stats stats; /* out */
};

/*
 * KBPF_IOC_HOOK_SET (KBPF_CMD_HOOK_SET): override a hook point's policy
 * (KBPF_HOOK_SET_F_POLICY; KBPF_SCHED_DEFAULT goes back to the module's)
 * and/or deadline (KBPF_HOOK_SET_F_DEADLINE; 0 goes back to the
 * profile's).  Admins of the caller's namespace.
 */
#define KBPF_HOOK_SET_F_POLICY		(1U << 0)
#define KBPF_HOOK_SET_F_DEADLINE	(1U << 1)

struct kbpf_hook_set_attr {
	struct kbpf_ctl_hdr hdr;	/* flags: KBPF_HOOK_SET_F_* */
	struct kbpf_hook_id hook;	/* in */
	__u32	policy;		/* in: enum kbpf_sched_policy */
	__u32	__reserved;	/* must be 0 */
	__u64	deadline_ns;	/* in */
};

/*
 * KBPF_IOC_FEATURE_GET (KBPF_CMD_FEATURE_GET): the profile, the default
 * policy, every limit (KBPF_FEAT_A_*) and the pool's usage.  Anyone who
 * has the device open, as for netlink.
 */
struct kbpf_feature_get_attr {
	struct kbpf_ctl_hdr hdr;
	char	profile[KBPF_OBJ_NAME_LEN];	/* out */
	__u32	policy;			/* out: the module's default */
	__u32	stats_enabled;		/* out: 1 while run times are kept */
	__u64	max_insns;
	__u64	max_processed_insns;
	__u64	max_states;
	__u64	max_maps_per_prog;
	__u64	max_key_size;
	__u64	max_value_size;
	__u64	max_entries;
	__u64	max_progs;
	__u64	max_maps;
	__u64	max_chain;		/* attachments per hook point */
	__u64	default_budget;		/* instructions */
	__u64	default_deadline_ns;
	__u64	ns_per_insn;		/* admission's cost model */
	__u64	queue_len;		/* observer requests per CPU */
	__u64	snap_len;		/* bytes an observer sees */
	__u64	pool_size;		/* embedded pool bytes, 0 = elastic */
	__u64	pool_used;
	__u64	pool_peak;
	__u64	max_verifier_bytes;	/* verifier memory per load */
	__u64	max_map_bytes;		/* one map's memory */
	__u64	max_maps_bytes;		/* all maps' memory */
	__u64	maps_bytes_used;	/* of it, in use */
	__u64	trace_lines;		/* per-program trace buffer */
};

/*
 * KBPF_IOC_FEATURE_SET (KBPF_CMD_FEATURE_SET): with KBPF_FEATURE_SET_F_STATS,
 * switch run-time statistics on (stats_enabled 1) or off (0).  They are
 * module-wide: the initial namespace's admin only.
 */
#define KBPF_FEATURE_SET_F_STATS	(1U << 0)

struct kbpf_feature_set_attr {
	struct kbpf_ctl_hdr hdr;	/* flags: KBPF_FEATURE_SET_F_* */
	__u32	stats_enabled;	/* in: 0 or 1 */
	__u32	__reserved;	/* must be 0 */
};

/*
 * Generic netlink family "kbpf".
 *
 * Commands (request attributes -> reply attributes):
 *
 * KBPF_CMD_GET_VERSION   () -> KBPF_A_VERSION, KBPF_A_PROFILE,
 *                        KBPF_A_MODULE_VERSION, KBPF_A_NR_CPUS,
 *                        KBPF_A_MAP_BYTES_MAX, KBPF_A_MAPS_BYTES_MAX,
 *                        KBPF_A_MAPS_BYTES_USED
 * KBPF_CMD_PROG_GET      do: KBPF_A_PROG_ID or KBPF_A_PROG_NAME; dump: all
 *                        programs the caller sees, or the one named by
 *                        KBPF_A_PROG_ID or _NAME
 *                        -> KBPF_A_PROG_ID, _NAME, _TYPE, _INSN_CNT,
 *                           _RUN_CNT, _RUN_TIME_NS, _ENGINE (and
 *                           _NATIVE_MODULE when native code runs it),
 *                           KBPF_A_NETNS_COOKIE
 *                           (owner), KBPF_A_PROG_ATTACH_CNT, one
 *                           KBPF_A_ATTACHMENT (nested, KBPF_ATTACH_A_*) per
 *                           attachment.  A dump lists every attachment: a
 *                           program whose attachments do not fit in one
 *                           message continues in the next messages, each
 *                           repeating all attributes but the attachments
 *                           already sent.  The do reply holds the
 *                           attachments that fit in one message; compare
 *                           with KBPF_A_PROG_ATTACH_CNT.
 * KBPF_CMD_PROG_ATTACH   KBPF_A_PROG_ID or _NAME, KBPF_A_NF_FAMILY,
 *                        KBPF_A_NF_HOOK, optional KBPF_A_NF_PRIORITY (default
 *                        0) -> KBPF_A_PROG_ID.  Attaches in the requester's
 *                        network namespace.  netdev/ingress also needs
 *                        KBPF_A_IFINDEX, a device of that namespace; other
 *                        hooks refuse it.
 * KBPF_CMD_PROG_DETACH   KBPF_A_PROG_ID or _NAME, optional KBPF_A_NF_FAMILY
 *                        and KBPF_A_NF_HOOK (and KBPF_A_IFINDEX for
 *                        netdev/ingress): detach from that hook, or from
 *                        every hook in the requester's namespace.
 * KBPF_CMD_PROG_UNLOAD   KBPF_A_PROG_ID or _NAME: detach everywhere and free.
 * KBPF_CMD_MAP_GET       do: KBPF_A_MAP_ID or KBPF_A_MAP_NAME; dump: all,
 *                        or the one named
 *                        -> KBPF_A_MAP_ID, _NAME, _TYPE, _KEY_SIZE,
 *                           _VALUE_SIZE, _MAX_ENTRIES, KBPF_A_NETNS_COOKIE,
 *                           KBPF_A_MAP_FLAGS, KBPF_A_MAP_FROZEN
 * KBPF_CMD_MAP_DESTROY   KBPF_A_MAP_ID or _NAME.  Fails with EBUSY while a
 *                        loaded program uses the map.
 * KBPF_CMD_EVENT         multicast on group "events" only: KBPF_A_EVENT and
 *                        the object's id and name (and hook for attach and
 *                        detach, with KBPF_A_IFINDEX at netdev/ingress).
 * KBPF_CMD_PROG_REPLACE  KBPF_A_PROG_ID or _NAME (the attached program),
 *                        KBPF_A_NEW_PROG_ID or _NEW_PROG_NAME: in every chain
 *                        of the requester's namespace where the old program
 *                        is attached, put the new one in its place with the
 *                        same settings, all chains or none.  Each packet sees
 *                        exactly one of the two.  [admin]
 * KBPF_CMD_HOOK_GET      dump: every hook point of the requester's namespace
 *                        -> KBPF_A_NF_FAMILY, _NF_HOOK, _NF_PRIORITY,
 *                           KBPF_A_IFINDEX and _IFNAME (netdev/ingress),
 *                           KBPF_A_POLICY, KBPF_A_DEADLINE_NS (the hook's),
 *                           KBPF_A_STATS (nest, KBPF_STATS_A_*), one
 *                           KBPF_A_ATTACHMENT per program in run order.
 * KBPF_CMD_HOOK_SET      KBPF_A_NF_FAMILY, _NF_HOOK, optional _NF_PRIORITY,
 *                        KBPF_A_IFINDEX (netdev/ingress only, required),
 *                        optional KBPF_A_POLICY and KBPF_A_DEADLINE_NS:
 *                        override the hook point's policy or deadline
 *                        (KBPF_SCHED_DEFAULT, 0: back to the default).
 *                        [admin]
 * KBPF_CMD_FEATURE_GET   () -> KBPF_A_PROFILE, KBPF_A_POLICY, KBPF_A_FEATURE
 *                        (nest, KBPF_FEAT_A_*: limits and pool usage)
 * KBPF_CMD_FEATURE_SET   KBPF_A_STATS_ENABLED: switch run-time statistics
 *                        on (1) or off (0).  [admin]
 * KBPF_CMD_MAP_RESIZE    KBPF_A_MAP_ID or _NAME, KBPF_A_MAP_MAX_ENTRIES: give
 *                        an array, per-CPU array or hash map that many
 *                        entries (cloud profile only; EOPNOTSUPP otherwise).
 *                        An array keeps the elements both sizes have, new
 *                        ones are zero; a hash map refuses to shrink below
 *                        its element count (EBUSY), an LRU one evicts; an
 *                        array whose values a loaded program addresses
 *                        directly (global data) keeps its size (EBUSY).
 *                        E2BIG past max_entries or the memory limits.
 *
 * Who may do what: see Permissions at the top.  Errors come with an extended
 * ack message, a dump's error in its final NLMSG_DONE message.
 */
#define KBPF_GENL_NAME		"kbpf"
#define KBPF_GENL_VERSION	1
#define KBPF_GENL_MCGRP_EVENTS	"events"

enum kbpf_cmd {
	KBPF_CMD_UNSPEC,
	KBPF_CMD_GET_VERSION,
	KBPF_CMD_PROG_GET,
	KBPF_CMD_PROG_ATTACH,
	KBPF_CMD_PROG_DETACH,
	KBPF_CMD_PROG_UNLOAD,
	KBPF_CMD_MAP_GET,
	KBPF_CMD_MAP_DESTROY,
	KBPF_CMD_EVENT,
	KBPF_CMD_PROG_REPLACE,
	KBPF_CMD_HOOK_GET,
	KBPF_CMD_HOOK_SET,
	KBPF_CMD_FEATURE_GET,
	KBPF_CMD_FEATURE_SET,
	KBPF_CMD_MAP_RESIZE,
	__KBPF_CMD_MAX,
};
#define KBPF_CMD_MAX (__KBPF_CMD_MAX - 1)

enum kbpf_attr {
	KBPF_A_UNSPEC,
	KBPF_A_VERSION,		/* u32: KBPF_ABI_VERSION of the module */
	KBPF_A_PROFILE,		/* string: "cloud" or "embedded" */
	KBPF_A_PROG_ID,		/* u32 */
	KBPF_A_PROG_NAME,	/* string, < KBPF_OBJ_NAME_LEN */
	KBPF_A_PROG_TYPE,	/* u32: enum kbpf_prog_type */
	KBPF_A_PROG_INSN_CNT,	/* u32: instruction slots */
	KBPF_A_PROG_RUN_CNT,	/* u64: times run on packets */
	KBPF_A_PROG_RUN_TIME_NS, /* u64: total time of those runs */
	KBPF_A_ATTACHMENT,	/* nest: KBPF_ATTACH_A_* */
	KBPF_A_NF_FAMILY,	/* u32: enum kbpf_nf_family */
	KBPF_A_NF_HOOK,		/* u32: enum kbpf_nf_hook */
	KBPF_A_NF_PRIORITY,	/* s32: KBPF_NF_PRIO_MIN..KBPF_NF_PRIO_MAX */
	KBPF_A_MAP_ID,		/* u32 */
	KBPF_A_MAP_NAME,	/* string, < KBPF_OBJ_NAME_LEN */
	KBPF_A_MAP_TYPE,	/* u32: enum kbpf_map_type */
	KBPF_A_MAP_KEY_SIZE,	/* u32 */
	KBPF_A_MAP_VALUE_SIZE,	/* u32 */
	KBPF_A_MAP_MAX_ENTRIES,	/* u32 */
	KBPF_A_EVENT,		/* u32: enum kbpf_event */
	KBPF_A_PAD,
	KBPF_A_MODULE_VERSION,	/* string: release of kbpf.ko, e.g. "0.2" */
	KBPF_A_NR_CPUS,		/* u32: possible CPUs (per-CPU value count) */
	KBPF_A_MAP_BYTES_MAX,	/* u64: memory one map may use */
	KBPF_A_MAPS_BYTES_MAX,	/* u64: memory all maps may use together */
	KBPF_A_MAPS_BYTES_USED,	/* u64: memory all maps use now (worst case) */
	KBPF_A_PROG_ENGINE,	/* u32: enum kbpf_engine */
	KBPF_A_PROG_NATIVE_MODULE, /* string: the module whose code runs it */
	KBPF_A_NETNS_COOKIE,	/* u64: the namespace owning the object */
	KBPF_A_PROG_ATTACH_CNT,	/* u32: the program's attachments, in all */
	KBPF_A_SCHED_PRIO,	/* s32: kbpf priority in the chain, higher first */
	KBPF_A_BUDGET,		/* u32: instruction budget per run, 0 = default */
	KBPF_A_DEADLINE_NS,	/* u64: relative deadline (attachment or hook),
				 * 0 = the default
				 */
	KBPF_A_MISS_VERDICT,	/* u32: KBPF_NF_DROP or KBPF_NF_ACCEPT */
	KBPF_A_MODE,		/* u32: enum kbpf_attach_mode */
	KBPF_A_POLICY,		/* u32: enum kbpf_sched_policy */
	KBPF_A_NEW_PROG_ID,	/* u32: replacement of PROG_REPLACE */
	KBPF_A_NEW_PROG_NAME,	/* string: replacement of PROG_REPLACE */
	KBPF_A_WORST_CASE,	/* u64: instructions, or KBPF_WORST_CASE_UNBOUNDED */
	KBPF_A_STATS,		/* nest: KBPF_STATS_A_* */
	KBPF_A_STATS_ENABLED,	/* u32: run-time statistics on (1) or off */
	KBPF_A_FEATURE,		/* nest: KBPF_FEAT_A_* */
	KBPF_A_IFINDEX,		/* u32: device of a netdev/ingress hook point */
	KBPF_A_IFNAME,		/* string: its name, in hook dumps */
	KBPF_A_MAP_FLAGS,	/* u32: KBPF_F_* the map was created with */
	KBPF_A_MAP_FROZEN,	/* u32: 1 once frozen (KBPF_IOC_MAP_FREEZE) */
	__KBPF_A_MAX,
};
#define KBPF_A_MAX (__KBPF_A_MAX - 1)

/*
 * What runs a program (KBPF_A_PROG_ENGINE).  A program runs natively when a
 * module built by `kbpfctl prog build` from the same bytecode was loaded
 * before the program; see docs/architecture.md, "Native code".
 */
enum kbpf_engine {
	KBPF_ENGINE_INTERPRETER,
	KBPF_ENGINE_NATIVE,
};

/* Attributes nested in KBPF_A_ATTACHMENT. */
enum kbpf_attach_attr {
	KBPF_ATTACH_A_UNSPEC,
	KBPF_ATTACH_A_NF_FAMILY,	/* u32: enum kbpf_nf_family */
	KBPF_ATTACH_A_NF_HOOK,		/* u32: enum kbpf_nf_hook */
	KBPF_ATTACH_A_NF_PRIORITY,	/* s32 */
	KBPF_ATTACH_A_NETNS_COOKIE,	/* u64: namespace the hook lives in */
	KBPF_ATTACH_A_SCHED_PRIO,	/* s32: kbpf priority in the chain */
	KBPF_ATTACH_A_BUDGET,		/* u32: instructions per run */
	KBPF_ATTACH_A_DEADLINE_NS,	/* u64: relative deadline */
	KBPF_ATTACH_A_MISS_VERDICT,	/* u32: verdict on a budget overrun */
	KBPF_ATTACH_A_MODE,		/* u32: enum kbpf_attach_mode */
	KBPF_ATTACH_A_PROG_ID,		/* u32: in hook dumps */
	KBPF_ATTACH_A_PROG_NAME,	/* string: in hook dumps */
	KBPF_ATTACH_A_STATS,		/* nest: KBPF_STATS_A_* */
	KBPF_ATTACH_A_POLICY,		/* u32: policy of the hook point */
	KBPF_ATTACH_A_IFINDEX,		/* u32: device (netdev/ingress) */
	KBPF_ATTACH_A_IFNAME,		/* string: its name */
	__KBPF_ATTACH_A_MAX,
};
#define KBPF_ATTACH_A_MAX (__KBPF_ATTACH_A_MAX - 1)

/*
 * Counters of an attachment or a hook point (summed over CPUs), all u64.
 * RUN_TIME_NS and RUN_TIME_MAX_NS advance only while statistics are on.
 */
enum kbpf_stats_attr {
	KBPF_STATS_A_UNSPEC,
	KBPF_STATS_A_RUNS,		/* programs run (hook: packets seen) */
	KBPF_STATS_A_ACCEPTS,		/* accept verdicts */
	KBPF_STATS_A_DROPS,		/* drop verdicts */
	KBPF_STATS_A_OVERRUNS,		/* runs stopped by their budget */
	KBPF_STATS_A_MISSES,		/* runs finished after their deadline */
	KBPF_STATS_A_QUEUED,		/* observer requests queued */
	KBPF_STATS_A_QUEUE_DROPS,	/* observer requests lost to a full queue */
	KBPF_STATS_A_QUEUE_HWM,		/* deepest queue seen at an enqueue */
	KBPF_STATS_A_RUN_TIME_NS,	/* total run time */
	KBPF_STATS_A_RUN_TIME_MAX_NS,	/* longest run */
	KBPF_STATS_A_PAD,
	__KBPF_STATS_A_MAX,
};
#define KBPF_STATS_A_MAX (__KBPF_STATS_A_MAX - 1)

/* Features and limits of the running module, all u64 unless noted. */
enum kbpf_feature_attr {
	KBPF_FEAT_A_UNSPEC,
	KBPF_FEAT_A_STATS_ENABLED,	/* u32 */
	KBPF_FEAT_A_MAX_INSNS,
	KBPF_FEAT_A_MAX_PROCESSED_INSNS,
	KBPF_FEAT_A_MAX_STATES,
	KBPF_FEAT_A_MAX_MAPS_PER_PROG,
	KBPF_FEAT_A_MAX_KEY_SIZE,
	KBPF_FEAT_A_MAX_VALUE_SIZE,
	KBPF_FEAT_A_MAX_ENTRIES,
	KBPF_FEAT_A_MAX_PROGS,
	KBPF_FEAT_A_MAX_MAPS,
	KBPF_FEAT_A_MAX_CHAIN,		/* attachments per hook point */
	KBPF_FEAT_A_DEFAULT_BUDGET,	/* instructions */
	KBPF_FEAT_A_DEFAULT_DEADLINE_NS,
	KBPF_FEAT_A_NS_PER_INSN,	/* admission's cost model */
	KBPF_FEAT_A_QUEUE_LEN,		/* observer requests per CPU */
	KBPF_FEAT_A_SNAP_LEN,		/* bytes an observer sees */
	KBPF_FEAT_A_POOL_SIZE,		/* embedded pool bytes, 0 = elastic */
	KBPF_FEAT_A_POOL_USED,
	KBPF_FEAT_A_POOL_PEAK,
	KBPF_FEAT_A_PAD,
	KBPF_FEAT_A_MAX_VERIFIER_BYTES,	/* verifier memory per load */
	KBPF_FEAT_A_MAX_MAP_BYTES,	/* one map's memory */
	KBPF_FEAT_A_MAX_MAPS_BYTES,	/* all maps' memory (max_map_memory) */
	KBPF_FEAT_A_MAPS_BYTES_USED,	/* of it, in use */
	KBPF_FEAT_A_TRACE_LINES,	/* per-program trace buffer */
	__KBPF_FEAT_A_MAX,
};
#define KBPF_FEAT_A_MAX (__KBPF_FEAT_A_MAX - 1)

/* Values of KBPF_A_EVENT. */
enum kbpf_event {
	KBPF_EVENT_UNSPEC,
	KBPF_EVENT_PROG_LOADED,
	KBPF_EVENT_PROG_UNLOADED,
	KBPF_EVENT_PROG_ATTACHED,
	KBPF_EVENT_PROG_DETACHED,
	KBPF_EVENT_MAP_CREATED,
	KBPF_EVENT_MAP_DESTROYED,
};

#endif /* _UAPI_LINUX_KBPF_H */
