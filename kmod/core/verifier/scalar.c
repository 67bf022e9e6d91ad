// SPDX-License-Identifier: GPL-2.0
/*
 * Scalar tracking: what the verifier knows about a number.
 *
 * Each scalar carries two views that are kept consistent: known bits (a
 * tnum, which bits are fixed and to what) and ranges (signed and unsigned,
 * for the full 64 bits and for the low 32 bits).  Arithmetic updates both
 * conservatively; conditional jumps narrow them on each side of the branch;
 * kbpf_reg_bounds_sync() lets each view tighten the others.  Every rule must
 * over-approximate the concrete result: precision is a convenience,
 * soundness is not.
 */
#include "types.h"

/* ---- tnum ----------------------------------------------------------------- */

struct kbpf_tnum kbpf_tnum_const(u64 v)
{
	return (struct kbpf_tnum){ .value = v, .mask = 0 };
}

struct kbpf_tnum kbpf_tnum_unknown(void)
{
	return (struct kbpf_tnum){ .value = 0, .mask = U64_MAX };
}

static int fls64_u(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/* The tightest tnum holding every value in [min, max]. */
struct kbpf_tnum kbpf_tnum_range(u64 min, u64 max)
{
	u64 chi = min ^ max, delta;
	int bits = fls64_u(chi);

	if (bits > 63)
		return kbpf_tnum_unknown();
	delta = (1ULL << bits) - 1;
	return (struct kbpf_tnum){ .value = min & ~delta, .mask = delta };
}

bool kbpf_tnum_is_const(struct kbpf_tnum t)
{
	return !t.mask;
}

/* Every value inner allows, outer allows too. */
bool kbpf_tnum_in(struct kbpf_tnum outer, struct kbpf_tnum inner)
{
	if (inner.mask & ~outer.mask)
		return false;
	return (inner.value & ~outer.mask) == outer.value;
}

struct kbpf_tnum kbpf_tnum_cast(struct kbpf_tnum t, u32 size)
{
	u64 keep = size >= 8 ? U64_MAX : (1ULL << (size * 8)) - 1;

	return (struct kbpf_tnum){ .value = t.value & keep,
				   .mask = t.mask & keep };
}

static struct kbpf_tnum tnum_add(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 sm = a.mask + b.mask, sv = a.value + b.value;
	u64 sigma = sm + sv, chi = sigma ^ sv;
	u64 mu = chi | a.mask | b.mask;

	return (struct kbpf_tnum){ .value = sv & ~mu, .mask = mu };
}

static struct kbpf_tnum tnum_sub(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 dv = a.value - b.value;
	u64 alpha = dv + a.mask, beta = dv - b.mask;
	u64 chi = alpha ^ beta, mu = chi | a.mask | b.mask;

	return (struct kbpf_tnum){ .value = dv & ~mu, .mask = mu };
}

static struct kbpf_tnum tnum_and(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 alpha = a.value | a.mask, beta = b.value | b.mask;
	u64 v = a.value & b.value;

	return (struct kbpf_tnum){ .value = v, .mask = alpha & beta & ~v };
}

static struct kbpf_tnum tnum_or(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 v = a.value | b.value, mu = a.mask | b.mask;

	return (struct kbpf_tnum){ .value = v, .mask = mu & ~v };
}

static struct kbpf_tnum tnum_xor(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 v = a.value ^ b.value, mu = a.mask | b.mask;

	return (struct kbpf_tnum){ .value = v & ~mu, .mask = mu };
}

/* Shift-and-add multiplication: each known-one bit of a adds b shifted. */
static struct kbpf_tnum tnum_mul(struct kbpf_tnum a, struct kbpf_tnum b)
{
	struct kbpf_tnum acc_v = kbpf_tnum_const(a.value * b.value);
	struct kbpf_tnum acc_m = kbpf_tnum_const(0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc_m = tnum_add(acc_m, (struct kbpf_tnum){ 0, b.mask });
		else if (a.mask & 1)
			acc_m = tnum_add(acc_m, (struct kbpf_tnum){
					 0, b.mask | b.value });
		a.value >>= 1;
		a.mask >>= 1;
		b.value <<= 1;
		b.mask <<= 1;
	}
	return tnum_add(acc_v, acc_m);
}

static struct kbpf_tnum tnum_intersect(struct kbpf_tnum a, struct kbpf_tnum b)
{
	u64 v = a.value | b.value, mu = a.mask & b.mask;

	return (struct kbpf_tnum){ .value = v & ~mu, .mask = mu };
}

/* ---- register marking ------------------------------------------------------ */

static void mark_unbounded(struct kbpf_reg_state *reg)
{
	reg->smin = S64_MIN;
	reg->smax = S64_MAX;
	reg->umin = 0;
	reg->umax = U64_MAX;
	reg->s32_min = S32_MIN;
	reg->s32_max = S32_MAX;
	reg->u32_min = 0;
	reg->u32_max = U32_MAX;
}

void kbpf_mark_reg_unknown(struct kbpf_reg_state *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = KBPF_REG_SCALAR;
	reg->var_off = kbpf_tnum_unknown();
	mark_unbounded(reg);
}

void kbpf_mark_reg_not_init(struct kbpf_reg_state *reg)
{
	kbpf_mark_reg_unknown(reg);
	reg->type = KBPF_REG_NOT_INIT;
}

static void set_known(struct kbpf_reg_state *reg, u64 val)
{
	reg->var_off = kbpf_tnum_const(val);
	reg->smin = (s64)val;
	reg->smax = (s64)val;
	reg->umin = val;
	reg->umax = val;
	reg->s32_min = (s32)(u32)val;
	reg->s32_max = (s32)(u32)val;
	reg->u32_min = (u32)val;
	reg->u32_max = (u32)val;
}

void kbpf_mark_reg_known(struct kbpf_reg_state *reg, u64 val)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = KBPF_REG_SCALAR;
	set_known(reg, val);
}

/* A pointer's variable part becomes exactly zero. */
void kbpf_mark_var_zero(struct kbpf_reg_state *reg)
{
	set_known(reg, 0);
}

/* An unknown value loaded from size bytes, zero- or sign-extended. */
void kbpf_mark_reg_size(struct kbpf_reg_state *reg, u32 size, bool sign)
{
	kbpf_mark_reg_unknown(reg);
	if (size >= 8)
		return;
	if (sign) {
		s64 lim = (s64)1 << (size * 8 - 1);

		reg->smin = -lim;
		reg->smax = lim - 1;
	} else {
		reg->var_off = kbpf_tnum_cast(reg->var_off, size);
		reg->umax = (1ULL << (size * 8)) - 1;
	}
	kbpf_reg_bounds_sync(reg);
}

bool kbpf_reg_is_const(const struct kbpf_reg_state *reg)
{
	return reg->type == KBPF_REG_SCALAR && kbpf_tnum_is_const(reg->var_off);
}

bool kbpf_reg_bounds_sane(const struct kbpf_reg_state *reg)
{
	if (reg->smin > reg->smax || reg->umin > reg->umax ||
	    reg->s32_min > reg->s32_max || reg->u32_min > reg->u32_max)
		return false;
	if (reg->var_off.value & reg->var_off.mask)
		return false;
	return true;
}

/* ---- keeping the views consistent ------------------------------------------ */

static u64 max_u64(u64 a, u64 b) { return a > b ? a : b; }
static u64 min_u64(u64 a, u64 b) { return a < b ? a : b; }
static s64 max_s64(s64 a, s64 b) { return a > b ? a : b; }
static s64 min_s64(s64 a, s64 b) { return a < b ? a : b; }

/* Known bits bound the ranges. */
static void bounds_from_tnum(struct kbpf_reg_state *r)
{
	struct kbpf_tnum t = r->var_off, t32 = kbpf_tnum_cast(t, 4);
	u64 sign = 1ULL << 63;
	u32 sign32 = 1U << 31;

	r->umin = max_u64(r->umin, t.value);
	r->umax = min_u64(r->umax, t.value | t.mask);
	if (!(t.mask & sign)) {
		/* Sign known: the unsigned view orders like the signed one. */
		r->smin = max_s64(r->smin, (s64)t.value);
		r->smax = min_s64(r->smax, (s64)(t.value | t.mask));
	}
	r->u32_min = (u32)max_u64(r->u32_min, t32.value);
	r->u32_max = (u32)min_u64(r->u32_max, t32.value | t32.mask);
	if (!(t32.mask & sign32)) {
		r->s32_min = (s32)max_s64(r->s32_min, (s32)(u32)t32.value);
		r->s32_max = (s32)min_s64(r->s32_max,
					  (s32)(u32)(t32.value | t32.mask));
	}
}

/* Signed and unsigned ranges of the same width bound each other. */
static void cross_bounds(struct kbpf_reg_state *r)
{
	if ((s64)r->umin <= (s64)r->umax) {
		/* The unsigned range does not cross the sign boundary. */
		r->smin = max_s64(r->smin, (s64)r->umin);
		r->smax = min_s64(r->smax, (s64)r->umax);
	}
	if ((u64)r->smin <= (u64)r->smax) {
		r->umin = max_u64(r->umin, (u64)r->smin);
		r->umax = min_u64(r->umax, (u64)r->smax);
	}
	if ((s32)r->u32_min <= (s32)r->u32_max) {
		r->s32_min = (s32)max_s64(r->s32_min, (s32)r->u32_min);
		r->s32_max = (s32)min_s64(r->s32_max, (s32)r->u32_max);
	}
	if ((u32)r->s32_min <= (u32)r->s32_max) {
		r->u32_min = (u32)max_u64(r->u32_min, (u32)r->s32_min);
		r->u32_max = (u32)min_u64(r->u32_max, (u32)r->s32_max);
	}
}

/* The 64-bit range bounds the low half when the high half is fixed. */
static void bounds_64_to_32(struct kbpf_reg_state *r)
{
	if ((r->umin >> 32) == (r->umax >> 32)) {
		r->u32_min = (u32)max_u64(r->u32_min, (u32)r->umin);
		r->u32_max = (u32)min_u64(r->u32_max, (u32)r->umax);
	}
	if ((r->smin >> 32) == (r->smax >> 32) &&
	    (s32)r->smin <= (s32)r->smax) {
		r->s32_min = (s32)max_s64(r->s32_min, (s32)r->smin);
		r->s32_max = (s32)min_s64(r->s32_max, (s32)r->smax);
	}
}

/* With the high half known zero, the 64-bit value is the low half. */
static void bounds_32_to_64(struct kbpf_reg_state *r)
{
	u64 hi = r->umin & ~0xffffffffULL;

	if ((r->umin >> 32) == (r->umax >> 32)) {
		r->umin = max_u64(r->umin, hi | r->u32_min);
		r->umax = min_u64(r->umax, hi | r->u32_max);
	}
}

static void tnum_from_bounds(struct kbpf_reg_state *r)
{
	struct kbpf_tnum t64 = kbpf_tnum_range(r->umin, r->umax);
	struct kbpf_tnum t32 = kbpf_tnum_range(r->u32_min, r->u32_max);

	r->var_off = tnum_intersect(r->var_off, t64);
	/* Low half from the 32-bit range, high half left as it is. */
	t32.value |= r->var_off.value & ~0xffffffffULL;
	t32.mask |= r->var_off.mask & ~0xffffffffULL;
	r->var_off = tnum_intersect(r->var_off, t32);
}

void kbpf_reg_bounds_sync(struct kbpf_reg_state *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		bounds_from_tnum(r);
		bounds_64_to_32(r);
		cross_bounds(r);
		bounds_32_to_64(r);
		cross_bounds(r);
		tnum_from_bounds(r);
	}
	if (kbpf_reg_bounds_sane(r) && kbpf_tnum_is_const(r->var_off))
		set_known(r, r->var_off.value);
}

/* The upper half becomes zero, as after every 32-bit ALU operation. */
void kbpf_reg_zext32(struct kbpf_reg_state *r)
{
	r->var_off = kbpf_tnum_cast(r->var_off, 4);
	r->umin = r->u32_min;
	r->umax = r->u32_max;
	r->smin = r->u32_min;
	r->smax = r->u32_max;
	if ((s32)r->u32_min <= (s32)r->u32_max) {
		r->s32_min = (s32)r->u32_min;
		r->s32_max = (s32)r->u32_max;
	} else {
		r->s32_min = S32_MIN;
		r->s32_max = S32_MAX;
	}
	kbpf_reg_bounds_sync(r);
}

/* ---- arithmetic ------------------------------------------------------------- */

static void set_u64_range(struct kbpf_reg_state *r, u64 umin, u64 umax,
			  struct kbpf_tnum t)
{
	mark_unbounded(r);
	r->var_off = t;
	r->umin = umin;
	r->umax = umax;
}

static void alu_add(struct kbpf_reg_state *d, const struct kbpf_reg_state *s)
{
	s64 smin, smax;
	u64 umin, umax;
	bool sov, uov;

	sov = check_add_overflow(d->smin, s->smin, &smin) ||
	      check_add_overflow(d->smax, s->smax, &smax);
	uov = check_add_overflow(d->umin, s->umin, &umin) ||
	      check_add_overflow(d->umax, s->umax, &umax);
	mark_unbounded(d);
	d->var_off = tnum_add(d->var_off, s->var_off);
	if (!sov) {
		d->smin = smin;
		d->smax = smax;
	}
	if (!uov) {
		d->umin = umin;
		d->umax = umax;
	}
}

static void alu_sub(struct kbpf_reg_state *d, const struct kbpf_reg_state *s)
{
	s64 smin, smax;
	bool sov;
	u64 umin = d->umin - s->umax, umax = d->umax - s->umin;
	bool uov = d->umin < s->umax;

	sov = __builtin_sub_overflow(d->smin, s->smax, &smin) ||
	      __builtin_sub_overflow(d->smax, s->smin, &smax);
	mark_unbounded(d);
	d->var_off = tnum_sub(d->var_off, s->var_off);
	if (!sov) {
		d->smin = smin;
		d->smax = smax;
	}
	if (!uov) {
		d->umin = umin;
		d->umax = umax;
	}
}

static void alu_mul(struct kbpf_reg_state *d, const struct kbpf_reg_state *s)
{
	struct kbpf_tnum t = tnum_mul(d->var_off, s->var_off);
	u64 umax, umin = d->umin * s->umin;

	if (check_mul_overflow(d->umax, s->umax, &umax)) {
		set_u64_range(d, 0, U64_MAX, t);
		return;
	}
	set_u64_range(d, umin, umax, t);
}

static void alu_shift(struct kbpf_reg_state *d, const struct kbpf_reg_state *s,
		      u8 op, u32 bits)
{
	u32 k = (u32)s->umin;
	struct kbpf_tnum t = d->var_off;

	if (!kbpf_reg_is_const(s) || s->umin >= bits) {
		/* The interpreter masks the amount; anything can come out. */
		kbpf_mark_reg_unknown(d);
		return;
	}
	if (op == KBPF_LSH) {
		t.value <<= k;
		t.mask <<= k;
		if (d->umax > (U64_MAX >> k))
			set_u64_range(d, 0, U64_MAX, t);
		else
			set_u64_range(d, d->umin << k, d->umax << k, t);
	} else if (op == KBPF_RSH) {
		t.value >>= k;
		t.mask >>= k;
		set_u64_range(d, d->umin >> k, d->umax >> k, t);
	} else {
		s64 smin = d->smin >> k, smax = d->smax >> k;

		t.value = (u64)((s64)t.value >> k);
		t.mask = (u64)((s64)t.mask >> k);
		mark_unbounded(d);
		d->var_off = t;
		d->smin = smin;
		d->smax = smax;
	}
}

static void alu_bitwise(struct kbpf_reg_state *d,
			const struct kbpf_reg_state *s, u8 op)
{
	struct kbpf_tnum t;
	u64 umin = 0, umax = U64_MAX;

	switch (op) {
	case KBPF_AND:
		t = tnum_and(d->var_off, s->var_off);
		umin = t.value;
		umax = min_u64(d->umax, s->umax);
		break;
	case KBPF_OR:
		t = tnum_or(d->var_off, s->var_off);
		umin = max_u64(d->umin, s->umin);
		umax = t.value | t.mask;
		break;
	default:
		t = tnum_xor(d->var_off, s->var_off);
		umin = t.value;
		umax = t.value | t.mask;
		break;
	}
	set_u64_range(d, umin, umax, t);
}

static void alu_divmod(struct kbpf_reg_state *d, const struct kbpf_reg_state *s,
		       u8 op, bool is_signed)
{
	u64 k = s->umin;

	if (is_signed || !kbpf_reg_is_const(s) || !k) {
		/* Division by a register may be by zero: the interpreter
		 * gives 0 (div) or leaves dst (mod).  Stay unbounded.
		 */
		kbpf_mark_reg_unknown(d);
		return;
	}
	if (op == KBPF_DIV)
		set_u64_range(d, d->umin / k, d->umax / k,
			      kbpf_tnum_range(d->umin / k, d->umax / k));
	else
		set_u64_range(d, 0, min_u64(d->umax, k - 1),
			      kbpf_tnum_range(0, min_u64(d->umax, k - 1)));
}

/* dst as its low 32 bits, zero-extended, for 32-bit operations. */
static void subreg_to_reg(struct kbpf_reg_state *r)
{
	r->umin = r->u32_min;
	r->umax = r->u32_max;
	r->var_off = kbpf_tnum_cast(r->var_off, 4);
	r->smin = r->u32_min;
	r->smax = r->u32_max;
	r->s32_min = S32_MIN;
	r->s32_max = S32_MAX;
	kbpf_reg_bounds_sync(r);
}

/* A 64-bit result whose low half is the 32-bit operation's result. */
static void truncate_to_32(struct kbpf_reg_state *r)
{
	bool fits = r->umax <= U32_MAX && r->umin <= r->umax;

	r->var_off = kbpf_tnum_cast(r->var_off, 4);
	if (fits) {
		r->u32_min = (u32)r->umin;
		r->u32_max = (u32)r->umax;
	} else {
		r->u32_min = 0;
		r->u32_max = U32_MAX;
	}
	r->s32_min = S32_MIN;
	r->s32_max = S32_MAX;
	kbpf_reg_zext32(r);
}

static u64 sign_extend(u64 v, u32 bits)
{
	u32 shift = 64 - bits;

	return (u64)((s64)(v << shift) >> shift);
}

static void alu_movsx(struct kbpf_reg_state *d, const struct kbpf_reg_state *s,
		      u32 bits, bool is32)
{
	if (kbpf_reg_is_const(s)) {
		u64 v = sign_extend(s->var_off.value, bits);

		kbpf_mark_reg_known(d, is32 ? (u32)v : v);
		return;
	}
	kbpf_mark_reg_size(d, bits / 8, true);
	if (is32)
		truncate_to_32(d);
}


/* Byte swaps: bounded by their width, except a full 64-bit swap. */
static void alu_end(struct kbpf_reg_state *d, const struct kbpf_insn *insn)
{
	u32 width = (u32)insn->imm;

	kbpf_mark_reg_unknown(d);
	if (width < 64)
		kbpf_mark_reg_size(d, width / 8, false);
}

/*
 * dst = dst op src on two scalars (src holds imm for K forms).  Returns
 * -EINVAL for operand values the ISA forbids (constant shifts past the
 * width, constant division by zero).
 */
int kbpf_scalar_alu(struct kbpf_verifier_env *env, const struct kbpf_insn *insn,
		    struct kbpf_reg_state *dst, const struct kbpf_reg_state *src)
{
	u8 op = KBPF_OP(insn->code);
	bool is32 = KBPF_CLASS(insn->code) == KBPF_ALU;
	u32 bits = is32 ? 32 : 64;
	struct kbpf_reg_state s = *src;

	(void)env;
	/* dst gets a new value: it is nobody's copy any more. */
	dst->id = 0;
	if (op == KBPF_MOV) {
		if (insn->off) {
			alu_movsx(dst, src, insn->off, is32);
			return 0;
		}
		*dst = s;
		dst->id = 0;
		if (is32)
			subreg_to_reg(dst);
		return 0;
	}
	if (op == KBPF_END) {
		alu_end(dst, insn);
		return 0;
	}
	if (op == KBPF_NEG) {
		if (kbpf_reg_is_const(dst)) {
			u64 v = -dst->var_off.value;

			kbpf_mark_reg_known(dst, is32 ? (u32)v : v);
		} else {
			kbpf_mark_reg_unknown(dst);
			if (is32)
				truncate_to_32(dst);
		}
		return 0;
	}
	if (is32) {
		subreg_to_reg(dst);
		subreg_to_reg(&s);
	}
	switch (op) {
	case KBPF_ADD:
		alu_add(dst, &s);
		break;
	case KBPF_SUB:
		alu_sub(dst, &s);
		break;
	case KBPF_MUL:
		alu_mul(dst, &s);
		break;
	case KBPF_AND:
	case KBPF_OR:
	case KBPF_XOR:
		alu_bitwise(dst, &s, op);
		break;
	case KBPF_LSH:
	case KBPF_RSH:
		alu_shift(dst, &s, op, bits);
		break;
	case KBPF_ARSH:
		if (is32) {
			/* Sign of the low half: shift the sign-extended value. */
			struct kbpf_reg_state low = *dst;

			alu_movsx(dst, &low, 32, false);
			alu_shift(dst, &s, op, 32);
		} else {
			alu_shift(dst, &s, op, bits);
		}
		break;
	case KBPF_DIV:
	case KBPF_MOD:
		alu_divmod(dst, &s, op, insn->off == 1);
		break;
	default:
		kbpf_mark_reg_unknown(dst);
		break;
	}
	if (is32)
		truncate_to_32(dst);
	else
		kbpf_reg_bounds_sync(dst);
	return 0;
}

/* ---- comparisons -------------------------------------------------------------- */

u8 kbpf_jmp_negate(u8 op)
{
	switch (op) {
	case KBPF_JEQ: return KBPF_JNE;
	case KBPF_JNE: return KBPF_JEQ;
	case KBPF_JGT: return KBPF_JLE;
	case KBPF_JGE: return KBPF_JLT;
	case KBPF_JLT: return KBPF_JGE;
	case KBPF_JLE: return KBPF_JGT;
	case KBPF_JSGT: return KBPF_JSLE;
	case KBPF_JSGE: return KBPF_JSLT;
	case KBPF_JSLT: return KBPF_JSGE;
	case KBPF_JSLE: return KBPF_JSGT;
	default: return op;	/* JSET has no negation in the ISA */
	}
}

/* a op b is b swap(op) a. */
u8 kbpf_jmp_swap(u8 op)
{
	switch (op) {
	case KBPF_JGT: return KBPF_JLT;
	case KBPF_JGE: return KBPF_JLE;
	case KBPF_JLT: return KBPF_JGT;
	case KBPF_JLE: return KBPF_JGE;
	case KBPF_JSGT: return KBPF_JSLT;
	case KBPF_JSGE: return KBPF_JSLE;
	case KBPF_JSLT: return KBPF_JSGT;
	case KBPF_JSLE: return KBPF_JSGE;
	default: return op;
	}
}

/* The four bounds of one width as plain numbers. */
struct bounds_view {
	u64 umin, umax;
	s64 smin, smax;
	struct kbpf_tnum t;
};

static struct bounds_view get_range(const struct kbpf_reg_state *r, bool is32)
{
	if (is32)
		return (struct bounds_view){ r->u32_min, r->u32_max, r->s32_min,
				       r->s32_max, kbpf_tnum_cast(r->var_off, 4) };
	return (struct bounds_view){ r->umin, r->umax, r->smin, r->smax, r->var_off };
}

/* Flipping the sign bit maps the order of s64 values onto that of u64. */
static u64 s64_in_u64_order(s64 v)
{
	return (u64)v ^ (1ULL << 63);
}

/*
 * Whether a > b (a >= b when or_equal) holds for every (1), for no (0) or
 * for only some (-1) a in [amin, amax] and b in [bmin, bmax].
 */
static int range_gt_taken(u64 amin, u64 amax, u64 bmin, u64 bmax,
			  bool or_equal)
{
	if (or_equal ? amin >= bmax : amin > bmax)
		return 1;
	if (or_equal ? amax < bmin : amax <= bmin)
		return 0;
	return -1;
}

int kbpf_scalar_branch_taken(const struct kbpf_reg_state *ra,
			     const struct kbpf_reg_state *rb, u8 op, bool is32)
{
	struct bounds_view a = get_range(ra, is32), b = get_range(rb, is32);

	switch (op) {
	case KBPF_JEQ:
	case KBPF_JNE: {
		int eq = -1;

		if (kbpf_tnum_is_const(a.t) && kbpf_tnum_is_const(b.t))
			eq = a.t.value == b.t.value;
		else if (a.umin > b.umax || a.umax < b.umin ||
			 a.smin > b.smax || a.smax < b.smin ||
			 ((a.t.value ^ b.t.value) & ~(a.t.mask | b.t.mask)))
			eq = 0;
		if (eq < 0)
			return -1;
		return op == KBPF_JEQ ? eq : !eq;
	}
	case KBPF_JSET:
		if ((a.t.value & b.t.value))
			return 1;
		if (!((a.t.value | a.t.mask) & (b.t.value | b.t.mask)))
			return 0;
		return -1;
	case KBPF_JGT:
	case KBPF_JGE:
		return range_gt_taken(a.umin, a.umax, b.umin, b.umax,
				      op == KBPF_JGE);
	case KBPF_JLT:
		return kbpf_scalar_branch_taken(rb, ra, KBPF_JGT, is32);
	case KBPF_JLE:
		return kbpf_scalar_branch_taken(rb, ra, KBPF_JGE, is32);
	case KBPF_JSGT:
	case KBPF_JSGE:
		return range_gt_taken(s64_in_u64_order(a.smin),
				      s64_in_u64_order(a.smax),
				      s64_in_u64_order(b.smin),
				      s64_in_u64_order(b.smax), op == KBPF_JSGE);
	case KBPF_JSLT:
		return kbpf_scalar_branch_taken(rb, ra, KBPF_JSGT, is32);
	case KBPF_JSLE:
		return kbpf_scalar_branch_taken(rb, ra, KBPF_JSGE, is32);
	default:
		return -1;
	}
}

static void put_range(struct kbpf_reg_state *r, const struct bounds_view *x,
		      bool is32)
{
	if (is32) {
		r->u32_min = (u32)x->umin;
		r->u32_max = (u32)x->umax;
		r->s32_min = (s32)x->smin;
		r->s32_max = (s32)x->smax;
		r->var_off.value = (r->var_off.value & ~0xffffffffULL) |
				   (x->t.value & 0xffffffffULL);
		r->var_off.mask = (r->var_off.mask & ~0xffffffffULL) |
				  (x->t.mask & 0xffffffffULL);
	} else {
		r->umin = x->umin;
		r->umax = x->umax;
		r->smin = x->smin;
		r->smax = x->smax;
		r->var_off = x->t;
	}
}

static bool range_empty(const struct bounds_view *x)
{
	return x->umin > x->umax || x->smin > x->smax ||
	       (x->t.value & x->t.mask);
}

/* x != c: a range ending at c loses that end. */
static void exclude_const(struct bounds_view *x, u64 c, bool is32)
{
	u64 umaxv = is32 ? U32_MAX : U64_MAX;
	s64 sc = is32 ? (s64)(s32)(u32)c : (s64)c;
	s64 smaxv = is32 ? S32_MAX : S64_MAX;
	s64 sminv = is32 ? S32_MIN : S64_MIN;

	if (x->umin == c && x->umin < umaxv)
		x->umin++;
	else if (x->umax == c && x->umax)
		x->umax--;
	if (x->smin == sc && x->smin < smaxv)
		x->smin++;
	else if (x->smax == sc && x->smax > sminv)
		x->smax--;
}

/* Narrow a and b so that "a op b" holds; false when it cannot. */
static bool refine_ranges(struct bounds_view *a, struct bounds_view *b, u8 op, bool is32)
{
	u64 umaxv = is32 ? U32_MAX : U64_MAX;
	s64 smaxv = is32 ? S32_MAX : S64_MAX;
	s64 sminv = is32 ? S32_MIN : S64_MIN;

	switch (op) {
	case KBPF_JEQ:
		a->umin = b->umin = max_u64(a->umin, b->umin);
		a->umax = b->umax = min_u64(a->umax, b->umax);
		a->smin = b->smin = max_s64(a->smin, b->smin);
		a->smax = b->smax = min_s64(a->smax, b->smax);
		if ((a->t.value ^ b->t.value) & ~(a->t.mask | b->t.mask))
			return false;
		a->t = b->t = tnum_intersect(a->t, b->t);
		break;
	case KBPF_JNE:
		if (kbpf_tnum_is_const(a->t) && kbpf_tnum_is_const(b->t) &&
		    a->t.value == b->t.value)
			return false;
		/* Only a constant on one side excludes a range endpoint. */
		if (kbpf_tnum_is_const(b->t))
			exclude_const(a, b->t.value, is32);
		if (kbpf_tnum_is_const(a->t))
			exclude_const(b, a->t.value, is32);
		break;
	case KBPF_JSET:
		if (kbpf_tnum_is_const(b->t) && b->t.value &&
		    !(b->t.value & (b->t.value - 1))) {
			/* One bit tested: it is set. */
			a->t.value |= b->t.value;
			a->t.mask &= ~b->t.value;
		}
		break;
	case KBPF_JGT:
		if (b->umin == umaxv || a->umax == 0)
			return false;
		a->umin = max_u64(a->umin, b->umin + 1);
		b->umax = min_u64(b->umax, a->umax - 1);
		break;
	case KBPF_JGE:
		a->umin = max_u64(a->umin, b->umin);
		b->umax = min_u64(b->umax, a->umax);
		break;
	case KBPF_JSGT:
		if (b->smin == smaxv || a->smax == sminv)
			return false;
		a->smin = max_s64(a->smin, b->smin + 1);
		b->smax = min_s64(b->smax, a->smax - 1);
		break;
	case KBPF_JSGE:
		a->smin = max_s64(a->smin, b->smin);
		b->smax = min_s64(b->smax, a->smax);
		break;
	case KBPF_JLT:
	case KBPF_JLE:
	case KBPF_JSLT:
	case KBPF_JSLE:
		return refine_ranges(b, a, kbpf_jmp_swap(op), is32);
	default:
		break;
	}
	return !range_empty(a) && !range_empty(b);
}

/* For JSET false: the bits of a constant b are clear in a. */
static void refine_jset_false(struct bounds_view *a, const struct bounds_view *b)
{
	if (kbpf_tnum_is_const(b->t)) {
		a->t.value &= ~b->t.value;
		a->t.mask &= ~b->t.value;
	}
}

bool kbpf_scalar_refine(struct kbpf_reg_state *ra, struct kbpf_reg_state *rb,
			u8 op, bool is32)
{
	struct bounds_view a = get_range(ra, is32), b = get_range(rb, is32);

	if (op == KBPF_JSET_FALSE)
		refine_jset_false(&a, &b);
	else if (!refine_ranges(&a, &b, op, is32))
		return false;
	put_range(ra, &a, is32);
	put_range(rb, &b, is32);
	kbpf_reg_bounds_sync(ra);
	kbpf_reg_bounds_sync(rb);
	return kbpf_reg_bounds_sane(ra) && kbpf_reg_bounds_sane(rb);
}
