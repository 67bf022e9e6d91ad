# SPDX-License-Identifier: GPL-2.0
# make conformance: our RFC 9669 corpus (selftests/conformance/*.data) fed
# through kbpf-run, the bpf_conformance plugin built from the core.

.PHONY: conformance conformance-check-asm
conformance: $(KBPF_RUN)
	O=$(O) selftests/conformance/run

# The raw bytes of every test still match its asm.
conformance-check-asm:
	selftests/conformance/assemble --check selftests/conformance/*.data

CHECK_TARGETS += conformance

# The same corpus as native code: kbpf-run --aot translates each program with
# bpf2c, compiles it with cc -O2 and runs the result (issue: AOT back end).
.PHONY: conformance-aot
conformance-aot: $(KBPF_RUN)
	O=$(O) selftests/conformance/run --plugin-arg --aot -j 2

CHECK_TARGETS += conformance-aot

# The corpus as the shared suite kbpf_conformance (selftests/cases/), so it
# runs under the sanitizers (`make unit`) and in KUnit too.  The generated
# file is checked in: the kernel build has no python step.
KBPF_CONFORMANCE_GEN := selftests/cases/conformance_gen.c

.PHONY: conformance-gen conformance-gen-check
conformance-gen:
	selftests/conformance/gen-cases -o $(KBPF_CONFORMANCE_GEN)

conformance-gen-check:
	@mkdir -p $(O)
	selftests/conformance/gen-cases -o $(O)/conformance_gen.c
	@diff -u $(KBPF_CONFORMANCE_GEN) $(O)/conformance_gen.c || \
		{ echo "conformance-gen-check: $(KBPF_CONFORMANCE_GEN) is stale; run make conformance-gen" >&2; exit 1; }

CHECK_TARGETS += conformance-gen-check
