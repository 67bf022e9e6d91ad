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
