// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier messages.
 *
 * A rejection reports its first root cause only: the instruction as
 * "IDX: (CODE) DISASSEMBLY", the reason in plain words, then the state of
 * the registers involved.  kbpf_verr() logs and returns the error so that
 * callers can write "return kbpf_verr(env, -EACCES, ...)"; once one error
 * is logged, later ones (from callers unwinding) stay silent.  At
 * KBPF_LOG_LEVEL_VERBOSE every processed instruction is traced too.
 */
#include "types.h"

bool kbpf_log_verbose(const struct kbpf_verifier_env *env)
{
	/* Later passes walk the same paths (verifier.c): trace one. */
	return env->log && (env->log->level & KBPF_LOG_LEVEL_VERBOSE) &&
	       !env->pass;
}

bool kbpf_log_on(const struct kbpf_verifier_env *env)
{
	return env->log && env->log->level;
}

static bool log_errors(const struct kbpf_verifier_env *env)
{
	return kbpf_log_on(env);
}

const char *kbpf_reg_type_str(enum kbpf_reg_type t)
{
	switch (t) {
	case KBPF_REG_NOT_INIT:			return "not_init";
	case KBPF_REG_SCALAR:			return "scalar";
	case KBPF_REG_PTR_TO_CTX:		return "ctx";
	case KBPF_REG_PTR_TO_STACK:		return "fp";
	case KBPF_REG_PTR_TO_PACKET:		return "pkt";
	case KBPF_REG_PTR_TO_PACKET_END:	return "pkt_end";
	case KBPF_REG_CONST_PTR_TO_MAP:		return "map_ptr";
	case KBPF_REG_PTR_TO_MAP_VALUE:		return "map_value";
	case KBPF_REG_PTR_TO_MAP_VALUE_OR_NULL:	return "map_value_or_null";
	case KBPF_REG_PTR_TO_MEM:		return "mem";
	case KBPF_REG_PTR_TO_MEM_OR_NULL:	return "mem_or_null";
	case KBPF_REG_PTR_TO_FUNC:		return "func";
	}
	return "?";
}

void kbpf_log_insn(struct kbpf_verifier_env *env, u32 idx)
{
	const struct kbpf_insn *insn = &env->insns[idx];

	if (!log_errors(env) || idx >= env->insn_cnt)
		return;
	kbpf_disasm_insn(insn, env->scratch, sizeof(env->scratch));
	kbpf_log_printf(env->log, "%u: (%02x) %s\n", idx, insn->code,
			env->scratch);
}

/* Ranges only where they say something beyond the known bits. */
static void log_scalar(struct kbpf_verifier_env *env,
		       const struct kbpf_reg_state *r)
{
	if (kbpf_tnum_is_const(r->var_off)) {
		kbpf_log_printf(env->log, "%lld", (long long)r->var_off.value);
		return;
	}
	kbpf_log_printf(env->log,
			"(smin=%lld,smax=%lld,umin=%llu,umax=%llu,var_off=(%#llx; %#llx))",
			(long long)r->smin, (long long)r->smax,
			(unsigned long long)r->umin, (unsigned long long)r->umax,
			(unsigned long long)r->var_off.value,
			(unsigned long long)r->var_off.mask);
}

static void log_reg_state(struct kbpf_verifier_env *env, const char *name,
			  const struct kbpf_reg_state *r)
{
	kbpf_log_printf(env->log, "%s=%s", name, kbpf_reg_type_str(r->type));
	switch (r->type) {
	case KBPF_REG_NOT_INIT:
	case KBPF_REG_PTR_TO_PACKET_END:
		break;
	case KBPF_REG_SCALAR:
		log_scalar(env, r);
		break;
	default:
		kbpf_log_printf(env->log, "(off=%d", r->off);
		if (r->type == KBPF_REG_PTR_TO_PACKET)
			kbpf_log_printf(env->log, ",r=%u", r->range);
		if (r->type == KBPF_REG_PTR_TO_MEM)
			kbpf_log_printf(env->log, ",sz=%u", r->range);
		if (r->id)
			kbpf_log_printf(env->log, ",id=%u", r->id);
		if (r->type == KBPF_REG_PTR_TO_STACK && r->frameno)
			kbpf_log_printf(env->log, ",frame=%u", r->frameno);
		if (r->map)
			kbpf_log_printf(env->log, ",ks=%u,vs=%u",
					r->map->attrs.key_size,
					r->map->attrs.value_size);
		if (!kbpf_tnum_is_const(r->var_off) || r->var_off.value) {
			kbpf_log_printf(env->log, ",var=");
			log_scalar(env, r);
		}
		kbpf_log_printf(env->log, ")");
		break;
	}
}

void kbpf_log_reg(struct kbpf_verifier_env *env, u32 regno)
{
	char name[8];

	if (!log_errors(env) || !env->cur || regno >= KBPF_REG_COUNT)
		return;
	snprintf(name, sizeof(name), "R%u", regno);
	log_reg_state(env, name, &kbpf_cur_regs(env)[regno]);
	kbpf_log_printf(env->log, "\n");
}

/* Every initialised register and stack slot of the current frame. */
void kbpf_log_state(struct kbpf_verifier_env *env)
{
	struct kbpf_func_state *f;
	char name[16];
	u32 i;

	if (!log_errors(env) || !env->cur)
		return;
	f = kbpf_cur_frame(env);
	if (env->cur->curframe)
		kbpf_log_printf(env->log, "frame%u: ", env->cur->curframe);
	for (i = 0; i < KBPF_REG_COUNT; i++) {
		if (f->regs[i].type == KBPF_REG_NOT_INIT)
			continue;
		snprintf(name, sizeof(name), " R%u", i);
		log_reg_state(env, name, &f->regs[i]);
	}
	for (i = 0; i < KBPF_STACK_SLOTS; i++) {
		const struct kbpf_stack_slot *s = kbpf_stack_slot_get(f, i);

		if (!s)
			continue;
		snprintf(name, sizeof(name), " fp%d", -(int)(i + 1) * 8);
		if (s->bytes[0] == KBPF_STACK_SPILL)
			log_reg_state(env, name, &s->spilled);
		else if (s->bytes[0] || s->bytes[7])
			kbpf_log_printf(env->log, "%s=misc", name);
	}
	kbpf_log_printf(env->log, "\n");
}

/*
 * Start logging an error: true (after writing the instruction line) only
 * for the first error of a load, so that kbpf_verr() writes its reason just
 * once.
 */
bool kbpf_verr_begin(struct kbpf_verifier_env *env)
{
	bool first = !env->error_logged;

	env->error_logged = true;
	if (!first || !log_errors(env))
		return false;
	if (!kbpf_log_verbose(env))
		kbpf_log_insn(env, env->insn_idx);
	return true;
}

/* The registers named in mask, one a line, after an error's reason. */
void kbpf_log_regs(struct kbpf_verifier_env *env, u32 mask)
{
	u32 i;

	for (i = 0; i < KBPF_REG_COUNT; i++)
		if (mask & (1U << i))
			kbpf_log_reg(env, i);
}
