// SPDX-License-Identifier: GPL-2.0
/*
 * Program generation for the syscall fuzzer (see progs.h).  The templates
 * are what clang emits for small netfilter programs: returns, a bounds-
 * checked packet read, context reads, helper calls, map lookups, updates
 * and deletes with the key (and value) on the stack, a direct map value
 * load, a bpf-to-bpf call.  The verifier must accept each one; where the
 * return value follows from the input, the fuzzer checks it after a test run.
 */
#include <stddef.h>
#include <string.h>
#include <linux/bpf.h>

#include "progs.h"

#define INSN(c, d, s, o, i) \
	((struct kbpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			     .off = (o), .imm = (i) })
#define MOV64_IMM(d, i)		INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)		INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD64_IMM(d, i)		INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define AND64_IMM(d, i)		INSN(BPF_ALU64 | BPF_AND | BPF_K, d, 0, 0, i)
#define LDX(sz, d, s, o)	INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, i)		INSN(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define JGT_REG(d, s, o)	INSN(BPF_JMP | BPF_JGT | BPF_X, d, s, o, 0)
#define JEQ_IMM(d, i, o)	INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define CALL(n)			INSN(BPF_JMP | BPF_CALL, 0, 0, 0, n)
#define CALL_LOCAL(rel)		INSN(BPF_JMP | BPF_CALL, 0, KBPF_PSEUDO_CALL, 0, rel)
#define EXIT()			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD_IMM64(d, s, lo)	INSN(BPF_LD | BPF_IMM | BPF_DW, d, s, 0, lo)
#define LD_IMM64_HI(hi)		INSN(0, 0, 0, 0, hi)

#define CTX_OFF(f)		((__s16)offsetof(struct kbpf_nf_ctx, f))

/* The helpers every kbpf program type has, with Linux's numbers. */
enum {
	FN_MAP_LOOKUP = 1,
	FN_MAP_UPDATE = 2,
	FN_MAP_DELETE = 3,
	FN_KTIME = 5,
	FN_PRANDOM = 7,
	FN_CPU_ID = 8,
};

static void emit(struct gen_prog *p, struct kbpf_insn insn)
{
	if (p->cnt < GEN_MAX_INSNS)
		p->insns[p->cnt++] = insn;
}

static void begin(struct gen_prog *p, const char *what, int ret)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->valid = true;
	p->ret = ret;
}

static void ret_imm(struct gen_prog *p, int v)
{
	emit(p, MOV64_IMM(0, v));
	emit(p, EXIT());
}

static void t_return(struct rng *r, struct gen_prog *p)
{
	int v = rng_below(r, 2);

	begin(p, v ? "accept" : "drop", v);
	ret_imm(p, v);
}

/* Accept below 10 bytes, else return the low bit of byte 9 (IPv4 proto). */
static void t_packet(struct rng *r, struct gen_prog *p)
{
	begin(p, "packet", GEN_RET_PKT_PROTO);
	emit(p, LDX(BPF_DW, 2, 1, CTX_OFF(data_end)));
	emit(p, LDX(BPF_DW, 1, 1, CTX_OFF(data)));
	emit(p, MOV64_REG(3, 1));
	emit(p, ADD64_IMM(3, 10));
	emit(p, MOV64_IMM(0, KBPF_NF_ACCEPT));
	emit(p, JGT_REG(3, 2, 2));
	emit(p, LDX(BPF_B, 0, 1, 9));
	emit(p, AND64_IMM(0, 1));
	emit(p, EXIT());
}

static void t_ctx(struct rng *r, struct gen_prog *p)
{
	static const __s16 fields[] = {
		CTX_OFF(family), CTX_OFF(hook), CTX_OFF(ifindex),
		CTX_OFF(protocol), CTX_OFF(mark),
	};

	begin(p, "ctx", GEN_RET_CTX_LEN);
	/* Read a few fields into scratch registers, then len & 1. */
	emit(p, LDX(BPF_W, 2, 1, rng_pick(r, fields)));
	emit(p, LDX(BPF_W, 3, 1, rng_pick(r, fields)));
	emit(p, LDX(BPF_W, 0, 1, CTX_OFF(len)));
	emit(p, AND64_IMM(0, 1));
	emit(p, EXIT());
}

static void t_helpers(struct rng *r, struct gen_prog *p)
{
	static const int fns[] = { FN_KTIME, FN_PRANDOM, FN_CPU_ID };
	int i, n = 1 + rng_below(r, 3);

	begin(p, "helpers", 1);
	for (i = 0; i < n; i++)
		emit(p, CALL(rng_pick(r, fns)));
	ret_imm(p, 1);
}

/* r1 = r2 = ..., then call a subprogram that returns 0; main returns 1. */
static void t_call(struct rng *r, struct gen_prog *p)
{
	begin(p, "bpf2bpf", 1);
	emit(p, CALL_LOCAL(2));
	ret_imm(p, 1);
	emit(p, MOV64_IMM(0, rng_below(r, 2)));
	emit(p, EXIT());
}

static __u32 round8(__u32 n)
{
	return (n + 7) & ~7U;
}

/* Zero len bytes of stack ending at fp - top + len, i.e. [fp-top, fp-top+len). */
static void zero_stack(struct gen_prog *p, int top, __u32 len)
{
	__u32 off;

	for (off = 0; off < round8(len); off += 8)
		emit(p, ST(BPF_DW, 10, -top + off, 0));
}

/* A key on the stack at fp - kt: zero, with k in its first bytes. */
static void key_on_stack(struct gen_prog *p, const struct gen_map *m, int kt, __u32 k)
{
	zero_stack(p, kt, m->key_size);
	if (m->key_size >= 4)
		emit(p, ST(BPF_W, 10, -kt, k));
	else
		emit(p, ST(BPF_B, 10, -kt, k & 0xff));
}

static void load_map(struct gen_prog *p, int reg, const struct gen_map *m)
{
	emit(p, LD_IMM64(reg, KBPF_PSEUDO_MAP_ID, m->id));
	emit(p, LD_IMM64_HI(0));
	if (p->n_maps < GEN_MAX_MAPS)
		p->maps[p->n_maps++] = m->id;
}

static bool map_fits_stack(const struct gen_map *m, bool with_value)
{
	__u32 need = round8(m->key_size) + (with_value ? round8(m->value_size) : 0);

	return m->key_size && m->value_size && need <= 512 &&
	       m->type != KBPF_MAP_TYPE_LPM_TRIE;
}

/* lookup; if found, increment the first u32 (or byte) of the value. */
static void t_lookup(struct rng *r, struct gen_prog *p, const struct gen_map *m)
{
	int kt = round8(m->key_size);
	bool wide = m->value_size >= 4;

	begin(p, "map_lookup", KBPF_NF_ACCEPT);
	p->writes_maps = true;
	key_on_stack(p, m, kt, rng_below(r, m->max_entries + 2));
	load_map(p, 1, m);
	emit(p, MOV64_REG(2, 10));
	emit(p, ADD64_IMM(2, -kt));
	emit(p, CALL(FN_MAP_LOOKUP));
	emit(p, JEQ_IMM(0, 0, 3));
	emit(p, LDX(wide ? BPF_W : BPF_B, 1, 0, 0));
	emit(p, ADD64_IMM(1, 1));
	emit(p, STX(wide ? BPF_W : BPF_B, 0, 1, 0));
	ret_imm(p, KBPF_NF_ACCEPT);
}

static void t_update(struct rng *r, struct gen_prog *p, const struct gen_map *m)
{
	int kt = round8(m->key_size), vt = kt + round8(m->value_size);

	begin(p, "map_update", KBPF_NF_ACCEPT);
	p->writes_maps = true;
	key_on_stack(p, m, kt, rng_below(r, m->max_entries + 2));
	zero_stack(p, vt, m->value_size);
	if (m->value_size >= 4)
		emit(p, ST(BPF_W, 10, -vt, rng_u32(r)));
	load_map(p, 1, m);
	emit(p, MOV64_REG(2, 10));
	emit(p, ADD64_IMM(2, -kt));
	emit(p, MOV64_REG(3, 10));
	emit(p, ADD64_IMM(3, -vt));
	emit(p, MOV64_IMM(4, rng_below(r, 3)));
	emit(p, CALL(FN_MAP_UPDATE));
	ret_imm(p, KBPF_NF_ACCEPT);
}

static void t_delete(struct rng *r, struct gen_prog *p, const struct gen_map *m)
{
	int kt = round8(m->key_size);

	begin(p, "map_delete", KBPF_NF_ACCEPT);
	p->writes_maps = true;
	key_on_stack(p, m, kt, rng_below(r, m->max_entries + 2));
	load_map(p, 1, m);
	emit(p, MOV64_REG(2, 10));
	emit(p, ADD64_IMM(2, -kt));
	emit(p, CALL(FN_MAP_DELETE));
	ret_imm(p, KBPF_NF_ACCEPT);
}

/* Global data: a byte of array element 0, through KBPF_PSEUDO_MAP_VALUE. */
static void t_map_value(struct rng *r, struct gen_prog *p, const struct gen_map *m)
{
	__u32 off = rng_below(r, m->value_size);

	begin(p, "map_value", GEN_RET_UNKNOWN);
	p->writes_maps = true;
	emit(p, LD_IMM64(1, KBPF_PSEUDO_MAP_VALUE, m->id));
	emit(p, LD_IMM64_HI(off));
	if (p->n_maps < GEN_MAX_MAPS)
		p->maps[p->n_maps++] = m->id;
	emit(p, LDX(BPF_B, 0, 1, 0));
	emit(p, ADD64_IMM(0, 1));
	emit(p, STX(BPF_B, 1, 0, 0));
	emit(p, AND64_IMM(0, 1));
	emit(p, EXIT());
}

void gen_valid(struct rng *r, struct gen_prog *p, const struct gen_map *maps,
	       int n_maps)
{
	const struct gen_map *m = n_maps ? &maps[rng_below(r, n_maps)] : NULL;

	switch (rng_below(r, m ? 10 : 5)) {
	case 0: t_return(r, p); return;
	case 1: t_packet(r, p); return;
	case 2: t_ctx(r, p); return;
	case 3: t_helpers(r, p); return;
	case 4: t_call(r, p); return;
	}
	if (m->type == KBPF_MAP_TYPE_ARRAY && m->value_size && rng_pct(r, 20)) {
		t_map_value(r, p, m);
		return;
	}
	if (!map_fits_stack(m, true)) {
		t_packet(r, p);
		return;
	}
	switch (rng_below(r, 3)) {
	case 0: t_lookup(r, p, m); break;
	case 1: t_update(r, p, m); break;
	default: t_delete(r, p, m); break;
	}
}

/* ---- invalid programs ------------------------------------------------------ */

static const __u8 opcodes[] = {
	BPF_ALU64 | BPF_MOV | BPF_K, BPF_ALU64 | BPF_MOV | BPF_X,
	BPF_ALU64 | BPF_ADD | BPF_K, BPF_ALU64 | BPF_SUB | BPF_X,
	BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_DIV | BPF_X,
	BPF_ALU64 | BPF_MOD | BPF_K, BPF_ALU64 | BPF_LSH | BPF_X,
	BPF_ALU64 | BPF_ARSH | BPF_K, BPF_ALU | BPF_END | BPF_TO_BE,
	BPF_ALU64 | BPF_NEG, BPF_LDX | BPF_MEM | BPF_B,
	BPF_LDX | BPF_MEM | BPF_DW, BPF_STX | BPF_MEM | BPF_W,
	BPF_ST | BPF_MEM | BPF_H, BPF_STX | BPF_ATOMIC | BPF_DW,
	BPF_STX | BPF_ATOMIC | BPF_W, BPF_LD | BPF_IMM | BPF_DW,
	BPF_LD | BPF_ABS | BPF_B, BPF_JMP | BPF_JA, BPF_JMP | BPF_JEQ | BPF_K,
	BPF_JMP | BPF_JGT | BPF_X, BPF_JMP32 | BPF_JSLT | BPF_K,
	BPF_JMP | BPF_JSET | BPF_X, BPF_JMP | BPF_CALL, BPF_JMP | BPF_EXIT,
};

static __s32 edge_s32(struct rng *r)
{
	static const __s32 v[] = {
		0, 1, -1, 2, 4, 8, 9, 10, 16, 31, 32, 63, 64, -8, -16, -512,
		-513, 512, 0x7fff, -0x8000, 0x7fffffff, (__s32)0x80000000,
	};

	return rng_pct(r, 20) ? (__s32)rng_u32(r) : rng_pick(r, v);
}

static struct kbpf_insn random_insn(struct rng *r)
{
	struct kbpf_insn i = {
		.code = rng_pct(r, 90) ? rng_pick(r, opcodes) : rng_u32(r),
		.dst_reg = rng_below(r, rng_pct(r, 95) ? 11 : 16),
		.src_reg = rng_below(r, rng_pct(r, 95) ? 11 : 16),
		.off = (__s16)edge_s32(r),
		.imm = edge_s32(r),
	};

	if (i.code == (BPF_JMP | BPF_CALL) && rng_pct(r, 70))
		i.imm = rng_below(r, 12), i.src_reg = rng_pct(r, 90) ? 0 : 1;
	if ((BPF_CLASS(i.code) == BPF_JMP || BPF_CLASS(i.code) == BPF_JMP32) &&
	    rng_pct(r, 70))
		i.off = (__s16)(rng_below(r, 8) - 2);
	return i;
}

void gen_mutate(struct rng *r, struct gen_prog *p)
{
	int n = 1 + rng_below(r, 3), at;
	struct kbpf_insn *i;

	p->valid = false;
	p->ret = GEN_RET_UNKNOWN;
	while (n--) {
		if (!p->cnt) {
			p->insns[p->cnt++] = random_insn(r);
			continue;
		}
		at = rng_below(r, p->cnt);
		i = &p->insns[at];
		switch (rng_below(r, 9)) {
		case 0: i->code ^= 1 << rng_below(r, 8); break;
		case 1: i->dst_reg = rng_below(r, 16); break;
		case 2: i->src_reg = rng_below(r, 16); break;
		case 3: i->off = (__s16)edge_s32(r); break;
		case 4: i->imm = edge_s32(r); break;
		case 5:	/* insert */
			if (p->cnt < GEN_MAX_INSNS) {
				memmove(i + 1, i, (p->cnt - at) * sizeof(*i));
				*i = random_insn(r);
				p->cnt++;
			}
			break;
		case 6:	/* delete */
			memmove(i, i + 1, (p->cnt - at - 1) * sizeof(*i));
			p->cnt--;
			break;
		case 7:	/* drop the tail (the exit, often) */
			p->cnt = at;
			break;
		default:
			*i = random_insn(r);
			break;
		}
	}
}

void gen_random(struct rng *r, struct gen_prog *p, const struct gen_map *maps,
		int n_maps)
{
	__u32 n = 1 + rng_below(r, 24), k;

	memset(p, 0, sizeof(*p));
	p->what = "random";
	p->ret = GEN_RET_UNKNOWN;
	for (k = 0; k < n; k++) {
		if (n_maps && rng_pct(r, 10) && p->cnt + 2 < GEN_MAX_INSNS) {
			const struct gen_map *m = &maps[rng_below(r, n_maps)];

			emit(p, LD_IMM64(rng_below(r, 10), rng_pct(r, 80) ? 1 : 2, m->id));
			emit(p, LD_IMM64_HI(rng_pct(r, 80) ? 0 : edge_s32(r)));
			if (p->n_maps < GEN_MAX_MAPS)
				p->maps[p->n_maps++] = m->id;
			continue;
		}
		emit(p, random_insn(r));
	}
	if (rng_pct(r, 80))
		ret_imm(p, rng_below(r, 2));
}

int gen_expected_ret(const struct gen_prog *p, const __u8 *data, __u32 len)
{
	switch (p->ret) {
	case GEN_RET_PKT_PROTO:
		return len < 10 ? KBPF_NF_ACCEPT : data[9] & 1;
	case GEN_RET_CTX_LEN:
		return len & 1;
	default:
		return p->ret;	/* 0, 1 or -1 */
	}
}
