/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ahead-of-time compilation for userspace: translate a loaded program with
 * bpf2c, compile it with cc -O2 into a shared object and dlopen() it, so the
 * interpreter's tests can run against native code (kbpf-run --aot, the
 * differential tests).
 */
#ifndef KBPF_AOT_USER_H
#define KBPF_AOT_USER_H

#include "bpf2c.h"
#include "kbpf_core.h"

struct aot_user_obj {
	char dir[64];		/* scratch directory holding the C and the .so */
	void *handle;		/* dlopen() handle */
	kbpf_native_fn run;	/* aot_user_bind(): the program's entry */
};

/*
 * Translate n loaded programs into one shared object (one compiler run) and
 * return their entry points in fns[]; bind them with
 * kbpf_prog_bind_native(), unbind them before aot_user_release(NULL, obj).
 */
int aot_user_build(struct kbpf_prog *const *progs, u32 n,
		   struct aot_user_obj *obj, kbpf_native_fn *fns);

/*
 * Translate prog (loaded by the core), compile it and bind it, so that
 * kbpf_prog_run*() run the native code.  $CC (default cc) compiles;
 * $KBPF_AOT_KEEP=1 keeps the scratch directory.  0 or a negative errno with
 * the reason on stderr.
 */
int aot_user_bind(struct kbpf_prog *prog, struct aot_user_obj *obj);
/* Unbind (if still bound), dlclose, remove the scratch directory. */
void aot_user_release(struct kbpf_prog *prog, struct aot_user_obj *obj);

#endif /* KBPF_AOT_USER_H */
