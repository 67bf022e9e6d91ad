# SPDX-License-Identifier: GPL-2.0
#
# The verifier soundness fuzzer (selftests/fuzz/verifier_fuzz.c): libFuzzer
# with ASan and UBSan over a third build of the core (clang, coverage
# instrumented).  Programs the verifier accepts run in the interpreter
# against guarded memory; a crash is a verifier bug.
#
#   make fuzz          run for FUZZ_TIME seconds (default 600)
#   make fuzz-check    a bounded run (FUZZ_CHECK_TIME, default 60 s), part
#                      of `make check`
#
# New inputs go to $(O)/fuzz/corpus (seeded from selftests/fuzz/corpus),
# crashes to $(O)/fuzz/crash-*.  Reproduce one with
#   KBPF_FUZZ_DUMP=1 $(O)/fuzz/verifier_fuzz CRASHFILE

FUZZ_TIME ?= 600
FUZZ_CHECK_TIME ?= 60
FUZZ_DIR := $(O)/fuzz
KBPF_FUZZER := $(FUZZ_DIR)/verifier_fuzz
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -Wall -Wno-unused-parameter -Wno-unknown-attributes \
	       -fsanitize=address,undefined -fno-sanitize-recover=all \
	       $(KBPF_CORE_CFLAGS)
FUZZ_CORE_OBJS := $(patsubst %.c,$(FUZZ_DIR)/%.o,$(KBPF_CORE_SRCS))
# The fuzzer supplies the interpreter's frame memory (guarded, poisoned).
FUZZ_WRAP := -Wl,--wrap=kbpf_run_stack_acquire,--wrap=kbpf_run_stack_release
FUZZ_FLAGS = -timeout=2 -max_len=512 -print_final_stats=1 \
	     -artifact_prefix=$(FUZZ_DIR)/

$(FUZZ_DIR)/%.o: %.c $(KBPF_CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(KBPF_FUZZER): selftests/fuzz/verifier_fuzz.c $(FUZZ_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_WRAP) -o $@ $^

.PHONY: fuzz fuzz-build fuzz-check clean-fuzz
fuzz-build: $(KBPF_FUZZER)

$(FUZZ_DIR)/corpus:
	mkdir -p $@

fuzz: $(KBPF_FUZZER) | $(FUZZ_DIR)/corpus
	$(KBPF_FUZZER) $(FUZZ_FLAGS) -max_total_time=$(FUZZ_TIME) \
		$(FUZZ_DIR)/corpus selftests/fuzz/corpus

fuzz-check: $(KBPF_FUZZER) | $(FUZZ_DIR)/corpus
	$(KBPF_FUZZER) $(FUZZ_FLAGS) -max_total_time=$(FUZZ_CHECK_TIME) \
		$(FUZZ_DIR)/corpus selftests/fuzz/corpus

clean-fuzz:
	rm -rf $(FUZZ_DIR)

# The differential build: accepted programs also run as native code (bpf2c,
# cc -O2, dlopen) and must agree with the interpreter on r0, maps and stack.
# Seeded from the fuzzer's corpus; each accepted program costs a compile.
FUZZ_AOT_TIME ?= 45
KBPF_AOT_FUZZER := $(FUZZ_DIR)/aot_fuzz
FUZZ_AOT_OBJS := $(patsubst %.c,$(FUZZ_DIR)/aot/%.o,userspace-tool/aot/bpf2c.c userspace-tool/aot/aot_user.c)

$(FUZZ_DIR)/aot/%.o: %.c $(KBPF_AOT_HDRS) $(KBPF_CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -c -o $@ $<

$(KBPF_AOT_FUZZER): selftests/fuzz/verifier_fuzz.c $(FUZZ_CORE_OBJS) $(FUZZ_AOT_OBJS) $(KBPF_AOT_GEN)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -DKBPF_FUZZ_AOT -fsanitize=fuzzer $(FUZZ_WRAP) -o $@ \
		selftests/fuzz/verifier_fuzz.c $(FUZZ_CORE_OBJS) $(FUZZ_AOT_OBJS) $(KBPF_AOT_GEN) -ldl

.PHONY: fuzz-aot
fuzz-aot: $(KBPF_AOT_FUZZER) | $(FUZZ_DIR)/corpus
	$(KBPF_AOT_FUZZER) $(FUZZ_FLAGS) -timeout=30 -max_total_time=$(FUZZ_AOT_TIME) \
		$(FUZZ_DIR)/corpus selftests/fuzz/corpus

CHECK_TARGETS += fuzz-check fuzz-aot
# Both are time-boxed and single-threaded: `make check` runs them beside
# fuzz-abi-check, the VM fuzzer (scripts/check-run), built first.
CHECK_BACKGROUND += fuzz-check fuzz-aot
CHECK_BACKGROUND_WITH ?= fuzz-abi-check
CHECK_PREBUILD += $(KBPF_FUZZER) $(KBPF_AOT_FUZZER) $(FUZZ_DIR)/corpus
CLEAN_TARGETS += clean-fuzz
