// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's operations on kbpf.ko.  Each one builds a request from the
 * model (live ids, real map geometry) and then perhaps breaks it: argument
 * sizes, trailing bytes, flags, ids, names, pointers (NULL, unmapped, read-
 * only, a buffer that ends exactly at an unmapped page), attributes.  When
 * nothing was broken the outcome is predicted from the model and from the
 * uapi header, and any difference is a finding; when something was, the
 * answer must still be a plain error of a sensible class that changed
 * nothing.  The model follows every success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>

#include "fuzz.h"

#define BAD_PTR		((__u64)8)
#define KERNEL_PTR	((__u64)0xffffffff81000000ULL)
#define CANARY		0xa5

/* ---- argument memory --------------------------------------------------------- */

enum { AR_ATTR, AR_KEY, AR_VALUE, NR_ARENAS };
static __u8 *arenas[NR_ARENAS];
static size_t arena_size;	/* read-write bytes before the guard page */

void ops_init(void);
void ops_init(void)
{
	int i;

	arena_size = 2 * F.page;
	for (i = 0; i < NR_ARENAS; i++) {
		arenas[i] = mmap(NULL, arena_size + F.page, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (arenas[i] == MAP_FAILED) {
			perror("mmap");
			exit(2);
		}
		mprotect(arenas[i] + arena_size, F.page, PROT_NONE);
	}
	F.ro_page = mmap(NULL, F.page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (F.ro_page == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
}

/* Where an argument buffer goes. */
enum place {
	PL_START,	/* start of an arena, canary bytes after it */
	PL_END,		/* ends exactly at the unmapped guard page */
	PL_RO,		/* in a read-only page: reads work, writes fault */
	PL_NULL,
	PL_BAD,		/* an address nobody maps */
	PL_KERNEL,	/* a kernel address */
	PL_SHORT,	/* starts 8 bytes before the guard page */
};

static bool place_is_bad(enum place p)
{
	return p == PL_NULL || p == PL_BAD || p == PL_KERNEL || p == PL_SHORT;
}

/* Mostly PL_START; sometimes anything. */
static enum place random_place(int bad_pct)
{
	static const enum place bad[] = { PL_NULL, PL_BAD, PL_KERNEL, PL_SHORT };

	if (rng_pct(&F.r, bad_pct))
		return rng_pick(&F.r, bad);
	return rng_pct(&F.r, 25) ? PL_END : PL_START;
}

/*
 * Copy len bytes of src into arena a as placement p wants; returns the
 * user pointer to pass.  len must fit the arena for PL_START/PL_END.
 */
static __u64 place(int a, const void *src, size_t len, enum place p)
{
	__u8 *dst;

	switch (p) {
	case PL_NULL:
		return 0;
	case PL_BAD:
		return BAD_PTR;
	case PL_KERNEL:
		return KERNEL_PTR;
	case PL_SHORT:
		dst = arenas[a] + arena_size - 8;
		memcpy(dst, src, len < 8 ? len : 8);
		return ptr_to_u64(dst);
	case PL_RO: {
		/* mprotect allocates: not under the fuzzer's injected failures. */
		bool faults = F.faults;

		faults_enable(false);
		if (mprotect(F.ro_page, F.page, PROT_READ | PROT_WRITE)) {
			perror("mprotect");
			exit(2);
		}
		memset(F.ro_page, 0, F.page);
		memcpy(F.ro_page, src, len < (size_t)F.page ? len : (size_t)F.page);
		if (mprotect(F.ro_page, F.page, PROT_READ)) {
			perror("mprotect");
			exit(2);
		}
		faults_enable(faults);
		return ptr_to_u64(F.ro_page);
	}
	case PL_END:
		if (len > arena_size)
			len = arena_size;
		dst = arenas[a] + arena_size - len;
		memcpy(dst, src, len);
		return ptr_to_u64(dst);
	default:
		if (len > arena_size - 64)
			len = arena_size - 64;
		memcpy(arenas[a], src, len);
		memset(arenas[a] + len, CANARY, 64);
		return ptr_to_u64(arenas[a]);
	}
}

/* The canary after a PL_START buffer of len bytes is intact. */
static bool canary_ok(int a, size_t len)
{
	size_t i;

	for (i = 0; i < 64 && len + i < arena_size; i++)
		if (arenas[a][len + i] != CANARY)
			return false;
	return true;
}

/* ---- argument struct sizes ---------------------------------------------------- */

struct sized {
	__u32 size;		/* what goes into the size member */
	size_t bytes;		/* bytes to place */
	bool tail_garbage;	/* non-zero bytes past the known struct */
	bool expect_fail;	/* the size alone must make it fail */
	bool nominal;
};

/*
 * Pick the size member of a struct of real bytes; fill tail bytes in buf.
 * A prefix is at least keep bytes long (with other workers running, a
 * name must survive: an object we cannot name we cannot find again).
 */
static struct sized fuzz_size_keep(__u8 *buf, size_t real, size_t bufsize, size_t keep)
{
	struct sized s = { .size = real, .bytes = real, .nominal = true };

	if (!rng_pct(&F.r, 15)) {
		memcpy(buf, &s.size, sizeof(s.size));
		return s;
	}
	s.nominal = false;
	switch (rng_below(&F.r, 7)) {
	case 0:	/* an older caller: a prefix (at least the size member) */
		if (F.m.exclusive || keep < 4)
			keep = 4;
		s.size = s.bytes = keep + rng_below(&F.r, real - keep);
		break;
	case 1:	/* too small to hold the size member */
		s.size = rng_below(&F.r, 4);
		s.expect_fail = true;
		break;
	case 2:	/* a newer caller with a zero tail: fine */
		s.size = s.bytes = real + 8 * (1 + rng_below(&F.r, 8));
		break;
	case 3:	/* a newer caller with a non-zero tail: -E2BIG */
		s.size = s.bytes = real + 8 * (1 + rng_below(&F.r, 8));
		s.tail_garbage = true;
		s.expect_fail = true;
		break;
	case 4:	/* more than a page */
		s.size = F.page + 1 + rng_below(&F.r, 64);
		s.bytes = real;
		s.expect_fail = true;
		break;
	default:
		s.size = rng_edge_u32(&F.r);
		s.bytes = real;
		/* A prefix, too, must keep what other workers need. */
		if (!F.m.exclusive && s.size >= 4 && s.size < keep)
			s.size = real;
		s.expect_fail = s.size < 4 || s.size > (__u32)F.page;
		break;
	}
	if (s.bytes > bufsize)
		s.bytes = bufsize;
	if (s.bytes > real)
		memset(buf + real, 0, s.bytes - real);
	if (s.tail_garbage)
		buf[real + rng_below(&F.r, s.bytes - real)] = 1 + rng_below(&F.r, 255);
	memcpy(buf, &s.size, sizeof(s.size));
	return s;
}

static struct sized fuzz_size(__u8 *buf, size_t real, size_t bufsize)
{
	return fuzz_size_keep(buf, real, bufsize, 4);
}

/* ---- answers ------------------------------------------------------------------- */

static bool errno_allowed(int e, bool netlink)
{
	switch (e) {
	case EINVAL: case E2BIG: case ENOENT: case EEXIST: case EPERM:
	case EACCES: case ENOSPC: case EBUSY: case ERANGE: case EOPNOTSUPP:
	case ENOMEM:
		return true;
	case EFAULT: case ENOTTY:
		return !netlink;
	case ENODEV:	/* a test run's context naming no device */
		return !netlink;
	case EMSGSIZE: case ENOBUFS: case EALREADY:
		return netlink;
	default:
		return false;
	}
}

void answer(int err, bool netlink)
{
	int e = -err;

	F.st.execs++;
	if (e >= 0 && e < (int)ARRAY_SIZE(F.st.errnos))
		F.st.errnos[e]++;
	if (e == ENOMEM)
		F.st.nomem++;
	/*
	 * Under allocation failures a netlink request may have run and only
	 * its reply or ack failed: learn the outcome from the next listing.
	 */
	if (netlink && F.faults && (e == ENOMEM || e == ENOBUFS))
		F.needs_resync = true;
	if (err > 0) {
		finding("positive return %d", err);
		return;
	}
	if (!err)
		return;
	/* 512..529 are the kernel's internal errnos (ENOTSUPP, ERESTARTSYS...). */
	if (e >= 512)
		finding("kernel-internal errno %d reached user space", e);
	else if (!errno_allowed(e, netlink))
		finding("unexpected errno %s (%d)", strerrorname_np(e) ?: "?", e);
	if (netlink && !F.k.extack[0] && e != ENOENT && e != ENOMEM)
		F.st.nl_err_no_extack++;
}

static const char *errname(int err)
{
	static char buf[32];

	if (!err)
		return "0";
	snprintf(buf, sizeof(buf), "-%s", strerrorname_np(-err) ?: "?");
	return buf;
}

/* A well-formed request must succeed (ENOMEM is fine while faults are on). */
static bool expect_ok(int err, const char *what)
{
	if (!err)
		return true;
	if ((err == -ENOMEM || err == -ENOBUFS) && F.faults)
		return false;
	finding("%s failed with %s (extack '%s')", what, errname(err), F.k.extack);
	return false;
}

/* A request broken on purpose must fail. */
static void expect_err(int err, const char *what)
{
	if (!err)
		finding("%s succeeded", what);
}

/* An answer among a few the header allows. */
static void expect_one_of(int err, const char *what, int a, int b, int c)
{
	if (err != a && err != b && err != c &&
	    !(F.faults && (err == -ENOMEM || err == -ENOBUFS)))
		finding("%s: got %s, want %s/%s/%s", what, errname(err), errname(a),
			errname(b), errname(c));
}

/* ---- choosing objects ----------------------------------------------------------- */

static struct mprog *random_live_prog(void)
{
	int i, start = rng_below(&F.r, MODEL_MAX_PROGS);

	for (i = 0; i < MODEL_MAX_PROGS; i++) {
		struct mprog *p = &F.m.progs[(start + i) % MODEL_MAX_PROGS];

		if (p->live)
			return p;
	}
	return NULL;
}

static struct mmap *random_live_map(void)
{
	int i, start = rng_below(&F.r, MODEL_MAX_MAPS);

	for (i = 0; i < MODEL_MAX_MAPS; i++) {
		struct mmap *m = &F.m.maps[(start + i) % MODEL_MAX_MAPS];

		if (m->live)
			return m;
	}
	return NULL;
}

static bool id_is_live_prog(__u32 id)
{
	return model_prog(&F.m, id) != NULL;
}

static bool id_is_live_map(__u32 id)
{
	return model_map(&F.m, id) != NULL;
}

/*
 * An id that names nothing we own: 0, a freed one, one past the highest, or
 * huge.  With other workers running, only ids nobody can own are used for
 * mutating requests.
 */
static __u32 stale_id(bool prog)
{
	__u32 max = prog ? F.m.max_prog_id : F.m.max_map_id, id;
	int tries = 0;

	if (!F.m.exclusive)
		return rng_pct(&F.r, 50) ? 0 : 0x7fffff00 + rng_below(&F.r, 0xff);
	do {
		switch (rng_below(&F.r, 4)) {
		case 0: id = 0; break;
		case 1: id = max + 1 + rng_below(&F.r, 4); break;
		case 2: id = rng_edge_u32(&F.r) | 0x40000000; break;
		default: id = max ? 1 + rng_below(&F.r, max) : 1; break;
		}
	} while (++tries < 10 && (prog ? id_is_live_prog(id) : id_is_live_map(id)));
	if (prog ? id_is_live_prog(id) : id_is_live_map(id))
		id = 0;
	return id;
}

/* Names: fresh, a clash, invalid characters, unterminated, empty. */
enum name_kind { NAME_FRESH, NAME_CLASH, NAME_BAD_CHAR, NAME_LONG, NAME_EMPTY };

static enum name_kind fuzz_name(char name[KBPF_OBJ_NAME_LEN], const char *clash)
{
	static const char bad[] = "-/ \t\n:*\xff\x80\x01";
	int r = rng_below(&F.r, 100);

	memset(name, 0, KBPF_OBJ_NAME_LEN);
	if (r < 85 || (r < 90 && !clash) || (r >= 97 && !F.m.exclusive)) {
		fresh_name(name);
		return NAME_FRESH;
	}
	if (r < 90) {
		snprintf(name, KBPF_OBJ_NAME_LEN, "%s", clash);
		if (clash[0])
			return NAME_CLASH;
		/* Empty names never clash; other workers could not tell it ours. */
		if (!F.m.exclusive)
			fresh_name(name);
		return F.m.exclusive ? NAME_EMPTY : NAME_FRESH;
	}
	if (r < 95) {
		fresh_name(name);
		name[rng_below(&F.r, strlen(name))] = bad[rng_below(&F.r, sizeof(bad) - 1)];
		return NAME_BAD_CHAR;
	}
	if (r < 97) {
		memset(name, 'a' + rng_below(&F.r, 26), KBPF_OBJ_NAME_LEN);
		return NAME_LONG;
	}
	return NAME_EMPTY;
}

static bool name_expect_fail(enum name_kind k)
{
	return k == NAME_CLASH || k == NAME_BAD_CHAR || k == NAME_LONG;
}

/* ---- program load ---------------------------------------------------------------- */

static int live_gen_maps(struct gen_map *out)
{
	int i, n = 0;

	for (i = 0; i < MODEL_MAX_MAPS; i++) {
		struct mmap *mm = &F.m.maps[i];

		if (!mm->live)
			continue;
		out[n++] = (struct gen_map){ mm->id, mm->type, mm->key_size,
					      mm->value_size, mm->max_entries };
	}
	return n;
}

/* The log text is NUL-terminated inside the buffer and nothing past it moved. */
static void check_log(const char *log, __u32 size, size_t alloc, bool written,
		      bool rejected, __u32 level, int err)
{
	size_t i;

	if (written && !memchr(log, '\0', size))
		finding("verifier log is not NUL-terminated within log_size %u (answer %s)",
			size, errname(err));
	for (i = size; i < alloc; i++)
		if ((__u8)log[i] != CANARY) {
			finding("verifier log wrote past log_size %u (byte %zu)", size, i);
			break;
		}
	if (rejected && (err == -EINVAL || err == -EACCES) &&
	    (level & KBPF_LOG_LEVEL_ERRORS) && size > 1 && !log[0])
		finding("rejected with a log requested, but the log is empty");
}

struct load_req {
	struct kbpf_prog_load_attr a;
	__u8 tail[128];
};

static void op_prog_load(void)
{
	static char log[70000];
	struct gen_map maps[MODEL_MAX_MAPS];
	struct load_req q = { 0 };
	struct mprog *slot = model_prog_slot(&F.m), *other = random_live_prog();
	struct gen_prog *g = malloc(sizeof(*g));
	enum name_kind nk;
	struct sized s;
	enum place pl = PL_START, ipl = PL_START;
	bool nominal = true, expect_fail = false, log_ok = false;
	__u32 log_size = 0;
	int n_maps = live_gen_maps(maps), r, err;
	__u64 insns_ptr;
	size_t insn_bytes;

	/* A full model could not track the program (nor adopt it). */
	if (!g || !slot) {
		free(g);
		return;
	}
	r = rng_below(&F.r, 100);
	if (r < 60) {
		gen_valid(&F.r, g, maps, n_maps);
	} else if (r < 85) {
		gen_valid(&F.r, g, maps, n_maps);
		gen_mutate(&F.r, g);
	} else {
		gen_random(&F.r, g, maps, n_maps);
	}
	if (!slot)	/* the model is full: loads may only fail */
		nominal = false;

	q.a.prog_type = KBPF_PROG_TYPE_NETFILTER;
	if (rng_pct(&F.r, 5)) {
		q.a.prog_type = rng_edge_u32(&F.r);
		nominal = false;
		expect_fail = q.a.prog_type != KBPF_PROG_TYPE_NETFILTER;
	}
	nk = fuzz_name(q.a.name, other ? other->name : NULL);
	nominal &= nk == NAME_FRESH || nk == NAME_EMPTY;
	expect_fail |= name_expect_fail(nk);

	/* Instructions: in an arena (PL_END: the last one touches the guard). */
	insn_bytes = g->cnt * sizeof(struct kbpf_insn);
	q.a.insn_cnt = g->cnt;
	ipl = random_place(4);
	if (ipl == PL_RO)
		ipl = PL_START;
	if (place_is_bad(ipl)) {
		nominal = false;
		expect_fail |= ipl != PL_SHORT || insn_bytes > 8;
	}
	insns_ptr = place(AR_KEY, g->insns, insn_bytes, ipl);
	q.a.insns = insns_ptr;
	if (rng_pct(&F.r, 5)) {
		__u32 cnt = rng_edge_u32(&F.r);

		if (cnt != g->cnt) {
			nominal = false;
			/* More slots than we placed read past the buffer. */
			expect_fail |= cnt == 0 || cnt > g->cnt;
			q.a.insn_cnt = cnt;
		}
	}

	/* A log: none, a sane one, or broken parameters. */
	r = rng_below(&F.r, 100);
	if (r < 30) {
		static const __u32 sizes[] = { 1, 2, 16, 64, 200, 1024, 4096, 65536 };

		q.a.log_level = 1 + rng_below(&F.r, 7);
		log_size = rng_pick(&F.r, sizes);
		q.a.log_size = log_size;
		memset(log, CANARY, sizeof(log));
		q.a.log_buf = ptr_to_u64(log);
		log_ok = true;
	} else if (r < 36) {
		nominal = false;
		q.a.log_level = rng_pct(&F.r, 50) ? rng_edge_u32(&F.r) : 1;
		q.a.log_size = rng_pct(&F.r, 50) ? rng_edge_u32(&F.r) : 64;
		q.a.log_buf = rng_pct(&F.r, 50) ? rng_pick(&F.r, ((__u64[]){ 0, BAD_PTR, KERNEL_PTR })) :
						  ptr_to_u64(F.ro_page);
		/* Level without buffer, buffer without size, bad level bits. */
		expect_fail |= !q.a.log_level || !q.a.log_size || !q.a.log_buf ||
			       (q.a.log_level & ~7U) || q.a.log_size > (16U << 20) ||
			       q.a.log_buf == BAD_PTR || q.a.log_buf == KERNEL_PTR;
	}
	if (rng_pct(&F.r, 3)) {
		q.a.flags = rng_edge_u32(&F.r);
		if (q.a.flags) {
			nominal = false;
			expect_fail = true;
		}
	}

	s = fuzz_size_keep((__u8 *)&q, sizeof(q.a), sizeof(q),
			   offsetof(struct kbpf_prog_load_attr, prog_id));
	nominal &= s.nominal;
	expect_fail |= s.expect_fail;
	/*
	 * A prefix drops fields: a size that cuts into insns, insn_cnt or the
	 * name changes the request; anything is fine then, except that it
	 * still must not crash or leak.
	 */
	if (!s.nominal && !s.expect_fail && s.size < sizeof(q.a))
		expect_fail = false;
	pl = random_place(2);
	if (pl == PL_END && s.bytes > arena_size)
		pl = PL_START;
	if (rng_pct(&F.r, 3))
		pl = PL_RO;
	if (pl == PL_RO || place_is_bad(pl))
		nominal = false;
	if (place_is_bad(pl))
		expect_fail = true;

	err = kraw_ioctl(&F.k, KBPF_IOC_PROG_LOAD, (void *)place(AR_ATTR, &q, s.bytes, pl));
	answer(err, false);
	if (pl == PL_START && !canary_ok(AR_ATTR, s.bytes))
		finding("PROG_LOAD wrote past the %zu-byte argument struct", s.bytes);
	/*
	 * The log is written once verification ran: on success and on a
	 * rejection of an otherwise well-formed request.
	 */
	if (log_ok && s.nominal && pl != PL_RO)
		check_log(log, log_size, sizeof(log),
			  !err || (nominal && q.a.insn_cnt && (err == -EINVAL || err == -EACCES)),
			  err && nominal, q.a.log_level, err);

	if (err) {
		snprintf(F.last_failed, sizeof(F.last_failed),
			 "op %lu PROG_LOAD '%.16s' size %u place %d -> %s", F.op_no,
			 q.a.name, s.size, pl, errname(err));
		/* Nothing may stay behind; an unwritable struct is the classic case. */
		if (pl == PL_RO && F.m.exclusive)
			check_listing();
		/*
		 * A valid program must load; a log too small for the text may
		 * make it fail with -ENOSPC (as in Linux), and other workers may
		 * have filled the registry.
		 */
		if (nominal && g->valid && !(err == -ENOSPC && (log_ok || !F.m.exclusive)))
			expect_ok(err, g->what ? g->what : "valid program load");
		goto out;
	}
	if (expect_fail) {
		finding("PROG_LOAD accepted a broken request (size %u, name kind %d, cnt %u, flags %#x, log %u/%u)",
			s.size, nk, q.a.insn_cnt, q.a.flags, q.a.log_level, q.a.log_size);
	}
	{
		struct load_req *out = pl == PL_RO ? (void *)F.ro_page :
				       (void *)(pl == PL_END ? arenas[AR_ATTR] + arena_size - s.bytes :
							       arenas[AR_ATTR]);
		__u32 id = s.size >= offsetof(struct kbpf_prog_load_attr, prog_id) + 4 ?
			   out->a.prog_id : 0;

		if (pl == PL_RO && s.size >= offsetof(struct kbpf_prog_load_attr, prog_id) + 4) {
			finding("PROG_LOAD succeeded though writing prog_id back faults");
			goto out;
		}
		if (!id) {
			/*
			 * The caller's struct is too short for prog_id:
			 * the next check finds the program and adopts it.
			 */
			adopt_unknown();
			goto out;
		} else if (id <= F.m.max_prog_id && F.m.exclusive) {
			finding("PROG_LOAD returned id %u, not above the highest so far %u",
				id, F.m.max_prog_id);
		}
		if (!slot) {
			kraw_unload(&F.k, id);
			goto out;
		}
		if (id > F.m.max_prog_id)
			F.m.max_prog_id = id;
		memset(slot, 0, sizeof(*slot));
		slot->live = true;
		slot->id = id;
		memcpy(slot->name, q.a.name, KBPF_OBJ_NAME_LEN);
		slot->name[KBPF_OBJ_NAME_LEN - 1] = '\0';
		slot->gen = *g;
		/* A prefix struct may have cut insn_cnt off entirely. */
		slot->gen.cnt = q.a.insn_cnt;
		if (!g->valid || g->writes_maps)
			for (int i = 0; i < g->n_maps; i++) {
				struct mmap *mm = model_map(&F.m, g->maps[i]);

				if (mm)
					mm->shadowed = false;
			}
		/* A mutated program may refer to any map it was built with. */
		if (!g->valid)
			for (int i = 0; i < MODEL_MAX_MAPS; i++)
				F.m.maps[i].shadowed = false;
		/* Size first: a struct that ends at the guard page has no more. */
		if (s.size >= sizeof(q.a) && out->a.verified_insns == 0)
			finding("program %u loaded with verified_insns 0", id);
		vlog("loaded %s as %u '%s' (%u insns)", g->what, id, slot->name, g->cnt);
	}
out:
	free(g);
}

/* ---- map create -------------------------------------------------------------------- */

static char mc_log[512];

static void op_map_create(void)
{
	static const __u32 types[] = {
		KBPF_MAP_TYPE_HASH, KBPF_MAP_TYPE_HASH, KBPF_MAP_TYPE_ARRAY,
		KBPF_MAP_TYPE_ARRAY, KBPF_MAP_TYPE_PERCPU_HASH,
		KBPF_MAP_TYPE_PERCPU_ARRAY, KBPF_MAP_TYPE_LPM_TRIE,
#ifdef KBPF_F_NO_PREALLOC
		KBPF_MAP_TYPE_LRU_HASH, KBPF_MAP_TYPE_LRU_PERCPU_HASH,
		KBPF_MAP_TYPE_RINGBUF,
#endif
	};
	static const __u32 ksz[] = { 4, 4, 8, 16, 1, 2, 3, 32, 64 };
	static const __u32 vsz[] = { 4, 8, 16, 64, 1, 3, 100, 256, 1024, 4096 };
	static const __u32 maxes[] = { 1, 2, 4, 16, 64, 8, 32, 256, 1024 };
	struct { struct kbpf_map_create_attr a; __u8 tail[64]; } q = { 0 };
	struct mmap *slot = model_map_slot(&F.m), *other = random_live_map();
	bool nominal = slot != NULL, expect_fail = false, sane;
	enum name_kind nk;
	enum place pl;
	struct sized s;
	int err;

	/*
	 * A full model could not track the map, and with other workers a
	 * mutated program of theirs may hold it, so it could not be destroyed.
	 */
	if (!slot)
		return;

	q.a.map_type = rng_pct(&F.r, 92) ? rng_pick(&F.r, types) : rng_edge_u32(&F.r);
	q.a.key_size = q.a.map_type == KBPF_MAP_TYPE_ARRAY ||
		       q.a.map_type == KBPF_MAP_TYPE_PERCPU_ARRAY ? 4 : rng_pick(&F.r, ksz);
	if (q.a.map_type == KBPF_MAP_TYPE_LPM_TRIE)
		q.a.key_size = rng_pct(&F.r, 50) ? 8 : 20;
#ifdef KBPF_F_NO_PREALLOC
	/* Linux's flag: LPM needs it, the hash family takes it. */
	if (q.a.map_type == KBPF_MAP_TYPE_LPM_TRIE ? rng_pct(&F.r, 90) :
	    (q.a.map_type == KBPF_MAP_TYPE_HASH || q.a.map_type == KBPF_MAP_TYPE_PERCPU_HASH ||
	     q.a.map_type == KBPF_MAP_TYPE_LRU_HASH ||
	     q.a.map_type == KBPF_MAP_TYPE_LRU_PERCPU_HASH) && rng_pct(&F.r, 15))
		q.a.flags = KBPF_F_NO_PREALLOC;
	if (q.a.map_type == KBPF_MAP_TYPE_RINGBUF) {
		q.a.key_size = q.a.value_size = 0;
		q.a.max_entries = F.page << rng_below(&F.r, 4);
	}
#endif
	q.a.value_size = rng_pick(&F.r, vsz);
	q.a.max_entries = rng_pick(&F.r, maxes);
	if (rng_pct(&F.r, 10)) {
		switch (rng_below(&F.r, 3)) {
		case 0: q.a.key_size = rng_edge_u32(&F.r); break;
		case 1: q.a.value_size = rng_edge_u32(&F.r); break;
		default: q.a.max_entries = rng_edge_u32(&F.r); break;
		}
	}
	nk = fuzz_name(q.a.name, other ? other->name : NULL);
	nominal &= nk == NAME_FRESH || nk == NAME_EMPTY;
	expect_fail |= name_expect_fail(nk);
	if (rng_pct(&F.r, 3)) {
		/* Bit 31 is no map flag (bits 0, 7 and 8 are). */
		q.a.flags = rng_edge_u32(&F.r) | 1U << 31;
		expect_fail = true;
		nominal = false;
	}
	if (rng_pct(&F.r, 3)) {
		q.a.__reserved = rng_edge_u32(&F.r);
		expect_fail |= q.a.__reserved != 0;
		nominal &= !q.a.__reserved;
	}
	/* What must work: the plain types at small sizes. */
	sane = (q.a.map_type == KBPF_MAP_TYPE_HASH || q.a.map_type == KBPF_MAP_TYPE_ARRAY) &&
	       q.a.key_size >= 1 && q.a.key_size <= 64 && q.a.value_size >= 1 &&
	       q.a.value_size <= 4096 && q.a.max_entries >= 1 && q.a.max_entries <= 1024 &&
	       (q.a.map_type != KBPF_MAP_TYPE_ARRAY || q.a.key_size == 4);
	if ((q.a.map_type == KBPF_MAP_TYPE_ARRAY || q.a.map_type == KBPF_MAP_TYPE_PERCPU_ARRAY) &&
	    q.a.key_size != 4)
		expect_fail = true;
	if ((!q.a.key_size || !q.a.value_size) && q.a.map_type != 27)
		expect_fail = true;
	if (!q.a.max_entries)
		expect_fail = true;
#ifdef KBPF_F_NO_PREALLOC
	/* A reason for a failure, when asked. */
	if (rng_pct(&F.r, 30)) {
		memset(mc_log, CANARY, sizeof(mc_log));
		q.a.log_buf = ptr_to_u64(mc_log);
		q.a.log_size = rng_pick(&F.r, ((__u32[]){ 1, 8, 64, 256 }));
	}
#endif

	s = fuzz_size_keep((__u8 *)&q, sizeof(q.a), sizeof(q),
			   offsetof(struct kbpf_map_create_attr, map_id));
	nominal &= s.nominal;
	expect_fail |= s.expect_fail;
	if (!s.nominal && !s.expect_fail && s.size < sizeof(q.a))
		expect_fail = false;	/* a prefix: fields read as zero */
	pl = random_place(2);
	if (rng_pct(&F.r, 4) && !(F.known & KNOWN_CREATE_EFAULT))
		pl = PL_RO;	/* map_id cannot be written back */
	if ((F.known & KNOWN_MAP_HUGE) &&
	    ((__u64)q.a.key_size + q.a.value_size + 64) * q.a.max_entries > (1ULL << 30))
		q.a.max_entries = 1 + rng_below(&F.r, 64);
	nominal &= pl == PL_START || pl == PL_END;
	if (place_is_bad(pl))
		expect_fail = true;

	err = kraw_ioctl(&F.k, KBPF_IOC_MAP_CREATE, (void *)place(AR_ATTR, &q, s.bytes, pl));
	answer(err, false);
#ifdef KBPF_F_NO_PREALLOC
	if (q.a.log_size && s.nominal && pl != PL_RO) {
		for (__u32 i = q.a.log_size; i < sizeof(mc_log); i++)
			if ((__u8)mc_log[i] != CANARY) {
				finding("MAP_CREATE wrote its reason past log_size %u", q.a.log_size);
				break;
			}
		if (err && err != -EFAULT && (__u8)mc_log[0] != CANARY &&
		    !memchr(mc_log, '\0', q.a.log_size))
			finding("MAP_CREATE reason is not NUL-terminated within log_size %u",
				q.a.log_size);
	}
#endif
	if (pl == PL_START && !canary_ok(AR_ATTR, s.bytes))
		finding("MAP_CREATE wrote past the %zu-byte argument struct", s.bytes);
	if (err) {
		snprintf(F.last_failed, sizeof(F.last_failed),
			 "op %lu MAP_CREATE '%.16s' size %u place %d -> %s", F.op_no,
			 q.a.name, s.size, pl, errname(err));
		if (pl == PL_RO && F.m.exclusive)
			check_listing();
		if (nominal && sane && !(F.faults && err == -ENOMEM) &&
		    !(err == -ENOSPC && !F.m.exclusive))
			expect_ok(err, "map create");
		return;
	}
	if (expect_fail)
		finding("MAP_CREATE accepted a broken request (size %u, type %u, %u/%u/%u, flags %#x, name kind %d)",
			s.size, q.a.map_type, q.a.key_size, q.a.value_size,
			q.a.max_entries, q.a.flags, nk);
	if (pl == PL_RO && s.size >= offsetof(struct kbpf_map_create_attr, map_id) + 4) {
		finding("MAP_CREATE succeeded though writing map_id back faults");
		return;
	}
	{
		struct kbpf_map_create_attr *out = pl == PL_END ?
			(void *)(arenas[AR_ATTR] + arena_size - s.bytes) :
			pl == PL_RO ? (void *)F.ro_page : (void *)arenas[AR_ATTR];
		__u32 id = s.size >= offsetof(struct kbpf_map_create_attr, map_id) + 4 ?
			   out->map_id : 0;

		if (!id) {
			/* The struct is too short for map_id: find it. */
			adopt_unknown();
			return;
		}
		if (!id || !slot) {
			/* Untracked: take it back. */
			if (id)
				kraw_map_destroy(&F.k, id);
			return;
		}
		if (id <= F.m.max_map_id && F.m.exclusive)
			finding("MAP_CREATE returned id %u, not above the highest so far %u",
				id, F.m.max_map_id);
		if (id > F.m.max_map_id)
			F.m.max_map_id = id;
		memset(slot, 0, sizeof(*slot));
		slot->live = true;
		slot->id = id;
		memcpy(slot->name, q.a.name, KBPF_OBJ_NAME_LEN);
		slot->name[KBPF_OBJ_NAME_LEN - 1] = '\0';
		if (s.size < sizeof(q.a)) {
			/* Fields beyond the caller's size read as zero. */
			struct kbpf_map_create_attr z = { 0 };

			memcpy(&z, &q.a, s.size);
			q.a = z;
		}
		slot->type = q.a.map_type;
		slot->key_size = q.a.key_size;
		slot->value_size = q.a.value_size;
		slot->max_entries = q.a.max_entries;
		/* Other workers' mutated programs may write any map. */
		slot->shadowed = model_map_shadowable(slot) && F.m.exclusive;
		vlog("created map %u '%s' type %u %u/%u/%u", id, slot->name, slot->type,
		     slot->key_size, slot->value_size, slot->max_entries);
	}
}

/* ---- element operations ------------------------------------------------------------- */

/* Bytes a lookup writes: value_size, or one slot per possible CPU for per-CPU maps. */
static size_t value_out_size(const struct mmap *mm)
{
	if (mm->type == KBPF_MAP_TYPE_PERCPU_HASH || mm->type == KBPF_MAP_TYPE_PERCPU_ARRAY ||
	    mm->type == 10 /* LRU_PERCPU_HASH */)
		return ((mm->value_size + 7) & ~7UL) * F.ncpus;
	return mm->value_size;
}

struct elem_req {
	struct mmap *mm;	/* the target, or NULL for a stale id */
	__u32 map_id;
	__u8 key[4096];
	__u32 k;		/* the key's number, for shadowed maps */
	bool k_form;		/* key is k followed by zeros */
	enum place kpl, vpl;
	bool nominal;
};

static void elem_pick(struct elem_req *e)
{
	__u32 ks;

	memset(e, 0, offsetof(struct elem_req, key));
	e->mm = rng_pct(&F.r, 92) ? random_live_map() : NULL;
	e->map_id = e->mm ? e->mm->id : stale_id(false);
	e->nominal = e->mm != NULL;
	ks = e->mm ? e->mm->key_size : 4;
	if (ks > sizeof(e->key))
		ks = sizeof(e->key);
	memset(e->key, 0, ks);
	e->k = rng_below(&F.r, e->mm && e->mm->max_entries < SHADOW_KEYS / 2 ?
			       e->mm->max_entries * 2 + 1 : SHADOW_KEYS);
	e->k_form = rng_pct(&F.r, 90);
	if (e->k_form)
		memcpy(e->key, &e->k, ks < 4 ? ks : 4);
	else
		for (__u32 i = 0; i < ks; i++)
			e->key[i] = rng_u32(&F.r);
	e->kpl = random_place(3);
	e->vpl = random_place(3);
	if (place_is_bad(e->kpl) || place_is_bad(e->vpl))
		e->nominal = false;
	if (e->mm && !e->k_form && ks >= 4 && e->mm->type == KBPF_MAP_TYPE_HASH) {
		__u32 k;

		memcpy(&k, e->key, 4);
		/* A random key that happens to look like ours is still ours. */
		e->k_form = k < SHADOW_KEYS && !memcmp(e->key + 4, (__u8[64]){ 0 },
						       ks - 4 < 64 ? ks - 4 : 64) && ks <= 68;
		e->k = k;
	}
}

static bool elem_shadowed(const struct elem_req *e)
{
	return e->mm && e->mm->shadowed && e->k_form && e->k < SHADOW_KEYS && e->nominal;
}

static int shadow_count(const struct mmap *mm)
{
	int i, n = 0;

	for (i = 0; i < SHADOW_KEYS; i++)
		n += mm->present[i];
	return n;
}

static int elem_ioctl(unsigned long req, struct elem_req *e, __u64 key, __u64 value,
		      __u64 flags, bool *size_nominal)
{
	struct { struct kbpf_map_elem_attr a; __u8 tail[64]; } q = { 0 };
	struct sized s;
	int err;

	q.a.map_id = e->map_id;
	q.a.key = key;
	q.a.value = value;
	q.a.flags = flags;
	s = fuzz_size((__u8 *)&q, sizeof(q.a), sizeof(q));
	*size_nominal = s.nominal;
	err = kraw_ioctl(&F.k, req, (void *)place(AR_ATTR, &q, s.bytes, PL_START));
	answer(err, false);
	if (!canary_ok(AR_ATTR, s.bytes))
		finding("element ioctl %#lx wrote past the %zu-byte argument struct", req, s.bytes);
	if (s.expect_fail && !err)
		finding("element ioctl %#lx accepted argument size %u", req, s.size);
	return err;
}

static void op_map_update(void)
{
	struct elem_req e;
	__u8 value[4096];
	__u64 flags = rng_below(&F.r, 3);
	size_t vs;
	bool sn, shadow;
	int err, want;

	elem_pick(&e);
	/* Per-CPU maps take one value per CPU from user space, as in Linux. */
	vs = e.mm ? value_out_size(e.mm) : 8;
	if (vs > sizeof(value))
		return;
	for (__u32 i = 0; i < vs; i++)
		value[i] = rng_u32(&F.r);
	if (rng_pct(&F.r, 3)) {
		flags = rng_edge_u32(&F.r) | (rng_pct(&F.r, 50) ? 1ULL << 40 : 0);
		e.nominal &= flags <= KBPF_EXIST;
	}
	shadow = elem_shadowed(&e);
	err = elem_ioctl(KBPF_IOC_MAP_UPDATE, &e,
			 place(AR_KEY, e.key, e.mm ? e.mm->key_size : 4, e.kpl),
			 place(AR_VALUE, value, vs, e.vpl), flags, &sn);
	if (!e.mm && !err && !F.m.exclusive)
		return;
	if (!e.mm) {
		if (!err)
			finding("MAP_UPDATE on map id %u we do not own succeeded", e.map_id);
		return;
	}
	if (flags > KBPF_EXIST && !err)
		finding("MAP_UPDATE accepted flags %#llx", (unsigned long long)flags);
	/* A change the model cannot follow ends its knowledge of the map. */
	if (!err && !(shadow && sn))
		e.mm->shadowed = false;
	if (!shadow || !sn)
		return;
	if (e.mm->type == KBPF_MAP_TYPE_ARRAY) {
		if (e.k >= e.mm->max_entries)
			want = -E2BIG;
		else
			want = flags == KBPF_NOEXIST ? -EEXIST : 0;
		if (want == -E2BIG)
			expect_one_of(err, "array update beyond max_entries", -E2BIG, -ENOENT, -EINVAL);
		else if (want)
			expect_one_of(err, "array update with NOEXIST", -EEXIST, -EEXIST, -EEXIST);
		else
			expect_ok(err, "array update");
	} else {
		bool present = e.mm->present[e.k];

		if (present)
			want = flags == KBPF_NOEXIST ? -EEXIST : 0;
		else if (flags == KBPF_EXIST)
			want = -ENOENT;
		else
			want = shadow_count(e.mm) >= (int)e.mm->max_entries ? -E2BIG : 0;
		if (want)
			expect_one_of(err, "hash update", want, want, want);
		else
			expect_ok(err, "hash update");
	}
	if (!err) {
		e.mm->present[e.k] = true;
		memcpy(e.mm->value[e.k], value, e.mm->value_size);
	} else if (err == -ENOMEM && e.mm->type == KBPF_MAP_TYPE_HASH && !e.mm->present[e.k]) {
		/* Allocation failed: the element must not exist (checked on lookup). */
	}
}

static void op_map_lookup(void)
{
	static __u8 out[1 << 16];
	struct elem_req e;
	size_t vs;
	bool sn, shadow;
	int err;

	elem_pick(&e);
	vs = e.mm ? value_out_size(e.mm) : 8;
	if (vs + 64 > sizeof(out) || vs > arena_size - 64)
		return;
	shadow = elem_shadowed(&e);
	err = elem_ioctl(KBPF_IOC_MAP_LOOKUP, &e,
			 place(AR_KEY, e.key, e.mm ? e.mm->key_size : 4, e.kpl),
			 place(AR_VALUE, out, vs, e.vpl), 0, &sn);
	if (!err && e.vpl == PL_START && !canary_ok(AR_VALUE, vs))
		finding("MAP_LOOKUP on map %u (type %u) wrote past value_size %u",
			e.map_id, e.mm ? e.mm->type : 0, e.mm ? e.mm->value_size : 0);
	if (!e.mm || !shadow || !sn)
		return;
	if (e.mm->type == KBPF_MAP_TYPE_ARRAY && e.k < e.mm->max_entries) {
		if (!expect_ok(err, "array lookup"))
			return;
	} else if (e.mm->type == KBPF_MAP_TYPE_HASH && e.mm->present[e.k]) {
		if (!expect_ok(err, "hash lookup of a present key"))
			return;
	} else {
		expect_one_of(err, "lookup of a missing key", -ENOENT, -ENOENT, -ENOENT);
		return;
	}
	{
		const __u8 *got = e.vpl == PL_END ? arenas[AR_VALUE] + arena_size - vs :
						    arenas[AR_VALUE];
		static const __u8 zero[SHADOW_VALUE];
		const __u8 *want = e.mm->present[e.k] ? e.mm->value[e.k] : zero;

		if (memcmp(got, want, e.mm->value_size))
			finding("map %u key %u: lookup returned other bytes than the last update wrote",
				e.mm->id, e.k);
	}
}

static void op_map_delete(void)
{
	struct elem_req e;
	bool sn, shadow;
	int err;

	elem_pick(&e);
	shadow = elem_shadowed(&e);
	err = elem_ioctl(KBPF_IOC_MAP_DELETE, &e,
			 place(AR_KEY, e.key, e.mm ? e.mm->key_size : 4, e.kpl),
			 rng_pct(&F.r, 90) ? 0 : BAD_PTR, 0, &sn);
	if (!e.mm) {
		if (!err && F.m.exclusive)
			finding("MAP_DELETE on map id %u we do not own succeeded", e.map_id);
		return;
	}
	if (!err && !(shadow && sn))
		e.mm->shadowed = false;
	if (!shadow || !sn)
		return;
	if (e.mm->type == KBPF_MAP_TYPE_ARRAY) {
		expect_err(err, "array element delete");
		return;
	}
	if (e.mm->present[e.k])
		expect_ok(err, "hash delete of a present key");
	else
		expect_one_of(err, "hash delete of a missing key", -ENOENT, -ENOENT, -ENOENT);
	if (!err)
		e.mm->present[e.k] = false;
}

/* Walk every key from NULL; compare with the shadow; no key twice. */
static void op_map_iterate(void)
{
	struct mmap *mm = random_live_map();
	__u8 key[4096], next[4096 + 64];
	bool seen[SHADOW_KEYS] = { false };
	__u32 steps = 0, limit, k;
	int err, n_seen = 0;
	bool first = true;

	if (!mm || mm->key_size > 4096)
		return;
	limit = (mm->max_entries < 100000 ? mm->max_entries : 100000) + 2;
	for (;;) {
		memset(next + mm->key_size, CANARY, 64);
		err = kraw_map_op(&F.k, KBPF_IOC_MAP_NEXT_KEY, mm->id,
				  first ? NULL : key, next, 0);
		answer(err, false);
		if (err)
			break;
		for (int i = 0; i < 64; i++)
			if (next[mm->key_size + i] != CANARY) {
				finding("NEXT_KEY on map %u wrote past key_size %u", mm->id,
					mm->key_size);
				break;
			}
		first = false;
		memcpy(key, next, mm->key_size);
		if (++steps > limit) {
			finding("NEXT_KEY on map %u did not end after %u keys (max_entries %u)",
				mm->id, steps, mm->max_entries);
			return;
		}
		if (!mm->shadowed)
			continue;
		memcpy(&k, key, 4);
		if (k >= SHADOW_KEYS) {
			finding("NEXT_KEY on map %u returned key %u nobody inserted", mm->id, k);
			continue;
		}
		if (seen[k])
			finding("NEXT_KEY on map %u returned key %u twice", mm->id, k);
		else
			n_seen++;
		seen[k] = true;
		if (mm->type == KBPF_MAP_TYPE_HASH && !mm->present[k])
			finding("NEXT_KEY on map %u returned deleted or never inserted key %u",
				mm->id, k);
	}
	if (err != -ENOENT && !(F.faults && err == -ENOMEM)) {
		finding("NEXT_KEY iteration of map %u ended with %s", mm->id, errname(err));
		return;
	}
	if (!mm->shadowed || err)
		return;
	if (mm->type == KBPF_MAP_TYPE_ARRAY && n_seen != (int)mm->max_entries)
		finding("NEXT_KEY walked %d keys of array %u with %u entries", n_seen, mm->id,
			mm->max_entries);
	if (mm->type == KBPF_MAP_TYPE_HASH && n_seen != shadow_count(mm))
		finding("NEXT_KEY walked %d keys of hash %u holding %d", n_seen, mm->id,
			shadow_count(mm));
}

/* ---- test runs ------------------------------------------------------------------------ */

/* A test run's context: every field from values near and off the valid. */
static void fuzz_test_ctx(struct kbpf_nf_ctx *c)
{
	static const __u32 families[] = { 0, 2, 2, 5, 10, 10, 7 };
	static const __u32 ifindexes[] = { 0, 0, 1, 1, 2, 0x7ffffff0 };
	static const __u32 protos[] = { 0, 0, 0x0008, 0xdd86, 0x0608, 0x10000 };

	memset(c, 0, sizeof(*c));
	c->family = rng_pick(&F.r, families);
	c->hook = rng_below(&F.r, 8);
	c->ifindex = rng_pick(&F.r, ifindexes);
	c->protocol = rng_pick(&F.r, protos);
	c->mark = rng_u32(&F.r);
	if (rng_pct(&F.r, 5))
		c->len = rng_u32(&F.r);
	if (rng_pct(&F.r, 5))
		c->data = rng_u32(&F.r);
}

/*
 * After a test run with a context: nothing past ctx_size_out or log_size
 * written, no kernel address in ctx_out, and a context refused (EINVAL,
 * ENODEV, E2BIG) with its reason when the request was otherwise sound.
 */
static void check_test_ctx_out(const struct kbpf_prog_test_run_attr *q, int err,
			       bool sound, const void *ctx_out, __u32 room,
			       const char *why)
{
	const __u8 *b = ctx_out;
	__u64 addr = 0;

	for (__u32 i = room; i < sizeof(struct kbpf_nf_ctx) + 16; i++)
		if (b[i] != CANARY) {
			finding("PROG_TEST_RUN wrote past ctx_size_out %u (byte %u)", room, i);
			break;
		}
	if (!err && room >= sizeof(__u64)) {
		memcpy(&addr, b, sizeof(addr));
		if (addr)
			finding("PROG_TEST_RUN's ctx_out holds data %#llx, an address",
				(unsigned long long)addr);
	}
	for (__u32 i = q->log_size; i < 80; i++)
		if ((__u8)why[i] != CANARY) {
			finding("PROG_TEST_RUN wrote past log_size %u (byte %u)", q->log_size, i);
			break;
		}
	if (sound && (err == -EINVAL || err == -ENODEV) && (__u8)why[0] == CANARY)
		finding("PROG_TEST_RUN refused a context (%d) without a reason", err);
}

static void op_test_run(void)
{
	static const __u32 lens[] = { 0, 1, 9, 10, 14, 20, 40, 60, 100, 576, 1500, 9000, 65535 };
	static const __u32 repeats[] = { 0, 1, 2, 3, 10, 100 };
	static __u8 in[65536 + 16], out[65536 + 64];
	struct { struct kbpf_prog_test_run_attr a; __u8 tail[64]; } q = { 0 };
	struct mprog *p = rng_pct(&F.r, 92) ? random_live_prog() : NULL;
	bool nominal = p != NULL, expect_fail = false, with_out, with_ctx;
	struct { struct kbpf_nf_ctx c; __u8 tail[16]; } ctx_out;
	__u32 len, out_room = 0, ctx_room = 0;
	struct kbpf_nf_ctx ctx;
	char why[80];
	struct sized s;
	int err, want;

	len = rng_pct(&F.r, 95) ? rng_pick(&F.r, lens) : rng_edge_u32(&F.r);
	for (__u32 i = 0; i < 64 && i < sizeof(in); i++)
		in[i] = rng_u32(&F.r);
	q.a.prog_id = p ? p->id : stale_id(true);
	q.a.data_in = ptr_to_u64(in);
	q.a.data_size_in = len;
	if (len > 65535) {
		nominal = false;
		expect_fail = true;	/* E2BIG */
	}
	q.a.repeat = rng_pick(&F.r, repeats);
	if (rng_pct(&F.r, 3)) {
		/* Over the limit: refused before running. */
		q.a.repeat = rng_pct(&F.r, 50) ? (1U << 24) + 1 : 0xffffffff;
		nominal = false;
		expect_fail = true;
	}
	with_out = rng_pct(&F.r, 50);
	if (with_out) {
		out_room = rng_pct(&F.r, 50) ? len : rng_below(&F.r, len + 32);
		if (out_room > 65536)
			out_room = 65536;
		memset(out, CANARY, sizeof(out));
		q.a.data_out = ptr_to_u64(out);
		q.a.data_size_out = out_room;
	}
	if (rng_pct(&F.r, 4)) {
		q.a.data_in = rng_pct(&F.r, 50) ? BAD_PTR : 0;
		nominal = false;
		expect_fail |= len > 0;
	}
	if (rng_pct(&F.r, 3)) {
		q.a.data_out = BAD_PTR;
		q.a.data_size_out = 64;
		nominal = false;
		expect_fail |= len > 0;
	}
	if (!p && F.m.exclusive)
		expect_fail = true;
	with_ctx = rng_pct(&F.r, 15);
	if (with_ctx) {
		/* Where the packet is: valid or not, its reason is checked. */
		fuzz_test_ctx(&ctx);
		q.a.ctx_in = ptr_to_u64(&ctx);
		q.a.ctx_size_in = sizeof(ctx);
		memset(&ctx_out, CANARY, sizeof(ctx_out));
		ctx_room = rng_below(&F.r, sizeof(ctx_out.c) + 1);
		q.a.ctx_out = ptr_to_u64(&ctx_out);
		q.a.ctx_size_out = ctx_room;
		memset(why, CANARY, sizeof(why));
		q.a.log_buf = ptr_to_u64(why);
		q.a.log_size = 1 + rng_below(&F.r, 64);
		/* The program may read the context: no verdict to expect. */
		nominal = false;
	}
	s = fuzz_size((__u8 *)&q, sizeof(q.a), sizeof(q));
	nominal &= s.nominal;
	expect_fail |= s.expect_fail;
	if (!s.nominal && !s.expect_fail && s.size < sizeof(q.a))
		expect_fail = false;
	err = kraw_ioctl(&F.k, KBPF_IOC_PROG_TEST_RUN, (void *)place(AR_ATTR, &q, s.bytes, PL_START));
	answer(err, false);
	if (!canary_ok(AR_ATTR, s.bytes))
		finding("PROG_TEST_RUN wrote past the %zu-byte argument struct", s.bytes);
	if (with_out && q.a.data_out == ptr_to_u64(out))
		for (__u32 i = out_room; i < out_room + 64; i++)
			if (out[i] != CANARY) {
				finding("PROG_TEST_RUN wrote past data_size_out %u (byte %u, data_size_in %u)",
					out_room, i, len);
				break;
			}
	/* An older caller's prefix without ctx_out gives the kernel no room. */
	if (s.size < offsetof(struct kbpf_prog_test_run_attr, ctx_out) + sizeof(q.a.ctx_out))
		ctx_room = 0;
	if (with_ctx)
		check_test_ctx_out(&q.a, err, s.nominal && !expect_fail,
				   &ctx_out, ctx_room, why);
	if (err) {
		if (nominal)
			expect_ok(err, "test run");
		return;
	}
	if (expect_fail) {
		finding("PROG_TEST_RUN accepted a broken request (prog %u, size %u, len %u, repeat %u, data_in %#llx, data_out %#llx/%u)",
			q.a.prog_id, s.size, len, q.a.repeat, (unsigned long long)q.a.data_in,
			(unsigned long long)q.a.data_out, q.a.data_size_out);
		return;
	}
	if (!nominal)
		return;
	{
		struct kbpf_prog_test_run_attr *o = (void *)arenas[AR_ATTR];

		want = gen_expected_ret(&p->gen, in, len);
		if (p->gen.valid && want >= 0 && o->retval != (__u32)want)
			finding("test run of %s program %u on %u bytes returned %u, want %d",
				p->gen.what, p->id, len, o->retval, want);
		if (p->gen.valid && o->retval > 1)
			finding("netfilter program %u returned verdict %u", p->id, o->retval);
		if (with_out && o->data_size_out != (out_room < len ? out_room : len))
			finding("test run reported data_size_out %u, want min(%u, %u)",
				o->data_size_out, out_room, len);
		if (with_out && memcmp(out, in, out_room < len ? out_room : len) &&
		    p->gen.valid)
			finding("test run copied out other bytes than it was given");
	}
	if (p->gen.writes_maps || !p->gen.valid)
		for (int i = 0; i < p->gen.n_maps; i++) {
			struct mmap *mm = model_map(&F.m, p->gen.maps[i]);

			if (mm)
				mm->shadowed = false;
		}
}

/* ---- netlink commands ------------------------------------------------------------------ */

static const __u32 families[] = { KBPF_NF_FAMILY_IPV4, KBPF_NF_FAMILY_IPV6 };

/* Program by id (mostly) or name; maybe a stale one. */
static void put_prog_ref(struct nlbuf *m, struct mprog *p, bool *nominal)
{
	if (!p) {
		nl_put_u32(m, KBPF_A_PROG_ID, stale_id(true));
		*nominal = false;
	} else if (p->name[0] && rng_pct(&F.r, 30)) {
		nl_put_str(m, KBPF_A_PROG_NAME, p->name);
	} else {
		nl_put_u32(m, KBPF_A_PROG_ID, p->id);
	}
}

#ifdef KBPF_IOC_GET_VERSION
/*
 * Now and then a request goes through the device's control ioctl instead
 * of netlink: the same operation, so the same model and expectations.
 * The reason of a failure lands where netlink's extack does.
 */
static bool via_ioctl(void)
{
	return rng_pct(&F.r, 40);
}

static void ctl_hdr(struct kbpf_ctl_hdr *h, size_t size)
{
	F.k.extack[0] = '\0';
	*h = (struct kbpf_ctl_hdr) {
		.size = size,
		.log_buf = ptr_to_u64(F.k.extack),
		.log_size = sizeof(F.k.extack),
	};
}

/* Program by id (mostly) or name; maybe a stale one (put_prog_ref()). */
static void ctl_prog_ref(__u32 *id, char *name, struct mprog *p, bool *nominal)
{
	if (!p) {
		*id = stale_id(true);
		*nominal = false;
	} else if (p->name[0] && rng_pct(&F.r, 30)) {
		memcpy(name, p->name, KBPF_OBJ_NAME_LEN);
	} else {
		*id = p->id;
	}
}

static int ctl_ioctl(unsigned long req, struct kbpf_ctl_hdr *h)
{
	int err = kraw_ioctl(&F.k, req, h);

	answer(err, false);
	return err;
}
#endif

static void op_attach(void)
{
	struct mprog *p = rng_pct(&F.r, 95) ? random_live_prog() : NULL;
	__u32 fam = rng_pick(&F.r, families), hook = rng_below(&F.r, 5);
	__s32 prio = rng_pct(&F.r, 80) ? (__s32)rng_below(&F.r, 200) - 100 : (__s32)rng_edge_u32(&F.r);
	bool nominal = true, bad = false, had;
	struct nlbuf m;
	int err;

	nl_begin(&F.k, &m, KBPF_CMD_PROG_ATTACH, 0);
	put_prog_ref(&m, p, &nominal);
	if (rng_pct(&F.r, 5)) {
		fam = rng_edge_u32(&F.r);
		bad |= fam != KBPF_NF_FAMILY_IPV4 && fam != KBPF_NF_FAMILY_IPV6;
	}
	if (rng_pct(&F.r, 5)) {
		hook = rng_edge_u32(&F.r);
		bad |= hook >= KBPF_NF_HOOK_INGRESS;	/* the IP hooks */
	}
	if (rng_pct(&F.r, 97))
		nl_put_u32(&m, KBPF_A_NF_FAMILY, fam);
	else
		bad = true;
	if (rng_pct(&F.r, 97))
		nl_put_u32(&m, KBPF_A_NF_HOOK, hook);
	else
		bad = true;
	if (rng_pct(&F.r, 90))
		nl_put_u32(&m, KBPF_A_NF_PRIORITY, (__u32)prio);
	else
		prio = 0;
	/* The header's bounds (Linux's netfilter links refuse the extremes). */
	if (prio < KBPF_NF_PRIO_MIN || prio > KBPF_NF_PRIO_MAX)
		bad = true;
#ifdef KBPF_IOC_GET_VERSION
	if (via_ioctl()) {
		struct kbpf_prog_attach_attr a = { 0 };

		/* An ioctl always has both: 0 is a family nobody has. */
		bad = fam != KBPF_NF_FAMILY_IPV4 && fam != KBPF_NF_FAMILY_IPV6;
		bad |= hook >= KBPF_NF_HOOK_INGRESS;
		bad |= prio < KBPF_NF_PRIO_MIN || prio > KBPF_NF_PRIO_MAX;
		ctl_hdr(&a.hdr, sizeof(a));
		ctl_prog_ref(&a.prog_id, a.name, p, &nominal);
		a.hook = (struct kbpf_hook_id) { fam, hook, prio, 0 };
		if (rng_pct(&F.r, 3)) {
			a.hdr.flags = 1U << rng_below(&F.r, 32);
			bad |= a.hdr.flags != KBPF_ATTACH_F_MISS_DROP;
		}
		err = ctl_ioctl(KBPF_IOC_PROG_ATTACH, &a.hdr);
	} else
#endif
	{
		err = nl_transact(&F.k, &m, 0, NULL, NULL);
		answer(err, true);
	}
	if (!p) {
		if (!err && F.m.exclusive)
			finding("attach of program id we do not own succeeded");
		return;
	}
	if (bad) {
		expect_err(err, "attach with a bad family, hook, priority or a missing attribute");
		return;
	}
	had = p->links & LINK_BIT(fam, hook);
	if (had)
		expect_one_of(err, "second attach to the same hook", -EEXIST, -EBUSY, -EEXIST);
	else if (nominal)
		expect_ok(err, "attach");
	if (!err)
		p->links |= LINK_BIT(fam, hook);
}

static void op_detach(void)
{
	struct mprog *p = rng_pct(&F.r, 95) ? random_live_prog() : NULL;
	__u32 fam = rng_pick(&F.r, families), hook = rng_below(&F.r, 5);
	bool nominal = true, one = rng_pct(&F.r, 60);
	struct nlbuf m;
	int err;

	nl_begin(&F.k, &m, KBPF_CMD_PROG_DETACH, 0);
	put_prog_ref(&m, p, &nominal);
	if (one) {
		nl_put_u32(&m, KBPF_A_NF_FAMILY, fam);
		nl_put_u32(&m, KBPF_A_NF_HOOK, hook);
	}
#ifdef KBPF_IOC_GET_VERSION
	if (via_ioctl()) {
		struct kbpf_prog_detach_attr a = { 0 };

		ctl_hdr(&a.hdr, sizeof(a));
		ctl_prog_ref(&a.prog_id, a.name, p, &nominal);
		a.hdr.flags = one ? 0 : KBPF_DETACH_F_ALL;
		if (one) {
			a.family = fam;
			a.hook = hook;
		}
		if (rng_pct(&F.r, 3)) {
			/* Every hook, yet a family: an error. */
			a.hdr.flags = KBPF_DETACH_F_ALL;
			a.family = fam;
			err = ctl_ioctl(KBPF_IOC_PROG_DETACH, &a.hdr);
			expect_err(err, "detach from every hook with a family");
			return;
		}
		err = ctl_ioctl(KBPF_IOC_PROG_DETACH, &a.hdr);
		goto check;
	}
#endif
	if (rng_pct(&F.r, 3)) {
		/* Family without hook (or the other way round) is an error. */
		nl_begin(&F.k, &m, KBPF_CMD_PROG_DETACH, 0);
		put_prog_ref(&m, p, &nominal);
		nl_put_u32(&m, rng_pct(&F.r, 50) ? KBPF_A_NF_FAMILY : KBPF_A_NF_HOOK, 2);
		err = nl_transact(&F.k, &m, 0, NULL, NULL);
		answer(err, true);
		expect_err(err, "detach with only one of family and hook");
		return;
	}
	err = nl_transact(&F.k, &m, 0, NULL, NULL);
	answer(err, true);
#ifdef KBPF_IOC_GET_VERSION
check:
#endif
	if (!p) {
		if (!err && F.m.exclusive)
			finding("detach of program id we do not own succeeded");
		return;
	}
	if (one && !(p->links & LINK_BIT(fam, hook)) && !err)
		finding("detach from a hook program %u is not attached to succeeded", p->id);
	if (one && (p->links & LINK_BIT(fam, hook)))
		expect_ok(err, "detach from one hook");
	if (!one && p->links)
		expect_ok(err, "detach from every hook");
	if (!err)
		p->links = one ? p->links & ~LINK_BIT(fam, hook) : 0;
}

static void op_unload(void)
{
	struct mprog *p = rng_pct(&F.r, 95) ? random_live_prog() : NULL;
	bool nominal = true;
	struct nlbuf m;
	int err;

#ifdef KBPF_IOC_GET_VERSION
	if (via_ioctl()) {
		struct kbpf_obj_attr a = { 0 };

		ctl_hdr(&a.hdr, sizeof(a));
		ctl_prog_ref(&a.id, a.name, p, &nominal);
		err = ctl_ioctl(KBPF_IOC_PROG_UNLOAD, &a.hdr);
	} else
#endif
	{
		nl_begin(&F.k, &m, KBPF_CMD_PROG_UNLOAD, 0);
		put_prog_ref(&m, p, &nominal);
		err = nl_transact(&F.k, &m, 0, NULL, NULL);
		answer(err, true);
	}
	if (!p) {
		if (!err && F.m.exclusive)
			finding("unload of program id we do not own succeeded");
		return;
	}
	if (!expect_ok(err, "unload"))
		return;
	vlog("unloaded %u", p->id);
	p->live = false;
	/* Its maps are free now; their contents stay unmodelled. */
}

static void op_map_destroy(void)
{
	struct mmap *mm = rng_pct(&F.r, 95) ? random_live_map() : NULL;
	struct nlbuf m;
	int err;

#ifdef KBPF_IOC_GET_VERSION
	if (via_ioctl()) {
		struct kbpf_obj_attr a = { 0 };

		ctl_hdr(&a.hdr, sizeof(a));
		if (!mm)
			a.id = stale_id(false);
		else if (mm->name[0] && rng_pct(&F.r, 30))
			memcpy(a.name, mm->name, sizeof(a.name));
		else
			a.id = mm->id;
		err = ctl_ioctl(KBPF_IOC_MAP_DESTROY, &a.hdr);
	} else
#endif
	{
		nl_begin(&F.k, &m, KBPF_CMD_MAP_DESTROY, 0);
		if (!mm)
			nl_put_u32(&m, KBPF_A_MAP_ID, stale_id(false));
		else if (mm->name[0] && rng_pct(&F.r, 30))
			nl_put_str(&m, KBPF_A_MAP_NAME, mm->name);
		else
			nl_put_u32(&m, KBPF_A_MAP_ID, mm->id);
		err = nl_transact(&F.k, &m, 0, NULL, NULL);
		answer(err, true);
	}
	if (!mm) {
		if (!err && F.m.exclusive)
			finding("destroy of map id we do not own succeeded");
		return;
	}
	/* Another worker's mutated program may hold any map by a random id. */
	switch (F.m.exclusive ? model_map_in_use(&F.m, mm->id) : MAP_MAYBE_USED) {
	case MAP_USED:
		expect_one_of(err, "destroy of a map a loaded program uses", -EBUSY, -EBUSY, -EBUSY);
		return;
	case MAP_MAYBE_USED:
		expect_one_of(err, "destroy of a map a mutated program may use", 0, -EBUSY, 0);
		break;
	default:
		expect_ok(err, "map destroy");
		break;
	}
	if (err)
		return;
	vlog("destroyed map %u '%s'", mm->id, mm->name);
	mm->live = false;
}

struct get_reply {
	int n;
	__u32 id;
	char name[KBPF_OBJ_NAME_LEN];
};

static void get_reply(const struct nlmsghdr *h, void *arg)
{
	struct get_reply *g = arg;
	const struct nlattr *a;
	int rem;

	g->n++;
	for (a = genl_attrs(h, &rem); NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		__u16 t = a->nla_type & NLA_TYPE_MASK;

		if (t == KBPF_A_PROG_ID || t == KBPF_A_MAP_ID)
			g->id = nla_u32(a);
		if ((t == KBPF_A_PROG_NAME || t == KBPF_A_MAP_NAME) && NLA_PAYLOAD(a) > 0)
			snprintf(g->name, sizeof(g->name), "%.*s", NLA_PAYLOAD(a),
				 (char *)NLA_DATA(a));
	}
}

#ifdef KBPF_IOC_GET_VERSION
/*
 * PROG_GET_INFO / MAP_GET_INFO, the ioctl twins of a PROG_GET / MAP_GET
 * do: the answer goes into g as get_reply() would put it.  A program's
 * attachments go into a canary-guarded array with room for one, so that
 * ENOSPC is seen too: a write past it is a finding.
 */
static int ctl_get_info(bool prog, __u32 id, const char *name,
			struct get_reply *g)
{
	union {
		struct kbpf_prog_info_attr p;
		struct kbpf_map_info_attr m;
	} a;
	struct kbpf_attach_info *links = (void *)arenas[AR_VALUE];
	int err;

	memset(&a, 0, sizeof(a));
	if (prog) {
		ctl_hdr(&a.p.hdr, sizeof(a.p));
		a.p.prog_id = id;
		snprintf(a.p.name, sizeof(a.p.name), "%s", id ? "" : name);
		memset(links, CANARY, 2 * sizeof(*links));
		a.p.attachments = ptr_to_u64(links);
		a.p.attach_cnt = 1;
		a.p.attach_rec_size = sizeof(*links);
		err = ctl_ioctl(KBPF_IOC_PROG_GET_INFO, &a.p.hdr);
		if (err == -ENOSPC && a.p.attach_cnt > 1)
			err = 0;	/* more attachments than room: the head is in */
		if (((__u8 *)&links[1])[0] != CANARY)
			finding("PROG_GET_INFO wrote past the room it was given");
		if (!err) {
			g->n = 1;
			g->id = a.p.prog_id;
			memcpy(g->name, a.p.name, sizeof(g->name));
		}
		return err;
	}
	ctl_hdr(&a.m.hdr, sizeof(a.m));
	a.m.map_id = id;
	snprintf(a.m.name, sizeof(a.m.name), "%s", id ? "" : name);
	err = ctl_ioctl(KBPF_IOC_MAP_GET_INFO, &a.m.hdr);
	if (!err) {
		g->n = 1;
		g->id = a.m.map_id;
		memcpy(g->name, a.m.name, sizeof(g->name));
	}
	return err;
}
#endif

/* GET_VERSION, and PROG_GET / MAP_GET of one object by id or name. */
static void op_genl_get(void)
{
	struct get_reply g = { 0 };
	struct nlbuf m;
	bool prog = rng_pct(&F.r, 50), by_name = rng_pct(&F.r, 30);
	struct mprog *p = prog ? random_live_prog() : NULL;
	struct mmap *mm = prog ? NULL : random_live_map();
	__u32 id = p ? p->id : mm ? mm->id : 0;
	const char *name = p ? p->name : mm ? mm->name : "";
	int err;

	if (rng_pct(&F.r, 15)) {
		nl_begin(&F.k, &m, KBPF_CMD_GET_VERSION, 0);
		err = nl_transact(&F.k, &m, 0, get_reply, &g);
		answer(err, true);
		if (expect_ok(err, "GET_VERSION") && g.n != 1)
			finding("GET_VERSION sent %d replies", g.n);
		return;
	}
	nl_begin(&F.k, &m, prog ? KBPF_CMD_PROG_GET : KBPF_CMD_MAP_GET, 0);
	if (!id || rng_pct(&F.r, 10)) {
		id = stale_id(prog);
		name = "";
		by_name = false;
		p = NULL;
		mm = NULL;
	}
	if (by_name && name[0])
		nl_put_str(&m, prog ? KBPF_A_PROG_NAME : KBPF_A_MAP_NAME, name);
	else
		nl_put_u32(&m, prog ? KBPF_A_PROG_ID : KBPF_A_MAP_ID, id);
#ifdef KBPF_IOC_GET_VERSION
	if (via_ioctl())
		err = ctl_get_info(prog, by_name && name[0] ? 0 : id, name, &g);
	else
#endif
	{
		err = nl_transact(&F.k, &m, 0, get_reply, &g);
		answer(err, true);
	}
	if (p || mm) {
		if (!expect_ok(err, prog ? "PROG_GET of a live program" : "MAP_GET of a live map"))
			return;
		if (g.n != 1 || g.id != id || strcmp(g.name, name))
			finding("%s of %u '%s' answered %d replies, id %u name '%s'",
				prog ? "PROG_GET" : "MAP_GET", id, name, g.n, g.id, g.name);
	} else if (F.m.exclusive && !err && !(prog ? id_is_live_prog(id) : id_is_live_map(id))) {
		finding("%s of id %u nobody owns succeeded", prog ? "PROG_GET" : "MAP_GET", id);
	}
}

/* A kbpf request with random attributes, types, lengths, flags and headers. */
static void op_genl_raw(void)
{
	struct nlbuf m;
	__u8 cmd = rng_pct(&F.r, 90) ? rng_below(&F.r, KBPF_CMD_MAX + 2) : rng_u32(&F.r);
	__u16 flags = rng_pct(&F.r, 20) ? NLM_F_DUMP : 0;
	int n = rng_below(&F.r, 6), err;
	size_t raw_len = 0;
	bool mutating;

	if (rng_pct(&F.r, 5))
		flags |= rng_u32(&F.r) & 0x0f00;
	/* Only read-only commands here: random ids must not hit others' objects. */
	mutating = cmd == KBPF_CMD_PROG_ATTACH || cmd == KBPF_CMD_PROG_DETACH ||
		   cmd == KBPF_CMD_PROG_UNLOAD || cmd == KBPF_CMD_MAP_DESTROY;
	nl_begin(&F.k, &m, cmd, flags);
	if (rng_pct(&F.r, 5))
		((struct genlmsghdr *)NLMSG_DATA(&m.hdr))->version = rng_u32(&F.r);
	while (n--) {
		__u8 data[64];
		__u16 type = rng_pct(&F.r, 90) ? rng_below(&F.r, KBPF_A_MAX + 3) : rng_u32(&F.r);
		__u16 t, len = rng_pct(&F.r, 70) ? rng_pick(&F.r, ((__u16[]){ 0, 1, 2, 4, 8, 16 })) :
						 rng_below(&F.r, sizeof(data));

		for (unsigned int i = 0; i < sizeof(data); i++)
			data[i] = rng_pct(&F.r, 50) ? 0 : rng_u32(&F.r);
		/* Ids of objects we might not own: never for mutations. */
		t = type & NLA_TYPE_MASK;
		if (mutating && (t == KBPF_A_PROG_ID || t == KBPF_A_MAP_ID ||
				 t == KBPF_A_PROG_NAME || t == KBPF_A_MAP_NAME))
			memset(data, 0xff, sizeof(data));
		if (mutating && (t == KBPF_A_PROG_NAME || t == KBPF_A_MAP_NAME))
			data[0] = '-';	/* no valid name starts with '-' */
		if (rng_pct(&F.r, 10)) {
			struct nlattr *nest = nl_nest_start(&m, type);

			nl_put(&m, rng_below(&F.r, KBPF_ATTACH_A_MAX + 2), data, len);
			nl_nest_end(&m, nest);
		} else {
			nl_put(&m, type, data, len);
		}
	}
	if (rng_pct(&F.r, 5)) {
		/* A header that lies about the length. */
		raw_len = rng_pct(&F.r, 50) ? m.len - rng_below(&F.r, m.len) :
					      m.len + rng_below(&F.r, 64);
	}
	err = nl_transact(&F.k, &m, raw_len, NULL, NULL);
	if (F.verbose > 1) {
		char hex[3 * 96 + 1] = "";

		for (size_t i = NLMSG_LENGTH(GENL_HDRLEN); i < m.len && i < 96 + NLMSG_LENGTH(GENL_HDRLEN); i++)
			sprintf(hex + strlen(hex), "%02x ", (__u8)m.buf[i]);
		vlog("genl_raw cmd %u flags %#x len %zu/%zu -> %s: %s", cmd, flags, raw_len,
		     m.len, errname(err), hex);
	}
	if (err == -ETIMEDOUT) {
		/* The kernel drops messages whose header does not fit. */
		F.st.execs++;
		if (!raw_len)
			finding("no answer to a netlink request (cmd %u, %zu bytes)",
				cmd, m.len);
		return;
	}
	answer(err, true);
	if (mutating && !err)
		finding("raw mutating command %u with garbage attributes succeeded", cmd);
}

static bool ioctl_defined(unsigned long req)
{
	static const unsigned long defined[] = {
		KBPF_IOC_PROG_LOAD, KBPF_IOC_MAP_CREATE, KBPF_IOC_MAP_LOOKUP,
		KBPF_IOC_MAP_UPDATE, KBPF_IOC_MAP_DELETE, KBPF_IOC_MAP_NEXT_KEY,
		KBPF_IOC_PROG_TEST_RUN,
#ifdef KBPF_IOC_MAP_GET_FD
		KBPF_IOC_MAP_GET_FD,
#endif
#ifdef KBPF_IOC_MAP_SET_BTF
		KBPF_IOC_MAP_SET_BTF, KBPF_IOC_MAP_GET_BTF,
#endif
		KBPF_IOC_TRACE_OPEN,
		/* Random bytes could freeze a map the model updates. */
		KBPF_IOC_MAP_FREEZE,
#ifdef KBPF_IOC_GET_VERSION
		KBPF_IOC_GET_VERSION, KBPF_IOC_PROG_GET_NEXT_ID,
		KBPF_IOC_MAP_GET_NEXT_ID, KBPF_IOC_PROG_GET_INFO,
		KBPF_IOC_MAP_GET_INFO, KBPF_IOC_PROG_ATTACH, KBPF_IOC_PROG_DETACH,
		KBPF_IOC_PROG_REPLACE, KBPF_IOC_PROG_UNLOAD, KBPF_IOC_MAP_DESTROY,
		KBPF_IOC_HOOK_GET_NEXT, KBPF_IOC_HOOK_GET_INFO, KBPF_IOC_HOOK_SET,
		KBPF_IOC_FEATURE_GET, KBPF_IOC_FEATURE_SET,
#endif
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(defined); i++)
		if (req == defined[i])
			return true;
	return false;
}

#ifdef KBPF_IOC_GET_VERSION
/* The control ioctls that change nothing. */
static const unsigned long ctl_readers[] = {
	KBPF_IOC_GET_VERSION, KBPF_IOC_PROG_GET_NEXT_ID, KBPF_IOC_MAP_GET_NEXT_ID,
	KBPF_IOC_PROG_GET_INFO, KBPF_IOC_MAP_GET_INFO, KBPF_IOC_HOOK_GET_NEXT,
	KBPF_IOC_HOOK_GET_INFO, KBPF_IOC_FEATURE_GET,
};
#endif

static bool ioctl_read_only(unsigned long req)
{
#ifdef KBPF_IOC_GET_VERSION
	for (unsigned int i = 0; i < ARRAY_SIZE(ctl_readers); i++)
		if (req == ctl_readers[i])
			return true;
#endif
	return req == KBPF_IOC_MAP_LOOKUP || req == KBPF_IOC_MAP_NEXT_KEY;
}

/* An ioctl number or argument nobody defined. */
static void op_ioctl_raw(void)
{
	__u8 buf[256];
	unsigned long req;
	int err;

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = rng_pct(&F.r, 50) ? 0 : rng_u32(&F.r);
	switch (rng_below(&F.r, 4)) {
	case 0:	/* unknown numbers in our magic */
		req = _IO(KBPF_IOC_MAGIC, 8 + rng_below(&F.r, 248));
		if (rng_pct(&F.r, 30))
			req = _IO(KBPF_IOC_MAGIC, 0);
		break;
	case 1:	/* known numbers with direction and size bits */
		req = _IOC(rng_below(&F.r, 4), KBPF_IOC_MAGIC, 1 + rng_below(&F.r, 7),
			   rng_below(&F.r, 256));
		if (rng_pct(&F.r, 50))
			req = _IO(KBPF_IOC_MAGIC, 1 + rng_below(&F.r, 7)) | 0x40000000;
		break;
	case 2:	/* another magic */
		req = _IO(rng_u32(&F.r) & 0xff, rng_u32(&F.r) & 0xff);
		if (((req >> 8) & 0xff) == KBPF_IOC_MAGIC)
			req = _IO(0x42, 1);
		break;
	default:	/* a read-only op with random bytes */
		req = rng_pct(&F.r, 50) ? KBPF_IOC_MAP_LOOKUP : KBPF_IOC_MAP_NEXT_KEY;
#ifdef KBPF_IOC_GET_VERSION
		if (rng_pct(&F.r, 50))
			req = rng_pick(&F.r, ctl_readers);
#endif
		break;
	}
	/* A defined mutating command with random bytes could hit our maps. */
	if (ioctl_defined(req) && !ioctl_read_only(req))
		req = _IO(KBPF_IOC_MAGIC, 0);
	err = kraw_ioctl(&F.k, req, buf);
	answer(err, false);
	if (!ioctl_read_only(req) && err != -ENOTTY)
		finding("ioctl %#lx that kbpf does not define answered %s, want -ENOTTY",
			req, errname(err));
}

#ifdef KBPF_IOC_GET_VERSION
/* The control ioctls that change something, without capabilities. */
static int unpriv_ctl(struct mprog *p, struct mmap *mm)
{
	struct kbpf_prog_attach_attr at = { .hdr.size = sizeof(at) };
	struct kbpf_prog_detach_attr d = {
		.hdr = { .size = sizeof(d), .flags = KBPF_DETACH_F_ALL },
	};
	struct kbpf_obj_attr o = { .hdr.size = sizeof(o) };
	struct kbpf_hook_set_attr hs = {
		.hdr = { .size = sizeof(hs), .flags = KBPF_HOOK_SET_F_POLICY },
		.hook = { KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0, 0 },
		.policy = KBPF_SCHED_DEADLINE,
	};
	struct kbpf_feature_set_attr fs = {
		.hdr = { .size = sizeof(fs), .flags = KBPF_FEATURE_SET_F_STATS },
		.stats_enabled = 1,
	};
	int bad = 0;

	if (p) {
		at.prog_id = d.prog_id = o.id = p->id;
		at.hook = hs.hook;
		bad += !kraw_ioctl(&F.k, KBPF_IOC_PROG_ATTACH, &at);
		bad += !kraw_ioctl(&F.k, KBPF_IOC_PROG_DETACH, &d);
		bad += !kraw_ioctl(&F.k, KBPF_IOC_PROG_UNLOAD, &o);
	}
	if (mm) {
		o.id = mm->id;
		bad += !kraw_ioctl(&F.k, KBPF_IOC_MAP_DESTROY, &o);
	}
	bad += !kraw_ioctl(&F.k, KBPF_IOC_HOOK_SET, &hs);
	bad += !kraw_ioctl(&F.k, KBPF_IOC_FEATURE_SET, &fs);
	return bad;
}
#endif

/*
 * A child that dropped every capability: each mutating request must fail
 * and leave nothing behind (the next full check sees any leftover).
 */
static void op_unpriv(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	struct mprog *p = random_live_prog();
	struct mmap *mm = random_live_map();
	int status, fails[2] = { -1, -1 };
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return;
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		struct kbpf_insn prog[] = {
			{ .code = 0xb7, .imm = 1 }, { .code = 0x95 },
		};
		int bad = 0, err;
		__u32 k = 0, id;
		__u8 val[4096] = { 0 };
		char name[KBPF_OBJ_NAME_LEN];

		close(pipefd[0]);
		if (syscall(SYS_capset, &hdr, data))
			_exit(3);
		fresh_name(name);
		err = kraw_prog_load(&F.k, name, prog, 2, &id);
		bad += !err;
		err = kraw_map_create(&F.k, name, KBPF_MAP_TYPE_ARRAY, 4, 4, 1, &id);
		bad += !err;
		if (mm && mm->key_size == 4 && mm->value_size <= sizeof(val))
			bad += !kraw_map_op(&F.k, KBPF_IOC_MAP_UPDATE, mm->id, &k, val, 0);
		if (mm && mm->key_size == 4)
			bad += !kraw_map_op(&F.k, KBPF_IOC_MAP_DELETE, mm->id, &k, NULL, 0);
		if (p) {
			bad += !kraw_attach(&F.k, p->id, KBPF_NF_FAMILY_IPV4, 0, 0);
			bad += !kraw_detach(&F.k, p->id);
			bad += !kraw_unload(&F.k, p->id);
		}
		if (mm)
			bad += !kraw_map_destroy(&F.k, mm->id);
#ifdef KBPF_IOC_GET_VERSION
		bad += unpriv_ctl(p, mm);
#endif
		if (write(pipefd[1], &bad, sizeof(bad)) != sizeof(bad))
			_exit(4);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &fails[0], sizeof(int)) != sizeof(int))
		fails[0] = -1;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	F.st.execs += 8;
	if (fails[0] > 0)
		finding("%d mutating requests succeeded without capabilities", fails[0]);
	else if (fails[0] < 0)
		finding("the unprivileged child died (status %#x)", status);
}

#ifdef KBPF_IOC_MAP_SET_BTF
/*
 * KBPF_IOC_MAP_SET_BTF once per map (EEXIST after), and GET_BTF with room
 * for none, too little, exactly enough: ENOSPC with the size, or the bytes.
 */
static void op_map_btf(void)
{
	static __u8 blob[KBPF_MAP_BTF_MAX_SIZE + 64], out[KBPF_MAP_BTF_MAX_SIZE + 64];
	struct kbpf_map_btf_attr a = { .size = sizeof(a) };
	struct mmap *mm = rng_pct(&F.r, 95) ? random_live_map() : NULL;
	bool valid;
	__u32 len;
	int err;

	a.map_id = mm ? mm->id : stale_id(false);
	if (rng_pct(&F.r, 50) || !mm || !mm->btf_size) {
		/* SET */
		len = rng_pct(&F.r, 85) ? 24 + rng_below(&F.r, 2048) : rng_edge_u32(&F.r);
		if (len > sizeof(blob))
			len = rng_pct(&F.r, 50) ? KBPF_MAP_BTF_MAX_SIZE + 1 : len;
		for (__u32 i = 0; i < 64; i++)
			blob[i] = rng_u32(&F.r);
		if (rng_pct(&F.r, 85))
			blob[0] = 0x9f, blob[1] = 0xeb;
		a.btf = ptr_to_u64(blob);
		a.btf_size = len;
		a.btf_key_type_id = rng_below(&F.r, 4);
		a.btf_value_type_id = rng_below(&F.r, 4);
		if (rng_pct(&F.r, 3))
			a.flags = 1;
		if (len > sizeof(blob) - 64 && len != KBPF_MAP_BTF_MAX_SIZE + 1)
			a.btf = BAD_PTR;
		err = kraw_ioctl(&F.k, KBPF_IOC_MAP_SET_BTF, &a);
		answer(err, false);
		if (!mm)
			return;
		if (!err && (a.flags || len < 24 || len > KBPF_MAP_BTF_MAX_SIZE ||
			     blob[0] != 0x9f || blob[1] != 0xeb))
			finding("MAP_SET_BTF accepted %u bytes, flags %u, magic %02x%02x",
				len, a.flags, blob[1], blob[0]);
		valid = !a.flags && len >= 24 && len <= KBPF_MAP_BTF_MAX_SIZE &&
			blob[0] == 0x9f && blob[1] == 0xeb && a.btf != BAD_PTR;
		if (mm->btf_size && valid && err != -EEXIST && !(F.faults && err == -ENOMEM))
			finding("second MAP_SET_BTF on map %u answered %s, want -EEXIST",
				mm->id, errname(err));
		if (!mm->btf_size && !a.flags && len >= 24 && len <= 2048 + 24 &&
		    blob[0] == 0x9f && blob[1] == 0xeb)
			expect_ok(err, "MAP_SET_BTF");
		if (!err && !mm->btf_size) {
			mm->btf_size = len;
			memcpy(mm->btf_head, blob, sizeof(mm->btf_head));
		}
		return;
	}
	/* GET */
	switch (rng_below(&F.r, 3)) {
	case 0: len = 0; break;
	case 1: len = mm->btf_size - 1; break;
	default: len = mm->btf_size; break;
	}
	memset(out, CANARY, sizeof(out));
	a.btf = ptr_to_u64(out);
	a.btf_size = len;
	err = kraw_ioctl(&F.k, KBPF_IOC_MAP_GET_BTF, &a);
	answer(err, false);
	if (len < mm->btf_size) {
		expect_one_of(err, "MAP_GET_BTF with too little room", -ENOSPC, -ENOSPC, -ENOSPC);
		if (err == -ENOSPC && a.btf_size != mm->btf_size)
			finding("MAP_GET_BTF with too little room reports %u bytes, want %u",
				a.btf_size, mm->btf_size);
		if (len < sizeof(out) && out[len] != CANARY)
			finding("MAP_GET_BTF wrote past btf_size %u", len);
		return;
	}
	if (!expect_ok(err, "MAP_GET_BTF"))
		return;
	if (a.btf_size != mm->btf_size ||
	    memcmp(out, mm->btf_head, mm->btf_size < 64 ? mm->btf_size : 64) ||
	    (len < sizeof(out) && out[len] != CANARY))
		finding("MAP_GET_BTF of map %u: %u bytes, other bytes or past the end",
			mm->id, a.btf_size);
}
#endif

void run_op(enum fuzz_op op)
{
	static const char *const names[NR_OPS] = {
		"prog_load", "map_create", "map_update", "map_lookup", "map_delete",
		"map_iterate", "test_run", "attach", "detach", "unload", "map_destroy",
		"genl_get", "genl_raw", "ioctl_raw", "check", "unpriv", "map_btf",
	};

	F.op_name = names[op];
	F.st.ops[op]++;
	if (F.verbose > 1)
		vlog("%s", names[op]);
	switch (op) {
	case OP_PROG_LOAD: op_prog_load(); break;
	case OP_MAP_CREATE: op_map_create(); break;
	case OP_MAP_UPDATE: op_map_update(); break;
	case OP_MAP_LOOKUP: op_map_lookup(); break;
	case OP_MAP_DELETE: op_map_delete(); break;
	case OP_MAP_ITERATE: op_map_iterate(); break;
	case OP_TEST_RUN: op_test_run(); break;
	case OP_ATTACH: op_attach(); break;
	case OP_DETACH: op_detach(); break;
	case OP_UNLOAD: op_unload(); break;
	case OP_MAP_DESTROY: op_map_destroy(); break;
	case OP_GENL_GET: op_genl_get(); break;
	case OP_GENL_RAW: op_genl_raw(); break;
	case OP_IOCTL_RAW: op_ioctl_raw(); break;
	case OP_UNPRIV: op_unpriv(); break;
	case OP_CHECK: check_listing(); break;
#ifdef KBPF_IOC_MAP_SET_BTF
	case OP_MAP_BTF: op_map_btf(); break;
#endif
	default: break;
	}
}
