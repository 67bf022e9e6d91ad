// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic fault-injection walk (fuzz_abi --fault-walk KBPF_KO):
 * for each scenario -- loading the module, loading programs, creating every
 * map type, element updates, lookups and deletes, test runs, attach,
 * detach, unload, destroy, dumps -- make the 1st, 2nd, 3rd, ... allocation
 * (or user copy) of the request fail through /proc/thread-self/fail-nth,
 * until the request runs without reaching the n-th one.  Each failure must
 * be a clean error of a sensible errno that changed nothing (the object is
 * not listed, the link not made, the element not written, the module not
 * half-registered); a request that absorbed the failure and succeeded must
 * have done everything.  The kernel's side (no WARN, no KASAN report, no
 * lockdep splat, nothing for kmemleak after rmmod) is guest.sh's to check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fuzz.h"

static int nth_fd = -1;
static unsigned int max_nth;
static unsigned long injected, absorbed, walks, incomplete;

static void nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len) {
		perror("fail-nth");
		exit(2);
	}
}

/* Reset fail-nth; true when the n-th fault point was reached (and failed). */
static bool nth_fired(void)
{
	char buf[16] = "";
	bool fired;

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0) {
		perror("fail-nth");
		exit(2);
	}
	fired = atoi(buf) == 0;
	nth_set(0);
	return fired;
}

static bool fault_errno_ok(int err, bool netlink)
{
	switch (-err) {
	case ENOMEM:
		return true;
	case EFAULT:	/* a failed user copy */
		return !netlink;
	case ENOBUFS:	/* the reply or the ack could not be allocated */
		return netlink;
	default:
		return false;
	}
}

/* ---- scenarios ------------------------------------------------------------ */

/*
 * A scenario sets up what its request needs (no faults), runs the request
 * once (under fail-nth), checks the outcome against the listing, and undoes
 * whatever exists afterwards so that the next round starts the same.
 */
struct scenario {
	const char *name;
	bool netlink;
	int (*setup)(void);
	int (*run)(void);
	/* Did the request take effect?  1 yes, 0 no, -1 broken state. */
	int (*effect)(void);
	void (*undo)(void);
};

static const struct kbpf_insn accept_prog[] = {
	{ .code = 0xb7, .dst_reg = 0, .imm = 1 },	/* r0 = 1 */
	{ .code = 0x95 },				/* exit */
};

/* r1 = map; r2 = fp - 8 (a zero key); lookup; r0 = 1; exit */
static struct kbpf_insn map_prog[] = {
	{ .code = 0x7a, .dst_reg = 10, .off = -8, .imm = 0 },	/* *(u64 *)(fp - 8) = 0 */
	{ .code = 0x18, .dst_reg = 1, .src_reg = KBPF_PSEUDO_MAP_ID },
	{ .code = 0 },
	{ .code = 0xbf, .dst_reg = 2, .src_reg = 10 },		/* r2 = fp */
	{ .code = 0x07, .dst_reg = 2, .imm = -8 },		/* r2 -= 8 */
	{ .code = 0x85, .imm = 1 },				/* map_lookup_elem */
	{ .code = 0xb7, .dst_reg = 0, .imm = 1 },
	{ .code = 0x95 },
};

static __u32 s_prog, s_map;
static __u32 s_key = 3;
static __u8 s_value[4096], s_old[4096];
static char s_log[4096];
static const char *const P_NAME = "fw_prog", *const M_NAME = "fw_map";

static const struct kraw_prog *listed_prog(const char *name)
{
	if (kraw_list(&F.k, F.list))
		return NULL;
	for (int i = 0; i < F.list->n_progs; i++)
		if (!strcmp(F.list->progs[i].name, name))
			return &F.list->progs[i];
	return NULL;
}

static const struct kraw_map *listed_map(const char *name)
{
	if (kraw_list(&F.k, F.list))
		return NULL;
	for (int i = 0; i < F.list->n_maps; i++)
		if (!strcmp(F.list->maps[i].name, name))
			return &F.list->maps[i];
	return NULL;
}

static int no_setup(void)
{
	return 0;
}

static void undo_prog(void)
{
	const struct kraw_prog *p = listed_prog(P_NAME);

	if (p)
		kraw_unload(&F.k, p->id);
}

static void undo_map(void)
{
	const struct kraw_map *m = listed_map(M_NAME);

	if (m)
		kraw_map_destroy(&F.k, m->id);
}

static void undo_all(void)
{
	undo_prog();
	undo_map();
	s_prog = s_map = 0;
}

/* Program load with a verifier log. */
static int run_prog_load(void)
{
	struct kbpf_prog_load_attr a = {
		.size = sizeof(a),
		.prog_type = KBPF_PROG_TYPE_NETFILTER,
		.insns = ptr_to_u64(accept_prog),
		.insn_cnt = ARRAY_SIZE(accept_prog),
		.log_level = KBPF_LOG_LEVEL_VERBOSE | KBPF_LOG_LEVEL_STATS,
		.log_buf = ptr_to_u64(s_log),
		.log_size = sizeof(s_log),
	};

	strcpy(a.name, P_NAME);
	return kraw_ioctl(&F.k, KBPF_IOC_PROG_LOAD, &a);
}

/* The loaded program must also run. */
static int effect_prog(void)
{
	const struct kraw_prog *p = listed_prog(P_NAME);
	struct kbpf_prog_test_run_attr t = { .size = sizeof(t) };
	__u8 pkt[20] = { 0x45 };

	if (!p)
		return 0;
	t.prog_id = p->id;
	t.data_in = ptr_to_u64(pkt);
	t.data_size_in = sizeof(pkt);
	if (kraw_ioctl(&F.k, KBPF_IOC_PROG_TEST_RUN, &t) || t.retval != 1) {
		finding("program loaded under allocation failure does not run (retval %u)", t.retval);
		return -1;
	}
	return 1;
}

/* A program that uses a map: the map reference path. */
static int setup_map_for_prog(void)
{
	return kraw_map_create(&F.k, M_NAME, KBPF_MAP_TYPE_HASH, 8, 8, 16, &s_map);
}

static int run_prog_load_map(void)
{
	struct kbpf_prog_load_attr a = {
		.size = sizeof(a),
		.prog_type = KBPF_PROG_TYPE_NETFILTER,
		.insns = ptr_to_u64(map_prog),
		.insn_cnt = ARRAY_SIZE(map_prog),
		.log_level = KBPF_LOG_LEVEL_ERRORS,
		.log_buf = ptr_to_u64(s_log),
		.log_size = sizeof(s_log),
	};

	map_prog[1].imm = s_map;
	strcpy(a.name, P_NAME);
	return kraw_ioctl(&F.k, KBPF_IOC_PROG_LOAD, &a);
}

/* The map must be held exactly while the program lives. */
static int effect_prog_map(void)
{
	int e = effect_prog();

	if (e == 1 && kraw_map_destroy(&F.k, s_map) != -EBUSY) {
		finding("map %u not held by the program loaded under allocation failure", s_map);
		return -1;
	}
	if (e == 0 && kraw_map_destroy(&F.k, s_map) == -EBUSY) {
		finding("a failed program load left map %u held", s_map);
		return -1;
	}
	return e;
}

static void undo_prog_map(void)
{
	undo_prog();
	undo_map();
	s_map = 0;
}

/* Map creation, per type. */
static struct {
	__u32 type, ks, vs, max, flags;
} s_create;

static int run_map_create(void)
{
	struct kbpf_map_create_attr a = {
		.size = sizeof(a),
		.map_type = s_create.type,
		.key_size = s_create.ks,
		.value_size = s_create.vs,
		.max_entries = s_create.max,
		.flags = s_create.flags,
	};

	strcpy(a.name, M_NAME);
	return kraw_ioctl(&F.k, KBPF_IOC_MAP_CREATE, &a);
}

static int effect_map(void)
{
	const struct kraw_map *m = listed_map(M_NAME);

	if (!m)
		return 0;
	if (m->type != s_create.type || m->max_entries != s_create.max) {
		finding("map created under allocation failure listed as type %u max %u", m->type,
			m->max_entries);
		return -1;
	}
	return 1;
}

/* Element operations on one map of s_create's geometry. */
static int setup_elem_map(void)
{
	int err = kraw_map_create(&F.k, M_NAME, s_create.type, s_create.ks, s_create.vs,
				  s_create.max, &s_map);

	if (!err && s_create.type == KBPF_MAP_TYPE_HASH) {
		/* Another element, so that updates also find a full bucket list. */
		__u32 k = 1;

		memset(s_old, 0x11, sizeof(s_old));
		err = kraw_map_op(&F.k, KBPF_IOC_MAP_UPDATE, s_map, &k, s_old, 0);
	}
	return err;
}

static bool key_present(void)
{
	__u8 v[4096 * 8];

	return !kraw_map_op(&F.k, KBPF_IOC_MAP_LOOKUP, s_map, &s_key, v, 0);
}

static int run_update_new(void)
{
	memset(s_value, 0x5a, sizeof(s_value));
	return kraw_map_op(&F.k, KBPF_IOC_MAP_UPDATE, s_map, &s_key, s_value, KBPF_NOEXIST);
}

static int effect_update_new(void)
{
	__u8 v[4096 * 8];

	if (kraw_map_op(&F.k, KBPF_IOC_MAP_LOOKUP, s_map, &s_key, v, 0))
		return 0;
	if (memcmp(v, s_value, s_create.vs)) {
		finding("element written under allocation failure reads back different bytes");
		return -1;
	}
	return 1;
}

static void undo_elem_map(void)
{
	undo_map();
	s_map = 0;
}

static int setup_elem_present(void)
{
	int err = setup_elem_map();

	memset(s_old, 0x33, sizeof(s_old));
	return err ?: kraw_map_op(&F.k, KBPF_IOC_MAP_UPDATE, s_map, &s_key, s_old, 0);
}

static int run_update_existing(void)
{
	memset(s_value, 0x77, sizeof(s_value));
	return kraw_map_op(&F.k, KBPF_IOC_MAP_UPDATE, s_map, &s_key, s_value, KBPF_EXIST);
}

/* The old value or the new one, nothing in between. */
static int effect_update_existing(void)
{
	__u8 v[4096 * 8];

	if (kraw_map_op(&F.k, KBPF_IOC_MAP_LOOKUP, s_map, &s_key, v, 0)) {
		finding("a failed update of an existing element removed it");
		return -1;
	}
	if (!memcmp(v, s_value, s_create.vs))
		return 1;
	if (!memcmp(v, s_old, s_create.vs))
		return 0;
	finding("a failed update left a value that is neither old nor new");
	return -1;
}

static int run_delete(void)
{
	return kraw_map_op(&F.k, KBPF_IOC_MAP_DELETE, s_map, &s_key, NULL, 0);
}

static int effect_delete(void)
{
	return !key_present();
}

static int run_lookup(void)
{
	__u8 v[4096 * 8];

	return kraw_map_op(&F.k, KBPF_IOC_MAP_LOOKUP, s_map, &s_key, v, 0);
}

static int run_next_key(void)
{
	__u8 k[64];

	return kraw_map_op(&F.k, KBPF_IOC_MAP_NEXT_KEY, s_map, NULL, k, 0);
}

/* Read-only requests: nothing may change. */
static int effect_none(void)
{
	return key_present() ? 0 : -1;
}

/* Programs and links. */
static int setup_prog(void)
{
	return kraw_prog_load(&F.k, P_NAME, accept_prog, ARRAY_SIZE(accept_prog), &s_prog);
}

static int setup_prog_attached(void)
{
	return setup_prog() ?: kraw_attach(&F.k, s_prog, KBPF_NF_FAMILY_IPV4,
					   KBPF_NF_HOOK_LOCAL_OUT, 0);
}

static int run_test_run(void)
{
	__u8 in[1500] = { 0x45 }, out[1500];
	struct kbpf_prog_test_run_attr t = {
		.size = sizeof(t),
		.prog_id = s_prog,
		.data_in = ptr_to_u64(in),
		.data_size_in = sizeof(in),
		.data_out = ptr_to_u64(out),
		.data_size_out = sizeof(out),
		.repeat = 3,
	};

	return kraw_ioctl(&F.k, KBPF_IOC_PROG_TEST_RUN, &t);
}

static int effect_prog_unchanged(void)
{
	const struct kraw_prog *p = listed_prog(P_NAME);

	return p && p->id == s_prog ? 0 : -1;
}

static int run_attach(void)
{
	return kraw_attach(&F.k, s_prog, KBPF_NF_FAMILY_IPV6, KBPF_NF_HOOK_PRE_ROUTING, 5);
}

static int links(void)
{
	const struct kraw_prog *p = listed_prog(P_NAME);

	return p ? p->n_links : -1;
}

static int effect_attach(void)
{
	int n = links();

	return n < 0 ? -1 : n == 1;
}

static int run_detach(void)
{
	return kraw_detach(&F.k, s_prog);
}

static int effect_detach(void)
{
	int n = links();

	return n < 0 ? -1 : n == 0;
}

static int run_unload(void)
{
	return kraw_unload(&F.k, s_prog);
}

static int effect_unload(void)
{
	return listed_prog(P_NAME) == NULL;
}

static int setup_map_plain(void)
{
	s_create = (typeof(s_create)){ KBPF_MAP_TYPE_HASH, 4, 8, 8, 0 };
	return setup_elem_map();
}

static int run_destroy(void)
{
	return kraw_map_destroy(&F.k, s_map);
}

static int effect_destroy(void)
{
	return listed_map(M_NAME) == NULL;
}

/* A dump spanning several messages (many objects). */
static int setup_many(void)
{
	char name[KBPF_OBJ_NAME_LEN];
	int err = 0;

	for (int i = 0; i < 40 && !err; i++) {
		snprintf(name, sizeof(name), "fw_many%d", i);
		err = kraw_map_create(&F.k, name, KBPF_MAP_TYPE_ARRAY, 4, 4, 1, NULL);
	}
	return err;
}

static int run_dump(void)
{
	return kraw_list(&F.k, F.list);
}

static int effect_many_listed(void)
{
	int n = 0;

	if (kraw_list(&F.k, F.list))
		return -1;
	for (int i = 0; i < F.list->n_maps; i++)
		n += !strncmp(F.list->maps[i].name, "fw_many", 7);
	return n == 40 ? 0 : -1;
}

static void undo_many(void)
{
	if (kraw_list(&F.k, F.list))
		return;
	for (int i = 0; i < F.list->n_maps; i++)
		kraw_map_destroy(&F.k, F.list->maps[i].id);
}

static int run_version(void)
{
	struct nlbuf m;

	nl_begin(&F.k, &m, KBPF_CMD_GET_VERSION, 0);
	return nl_transact(&F.k, &m, 0, NULL, NULL);
}

static int effect_zero(void)
{
	return 0;
}

/* Map geometries whose creation and element paths the walk covers. */
struct geometry {
	const char *name;
	__u32 type, ks, vs, max, flags;
	bool elems;	/* element operations apply */
};

static const struct geometry geometries[] = {
	{ "hash", KBPF_MAP_TYPE_HASH, 8, 64, 32, 0, true },
	{ "array", KBPF_MAP_TYPE_ARRAY, 4, 64, 32, 0, true },
	{ "percpu_hash", KBPF_MAP_TYPE_PERCPU_HASH, 8, 16, 32, 0, true },
	{ "percpu_array", KBPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 32, 0, true },
#ifdef KBPF_F_NO_PREALLOC
	{ "lru_hash", KBPF_MAP_TYPE_LRU_HASH, 8, 16, 32, 0, true },
	{ "lru_percpu_hash", KBPF_MAP_TYPE_LRU_PERCPU_HASH, 8, 16, 32, 0, true },
	{ "lpm_trie", KBPF_MAP_TYPE_LPM_TRIE, 8, 8, 32, KBPF_F_NO_PREALLOC, false },
	{ "ringbuf", KBPF_MAP_TYPE_RINGBUF, 0, 0, 16384, 0, false },
#endif
	{ "hash_big_value", KBPF_MAP_TYPE_HASH, 4, 4096, 4, 0, true },
};

/* ---- the walk ---------------------------------------------------------------- */

static int walk_one(const struct scenario *s)
{
	unsigned int n;
	int err, e, bad = 0;

	F.op_name = s->name;
	for (n = 1; n <= max_nth; n++) {
		F.op_no = n;
		err = s->setup();
		if (err) {
			finding("setup failed without faults: %s", strerror(-err));
			s->undo();
			return 1;
		}
		nth_set(n);
		err = s->run();
		if (!nth_fired()) {
			/* Ran to the end without reaching the n-th fault point. */
			if (err)
				finding("fails without any injected fault: %s", strerror(-err));
			s->undo();
			printf("fault-walk: %-28s %3u fault points, all clean\n", s->name, n - 1);
			walks++;
			return bad;
		}
		injected++;
		F.st.execs++;
		e = s->effect();
		if (err && !fault_errno_ok(err, s->netlink)) {
			finding("fault %u answered %s (%d), want ENOMEM%s", n,
				strerrorname_np(-err) ?: "?", err,
				s->netlink ? " or ENOBUFS" : " or EFAULT");
			bad++;
		}
		if (e < 0) {
			finding("fault %u (answer %d) left a broken state", n, err);
			bad++;
		} else if (err && e == 1 && err != -ENOBUFS) {
			if (err == -EFAULT && s->run == run_map_create &&
			    (F.known & KNOWN_CREATE_EFAULT)) {
				printf("fault-walk: %s: fault %u: known finding (issue 11.7): "
				       "map_id could not be written back, the map stayed\n",
				       s->name, n);
			} else {
				finding("fault %u failed with %s but the request took effect", n,
					strerrorname_np(-err) ?: "?");
				bad++;
			}
		} else if (!err && e == 0 && s->effect != effect_none &&
			   s->effect != effect_zero && s->effect != effect_prog_unchanged &&
			   s->effect != effect_many_listed) {
			finding("fault %u: the request succeeded but did nothing", n);
			bad++;
		}
		if (!err)
			absorbed++;
		s->undo();
	}
	printf("fault-walk: %-28s stopped after %u fault points\n", s->name, max_nth);
	incomplete++;
	return bad;
}

/* finit_module() with the n-th allocation failing, then rmmod. */
static int module_fd;

static bool module_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/kbpf", &st);
}

static int walk_module_load(const char *path)
{
	unsigned int n;
	int err, bad = 0;

	module_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (module_fd < 0) {
		perror(path);
		return 1;
	}
	F.op_name = "module_load";
	for (n = 1; n <= max_nth * 4; n++) {
		F.op_no = n;
		nth_set(n);
		err = syscall(SYS_finit_module, module_fd, "", 0) ? -errno : 0;
		if (!nth_fired()) {
			if (err)
				finding("module load fails without a fault: %s", strerror(-err));
			printf("fault-walk: %-28s %3u fault points, all clean\n", "module load", n - 1);
			walks++;
			break;
		}
		injected++;
		if (!err) {
			absorbed++;
			if (syscall(SYS_delete_module, "kbpf", O_NONBLOCK))
				finding("rmmod after a load that absorbed fault %u: %s", n, strerror(errno));
			continue;
		}
		if (err != -ENOMEM && err != -EFAULT) {
			finding("module load with fault %u answered %s", n, strerrorname_np(-err) ?: "?");
			bad++;
		}
		if (module_loaded() || !access("/dev/kbpf", F_OK)) {
			finding("failed module load (fault %u) left /sys/module/kbpf or /dev/kbpf", n);
			bad++;
			syscall(SYS_delete_module, "kbpf", O_NONBLOCK);
		}
	}
	if (n > max_nth * 4) {
		printf("fault-walk: %-28s stopped after %u fault points\n", "module load", max_nth * 4);
		incomplete++;
	}
	/* Unload and load again: nothing of the failed loads may be in the way. */
	if (module_loaded() && syscall(SYS_delete_module, "kbpf", O_NONBLOCK))
		finding("rmmod after the walk: %s", strerror(errno));
	if (syscall(SYS_finit_module, module_fd, "", 0)) {
		finding("module load after the walk: %s (something stayed registered)",
			strerror(errno));
		return bad + 1;
	}
	return bad;
}

static void add(struct scenario *list, int *n, struct scenario s)
{
	list[(*n)++] = s;
}

int fault_walk(const char *module_path, unsigned int max)
{
	static struct scenario list[64];
	int n = 0, bad = 0, err;
	unsigned int g;

	max_nth = max;
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		perror("/proc/thread-self/fail-nth (a kernel with CONFIG_FAULT_INJECTION?)");
		return 2;
	}
	if (module_loaded()) {
		fprintf(stderr, "fault-walk: unload kbpf first: the walk loads it\n");
		return 2;
	}
	bad += walk_module_load(module_path);
	if (!module_loaded() || kraw_open(&F.k))
		return 1;
	F.m.prefix = "fw_";
	F.m.exclusive = true;

	add(list, &n, (struct scenario){ "prog_load", false, no_setup, run_prog_load,
					 effect_prog, undo_prog });
	add(list, &n, (struct scenario){ "prog_load_with_map", false, setup_map_for_prog,
					 run_prog_load_map, effect_prog_map, undo_prog_map });
	add(list, &n, (struct scenario){ "test_run", false, setup_prog, run_test_run,
					 effect_prog_unchanged, undo_prog });
	add(list, &n, (struct scenario){ "attach", true, setup_prog, run_attach,
					 effect_attach, undo_prog });
	add(list, &n, (struct scenario){ "detach", true, setup_prog_attached, run_detach,
					 effect_detach, undo_prog });
	add(list, &n, (struct scenario){ "unload_attached", true, setup_prog_attached,
					 run_unload, effect_unload, undo_prog });
	add(list, &n, (struct scenario){ "map_destroy", true, setup_map_plain, run_destroy,
					 effect_destroy, undo_elem_map });
	add(list, &n, (struct scenario){ "dump_40_maps", true, setup_many, run_dump,
					 effect_many_listed, undo_many });
	add(list, &n, (struct scenario){ "get_version", true, no_setup, run_version,
					 effect_zero, undo_all });
	for (int i = 0; i < n; i++)
		bad += walk_one(&list[i]);

	for (g = 0; g < ARRAY_SIZE(geometries); g++) {
		const struct geometry *geo = &geometries[g];
		struct scenario elems[] = {
			{ "update_new", false, setup_elem_map, run_update_new,
			  effect_update_new, undo_elem_map },
			{ "update_existing", false, setup_elem_present, run_update_existing,
			  effect_update_existing, undo_elem_map },
			{ "delete", false, setup_elem_present, run_delete, effect_delete,
			  undo_elem_map },
			{ "lookup", false, setup_elem_present, run_lookup, effect_none,
			  undo_elem_map },
			{ "next_key", false, setup_elem_present, run_next_key, effect_none,
			  undo_elem_map },
		};
		struct scenario create = { "map_create", false, no_setup, run_map_create,
					   effect_map, undo_map };
		char names[6][64];

		s_create = (typeof(s_create)){ geo->type, geo->ks, geo->vs, geo->max, geo->flags };
		/* A type this module does not have (yet): nothing to walk. */
		err = run_map_create();
		undo_map();
		if (err) {
			printf("fault-walk: %-28s skipped: create fails without faults (%s)\n",
			       geo->name, strerrorname_np(-err) ?: "?");
			continue;
		}
		snprintf(names[0], sizeof(names[0]), "map_create %s", geo->name);
		create.name = names[0];
		bad += walk_one(&create);
		if (!geo->elems)
			continue;
		for (unsigned int i = 0; i < ARRAY_SIZE(elems); i++) {
			/* Arrays have every element: no delete, NOEXIST fails. */
			if ((geo->type == KBPF_MAP_TYPE_ARRAY ||
			     geo->type == KBPF_MAP_TYPE_PERCPU_ARRAY) &&
			    (elems[i].run == run_delete || elems[i].run == run_update_new))
				continue;
			snprintf(names[1 + i % 5], sizeof(names[0]), "%s %s", elems[i].name,
				 geo->name);
			elems[i].name = names[1 + i % 5];
			bad += walk_one(&elems[i]);
		}
	}
	undo_all();
	if (kraw_list(&F.k, F.list) || F.list->n_progs || F.list->n_maps) {
		finding("objects left after the walk: %d programs, %d maps", F.list->n_progs,
			F.list->n_maps);
		bad++;
	}
	printf("fault-walk: %lu scenarios walked to the end, %lu stopped at %u; %lu faults injected, "
	       "%lu absorbed by a successful request, %lu findings\n",
	       walks, incomplete, max_nth, injected, absorbed, F.st.findings);
	kraw_close(&F.k);
	return bad || F.st.findings;
}
