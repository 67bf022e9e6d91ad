// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-run: run one BPF program in the kbpf core, in userspace.
 *
 * It speaks the bpf_conformance plugin protocol, so that shared conformance
 * corpora can drive our interpreter:
 *
 *   stdin    the program, as hex bytes ("b7 00 00 00 01 00 00 00 95 ...");
 *            whitespace between bytes is optional
 *   argv     [--verify] [--aot] [MEMORY]: MEMORY is hex bytes; r1 points
 *            at a copy of them and r2 holds their length (both 0 when
 *            absent); --aot runs the program as native code (bpf2c, cc -O2,
 *            dlopen) instead of in the interpreter
 *   stdout   r0 in hex, then exit 0
 *   failure  a message on stderr and exit 1 (bad hex, a program the decoder
 *            or, with --verify, the verifier refuses)
 *
 * r10 is the top of a 512-byte stack.  Helper 5 returns its first argument:
 * the conformance corpus calls it as an identity function, where the kernel
 * would answer ktime_get_ns.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbpf_core.h"
#include "../aot/aot_user.h"
#include "conformance_helpers.h"

#define KBPF_RUN_LOG_SIZE	(64 * 1024)

struct byte_buf {
	unsigned char *data;
	size_t len;
	size_t cap;
};

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int byte_buf_push(struct byte_buf *b, unsigned char v)
{
	if (b->len == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		unsigned char *p = realloc(b->data, cap);

		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	b->data[b->len++] = v;
	return 0;
}

/* Parse hex digit pairs, ignoring whitespace and an optional 0x prefix. */
static int parse_hex(const char *text, struct byte_buf *out, const char *what)
{
	int hi = -1;

	for (const char *p = text; *p; p++) {
		int v;

		if (isspace((unsigned char)*p))
			continue;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hi < 0) {
			p++;
			continue;
		}
		v = hex_value((unsigned char)*p);
		if (v < 0) {
			fprintf(stderr, "kbpf-run: %s: '%c' is not a hex digit\n",
				what, *p);
			return -EINVAL;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (byte_buf_push(out, (unsigned char)(hi << 4 | v)))
			return -ENOMEM;
		hi = -1;
	}
	if (hi >= 0) {
		fprintf(stderr, "kbpf-run: %s: odd number of hex digits\n", what);
		return -EINVAL;
	}
	return 0;
}

static char *read_stream(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *text = malloc(cap);

	if (!text)
		return NULL;
	for (;;) {
		size_t n = fread(text + len, 1, cap - len - 1, f);

		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *p = realloc(text, cap * 2);

			if (!p) {
				free(text);
				return NULL;
			}
			text = p;
			cap *= 2;
		}
	}
	text[len] = '\0';
	return text;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kbpf-run [--verify] [--aot] [MEMORY-HEX] < PROGRAM-HEX\n"
		"Runs a BPF program (hex bytes on stdin) in the kbpf core and\n"
		"prints r0 in hex. r1 = MEMORY, r2 = its length.\n"
		"--aot compiles it to native code (bpf2c, $CC -O2) and runs that.\n");
}

int main(int argc, char **argv)
{
	struct byte_buf prog_bytes = { 0 }, mem = { 0 };
	struct kbpf_helper_table helpers;
	struct kbpf_helper *helper_array = NULL;
	struct kbpf_prog *prog = NULL;
	struct kbpf_prog_load_opts opts = { 0 };
	struct kbpf_log log;
	char *log_buf = NULL, *text = NULL;
	const char *mem_arg = NULL;
	struct aot_user_obj aot = { 0 };
	bool verify = false, native = false;
	int ret = 1, err;
	u64 args[KBPF_HELPER_ARGS] = { 0 };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verify")) {
			verify = true;
		} else if (!strcmp(argv[i], "--aot")) {
			native = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage();
			return 0;
		} else if (!mem_arg) {
			mem_arg = argv[i];
		} else {
			usage();
			return 2;
		}
	}

	text = read_stream(stdin);
	if (!text) {
		fprintf(stderr, "kbpf-run: cannot read the program: %s\n",
			strerror(errno));
		goto out;
	}
	if (parse_hex(text, &prog_bytes, "program") ||
	    (mem_arg && parse_hex(mem_arg, &mem, "memory")))
		goto out;
	if (prog_bytes.len == 0 || prog_bytes.len % sizeof(struct kbpf_insn)) {
		fprintf(stderr,
			"kbpf-run: program is %zu bytes, not a positive multiple of %zu\n",
			prog_bytes.len, sizeof(struct kbpf_insn));
		goto out;
	}

	log_buf = malloc(KBPF_RUN_LOG_SIZE);
	if (kbpf_conformance_helpers_init(&helpers, &helper_array) || !log_buf) {
		fprintf(stderr, "kbpf-run: out of memory\n");
		goto out;
	}
	kbpf_log_init(&log, log_buf, KBPF_RUN_LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);

	opts.type = KBPF_PROG_TYPE_UNSPEC;
	opts.insns = (const struct kbpf_insn *)prog_bytes.data;
	opts.insn_cnt = prog_bytes.len / sizeof(struct kbpf_insn);
	opts.flags = verify ? 0 : KBPF_LOAD_NO_VERIFY;
	/* --verify: the verifier checks accesses through r1 against this. */
	opts.mem_size = (u32)mem.len;
	opts.log = &log;
	opts.helpers = &helpers;
	err = kbpf_prog_load(&opts, &prog);
	if (err) {
		fprintf(stderr, "%s", log_buf);
		fprintf(stderr, "kbpf-run: program refused: %s\n", strerror(-err));
		goto out;
	}

	if (native && aot_user_bind(prog, &aot)) {
		fprintf(stderr, "kbpf-run: ahead-of-time compilation failed\n");
		goto out;
	}
	args[0] = (u64)(uintptr_t)mem.data;
	args[1] = mem.len;
	printf("%llx\n", (unsigned long long)kbpf_prog_run_args(prog, args));
	ret = 0;
out:
	if (native)
		aot_user_release(prog, &aot);
	if (prog)
		kbpf_prog_free(prog);
	kbpf_free(helper_array);
	free(log_buf);
	free(text);
	free(prog_bytes.data);
	free(mem.data);
	return ret;
}
