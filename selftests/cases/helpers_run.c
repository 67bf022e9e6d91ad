// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers at run time: the format engine of trace_printk and snprintf
 * (conversions, refusals, %s bounded by what the verifier proved), the
 * per-program trace buffer (order, drops counted, close), checksums and the
 * packet helpers on a flat packet checked against a checksum computed here
 * independently, and tail calls up to Linux's chain limit of 33.
 */
#include "cases.h"
#include "../../kmod/core/helpers.h"

static u64 p2u(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int fmt_conversions(char *msg, size_t msg_size)
{
	const u64 args[] = { (u64)-5, 42, 0xab, (u64)-12, 7, 0xbeef, 'z' };
	static const char fmt[] = "%d|%5u|%-4x|%05lld|%+d|%X|%c|%%";
	char out[64];
	int n = kbpf_fmt_format(out, sizeof(out), fmt, sizeof(fmt), args, 7,
				NULL);

	CHECK(n == (int)strlen("-5|   42|ab  |-0012|+7|BEEF|z|%") &&
	      !strcmp(out, "-5|   42|ab  |-0012|+7|BEEF|z|%"),
	      "got %d \"%s\"", n, out);
	return 0;
}

static int fmt_refusals(char *msg, size_t msg_size)
{
	struct kbpf_fmt_site ptr = { .kind = { KBPF_FMT_POINTER } };
	const u64 args[1] = { 1 };
	const char nonul[2] = { 'a', 'b' };
	char out[16];

	CHECK(kbpf_fmt_format(out, sizeof(out), "%n", 3, args, 1, NULL) == -EINVAL,
	      "%%n accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), "%pK", 4, args, 1, NULL) == -EINVAL,
	      "%%pK accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), "%hd", 4, args, 1, NULL) == -EINVAL,
	      "%%hd accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), "%s", 3, args, 1, NULL) == -EINVAL,
	      "%%s of an unproven argument accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), "%d", 3, args, 1, &ptr) == -EINVAL,
	      "%%d of a pointer accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), "%d %d", 6, args, 1, NULL) == -EINVAL,
	      "two conversions with one argument accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), nonul, 2, args, 1, NULL) == -EINVAL,
	      "a format without its NUL accepted");
	CHECK(kbpf_fmt_format(out, sizeof(out), "%99d", 5, args, 1, NULL) == -EINVAL,
	      "a width of 99 accepted");
	return 0;
}

static int fmt_string_bounded(char *msg, size_t msg_size)
{
	struct kbpf_fmt_site site = {
		.kind = { KBPF_FMT_STRING }, .str_max = { 3 },
	};
	const char *s = "hello";
	const u64 args[1] = { p2u(s) };
	char out[8];
	int n = kbpf_fmt_format(out, sizeof(out), "[%s]", 5, args, 1, &site);

	CHECK(n == 5 && !strcmp(out, "[hel]"), "got %d \"%s\"", n, out);
	n = kbpf_fmt_format(out, 4, "abcdef", 7, args, 0, NULL);
	CHECK(n == 6 && !strcmp(out, "abc"), "truncation: got %d \"%s\"", n, out);
	return 0;
}

static int trace_buffer_drops_and_closes(char *msg, size_t msg_size)
{
	struct kbpf_trace_line *line = kbpf_zalloc(sizeof(*line));
	struct kbpf_trace_stats st;
	struct kbpf_trace_buf *buf;
	char text[2] = "0", last;
	u64 dropped;
	bool ok;
	int i, err = kbpf_trace_buf_alloc(5, &buf);	/* rounds down to 4 */

	CHECK(line && !err, "alloc: %d", err);
	for (i = 0; i < 6; i++) {
		text[0] = (char)('0' + i);
		kbpf_trace_write(buf, text, 1);
	}
	for (i = 0; i < 4; i++) {
		err = kbpf_trace_read(buf, line);
		if (err || line->text[0] != '0' + i || line->dropped)
			break;
	}
	text[0] = '9';
	kbpf_trace_write(buf, text, 1);
	kbpf_trace_get_stats(buf, &st);
	if (i == 4)
		err = kbpf_trace_read(buf, line);
	kbpf_trace_buf_close(buf);
	ok = i == 4 && !err && line->text[0] == '9' && line->dropped == 2 &&
	     st.written == 5 && st.dropped == 2 && kbpf_trace_buf_done(buf) &&
	     kbpf_trace_read(buf, line) == -ENOENT;
	last = line->text[0];
	dropped = line->dropped;
	kbpf_trace_buf_put(buf);
	kbpf_free(line);
	CHECK(ok, "read %d in order, then \"%c\" after %llu dropped; stats %llu/%llu",
	      i, last, (unsigned long long)dropped,
	      (unsigned long long)st.written, (unsigned long long)st.dropped);
	return 0;
}

/* RFC 1071 over a byte string, written out here to check the helpers. */
static u16 ref_csum(const u8 *p, u32 len)
{
	u32 sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

static void set_ip_csum(u8 *ip)
{
	u16 c;

	ip[10] = ip[11] = 0;
	c = ref_csum(ip, 20);
	ip[10] = (u8)(c >> 8);
	ip[11] = (u8)c;
}

static const struct kbpf_helper *nf_helper(u32 id)
{
	return kbpf_helper_lookup(&kbpf_default_helpers, id);
}

static int packet_writes_keep_checksums(char *msg, size_t msg_size)
{
	u8 ip[20] = { 0x45, 0, 0, 20, 0x12, 0x34, 0, 0, 64, 17, 0, 0,
		      10, 0, 0, 1, 10, 0, 0, 2 };
	struct kbpf_nf_ctx_kern c = {
		.ctx = { .data = p2u(ip), .data_end = p2u(ip + 20), .len = 20 },
	};
	u32 old_src, new_src = 0x0501a8c0;	/* 192.168.1.5 in memory order */
	u16 old_ttl, new_ttl;
	u64 diff, r;

	set_ip_csum(ip);
	/* TTL 64 -> 63: the 16-bit word of TTL and protocol changes. */
	memcpy(&old_ttl, ip + 8, 2);
	ip[8] = 63;
	memcpy(&new_ttl, ip + 8, 2);
	ip[8] = 64;
	r = nf_helper(9)->fn(p2u(&c), 8, p2u(&new_ttl), 2, 0);
	CHECK(!r, "skb_store_bytes: %lld", (long long)r);
	r = nf_helper(10)->fn(p2u(&c), 10, old_ttl, new_ttl, 2);
	CHECK(!r && ip[8] == 63 && ref_csum(ip, 20) == 0,
	      "l3_csum_replace (2 bytes): %lld, header sums to %#x", (long long)r,
	      ref_csum(ip, 20));
	/* Source address through csum_diff and a size-0 replace. */
	memcpy(&old_src, ip + 12, 4);
	diff = nf_helper(28)->fn(p2u(&old_src), 4, p2u(&new_src), 4, 0);
	memcpy(ip + 12, &new_src, 4);
	r = nf_helper(10)->fn(p2u(&c), 10, 0, diff, 0);
	CHECK(!r && ref_csum(ip, 20) == 0,
	      "csum_diff + l3_csum_replace (diff): %lld, header sums to %#x",
	      (long long)r, ref_csum(ip, 20));
	return 0;
}

static int packet_helpers_refuse_out_of_range(char *msg, size_t msg_size)
{
	u8 pkt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct kbpf_nf_ctx_kern c = {
		.ctx = { .data = p2u(pkt), .data_end = p2u(pkt + 8), .len = 8 },
	};
	u8 to[4] = { 0xff, 0xff, 0xff, 0xff };
	u64 r;

	r = nf_helper(26)->fn(p2u(&c), 6, p2u(to), 4, 0);
	CHECK((s64)r == -EFAULT && !to[0] && !to[3],
	      "skb_load_bytes past the end: %lld, buffer %02x..%02x",
	      (long long)r, to[0], to[3]);
	r = nf_helper(26)->fn(p2u(&c), 4, p2u(to), 4, 0);
	CHECK(!r && to[0] == 5 && to[3] == 8, "skb_load_bytes of the last 4: %lld",
	      (long long)r);
	CHECK((s64)nf_helper(9)->fn(p2u(&c), 0, p2u(to), 1, 0x100) == -EINVAL,
	      "skb_store_bytes with unknown flags");
	CHECK((s64)nf_helper(10)->fn(p2u(&c), 0, 0, 0, 3) == -EINVAL,
	      "l3_csum_replace of a 3-byte field");
	CHECK((s64)nf_helper(28)->fn(p2u(to), 3, 0, 0, 0) == -EINVAL,
	      "csum_diff of 3 bytes");
	return 0;
}

/* ---- tail calls ----------------------------------------------------------- */

static struct kbpf_map *tc_maps[2];	/* id 1: prog_array, id 2: counter */

static struct kbpf_map *tc_map_by_id(void *priv, u32 id)
{
	if (id < 1 || id > 2)
		return NULL;
	kbpf_map_get(tc_maps[id - 1]);
	return tc_maps[id - 1];
}

/* counter++, then tail call slot 0 of the array; r0 = 1 when that fails. */
static const struct kbpf_insn tail_self[] = {
	KBPF_MOV64_REG(KBPF_REG_6, KBPF_REG_1),
	KBPF_ST_MEM(W, KBPF_REG_10, -4, 0),
	KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10),
	KBPF_ALU64_IMM(ADD, KBPF_REG_2, -4),
	KBPF_LD_MAP_ID(KBPF_REG_1, 2),
	KBPF_CALL_HELPER(1),
	KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, 2),
	KBPF_MOV64_IMM(KBPF_REG_1, 1),
	KBPF_ATOMIC_OP(DW, KBPF_ADD, KBPF_REG_0, KBPF_REG_1, 0),
	KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_6),
	KBPF_LD_MAP_ID(KBPF_REG_2, 1),
	KBPF_MOV64_IMM(KBPF_REG_3, 0),
	KBPF_CALL_HELPER(12),
	KBPF_MOV64_IMM(KBPF_REG_0, 1),
	KBPF_EXIT_INSN(),
};

/*
 * Load tail_self into slot 0 and run it: alone (chain_len 0), or chain_len
 * times back to back in one chain (kbpf_run_chain_*, as a hook does).
 * *r0 is the last run's, *runs the counter after all of them.
 */
static int tail_self_runs(u32 chain_len, u64 *r0, u64 *runs)
{
	struct kbpf_map_attrs pa = {
		.type = KBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4,
		.value_size = 4, .max_entries = 2,
	};
	struct kbpf_map_attrs ca = {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		.max_entries = 1,
	};
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = tail_self,
		.insn_cnt = ARRAY_SIZE(tail_self), .map_by_id = tc_map_by_id,
	};
	struct kbpf_nf_ctx_kern c = { .ctx = { .len = 0 } };
	u64 args[KBPF_HELPER_ARGS] = { p2u(&c) };
	struct kbpf_prog *prog = NULL, *old;
	u32 key = 0, key1 = 1, i;
	u64 *count;
	void *chain;
	int err;

	*r0 = 0;
	*runs = 0;
	err = kbpf_map_create(&pa, NULL, &tc_maps[0]);
	if (!err)
		err = kbpf_map_create(&ca, NULL, &tc_maps[1]);
	if (!err)
		err = kbpf_prog_load(&opts, &prog);
	if (!err)
		err = kbpf_prog_array_update(tc_maps[0], &key, prog, &old);
	if (!err && !chain_len)
		*r0 = kbpf_test_prog_run(prog, &c);
	if (!err && chain_len) {
		kbpf_run_section_begin();
		chain = kbpf_run_chain_begin(NULL);
		for (i = 0; chain && i < chain_len; i++)
			*r0 = kbpf_run_chain_prog(chain, prog, args);
		if (chain)
			kbpf_run_chain_end(chain);
		else
			err = -EBUSY;
		kbpf_run_section_end();
	}
	if (!err) {
		count = kbpf_map_lookup_elem(tc_maps[1], &key);
		*runs = count ? *count : 0;
		err = kbpf_prog_array_delete(tc_maps[0], &key, &old);
		if (!err && old != prog)
			err = -EFAULT;
		if (!err && kbpf_prog_array_delete(tc_maps[0], &key1, &old) != -ENOENT)
			err = -EFAULT;
	}
	kbpf_prog_free(prog);
	kbpf_map_put(tc_maps[1]);
	kbpf_map_put(tc_maps[0]);
	return err;
}

static int tail_calls_stop_at_33(char *msg, size_t msg_size)
{
	u64 r0, runs;
	int err = tail_self_runs(0, &r0, &runs);

	CHECK(!err, "setup or slot delete: %d", err);
	/* The first run plus 33 tail calls; the 34th call falls through. */
	CHECK(r0 == 1 && runs == 34, "r0 %llu, runs %llu",
	      (unsigned long long)r0, (unsigned long long)runs);
	return 0;
}

/* ---- formats in map values: which the verifier may check at load ------- */

static struct kbpf_map *fmt_map;	/* id 1 */

static struct kbpf_map *fmt_map_by_id(void *priv, u32 id)
{
	if (id != 1)
		return NULL;
	kbpf_map_get(fmt_map);
	return fmt_map;
}

/*
 * Pin the values with a direct value load (global data does), look up
 * key KEY, then r0 = trace_printk(value, 16, 7).
 */
#define FMT_LOOKUP_PRINTK(KEY)						\
	KBPF_LD_IMM64_RAW(KBPF_REG_6, KBPF_PSEUDO_MAP_VALUE, 1),		\
	KBPF_ST_MEM(W, KBPF_REG_10, -4, KEY),				\
	KBPF_LD_MAP_ID(KBPF_REG_1, 1),					\
	KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10),			\
	KBPF_ALU64_IMM(ADD, KBPF_REG_2, -4),				\
	KBPF_CALL_HELPER(KBPF_FUNC_map_lookup_elem),			\
	KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, 4),				\
	KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_0),				\
	KBPF_MOV64_IMM(KBPF_REG_2, 16),					\
	KBPF_MOV64_IMM(KBPF_REG_3, 7),					\
	KBPF_CALL_HELPER(KBPF_FUNC_trace_printk),			\
	KBPF_EXIT_INSN()

/* As above with snprintf(fp - 24, 16, value, fp - 32 = { 7 }, 8). */
#define FMT_LOOKUP_SNPRINTF(KEY)					\
	KBPF_LD_IMM64_RAW(KBPF_REG_6, KBPF_PSEUDO_MAP_VALUE, 1),		\
	KBPF_ST_MEM(W, KBPF_REG_10, -4, KEY),				\
	KBPF_ST_MEM(DW, KBPF_REG_10, -32, 7),				\
	KBPF_LD_MAP_ID(KBPF_REG_1, 1),					\
	KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10),			\
	KBPF_ALU64_IMM(ADD, KBPF_REG_2, -4),				\
	KBPF_CALL_HELPER(KBPF_FUNC_map_lookup_elem),			\
	KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, 8),				\
	KBPF_MOV64_REG(KBPF_REG_3, KBPF_REG_0),				\
	KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_10),			\
	KBPF_ALU64_IMM(ADD, KBPF_REG_1, -24),				\
	KBPF_MOV64_IMM(KBPF_REG_2, 16),					\
	KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_10),			\
	KBPF_ALU64_IMM(ADD, KBPF_REG_4, -32),				\
	KBPF_MOV64_IMM(KBPF_REG_5, 8),					\
	KBPF_CALL_HELPER(KBPF_FUNC_snprintf),				\
	KBPF_EXIT_INSN()

/* An array of ENTRIES 16-byte values, value i holding fmts[i]. */
static int fmt_map_make(u32 entries, const char *const *fmts)
{
	struct kbpf_map_attrs a = { .type = KBPF_MAP_TYPE_ARRAY,
				    .key_size = 4, .value_size = 16,
				    .max_entries = entries };
	char v[16];
	u32 i;
	int err = kbpf_map_create(&a, &kbpf_limits_cloud, &fmt_map);

	for (i = 0; !err && i < entries; i++) {
		memset(v, 0, sizeof(v));
		memcpy(v, fmts[i], strlen(fmts[i]));
		err = kbpf_map_update_user(fmt_map, &i, v, KBPF_ANY);
	}
	return err;
}

static const struct kbpf_insn fmt_printk_key0[] = { FMT_LOOKUP_PRINTK(0) };
static const struct kbpf_insn fmt_printk_key1[] = { FMT_LOOKUP_PRINTK(1) };
static const struct kbpf_insn fmt_snprintf_key1[] = { FMT_LOOKUP_SNPRINTF(1) };

struct fmt_case {
	const char *what;
	u32 entries;
	const char *fmts[2];		/* the values, by key */
	const struct kbpf_insn *insns;
	u32 insn_cnt;
	int load;			/* kbpf_prog_load()'s result ... */
	const char *log;		/* ... and a fragment of its log */
	s64 r0;				/* loaded: what a run returns ... */
	const char *text;		/* ... and prints ("": nothing) */
};

#define FMT_PROG(P)	.insns = P, .insn_cnt = ARRAY_SIZE(P)

static const struct fmt_case fmt_cases[] = {
	{ "element 0 would be refused (%s of a number); element 1 is passed",
	  2, { "%s\n", "v %d\n" }, FMT_PROG(fmt_printk_key1),
	  .r0 = 4, .text = "v 7" },
	{ "element 0 is harmless; element 1's %s of a number fails its run",
	  2, { "v %d\n", "%s\n" }, FMT_PROG(fmt_printk_key1),
	  .r0 = -EINVAL, .text = "" },
	{ "snprintf needs a format checked at load: element 1 is not one",
	  2, { "v %d\n", "%s\n" }, FMT_PROG(fmt_snprintf_key1),
	  .load = -EACCES, .log = "single-element array map" },
	{ "one element: a looked-up value is that one, checked at load",
	  1, { "%s\n" }, FMT_PROG(fmt_printk_key0),
	  .load = -EACCES, .log = "argument 1 for %s" },
};

/* Load c's program over c's map; run it once if it loads. */
static int fmt_case_run(const struct fmt_case *c,
			struct kbpf_trace_line *line, char *msg,
			size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC, .insns = c->insns,
		.insn_cnt = c->insn_cnt, .map_by_id = fmt_map_by_id,
	};
	struct kbpf_prog *prog = NULL;
	struct kbpf_log klog;
	char log[256] = "";
	int err = fmt_map_make(c->entries, c->fmts);
	u64 r0 = 0;

	kbpf_log_init(&klog, log, sizeof(log), KBPF_LOG_LEVEL_ERRORS);
	opts.log = &klog;
	if (!err)
		err = kbpf_prog_load(&opts, &prog);
	if (!err) {
		r0 = kbpf_test_prog_run(prog, NULL);
		if (kbpf_trace_read(prog->trace, line))
			line->text[0] = '\0';
	}
	kbpf_prog_free(prog);
	if (fmt_map)
		kbpf_map_put(fmt_map);
	fmt_map = NULL;
	CHECK(err == c->load && (!c->log || strstr(log, c->log)),
	      "%s: load %d, expected %d: %s", c->what, err, c->load, log);
	CHECK(err || ((s64)r0 == c->r0 && !strcmp(line->text, c->text)),
	      "%s: the run returned %lld and printed \"%s\"", c->what,
	      (long long)r0, line->text);
	return 0;
}

/*
 * The verifier does not know which element a looked-up value pointer is
 * into, so it checks a format at load only in a single-element array
 * (.rodata, as Linux requires).  Element 0 of a larger array says nothing
 * about the key a run looks up: a program passing element 1 is judged by
 * the format there, at run time, against what the verifier proved of the
 * arguments.
 */
static int formats_checked_only_where_known(char *msg, size_t msg_size)
{
	struct kbpf_trace_line *line = kbpf_zalloc(sizeof(*line));
	int err = 0;
	u32 i;

	if (!line)
		return -ENOMEM;
	for (i = 0; !err && i < ARRAY_SIZE(fmt_cases); i++)
		err = fmt_case_run(&fmt_cases[i], line, msg, msg_size);
	kbpf_free(line);
	return err;
}

/* A chain shares one run stack, but each run gets its own tail call count. */
static int chain_runs_start_afresh(char *msg, size_t msg_size)
{
	u64 r0, runs;
	int err = tail_self_runs(3, &r0, &runs);

	CHECK(!err, "setup, chain or slot delete: %d", err);
	CHECK(r0 == 1 && runs == 3 * 34, "r0 %llu, runs %llu (want 3 x 34)",
	      (unsigned long long)r0, (unsigned long long)runs);
	return 0;
}

/* r0 = 1 (ACCEPT) through a stack slot of frame 0. */
static const struct kbpf_insn stack_1[] = {
	KBPF_MOV64_IMM(KBPF_REG_2, 1),
	KBPF_STX_MEM(DW, KBPF_REG_10, KBPF_REG_2, -8),
	KBPF_LDX_MEM(DW, KBPF_REG_0, KBPF_REG_10, -8),
	KBPF_EXIT_INSN(),
};

/*
 * A chain of frame-0 programs runs in a struct kbpf_run_frame0 on the
 * caller's stack (as the netfilter hook does): a verified program using
 * its stack qualifies and runs there; tail_self (a tail call reaches the
 * run context) and an unverified program do not qualify.
 */
static int frame0_chain_on_callers_stack(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = stack_1,
		.insn_cnt = ARRAY_SIZE(stack_1),
	};
	struct kbpf_nf_ctx_kern c = { .ctx = { .len = 0 } };
	u64 args[KBPF_HELPER_ARGS] = { p2u(&c) };
	struct kbpf_run_frame0 frame0;
	struct kbpf_prog *prog = NULL, *raw = NULL, *tail = NULL;
	bool ok, raw_ok = true, tail_ok = true;
	u64 r0 = 0, r0_again = 0;
	struct kbpf_log klog;
	char log[256] = "";
	int err, stage = 0;
	void *chain;

	tc_maps[0] = tc_maps[1] = NULL;
	kbpf_log_init(&klog, log, sizeof(log), KBPF_LOG_LEVEL_ERRORS);
	opts.log = &klog;
	err = kbpf_prog_load(&opts, &prog);
	if (!err) {
		stage++;
		opts.flags = KBPF_LOAD_NO_VERIFY;
		err = kbpf_prog_load(&opts, &raw);
	}
	if (!err) {
		stage++;
		opts.flags = 0;
		opts.insns = tail_self;
		opts.insn_cnt = ARRAY_SIZE(tail_self);
		opts.map_by_id = tc_map_by_id;
		err = kbpf_map_create(&(struct kbpf_map_attrs){
			.type = KBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4,
			.value_size = 4, .max_entries = 2 }, NULL, &tc_maps[0]);
		if (!err)
			err = kbpf_map_create(&(struct kbpf_map_attrs){
				.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,
				.value_size = 8, .max_entries = 1 }, NULL,
				&tc_maps[1]);
		if (!err)
			err = kbpf_prog_load(&opts, &tail);
	}
	ok = !err && kbpf_prog_frame0_only(prog);
	if (!err) {
		raw_ok = kbpf_prog_frame0_only(raw);
		tail_ok = kbpf_prog_frame0_only(tail);
	}
	if (ok) {
		kbpf_run_section_begin();
		chain = kbpf_run_chain_begin_frame0(&frame0, NULL);
		r0 = kbpf_run_chain_prog(chain, prog, args);
		r0_again = kbpf_run_chain_prog(chain, prog, args);
		kbpf_run_section_end();
	}
	kbpf_prog_free(tail);
	kbpf_prog_free(raw);
	kbpf_prog_free(prog);
	if (tc_maps[1])
		kbpf_map_put(tc_maps[1]);
	if (tc_maps[0])
		kbpf_map_put(tc_maps[0]);
	tc_maps[0] = tc_maps[1] = NULL;
	CHECK(!err, "load %d (0: stack, 1: unverified, 2: tail caller): %d %s",
	      stage, err, log);
	CHECK(ok && !raw_ok && !tail_ok,
	      "frame0_only: stack program %d, unverified %d, tail caller %d",
	      ok, raw_ok, tail_ok);
	CHECK(r0 == 1 && r0_again == 1, "r0 %llu then %llu",
	      (unsigned long long)r0, (unsigned long long)r0_again);
	return 0;
}

/*
 * A hook may run a frame-0 program from a copy of its image in memory of
 * its own (the netfilter run list): the copy runs as the original does,
 * a copy is offered only within the size asked, and an unverified
 * program, which may not be frame-0, gets none.
 */
static int frame0_image_runs_from_a_copy(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = stack_1,
		.insn_cnt = ARRAY_SIZE(stack_1),
	};
	struct kbpf_nf_ctx_kern c = { .ctx = { .len = 0 } };
	u64 args[KBPF_HELPER_ARGS] = { p2u(&c) };
	struct kbpf_prog *prog = NULL, *raw = NULL;
	struct kbpf_run_frame0 frame0;
	struct kbpf_run_prog run;
	size_t size = 0, below = 1, raw_size = 1;
	u64 copy[32], r0 = 0;
	int err;

	err = kbpf_prog_load(&opts, &prog);
	if (!err) {
		opts.flags = KBPF_LOAD_NO_VERIFY;
		err = kbpf_prog_load(&opts, &raw);
	}
	if (!err) {
		size = kbpf_prog_image_copy_size(prog, sizeof(copy));
		below = size ? kbpf_prog_image_copy_size(prog, size - 1) : 1;
		raw_size = kbpf_prog_image_copy_size(raw, sizeof(copy));
	}
	if (size) {
		kbpf_run_prog_init(&run, prog);
		run.image = kbpf_prog_image_copy(prog, copy, size);
		kbpf_run_section_begin();
		r0 = kbpf_run_chain_kept(kbpf_run_chain_begin_frame0(&frame0,
								     NULL),
					 &run, args);
		kbpf_run_section_end();
	}
	kbpf_prog_free(raw);
	kbpf_prog_free(prog);
	CHECK(!err, "load: %d", err);
	CHECK(size >= ARRAY_SIZE(stack_1) * 16 && !below && !raw_size,
	      "copy sizes: %zu, %zu one byte below, %zu unverified",
	      size, below, raw_size);
	CHECK(r0 == 1 && (void *)run.image == (void *)copy,
	      "r0 %llu from the copy", (unsigned long long)r0);
	return 0;
}

static const struct kbpf_test_fn_case helper_run_tests[] = {
	{ "formats: d i u x X with widths, flags, l/ll, c and %%", fmt_conversions },
	{ "formats: %n, %pK, %hd, unproven %s, %d of a pointer, missing args, no NUL, huge widths are refused",
	  fmt_refusals },
	{ "formats: %s reads at most what the verifier proved; output is cut, not overrun",
	  fmt_string_bounded },
	{ "trace buffer: lines in order, a full buffer drops and counts, close drains to the end",
	  trace_buffer_drops_and_closes },
	{ "skb_store_bytes, l3_csum_replace and csum_diff keep the IPv4 checksum right",
	  packet_writes_keep_checksums },
	{ "packet helpers refuse what lies outside the packet and bad flags",
	  packet_helpers_refuse_out_of_range },
	{ "tail calls: a program calling itself runs 34 times (33 tail calls)",
	  tail_calls_stop_at_33 },
	{ "formats: checked at load only in a single-element array; a looked-up element is checked when it runs",
	  formats_checked_only_where_known },
	{ "a chain's runs share a run stack; each gets its own 33 tail calls",
	  chain_runs_start_afresh },
	{ "a chain of frame-0 programs runs on the caller's stack; tail callers and unverified programs do not qualify",
	  frame0_chain_on_callers_stack },
	{ "a frame-0 program runs from a copy of its image; a copy is offered only within the size asked, never for unverified code",
	  frame0_image_runs_from_a_copy },
};

KBPF_FN_TEST_SUITE(helpers_run, "kbpf_helpers_run", helper_run_tests);
