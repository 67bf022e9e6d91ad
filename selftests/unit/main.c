// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-unit: runs the shared test suites (selftests/cases) against the
 * userspace build of the core, normally under ASan and UBSan.
 *
 *   kbpf-unit [-v] [--aot] [SUBSTRING]
 *
 * runs every case whose suite name or case name contains SUBSTRING (all
 * when omitted), prints one line per failing case, and ends with
 * "N passed, M failed".  Exit status 0 only if nothing failed and something
 * ran.  --aot runs the programs of the interpreter suites as native code
 * (bpf2c, cc -O2, dlopen) instead of in the interpreter.
 */
#include <stdlib.h>

#include "../cases/cases.h"
#include "../../userspace-tool/aot/aot_user.h"

static int aot_bind(struct kbpf_prog *prog, void **cookie)
{
	struct aot_user_obj *obj = calloc(1, sizeof(*obj));
	int err;

	if (!obj)
		return -ENOMEM;
	err = aot_user_bind(prog, obj);
	if (err) {
		free(obj);
		return err;
	}
	*cookie = obj;
	return 0;
}

static void aot_release(struct kbpf_prog *prog, void *cookie)
{
	aot_user_release(prog, cookie);
	free(cookie);
}

static const struct kbpf_test_engine aot_engine = {
	.name = "aot",
	.bind = aot_bind,
	.release = aot_release,
};

static const struct kbpf_test_suite *const suites[] = {
#define KBPF_UNIT_SUITE_REF(x) &kbpf_suite_##x,
	KBPF_TEST_SUITES(KBPF_UNIT_SUITE_REF)
#undef KBPF_UNIT_SUITE_REF
	NULL
};

static bool selected(const struct kbpf_test_suite *s, const char *name,
		     const char *filter)
{
	return !filter || strstr(s->name, filter) || strstr(name, filter);
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	unsigned int passed = 0, failed = 0;
	bool verbose = false;
	u32 s, i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-v"))
			verbose = true;
		else if (!strcmp(argv[a], "--aot"))
			kbpf_test_engine = &aot_engine;
		else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			printf("usage: %s [-v] [--aot] [SUITE-OR-CASE-SUBSTRING]\n",
			       argv[0]);
			return 0;
		} else
			filter = argv[a];
	}

	for (s = 0; suites[s]; s++) {
		const struct kbpf_test_suite *suite = suites[s];

		for (i = 0; i < suite->count; i++) {
			const char *name = suite->case_name(i);
			char msg[512] = "";

			if (!selected(suite, name, filter))
				continue;
			if (suite->run(i, msg, sizeof(msg))) {
				printf("FAIL %s: %s: %s\n", suite->name, name,
				       msg[0] ? msg : "(no message)");
				failed++;
			} else {
				if (verbose)
					printf("ok   %s: %s\n", suite->name,
					       name);
				passed++;
			}
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	if (!passed && !failed) {
		fprintf(stderr, "kbpf-unit: no case matches '%s'\n",
			filter ? filter : "");
		return 2;
	}
	return failed ? 1 : 0;
}
