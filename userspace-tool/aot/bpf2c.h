/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf2c: BPF bytecode to C, for ahead-of-time compilation into a kernel
 * module (`kbpfctl prog build`) or a userspace shared object
 * (`kbpf-run --aot`, the differential tests).  The generated C follows the
 * contract of kmod/core/kbpf_native.h.
 */
#ifndef KBPF_BPF2C_H
#define KBPF_BPF2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/kbpf.h>

enum bpf2c_target {
	BPF2C_USER,	/* exports kbpf_native_entry() for dlopen() */
	BPF2C_MODULE,	/* a module that registers with kbpf.ko at init */
};

/* A map the program uses: struct kbpf_native_map_def, in kbpfctl's types. */
struct bpf2c_map_def {
	char name[KBPF_OBJ_NAME_LEN];
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	/* Global data: element 0's initial value (value_size bytes) or NULL. */
	const void *data;
	bool rodata;		/* read-only data: binds only to these bytes */
};

struct bpf2c_opts {
	enum bpf2c_target target;
	const char *name;		/* the program's name, a C identifier */
	const char *origin;		/* for the header comment: FILE.o, SEC */
	/* BPF2C_USER: the exported entry point (default kbpf_native_entry). */
	const char *entry;
	/*
	 * The verifier accepted the program.  Otherwise (test runners that
	 * skip it) the code also carries what only unverified programs can
	 * observe, as the interpreter has it: a callee sees its caller's r0
	 * and r6..r9, and calls deeper than KBPF_NATIVE_MAX_FRAMES return 0.
	 */
	bool verified;
	/* BPF2C_MODULE: what kbpf verifies and binds at load. */
	__u32 prog_type;
	const struct bpf2c_map_def *maps;
	__u32 map_cnt;
};

/*
 * Translate cnt instructions.  The program must have passed kbpf's decoder
 * (known opcodes, jumps inside the program); a program that has not gets
 * -EINVAL and a reason in err.
 */
int bpf2c_translate(FILE *out, const struct kbpf_insn *insns, __u32 cnt,
		    const struct bpf2c_opts *opts, char *err, size_t err_len);

/*
 * False, with *bad the instruction, when insns call tail_call or bpf_loop:
 * such programs run only in the interpreter and are never translated.
 */
bool bpf2c_supported(const struct kbpf_insn *insns, __u32 cnt, __u32 *bad);

/* Write text to dir/file: 0 or a negative errno. */
int bpf2c_write_file(const char *dir, const char *file, const char *text);

/* The text of kbpf_native.h, which the generated C includes. */
extern const char bpf2c_native_header[];

#endif /* KBPF_BPF2C_H */
