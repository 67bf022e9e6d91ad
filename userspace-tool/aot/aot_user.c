// SPDX-License-Identifier: GPL-2.0
/*
 * bpf2c into a shared object: write the C and kbpf_native.h into a scratch
 * directory, compile with cc -O2 (-fno-strict-aliasing, as the kernel builds
 * the module), dlopen() the result and bind its entry point.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aot_user.h"

/* Every program into one file: p<i>_* functions, entry aot_entry_<i>. */
static int translate(struct kbpf_prog *const *progs, u32 n, const char *path)
{
	char why[256], name[32], entry[32];
	FILE *f = fopen(path, "w");
	int err = 0;
	u32 i;

	if (!f)
		return -errno;
	for (i = 0; i < n && !err; i++) {
		struct bpf2c_opts opts = {
			.target = BPF2C_USER,
			.name = name,
			.entry = entry,
			.verified = progs[i]->verified,
		};

		snprintf(name, sizeof(name), "p%u", i);
		snprintf(entry, sizeof(entry), "aot_entry_%u", i);
		err = bpf2c_translate(f, progs[i]->insns, progs[i]->insn_cnt,
				      &opts, why, sizeof(why));
		if (err)
			fprintf(stderr, "aot: bpf2c: program %u: %s\n", i, why);
	}
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/*
 * -Werror keeps the translator honest (C compilers warn about what bpf2c
 * must never emit), except two false positives on code that is right.
 * -Wstringop-overflow: GCC 12 reports the compare-and-swap atomics on
 * addresses it derives from integers as overflowing a zero-sized region.
 * -Warray-bounds: after a verified compare of a pointer with a constant
 * (if (r9 != 0x1ff) ... with r9 a copy of r0), GCC propagates the constant
 * into the later store through r0 and reports an access to a fixed address
 * the path never reaches; the kernel's own build disables it for GCC 11+.
 */
static int compile(const char *dir)
{
	const char *cc = getenv("CC");
	char cmd[512];
	int status;

	if (!cc || !*cc)
		cc = "cc";
	snprintf(cmd, sizeof(cmd),
		 "%s -O2 -fPIC -shared -fno-strict-aliasing -Wall -Werror "
		 "-Wno-stringop-overflow -Wno-array-bounds "
		 "-o %s/prog.so %s/prog.c", cc, dir, dir);
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "aot: '%s' failed\n", cmd);
		return -ENOEXEC;
	}
	return 0;
}

static void remove_dir(const char *dir)
{
	static const char *const files[] = { "prog.c", "prog.so", "kbpf_native.h" };
	char path[128];
	size_t i;

	if (!dir[0])
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int aot_user_build(struct kbpf_prog *const *progs, u32 n,
		   struct aot_user_obj *obj, kbpf_native_fn *fns)
{
	char path[128];
	u32 i;
	int err;

	memset(obj, 0, sizeof(*obj));
	snprintf(obj->dir, sizeof(obj->dir), "/tmp/kbpf-aot.XXXXXX");
	if (!mkdtemp(obj->dir)) {
		err = -errno;
		obj->dir[0] = '\0';
		fprintf(stderr, "aot: mkdtemp: %s\n", strerror(-err));
		return err;
	}
	err = bpf2c_write_file(obj->dir, "kbpf_native.h", bpf2c_native_header);
	snprintf(path, sizeof(path), "%s/prog.c", obj->dir);
	if (!err)
		err = translate(progs, n, path);
	if (!err)
		err = compile(obj->dir);
	if (err)
		goto fail;
	snprintf(path, sizeof(path), "%s/prog.so", obj->dir);
	obj->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	for (i = 0; i < n && obj->handle; i++) {
		char entry[32];

		snprintf(entry, sizeof(entry), "aot_entry_%u", i);
		fns[i] = (kbpf_native_fn)dlsym(obj->handle, entry);
		if (!fns[i])
			break;
	}
	if (!obj->handle || i < n) {
		fprintf(stderr, "aot: %s\n", dlerror());
		err = -ENOEXEC;
		goto fail;
	}
	return 0;
fail:
	aot_user_release(NULL, obj);
	return err;
}

int aot_user_bind(struct kbpf_prog *prog, struct aot_user_obj *obj)
{
	kbpf_native_fn run;
	int err;

	err = aot_user_build(&prog, 1, obj, &run);
	if (err)
		return err;
	err = kbpf_prog_bind_native(prog, run, NULL, NULL);
	if (err) {
		aot_user_release(NULL, obj);
		return err;
	}
	obj->run = run;
	return 0;
}

void aot_user_release(struct kbpf_prog *prog, struct aot_user_obj *obj)
{
	const char *keep = getenv("KBPF_AOT_KEEP");

	if (prog && obj->run && prog->native == obj->run)
		kbpf_prog_unbind_native(prog);
	if (obj->handle)
		dlclose(obj->handle);
	obj->handle = NULL;
	obj->run = NULL;
	if (keep && !strcmp(keep, "1"))
		fprintf(stderr, "aot: kept %s\n", obj->dir);
	else
		remove_dir(obj->dir);
	obj->dir[0] = '\0';
}
