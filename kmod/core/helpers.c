// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers every program type may offer, numbered as the Linux kernel
 * numbers them (BPF_FUNC_*) so that programs built against libbpf's
 * bpf_helpers.h call the same functions here.  What each one takes and
 * returns is in its KBPF_HELPER_*() entry (helpers.h), which the verifier
 * reads; the program types' tables (progtypes/) choose which they offer.
 *
 * Attacker's view, helper by helper:
 *  - trace_printk and snprintf format with fmt.c, which never lets a
 *    program's format reach a real printf, prints pointers only hashed
 *    (%p) and reads %s strings only inside memory the verifier proved
 *    readable and initialised (struct kbpf_fmt_site).
 *  - snprintf fills its whole buffer (NUL padding), because the verifier
 *    counts the bytes it was given as initialised.
 *  - loop runs at most KBPF_MAX_LOOPS callbacks per program run, nested
 *    loops included, so a program cannot multiply its way past the bound.
 *  - csum_diff reads only the two verified regions, at most 512 bytes.
 */
#include "helpers.h"
#include "maps/map.h"

static void *u64_to_ptr(u64 v)
{
	return (void *)(uintptr_t)v;
}

u64 kbpf_helper_map_lookup_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	return (u64)(uintptr_t)kbpf_map_lookup_elem(u64_to_ptr(map),
						    u64_to_ptr(key));
}

u64 kbpf_helper_map_update_elem(u64 map, u64 key, u64 value, u64 flags,
				u64 r5)
{
	return (u64)(s64)kbpf_map_update_elem(u64_to_ptr(map), u64_to_ptr(key),
					      u64_to_ptr(value), flags);
}

u64 kbpf_helper_map_delete_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	return (u64)(s64)kbpf_map_delete_elem(u64_to_ptr(map),
					      u64_to_ptr(key));
}

u64 kbpf_helper_ktime_get_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_ktime_get_ns();
}

u64 kbpf_helper_ktime_get_boot_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_ktime_get_boot_ns();
}

u64 kbpf_helper_jiffies64(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_jiffies64();
}

u64 kbpf_helper_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_prandom_u32();
}

u64 kbpf_helper_get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4,
				     u64 r5)
{
	return kbpf_processor_id();
}

/*
 * The interpreter runs tail calls itself (its TAIL_CALL op); only compiled
 * (native) code, which does not implement them, gets here: the call fails
 * as a tail call to an empty slot would.
 */
u64 kbpf_helper_tail_call(u64 ctx, u64 map, u64 index, u64 r4, u64 r5)
{
	return (u64)-EOPNOTSUPP;
}

/* ---- formatted output -------------------------------------------------- */

/*
 * One line per call: a trailing newline (bpf_printk's "\n") is dropped and
 * other control characters become '.', so a program cannot forge lines
 * or terminal escapes in a reader's output.
 */
static u32 sanitize_line(char *s, u32 len)
{
	u32 i;

	while (len && s[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++)
		if ((u8)s[i] < 0x20 || (u8)s[i] == 0x7f)
			s[i] = s[i] == '\t' ? ' ' : '.';
	return len;
}

u64 kbpf_helper_trace_printk(u64 fmt, u64 fmt_size, u64 a1, u64 a2, u64 a3)
{
	struct kbpf_run_ctx *run = kbpf_run_current();
	const u64 args[3] = { a1, a2, a3 };
	char line[KBPF_TRACE_PRINTK_MAX + 1];
	int len;

	if (!run || !run->prog->trace)
		return (u64)-EINVAL;
	len = kbpf_fmt_format(line, sizeof(line), u64_to_ptr(fmt),
			      (u32)fmt_size, args, ARRAY_SIZE(args),
			      kbpf_run_fmt_site(run));
	if (len < 0)
		return (u64)(s64)len;
	if (len > KBPF_TRACE_PRINTK_MAX)
		len = KBPF_TRACE_PRINTK_MAX;
	kbpf_trace_write(run->prog->trace, line, sanitize_line(line, len));
	return (u64)len;
}

u64 kbpf_helper_snprintf(u64 str, u64 str_size, u64 fmt, u64 data,
			 u64 data_len)
{
	struct kbpf_run_ctx *run = kbpf_run_current();
	const struct kbpf_fmt_site *site;
	char *out = u64_to_ptr(str);
	int len;

	if (!run || data_len % 8 || data_len > KBPF_FMT_MAX_ARGS * 8) {
		len = -EINVAL;
		goto fail;
	}
	site = kbpf_run_fmt_site(run);
	if (!site) {
		len = -EINVAL;
		goto fail;
	}
	/* The format may have changed since load: read only what was there. */
	len = kbpf_fmt_format(out, (u32)str_size, u64_to_ptr(fmt),
			      site->fmt_max, u64_to_ptr(data),
			      (u32)(data_len / 8), site);
	if (len < 0)
		goto fail;
	if ((u64)len + 1 < str_size)
		memset(out + len + 1, 0, str_size - len - 1);
	return (u64)len + 1;
fail:
	if (str_size)
		memset(out, 0, str_size);
	return (u64)(s64)len;
}

/* ---- bpf_loop ---------------------------------------------------------- */

u64 kbpf_helper_loop(u64 nr_loops, u64 callback, u64 ctx, u64 flags, u64 r5)
{
	struct kbpf_run_ctx *run = kbpf_run_current();
	u32 nr = (u32)nr_loops, i, depth;
	u64 args[KBPF_HELPER_ARGS] = { 0 };

	/* No run, or a callback address compiled code could not give. */
	if (flags || !run || !callback)
		return (u64)-EINVAL;
	if (nr > KBPF_MAX_LOOPS || nr > run->loops_left)
		return (u64)-E2BIG;
	/* Charge up front so that nested loops see what is left. */
	run->loops_left -= nr;
	depth = run->depth;
	for (i = 0; i < nr; i++) {
		args[0] = i;
		args[1] = ctx;
		if (kbpf_run_callback(run, depth, callback, args)) {
			i++;
			break;
		}
	}
	run->loops_left += nr - i;
	return i;
}

/* ---- checksums --------------------------------------------------------- */

u32 kbpf_csum_add(u32 csum, u32 addend)
{
	csum += addend;
	return csum + (csum < addend);
}

/* 32-bit ones' complement sum of buf (any length), added to sum. */
u32 kbpf_csum_partial(const void *buf, u32 len, u32 sum)
{
	const u8 *p = buf;
	u64 acc = sum;
	u32 w;

	while (len >= 4) {
		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		len -= 4;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		acc += w;
	}
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return (u32)acc;
}

u16 kbpf_csum_fold(u32 csum)
{
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	return (u16)~csum;
}

/*
 * bpf_csum_diff(): the sum of the words of to minus the words of from,
 * added to seed.  As in Linux, both sizes are multiples of 4 and at most
 * 512 bytes together.
 */
u64 kbpf_helper_csum_diff(u64 from, u64 from_size, u64 to, u64 to_size,
			  u64 seed)
{
	const u8 *f = u64_to_ptr(from);
	u32 sum = (u32)seed, w, i;

	if (from_size % 4 || to_size % 4 || from_size + to_size > 512 ||
	    (from_size && !from) || (to_size && !to))
		return (u64)-EINVAL;
	for (i = 0; i < from_size; i += 4) {
		memcpy(&w, f + i, 4);
		sum = kbpf_csum_add(sum, ~w);
	}
	return kbpf_csum_partial(u64_to_ptr(to), (u32)to_size, sum);
}

/* ---- tables ------------------------------------------------------------ */

const struct kbpf_helper *kbpf_helper_lookup(const struct kbpf_helper_table *t,
					     u32 id)
{
	if (!t || id >= t->count || !t->helpers[id].fn)
		return NULL;
	return &t->helpers[id];
}
KBPF_EXPORT_FOR_KUNIT(kbpf_helper_lookup);
